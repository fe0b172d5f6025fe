/**
 * Traces as ITF JSON, the Informal Trace Format of Apalache and Quint (Apalache ADR-015,
 * docs/src/adr/015adr-trace.md): `{ "#meta", "params", "vars", "states": [{ "#meta", <var>:
 * <value> }], "loop" }`, so that the tools around Quint and Apalache read what grantcheck writes,
 * and grantcheck reads what they write.
 *
 * Values follow ITF: integers as `{ "#bigint": "5" }`, strings and booleans as themselves, lists as
 * JSON lists, records as JSON objects. Where the caller declares what a path of the state is
 * (`types`: `{ grants: 'map', handles: 'set', ... }`), a list there is written as `{ "#map": [[0,
 * v0], [1, v1], ...] }` (a record keyed by its position, the id), `{ "#set": [...] }` (a list whose
 * order follows from its elements) or `{ "#tup": [...] }`. ITF has no null: `null` and
 * `undefined` are written as `{ "#unserializable": "null" }` and `{ "#unserializable": "undefined" }`,
 * which the reader maps back.
 *
 * The model's constants (`params`) are ITF parameters: their names in `params`, their values in
 * the first state. As Quint's `--mbt` does, every state carries the action that led to it:
 * `mbt::actionTaken` (its kind; `init` for the first state) and `mbt::nondetPicks`, one record with
 * every parameter of every action kind, each Quint's option variant (`{ "tag": "Some", "value": ...
 * }`, or `{ "tag": "None", "value": { "#tup": [] } }` where the action has no such parameter), so
 * that every state of a trace has the same shape. The state's own `#meta` has the action printed
 * (`gntdev_mmap(p=0, file=0, map=0)`). The trace's `#meta` names what the trace is about: design,
 * configuration, model version, the property violated and its clause, the encoded path, and the
 * declared types; a caller adds more (`meta`).
 *
 * A state that is a record has one ITF variable per key; any other state is one variable, `state`.
 * An action that is a record with a string `kind` is stored as kind + picks; any other action is
 * stored whole in the pick `action` (the state's `#meta` says `actionForm: "value"`).
 *
 * `fromItf` reads every trace the ADR allows, grantcheck's and other tools' (Quint's among them):
 * a `#map` keyed by the positions 0..n-1 becomes a list, `#set` and `#tup` become lists. What has
 * no place in a grantcheck state (a `#map` with other keys, an integer beyond 2^53, another
 * `#unserializable`, a step without its action) is decoded all the same and named, in one line,
 * in `unmappable`; `replayItf` reports it instead of replaying.
 */
import type { Step } from '../explorer/index.js';
import { actionPrinter, type ActionPrintOptions } from './dot.js';
import { isRecord } from './value.js';
import type { ViolationInfo } from './violation.js';

/** The version of the layout below (bumped on incompatible changes). 2: params, declared types, one picks record per trace. */
export const ITF_FORMAT_VERSION = 2;

/** `mbt::actionTaken`, as Quint names it. */
export const ACTION_TAKEN = 'mbt::actionTaken';
/** `mbt::nondetPicks`, as Quint names it. */
export const NONDET_PICKS = 'mbt::nondetPicks';
/** The variable holding a state that is not a record. */
export const STATE_VAR = 'state';

/** An ITF value (JSON). */
export type ItfValue = boolean | string | number | readonly ItfValue[] | { readonly [key: string]: ItfValue };

/** What a list of the state is in ITF: `#set`, `#map` (keyed by position), `#tup`, or a plain list. */
export type ItfKind = 'set' | 'map' | 'tuple' | 'list';

/**
 * The declared ITF types of a state's paths: a variable (`grants`), a field (`alloc.remote`), `[]`
 * for every element of a list or value of a map (`procs[].ptes`). A path not listed is a plain list
 * or record.
 */
export type ItfTypes = Readonly<Record<string, ItfKind>>;

