/**
 * Traces as ITF JSON, the Informal Trace Format of Apalache and Quint (Apalache ADR-015):
 * `{ "#meta", "vars", "states": [{ "#meta": { "index" }, <var>: <value> }] }`, so that the tools
 * around Quint and Apalache can read them. Values follow ITF: integers as `{ "#bigint": "5" }`,
 * strings and booleans as themselves, arrays as JSON lists, records as JSON objects.
 *
 * As Quint's `--mbt` does, every state also carries the action that led to it:
 * `mbt::actionTaken` (the action's kind; `init` for the first state) and `mbt::nondetPicks` (its
 * parameters, each as Quint's option variant `{ "tag": "Some", "value": ... }`). The state's own
 * `#meta` has the action printed (`gntdev_mmap(p=0, file=0, map=0)`). The trace's `#meta` names
 * what the trace is about: design, configuration, model version, the property violated and its
 * clause, and the encoded path.
 *
 * A state that is a record has one ITF variable per key; any other state is one variable, `state`.
 * An action that is a record with a string `kind` is stored as kind + picks; any other action is
 * stored whole in the pick `action` (the state's `#meta` says `actionForm: "value"`).
 */
import type { Step } from '../explorer/index.js';
import { actionPrinter, type ActionPrintOptions } from './dot.js';
import { isRecord } from './value.js';
import type { ViolationInfo } from './violation.js';

/** The version of the layout below (bumped on incompatible changes). */
export const ITF_FORMAT_VERSION = 1;

/** `mbt::actionTaken`, as Quint names it. */
export const ACTION_TAKEN = 'mbt::actionTaken';
/** `mbt::nondetPicks`, as Quint names it. */
export const NONDET_PICKS = 'mbt::nondetPicks';
/** The variable holding a state that is not a record. */
export const STATE_VAR = 'state';

/** An ITF value (JSON). */
export type ItfValue = boolean | string | number | readonly ItfValue[] | { readonly [key: string]: ItfValue };

/** The trace's `#meta`. */
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
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

/** Raised for an ITF trace that cannot be written or read; the message is one line naming the place and the fix. */
export class ItfError extends Error {
  override readonly name = 'ItfError';
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
}

/** Encodes a trace as ITF (deterministic: equal inputs give equal JSON). */
export function toItf<S, A>(trace: readonly Step<S, A>[], options: ToItfOptions<S, A> = {}): ItfTrace {
  if (trace.length === 0) throw new ItfError('ITF: the trace is empty; a trace has at least its initial state');
  const printer = actionPrinter(options);
  const record = isRecord(trace[0]!.state);
  const vars = record ? Object.keys(trace[0]!.state as object) : [STATE_VAR];
  for (const k of vars) {
    if (k.startsWith('#') || k === ACTION_TAKEN || k === NONDET_PICKS) throw new ItfError(`ITF: the state has key '${k}', which ITF reserves; rename it in the model`);
  }
  const v = options.violation;
  const path = options.path ?? v?.path;
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
  };
  const states = trace.map((step, index): ItfState => {
    const where = `states[${index}]`;
    const body: Record<string, unknown> = {};
    if (record) {
      if (!isRecord(step.state)) throw new ItfError(`ITF: ${where} is not a record but the initial state is; every state must have the same shape`);
      for (const k of Object.keys(step.state)) {
        if (!vars.includes(k)) throw new ItfError(`ITF: ${where} has variable '${k}' that the initial state lacks; every state must have the same keys`);
      }
      for (const k of vars) {
        if (!Object.prototype.hasOwnProperty.call(step.state, k)) throw new ItfError(`ITF: ${where} lacks variable '${k}'; every state must have the same keys`);
        body[k] = encodeValue(step.state[k], `${where}.${k}`);
      }
    } else {
      body[STATE_VAR] = encodeValue(step.state, `${where}.${STATE_VAR}`);
    }
    if (index === 0) {
      return { '#meta': { index }, ...body, [ACTION_TAKEN]: 'init', [NONDET_PICKS]: {} };
    }
    const a = step.action as A;
    const asRecord = isRecord(a) && typeof a.kind === 'string';
    const picks: Record<string, ItfValue> = {};
    if (asRecord) {
      for (const k of Object.keys(a)) if (k !== 'kind') picks[k] = { tag: 'Some', value: encodeValue(a[k], `${where} action.${k}`) };
    } else {
      picks.action = { tag: 'Some', value: encodeValue(a, `${where} action`) };
    }
    return {
      '#meta': { index, action: printer.format(a), ...(asRecord ? {} : { actionForm: 'value' as const }) },
      ...body,
      [ACTION_TAKEN]: asRecord ? (a.kind as string) : printer.kind(a),
      [NONDET_PICKS]: picks,
    };
  });
  return { '#meta': meta, vars: [...vars, ACTION_TAKEN, NONDET_PICKS], states };
}

/**
 * The ITF text of a trace (byte-identical across runs): JSON indented by two spaces, except that a
 * list or object that fits in `width` characters stays on one line (`{ "#bigint": "0" }` would
 * otherwise take three), and a final newline.
 */
export function itfToJson(itf: ItfTrace, width = 100): string {
  return `${layoutJson(itf, '', width)}\n`;
}

function layoutJson(v: unknown, indent: string, width: number): string {
  const flat = JSON.stringify(v);
  if (v === null || typeof v !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + layoutJson(x, inner, width)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${layoutJson(x, inner, width)}`).join(',\n')}\n${indent}}`;
}

/** Encodes one plain value; throws ItfError naming the path of a value ITF cannot carry. */
export function encodeValue(v: unknown, where: string): ItfValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new ItfError(`ITF: ${where} is ${v}; ITF carries integers only (no fractions, NaN or infinities)`);
    return { '#bigint': String(Object.is(v, -0) ? 0 : v) };
  }
  if (Array.isArray(v)) return v.map((x, i) => encodeValue(x, `${where}[${i}]`));
  if (isRecord(v)) {
    const out: Record<string, ItfValue> = {};
    for (const k of Object.keys(v)) {
      if (k.startsWith('#')) throw new ItfError(`ITF: ${where} has key '${k}'; ITF reserves keys that start with '#'`);
      out[k] = encodeValue(v[k], `${where}.${k}`);
    }
    return out;
  }
  const what = v === null ? 'null' : v === undefined ? 'undefined' : v instanceof Uint8Array ? 'a Uint8Array' : typeof v;
  throw new ItfError(`ITF: ${where} is ${what}; ITF carries integers, strings, booleans, lists and records only (encode it as one of those in the model)`);
}

/** One decoded step. */
export interface DecodedStep {
  readonly index: number;
  readonly state: unknown;
  /** The action that led here (absent on the initial state). */
  readonly action?: unknown;
  /** The action as printed by the writer (`#meta.action`). */
  readonly actionText?: string;
}

/** A decoded ITF trace: its `#meta` and plain states and actions. */
export interface DecodedTrace {
  readonly meta: ItfMeta;
  readonly steps: readonly DecodedStep[];
}