/** The trace's `#meta` as grantcheck writes it. */
export interface ItfMeta {
  readonly format: 'ITF';
  readonly 'format-description': string;
  readonly source: 'grantcheck';
  /** ITF_FORMAT_VERSION of the writer. */
  readonly 'grantcheck-format': number;
  readonly description: string;
  readonly design?: string;
  readonly config?: string;
  /** What the caller says identifies the model (package version, a model fingerprint). */
  readonly modelVersion?: string;
  readonly property?: string;
  readonly kind?: string;
  readonly clause?: string;
  /** The encoded path (`0/3/1`) of the trace. */
  readonly path?: string;
  /** Number of steps (actions). */
  readonly length: number;
  /** `record`: one variable per state key; `value`: the whole state in variable `state`. */
  readonly stateForm: 'record' | 'value';
  /** The declared types the states were written with, but `list` (absent: none). */
  readonly types?: ItfTypes;
  readonly [extra: string]: unknown;
}

/** One ITF state: `#meta` plus one value per variable. */
export interface ItfState {
  readonly '#meta': { readonly index: number; readonly action?: string; readonly actionForm?: 'record' | 'value' };
  readonly [name: string]: unknown;
}

/** An ITF trace as grantcheck writes it. */
export interface ItfTrace {
  readonly '#meta': ItfMeta;
  /** The names of the model's constants; their values are in the first state. */
  readonly params?: readonly string[];
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

/** Raised for an ITF trace that cannot be written or read; the message is one line naming the place and the fix. */
export class ItfError extends Error {
  override readonly name = 'ItfError';
}

/** A value ITF calls unserializable (`{ "#unserializable": "Int" }`), other than the null and undefined grantcheck writes. */
export class ItfUnserializable {
  constructor(readonly text: string) {}
}

/** Options of `toItf`: what the trace is about, and how actions print. */
export interface ToItfOptions<S, A> extends ActionPrintOptions<S, A> {
  readonly design?: string;
  readonly config?: string;
  /** A string that identifies the model's version (e.g. package version + model fingerprint). */
  readonly modelVersion?: string;
  /** The property the trace violates (an explorer `Violation` fits). */
  readonly violation?: ViolationInfo;
  /** The encoded path, when the violation does not carry it. */
  readonly path?: string;
  /** The model's constants, written as ITF `params` (names) with their values in the first state. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** What the state's lists are in ITF (sets, maps keyed by position, tuples); recorded in `#meta.types`. */
  readonly types?: ItfTypes;
  /**
   * Every parameter of every action kind, in the order the picks are written: each state's
   * `mbt::nondetPicks` has them all (`None` where its action has no such parameter). Default: the
   * parameters of the trace's own actions, sorted.
   */
  readonly parameters?: readonly string[];
  /** More `#meta` fields (plain JSON), after grantcheck's own. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** The `#meta` keys `toItf` writes itself. */
const OWN_META = ['format', 'format-description', 'source', 'grantcheck-format', 'description', 'design', 'config', 'modelVersion', 'property', 'kind', 'clause', 'path', 'length', 'stateForm', 'types'];

/** Quint's `None`. */
const NONE_PICK: ItfValue = { tag: 'None', value: { '#tup': [] } };

/** What a rewrite keeps of each recorded step: its printed action and its recorded kind. */
interface Recorded {
  readonly actionText?: string;
  readonly actionTaken?: string;
}

/**
 * Encodes a trace as ITF (deterministic: equal inputs give equal JSON). Given a decoded trace
 * (`fromItf`), writes it again with everything it recorded (meta, constants, types, the printed
 * actions), so that `toItf(fromItf(text))` is `text` again for a trace grantcheck wrote; options
 * override what it recorded.
 */
export function toItf<S, A>(source: readonly Step<S, A>[] | DecodedTrace, options: ToItfOptions<S, A> = {}): ItfTrace {
  if (!isDecodedTrace(source)) return writeItf(source, options, []);
  const d = source;
  const m = d.meta;
  const steps = d.steps.map((s, i): Step<S, A> => {
    if (i > 0 && !('action' in s)) throw new ItfError(`ITF: states[${i}] records no action; toItf writes traces whose every step has its action`);
    return i === 0 ? { state: s.state as S } : { state: s.state as S, action: s.action as A };
  });
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (!OWN_META.includes(k)) extra[k] = v;
  const recorded: ToItfOptions<S, A> = {
    ...(m.design !== undefined ? { design: m.design } : {}),
    ...(m.config !== undefined ? { config: m.config } : {}),
    ...(m.modelVersion !== undefined ? { modelVersion: m.modelVersion } : {}),
    ...(m.property !== undefined ? { violation: { property: m.property, ...(m.kind !== undefined ? { kind: m.kind } : {}), ...(m.clause !== undefined ? { clause: m.clause } : {}) } } : {}),
    ...(m.path !== undefined ? { path: m.path } : {}),
    ...(d.paramNames.length > 0 ? { params: d.params } : {}),
    ...(m.types !== undefined ? { types: m.types } : {}),
    parameters: d.parameters,
    ...(Object.keys(extra).length > 0 ? { meta: extra } : {}),
  };
  return writeItf(steps, { ...recorded, ...options }, d.steps.map((s) => ({ ...(s.actionText !== undefined ? { actionText: s.actionText } : {}), ...(s.actionTaken !== undefined ? { actionTaken: s.actionTaken } : {}) })));
}

function isDecodedTrace(x: unknown): x is DecodedTrace {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'steps' in x && 'meta' in x;
}

function writeItf<S, A>(trace: readonly Step<S, A>[], options: ToItfOptions<S, A>, recorded: readonly Recorded[]): ItfTrace {
  if (trace.length === 0) throw new ItfError('ITF: the trace is empty; a trace has at least its initial state');
  const printer = actionPrinter(options);
  const types = options.types ?? {};
  const record = isRecord(trace[0]!.state);
  const vars = record ? Object.keys(trace[0]!.state as object) : [STATE_VAR];
  for (const k of vars) {
    if (k.startsWith('#') || k === ACTION_TAKEN || k === NONDET_PICKS) throw new ItfError(`ITF: the state has key '${k}', which ITF reserves; rename it in the model`);
  }
  const params = options.params ?? {};
  const paramNames = Object.keys(params);
  for (const k of paramNames) {
    if (k.startsWith('#') || k === ACTION_TAKEN || k === NONDET_PICKS || vars.includes(k)) {
      throw new ItfError(`ITF: constant '${k}' ${vars.includes(k) ? 'has the name of a state variable' : 'has a name ITF reserves'}; rename it`);
    }
  }
  const extra = options.meta ?? {};
  for (const k of Object.keys(extra)) if (OWN_META.includes(k)) throw new ItfError(`ITF: #meta.${k} is written by toItf itself; pass it as its own option, not in meta`);

  // The picks record: every parameter, in one order, for every state.
  const actionOf = (i: number): { asRecord: boolean; a: A } => {
    const a = trace[i]!.action as A;
    return { asRecord: isRecord(a) && typeof a.kind === 'string', a };
  };
  let parameters = options.parameters;
  if (parameters === undefined) {
    const seen = new Set<string>();
    for (let i = 1; i < trace.length; i++) {
      const { asRecord, a } = actionOf(i);
      if (!asRecord) seen.add('action');
      else for (const k of Object.keys(a as object)) if (k !== 'kind') seen.add(k);
    }
    parameters = [...seen].sort();
  }
  const v = options.violation;
  const path = options.path ?? v?.path;
  // `list` is what an undeclared list is written as: the trace records the other declarations
  const written = Object.entries(types).filter(([, k]) => k !== 'list');
  const meta: ItfMeta = {
    format: 'ITF',
    'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
    source: 'grantcheck',
    'grantcheck-format': ITF_FORMAT_VERSION,
    description: v ? `counterexample to ${v.property}` : 'trace',
    ...(options.design !== undefined ? { design: options.design } : {}),
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.modelVersion !== undefined ? { modelVersion: options.modelVersion } : {}),
    ...(v ? { property: v.property } : {}),
    ...(v?.kind !== undefined ? { kind: v.kind } : {}),
    ...(v?.clause !== undefined ? { clause: v.clause } : {}),
    ...(path !== undefined ? { path } : {}),
    length: trace.length - 1,
    stateForm: record ? 'record' : 'value',
    ...(written.length > 0 ? { types: Object.fromEntries(written) } : {}),
    ...extra,
  };
  const states = trace.map((step, index): ItfState => {
    const where = `states[${index}]`;
    const body: Record<string, unknown> = {};
    if (index === 0) for (const k of paramNames) setOwn(body, k, encodeValue(params[k], `params.${k}`));
    if (record) {
      if (!isRecord(step.state)) throw new ItfError(`ITF: ${where} is not a record but the initial state is; every state must have the same shape`);
      for (const k of Object.keys(step.state)) {
        if (!vars.includes(k)) throw new ItfError(`ITF: ${where} has variable '${k}' that the initial state lacks; every state must have the same keys`);
      }
      for (const k of vars) {
        if (!Object.prototype.hasOwnProperty.call(step.state, k)) throw new ItfError(`ITF: ${where} lacks variable '${k}'; every state must have the same keys`);
        setOwn(body, k, encodeValue(step.state[k], `${where}.${k}`, types, k));
      }
    } else {
      body[STATE_VAR] = encodeValue(step.state, `${where}.${STATE_VAR}`, types, STATE_VAR);
    }
    const picks: Record<string, ItfValue> = {};
    if (index === 0) {
      for (const k of parameters) picks[k] = NONE_PICK;
      return { '#meta': { index }, ...body, [ACTION_TAKEN]: 'init', [NONDET_PICKS]: picks };
    }
    const { asRecord, a } = actionOf(index);
    const own: Record<string, unknown> = asRecord ? { ...(a as object) } : { action: a };
    delete own.kind;
    for (const k of Object.keys(own)) {
      if (!parameters.includes(k)) throw new ItfError(`ITF: ${where}: the action's parameter '${k}' is not among the declared parameters (${parameters.join(', ')}); add it`);
    }
    for (const k of parameters) {
      picks[k] = Object.prototype.hasOwnProperty.call(own, k) ? { tag: 'Some', value: encodeValue(own[k], `${where} action.${k}`) } : NONE_PICK;
    }
    const rec = recorded[index];
    return {
      '#meta': { index, action: rec?.actionText ?? printer.format(a), ...(asRecord ? {} : { actionForm: 'value' as const }) },
      ...body,
      [ACTION_TAKEN]: rec?.actionTaken ?? (asRecord ? ((a as { kind: string }).kind) : printer.kind(a)),
      [NONDET_PICKS]: picks,
    };
  });
  return { '#meta': meta, ...(paramNames.length > 0 ? { params: paramNames } : {}), vars: [...vars, ACTION_TAKEN, NONDET_PICKS], states };
}

/**
 * The ITF text of a trace (byte-identical across runs): JSON indented by two spaces, except that a
 * list or object that fits in `width` characters stays on one line (`{ "#bigint": "0" }` would
 * otherwise take three), and a final newline.
 */
export function itfToJson(itf: ItfTrace, width = 100): string {
  return `${layoutJson(itf, '', width)}\n`;
}

function layoutJson(v: unknown, indent: string, width: number, flats = new WeakMap<object, string>()): string {
  const flat = flatJson(v, flats);
  if (v === null || typeof v !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + layoutJson(x, inner, width, flats)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${layoutJson(x, inner, width, flats)}`).join(',\n')}\n${indent}}`;
}

/** JSON.stringify(v), with each object's text computed once (the layout asks for every subtree's). */
function flatJson(v: unknown, flats: WeakMap<object, string>): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const known = flats.get(v);
  if (known !== undefined) return known;
  const text = Array.isArray(v)
    ? `[${v.map((x) => (x === undefined ? 'null' : flatJson(x, flats))).join(',')}]`
    : `{${Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => `${JSON.stringify(k)}:${flatJson(x, flats)}`)
        .join(',')}}`;
  flats.set(v, text);
  return text;
}

/** Sets an own property, also for the key `__proto__` (which JSON.parse makes an own key too). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a record';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * Encodes one plain value; `types` and `typePath` (the value's path in the declared types) say
 * which lists are sets, maps or tuples. Throws ItfError naming the path of a value ITF cannot carry.
 */
export function encodeValue(v: unknown, where: string, types: ItfTypes = {}, typePath = ''): ItfValue {
  const kind = Object.prototype.hasOwnProperty.call(types, typePath) ? types[typePath] : undefined;
  if (kind !== undefined && kind !== 'list' && !Array.isArray(v) && v !== undefined) {
    throw new ItfError(`ITF: ${where} is declared a ${kind} (types['${typePath}']) but holds ${describe(v)}; correct the declared types`);
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new ItfError(`ITF: ${where} is ${v}; ITF carries integers only (no fractions, NaN or infinities)`);
    return { '#bigint': String(Object.is(v, -0) ? 0 : v) };
  }
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (v === null || v === undefined) return { '#unserializable': String(v) };
  if (v instanceof ItfUnserializable) return { '#unserializable': v.text };
  if (Array.isArray(v)) {
    const items = v.map((x, i) => encodeValue(x, `${where}[${i}]`, types, `${typePath}[]`));
    if (kind === 'map') return { '#map': items.map((x, i) => [{ '#bigint': String(i) }, x]) };
    if (kind === 'tuple') return { '#tup': items };
    if (kind === 'set') {
      const seen = new Set<string>();
      items.forEach((x, i) => {
        const key = JSON.stringify(x);
        if (seen.has(key)) throw new ItfError(`ITF: ${where} is declared a set (types['${typePath}']) but holds ${where}[${i}] twice; declare it a list`);
        seen.add(key);
      });
      return { '#set': items };
    }
    return items;
  }
  if (v instanceof Map) {
    return { '#map': [...v.entries()].map(([k, x], i) => [encodeValue(k, `${where} key ${i}`), encodeValue(x, `${where}[${i}]`, types, `${typePath}[]`)]) };
  }
  if (isRecord(v)) {
    const out: Record<string, ItfValue> = {};
    for (const k of Object.keys(v)) {
      if (k.startsWith('#')) throw new ItfError(`ITF: ${where} has key '${k}'; ITF reserves keys that start with '#'`);
      setOwn(out, k, encodeValue(v[k], `${where}.${k}`, types, typePath === '' ? k : `${typePath}.${k}`));
    }
    return out;
  }
  const what = v instanceof Uint8Array ? 'a Uint8Array' : typeof v;
  throw new ItfError(`ITF: ${where} is ${what}; ITF carries integers, strings, booleans, lists, records, sets, maps and tuples only (encode it as one of those in the model)`);
}

/** One decoded step. */
export interface DecodedStep {
  readonly index: number;
  readonly state: unknown;
  /** The action that led here (absent on the initial state, and where the trace does not record it). */
  readonly action?: unknown;
  /** The action as printed by the writer (`#meta.action`). */
  readonly actionText?: string;
  /** The recorded `mbt::actionTaken`. */
  readonly actionTaken?: string;
}

/** A decoded trace's `#meta`: any tool's; grantcheck's fields are typed where they are strings. */
export interface DecodedMeta {
  readonly source?: string;
  readonly design?: string;
  readonly config?: string;
  readonly modelVersion?: string;
  readonly property?: string;
  readonly kind?: string;
  readonly clause?: string;
  readonly path?: string;
  readonly stateForm?: 'record' | 'value';
  readonly types?: ItfTypes;
  readonly [extra: string]: unknown;
}

/** A decoded ITF trace: its `#meta`, constants, plain states and actions. */
export interface DecodedTrace {
  readonly meta: DecodedMeta;
  /** The state variables (`vars` without the mbt variables). */
  readonly vars: readonly string[];
  /** The names of the trace's parameters (ITF `params`), in order. */
  readonly paramNames: readonly string[];
  /** Their values (from the first state). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The action parameters the trace records (the keys of `mbt::nondetPicks`), in order. */
  readonly parameters: readonly string[];
  readonly steps: readonly DecodedStep[];
  /** ITF `loop`: the index of the state a lasso trace loops back to. */
  readonly loop?: number;
  /** The first thing that has no place in a grantcheck state or replay, in one line; absent when everything maps. */
  readonly unmappable?: string;
}

const STRING_META = ['source', 'design', 'config', 'modelVersion', 'property', 'kind', 'clause', 'path'] as const;

/**
 * Decodes an ITF trace (JSON text or parsed): any trace Apalache ADR-015 allows, grantcheck's or
 * another tool's. Throws ItfError with a one-line message for what the ADR does not allow (and for a
 * grantcheck trace whose own fields are corrupt); what the ADR allows but a grantcheck state cannot
 * hold is decoded and named in `unmappable`.
 */
export function fromItf(input: unknown): DecodedTrace {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input) as unknown;
    } catch (e) {
      throw new ItfError(`ITF: not JSON (${(e as Error).message.split('\n')[0]}); pass the text of a .itf.json file`);
    }
  }
  if (!isRecord(json)) throw new ItfError('ITF: the trace must be a JSON object with vars and states');
  const rawMeta = json['#meta'] ?? {};
  if (!isRecord(rawMeta)) throw new ItfError('ITF: #meta must be an object');
  const ours = rawMeta.source === 'grantcheck';
  const meta: Record<string, unknown> = { ...rawMeta };
  if (ours) {
    const version = rawMeta['grantcheck-format'];
    if (typeof version !== 'number' || version > ITF_FORMAT_VERSION) {
      throw new ItfError(`ITF: #meta.grantcheck-format is ${JSON.stringify(version)}; this grantcheck reads format ${ITF_FORMAT_VERSION} and older: upgrade grantcheck`);
    }
  }
  for (const k of STRING_META) {
    if (meta[k] === undefined || typeof meta[k] === 'string') continue;
    if (ours) throw new ItfError(`ITF: #meta.${k} must be a string`);
    delete meta[k]; // another tool's field of the same name: not ours to read
  }
  const form = ours ? rawMeta.stateForm : 'record';
  if (form !== 'record' && form !== 'value') throw new ItfError(`ITF: #meta.stateForm must be "record" or "value", got ${JSON.stringify(form)}`);
  meta.stateForm = form;
  if (meta.types !== undefined) {
    const t = meta.types;
    if (!isRecord(t) || !Object.values(t).every((k) => k === 'set' || k === 'map' || k === 'tuple' || k === 'list')) {
      if (ours) throw new ItfError('ITF: #meta.types must map paths to "set", "map", "tuple" or "list"');
      delete meta.types;
    }
  }

  const vars = json.vars;
  if (!Array.isArray(vars) || !vars.every((x) => typeof x === 'string')) throw new ItfError('ITF: vars must be a list of variable names');
  const paramList = json.params ?? [];
  if (!Array.isArray(paramList) || !paramList.every((x) => typeof x === 'string')) throw new ItfError('ITF: params must be a list of parameter names');
  const paramNames = paramList as string[];
  const stateVars = (vars as string[]).filter((x) => x !== ACTION_TAKEN && x !== NONDET_PICKS);
  const mbt = (vars as string[]).includes(ACTION_TAKEN);
  if (form === 'value' && (stateVars.length !== 1 || stateVars[0] !== STATE_VAR)) throw new ItfError(`ITF: stateForm "value" needs exactly one variable, '${STATE_VAR}'`);
  const states = json.states;
  if (!Array.isArray(states)) throw new ItfError('ITF: states must be a list of states');
  const loop = json.loop;
  if (loop !== undefined && (typeof loop !== 'number' || !Number.isInteger(loop) || loop < 0 || loop >= Math.max(states.length, 1))) {
    throw new ItfError(`ITF: loop must be the index of a state (0..${states.length - 1}), got ${JSON.stringify(loop)}`);
  }

  const notes: string[] = [];
  const note = (text: string) => {
    if (notes.length === 0) notes.push(text);
  };
  if (states.length === 0) note('the trace has no states');
  const params: Record<string, unknown> = {};
  const parameters: string[] = [];
  const steps = states.map((raw: unknown, i): DecodedStep => {
    const where = `states[${i}]`;
    if (!isRecord(raw)) throw new ItfError(`ITF: ${where} is not an object`);
    const sm = raw['#meta'] ?? {};
    if (!isRecord(sm)) throw new ItfError(`ITF: ${where}.#meta must be an object`);
    if (sm.action !== undefined && typeof sm.action !== 'string') throw new ItfError(`ITF: ${where}.#meta.action must be a string`);
    for (const k of vars as string[]) {
      if (!Object.prototype.hasOwnProperty.call(raw, k)) throw new ItfError(`ITF: ${where} lacks variable '${k}' (listed in vars)`);
    }
    if (i === 0) {
      for (const k of paramNames) {
        if (!Object.prototype.hasOwnProperty.call(raw, k)) throw new ItfError(`ITF: ${where} lacks parameter '${k}' (listed in params: the first state sets them)`);
        setOwn(params, k, decodeValue(raw[k], `${where}.${k}`, note));
      }
    }
    const values: Record<string, unknown> = {};
    for (const k of stateVars) setOwn(values, k, decodeValue(raw[k], `${where}.${k}`, note));
    const state = form === 'record' ? values : values[STATE_VAR];
    const taken = raw[ACTION_TAKEN];
    const picks = raw[NONDET_PICKS];
    if (isRecord(picks)) for (const k of Object.keys(picks)) if (!parameters.includes(k)) parameters.push(k);
    const text = typeof sm.action === 'string' ? { actionText: sm.action } : {};
    if (i === 0) return { index: 0, state, ...(typeof taken === 'string' ? { actionTaken: taken } : {}) };
    if (!mbt || typeof taken !== 'string') {
      note(`${where} records no action (${ACTION_TAKEN}): replay needs the action of every step (quint run writes them with --mbt)`);
      return { index: i, state, ...text };
    }
    const args: Record<string, unknown> = {};
    if (picks !== undefined) {
      if (!isRecord(picks)) {
        note(`${where}.${NONDET_PICKS} is not a record of the action's parameters`);
      } else {
        for (const k of Object.keys(picks)) {
          const p = picks[k];
          if (isRecord(p) && p.tag === 'None') continue;
          if (isRecord(p) && p.tag === 'Some' && 'value' in p) setOwn(args, k, decodeValue(p.value, `${where}.${NONDET_PICKS}.${k}`, note));
          else note(`${where}.${NONDET_PICKS}.${k} is not an option ({"tag": "Some", "value": ...} or {"tag": "None", ...}), as Quint writes a pick`);
        }
      }
    }
    let action: unknown;
    if (sm.actionForm === 'value') {
      if (!('action' in args)) throw new ItfError(`ITF: ${where} has actionForm "value" but no pick 'action'`);
      action = args.action;
    } else {
      action = { kind: taken, ...args };
    }
    return { index: i, state, action, actionTaken: taken, ...text };
  });
  return {
    meta: meta as DecodedMeta,
    vars: stateVars,
    paramNames,
    params,
    parameters,
    steps,
    ...(typeof loop === 'number' ? { loop } : {}),
    ...(notes.length > 0 ? { unmappable: notes[0]! } : {}),
  };
}