/** Decodes an ITF trace written by `toItf` (JSON text or parsed), validating its shape; throws ItfError with a one-line message. */
export function fromItf(input: unknown): DecodedTrace {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input) as unknown;
    } catch (e) {
      throw new ItfError(`ITF: not JSON (${(e as Error).message.split('\n')[0]}); pass the text of a .itf.json file`);
    }
  }
  if (!isRecord(json)) throw new ItfError('ITF: the trace must be a JSON object with #meta, vars and states');
  const meta = json['#meta'];
  if (!isRecord(meta)) throw new ItfError('ITF: #meta is missing or not an object; grantcheck traces carry #meta with the design, configuration and property');
  if (meta.source !== 'grantcheck') throw new ItfError(`ITF: #meta.source is ${JSON.stringify(meta.source)}, not "grantcheck"; only traces written by grantcheck can be replayed`);
  const version = meta['grantcheck-format'];
  if (typeof version !== 'number' || version > ITF_FORMAT_VERSION) {
    throw new ItfError(`ITF: #meta.grantcheck-format is ${JSON.stringify(version)}; this grantcheck reads format ${ITF_FORMAT_VERSION} and older: upgrade grantcheck`);
  }
  for (const k of ['design', 'config', 'modelVersion', 'property', 'kind', 'clause', 'path'] as const) {
    if (meta[k] !== undefined && typeof meta[k] !== 'string') throw new ItfError(`ITF: #meta.${k} must be a string`);
  }
  const form = meta.stateForm;
  if (form !== 'record' && form !== 'value') throw new ItfError(`ITF: #meta.stateForm must be "record" or "value", got ${JSON.stringify(form)}`);
  const vars = json.vars;
  if (!Array.isArray(vars) || !vars.every((x) => typeof x === 'string')) throw new ItfError('ITF: vars must be a list of variable names');
  const stateVars = (vars as string[]).filter((x) => x !== ACTION_TAKEN && x !== NONDET_PICKS);
  if (form === 'value' && (stateVars.length !== 1 || stateVars[0] !== STATE_VAR)) throw new ItfError(`ITF: stateForm "value" needs exactly one variable, '${STATE_VAR}'`);
  const states = json.states;
  if (!Array.isArray(states) || states.length === 0) throw new ItfError('ITF: states must be a non-empty list (the initial state first)');
  const steps = states.map((raw: unknown, i): DecodedStep => {
    const where = `states[${i}]`;
    if (!isRecord(raw)) throw new ItfError(`ITF: ${where} is not an object`);
    const sm = raw['#meta'];
    if (!isRecord(sm) || sm.index !== i) throw new ItfError(`ITF: ${where}.#meta.index must be ${i}`);
    const values: Record<string, unknown> = {};
    for (const k of stateVars) {
      if (!Object.prototype.hasOwnProperty.call(raw, k)) throw new ItfError(`ITF: ${where} lacks variable '${k}' (listed in vars)`);
      values[k] = decodeValue(raw[k], `${where}.${k}`);
    }
    const state = form === 'record' ? values : values[STATE_VAR];
    if (i === 0) return { index: 0, state };
    const kind = raw[ACTION_TAKEN];
    if (typeof kind !== 'string') throw new ItfError(`ITF: ${where} has no ${ACTION_TAKEN}; every step after the first records its action`);
    const picks = raw[NONDET_PICKS];
    if (!isRecord(picks)) throw new ItfError(`ITF: ${where}.${NONDET_PICKS} must be an object of the action's parameters`);
    const params: Record<string, unknown> = {};
    for (const k of Object.keys(picks)) params[k] = decodePick(picks[k], `${where}.${NONDET_PICKS}.${k}`);
    let action: unknown;
    if (sm.actionForm === 'value') {
      if (!('action' in params)) throw new ItfError(`ITF: ${where} has actionForm "value" but no pick 'action'`);
      action = params.action;
    } else {
      action = { kind, ...params };
    }
    if (sm.action !== undefined && typeof sm.action !== 'string') throw new ItfError(`ITF: ${where}.#meta.action must be a string`);
    return { index: i, state, action, ...(typeof sm.action === 'string' ? { actionText: sm.action } : {}) };
  });
  return { meta: meta as unknown as ItfMeta, steps };
}

/** A pick: Quint's option variant `{tag: "Some", value}`; `None` has no value here. */
function decodePick(v: unknown, where: string): unknown {
  if (!isRecord(v) || v.tag !== 'Some' || !('value' in v)) throw new ItfError(`ITF: ${where} must be {"tag": "Some", "value": ...}`);
  return decodeValue(v.value, where);
}

/** Decodes one ITF value into plain data; throws ItfError naming the path of a value grantcheck states cannot hold. */
export function decodeValue(v: unknown, where: string): unknown {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new ItfError(`ITF: ${where} is ${v}; integers only`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => decodeValue(x, `${where}[${i}]`));
  if (isRecord(v)) {
    if ('#bigint' in v) {
      const s = v['#bigint'];
      if (typeof s !== 'string' || !/^-?[0-9]+$/.test(s)) throw new ItfError(`ITF: ${where} has a malformed #bigint ${JSON.stringify(s)}`);
      const n = Number(s);
      if (!Number.isSafeInteger(n)) throw new ItfError(`ITF: ${where} is ${s}, beyond the integers a JavaScript number holds exactly`);
      return n;
    }
    if ('#tup' in v || '#set' in v) {
      const xs = v['#tup'] ?? v['#set'];
      if (!Array.isArray(xs)) throw new ItfError(`ITF: ${where} has a malformed #tup/#set`);
      return xs.map((x, i) => decodeValue(x, `${where}[${i}]`));
    }
    const special = Object.keys(v).find((k) => k.startsWith('#'));
    if (special !== undefined) throw new ItfError(`ITF: ${where} is a ${special} value; grantcheck states hold only integers, strings, booleans, lists and records`);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = decodeValue(v[k], `${where}.${k}`);
    return out;
  }
  throw new ItfError(`ITF: ${where} is ${v === null ? 'null' : typeof v}; ITF has no such value`);
}