/**
 * Decodes one ITF value into plain data. `note` hears, in one line, of a value that ITF allows but
 * a grantcheck state cannot hold (decoded all the same: a Map, a bigint, an ItfUnserializable);
 * without `note` such a value throws. Throws ItfError for what ITF does not allow.
 */
export function decodeValue(v: unknown, where: string, note?: (text: string) => void): unknown {
  const odd = (text: string) => {
    if (!note) throw new ItfError(`ITF: ${text}`);
    note(text);
  };
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new ItfError(`ITF: ${where} is ${v}; ITF integers are whole numbers within ±(2^53-1) (write larger ones as {"#bigint": "..."})`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => decodeValue(x, `${where}[${i}]`, note));
  if (isRecord(v)) {
    const keys = Object.keys(v);
    const special = keys.find((k) => k.startsWith('#'));
    if (special === undefined) {
      const out: Record<string, unknown> = {};
      for (const k of keys) setOwn(out, k, decodeValue(v[k], `${where}.${k}`, note));
      return out;
    }
    if (keys.length !== 1) throw new ItfError(`ITF: ${where} has ${special} beside other keys; a ${special} value is an object with that one key`);
    const body = v[special];
    switch (special) {
      case '#bigint': {
        if (typeof body !== 'string' || !/^-?[0-9]+$/.test(body)) throw new ItfError(`ITF: ${where} has a malformed #bigint ${JSON.stringify(body)}`);
        const n = Number(body);
        if (Number.isSafeInteger(n)) return n;
        odd(`${where} is ${body}, beyond the integers a JavaScript number holds exactly (±(2^53-1))`);
        return BigInt(body);
      }
      case '#tup':
      case '#set':
        if (!Array.isArray(body)) throw new ItfError(`ITF: ${where} has a malformed ${special}: it must hold a list`);
        return body.map((x, i) => decodeValue(x, `${where}[${i}]`, note));
      case '#map': {
        if (!Array.isArray(body) || !body.every((p) => Array.isArray(p) && p.length === 2)) throw new ItfError(`ITF: ${where} has a malformed #map: it must hold a list of [key, value] pairs`);
        const pairs = (body as unknown[][]).map((p, i) => [decodeValue(p[0], `${where} key ${i}`, note), decodeValue(p[1], `${where}[${i}]`, note)] as const);
        const n = pairs.length;
        const positions = pairs.every(([k]) => typeof k === 'number' && k >= 0 && k < n) && new Set(pairs.map(([k]) => k)).size === n;
        if (positions) {
          const out = new Array<unknown>(n);
          for (const [k, x] of pairs) out[k as number] = x;
          return out;
        }
        odd(`${where} is a #map keyed by ${pairs.map(([k]) => describe(k)).slice(0, 3).join(', ')}${n > 3 ? ', ...' : ''}, not by the positions 0..${n - 1}: grantcheck states hold maps keyed by position only`);
        return new Map(pairs);
      }
      case '#unserializable':
        if (typeof body !== 'string') throw new ItfError(`ITF: ${where} has a malformed #unserializable: it must hold a string`);
        if (body === 'null') return null;
        if (body === 'undefined') return undefined;
        odd(`${where} is unserializable (${body})`);
        return new ItfUnserializable(body);
      default:
        throw new ItfError(`ITF: ${where} is a ${special} value, which ITF does not define (it has #bigint, #tup, #set, #map and #unserializable)`);
    }
  }
  throw new ItfError(`ITF: ${where} is ${v === null ? 'null' : typeof v}; ITF has no such value (null is written {"#unserializable": "null"})`);
}
