/**
 * The catalog: joins the model's designs and configurations with the properties. What the CLI,
 * the tests and users' design files build models from.
 */
import type { DecodedTrace, ItfTypes } from './counterexamples/index.js';
import { always, check, fingerprint, type CheckOptions, type GuardedModel, type Property } from './explorer/index.js';
import { DesignError, designSourceOf, extensionOf, patchOf } from './extend.js';
import { configs, contextOf, designNamed, designs, grantModel, stateSymmetry, validateConfig, type Action, type Design, type ModelConfig, type State } from './model/index.js';
import { PROPERTIES, propertiesFor } from './properties/index.js';

/**
 * The grant model of a design under a configuration, with the properties that apply to it. A
 * design built with `defineDesign` brings its patch: rules and candidate actions, and properties
 * (its invariants after the model's, its witnesses after the model's witnesses).
 */
export function modelOf(design: Design, config: ModelConfig, options: ModelOptions = {}): GuardedModel<State, Action> {
  const extension = extensionOf(design);
  const ctx = contextOf(design, config, extension);
  const patch = patchOf(design);
  const own = propertiesFor(ctx);
  let properties: Property<State, Action>[] = own;
  if (patch?.properties) {
    const extra = [...patch.properties(ctx)];
    for (const p of extra) {
      if (!p || typeof p !== 'object' || typeof p.name !== 'string') throw new DesignError(`design '${design.name}': properties() must return properties built with always, actionProperty, atQuiescence or sometimes`);
      if (own.some((q) => q.name === p.name)) throw new DesignError(`design '${design.name}': property '${p.name}' is already a property of the model; give yours another name`);
    }
    const witness = (p: Property<State, Action>) => p.kind === 'sometimes';
    properties = [...own.filter((p) => !witness(p)), ...extra.filter((p) => !witness(p)), ...own.filter(witness), ...extra.filter(witness)];
  }
  const built = grantModel(design, config, properties, extension);
  const model = options.symmetry ? { ...built, idSymmetry: stateSymmetry(config) } : built;
  // another thread (a worker of the parallel search) builds the same model from where the design comes from
  const source = designSourceOf(design);
  return source ? { ...model, worker: { module: new URL('./designFile.js', import.meta.url).href, exportName: 'modelFromSource', args: [source, config, options] } } : model;
}

/** How the grant model is built beyond its design and configuration. */
export interface ModelOptions {
  /**
   * Declare the state's symmetries (interchangeable processes, maps and files: model/layout.ts
   * `stateSymmetry`), so that the search identifies states that differ only by a renaming of
   * them. Fewer states; the same verdicts and counterexample lengths. @defaultValue false
   */
  readonly symmetry?: boolean;
}

/** What a design reaches on a configuration within bounds, for comparing a patch with its base. */
export interface Reach {
  /** Distinct states, and their fingerprints with the ghost variables left out (the base has none). */
  readonly states: number;
  readonly fingerprints: ReadonlySet<string>;
  /** Transitions by action kind: generated, and those that found a new state (kinds never taken left out). */
  readonly transitions: Readonly<Record<string, { readonly generated: number; readonly distinct: number }>>;
  /** Every reachable state within maxDepth was explored (no bound hit). */
  readonly exhaustive: boolean;
}

/**
 * Explores a design on a configuration within `bounds` (a search of its own, properties left
 * out) and records what it reaches: the states, their fingerprints without ghost variables, and
 * the transitions by action kind.
 */
export function reachOf(design: Design, config: ModelConfig, bounds: Pick<CheckOptions, 'maxStates' | 'maxDepth' | 'timeLimitMs' | 'stopSignal' | 'onProgress'> = {}): Reach {
  const fingerprints = new Set<string>();
  const record = always<State>('states reached', (s) => {
    const { ghost: _ghost, ...kernel } = s;
    fingerprints.add(fingerprint(kernel));
    return true;
  });
  const r = check(grantModel(design, config, [record], extensionOf(design)), { ...bounds, checkDeadlock: false });
  const transitions: Record<string, { generated: number; distinct: number }> = {};
  for (const c of r.coverage) if (c.generated > 0) transitions[c.action] = { generated: c.generated, distinct: c.distinct };
  return { states: r.stats.distinctStates, fingerprints, transitions, exhaustive: r.exhaustive };
}

/** Whether two searches took the same transitions, kind by kind (generated, and new states found). */
export function sameTransitions(a: Reach['transitions'], b: Reach['transitions']): boolean {
  const kinds = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of kinds) {
    const x = a[k];
    const y = b[k];
    if (x?.generated !== y?.generated || x?.distinct !== y?.distinct) return false;
  }
  return true;
}

/** Whether two searches reached the same states (ghost variables aside) by the same transitions, kind by kind. */
export function sameReach(a: Reach, b: Reach): boolean {
  if (a.states !== b.states || a.fingerprints.size !== b.fingerprints.size) return false;
  for (const f of a.fingerprints) if (!b.fingerprints.has(f)) return false;
  return sameTransitions(a.transitions, b.transitions);
}

/** Raised for an unknown design or configuration name; the message names the choices. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** Looks up a design by name, or throws a CatalogError listing the names. */
export function designByName(name: string): Design {
  const d = designNamed(name);
  if (!d) throw new CatalogError(`unknown design '${name}'; run 'grantcheck designs' to list them (${designs.map((x) => x.name).join(', ')})`);
  return d;
}

/** Looks up a configuration by name, or throws a CatalogError listing the names. */
export function configByName(name: string): ModelConfig {
  const c = configs[name];
  if (!c) throw new CatalogError(`unknown configuration '${name}'; known: ${Object.keys(configs).join(', ')}`);
  return c;
}

/** The design's default configuration. */
export function defaultConfigOf(design: Design): ModelConfig {
  return configByName(design.defaultConfig);
}

/**
 * How the grant model's state reads entity by entity, for diffs, trace graphs and text traces
 * (`labelGrouping(grantEntityLabels)`): `#` stands for the array index.
 */
export const grantEntityLabels: Readonly<Record<string, string>> = {
  grants: 'grant #',
  handles: 'Xen maptrack',
  procs: 'process #',
  files: 'file #',
  maps: 'map #',
  inflight: 'async unmaps',
};

/**
 * The entity labels of a design's traces: the model's, and its ghost variables (a design file's
 * own state) under the design's name.
 */
export function entityLabelsOf(design: Design): Readonly<Record<string, string>> {
  return { ...grantEntityLabels, ghost: design.name };
}

/**
 * The parts of the grant model's state that a design on a configuration does not have, as generic
 * paths (`procs[*].smmu`): they keep their initial value in every reachable state, so traces leave
 * them out where they print values whole (a gntdev design's trace does not show gntalloc's fields).
 * Each rule names the variation point or constant that removes the mechanism; a test explores
 * every design and checks that each part it names never changes. A design whose patch replaces
 * rules or adds actions could touch anything: nothing is left out for it.
 */
export function absentStateParts(design: Design, config: ModelConfig): string[] {
  if (extensionOf(design)) return [];
  const out: string[] = [];
  const add = (when: boolean, ...paths: string[]) => {
    if (when) out.push(...paths);
  };
  add(config.gntalloc === undefined, 'alloc');
  add(config.maxFiles === 0, 'files', 'maps', 'handles', 'inflight', 'procs[*].fds', 'procs[*].ptes[*].map', 'procs[*].ptes[*].slot');
  add(config.maxFiles === 0 && !config.granterActs, 'grants');
  add(config.maxFiles > 0 && design.unmapWait !== 'async', 'inflight');
  add(config.secondary === 'none', 'procs[*].smmu');
  add(config.pins === 0, 'holders', 'maps[*].slots[*].page.pins');
  add(!(design.m2pOverride && design.pv), 'overrides');
  add(!design.pv, 'procs[*].pgdPinned', 'procs[*].l1[*].pinned');
  add(!design.setsHasForeignMappings, 'procs[*].hasForeignMappings');
  add(design.unpinGrantPtes !== 'shadow-teardown', 'procs[*].l1[*].shadow');
  add(!design.specialPtes, 'procs[*].ptes[*].special');
  add(design.kunmap !== 'two-step', 'maps[*].slots[*].page.kmapGap');
  add(design.notifier !== 'per-map', 'maps[*].notifier');
  add(!design.hasUnmapNotify || !config.unmapNotify, 'maps[*].notify');
  // read-side calls in steps, and the copy of map->unmap_data they race on, exist only with readSide > 0
  add(config.readSide === 0, 'procs[*].readers');
  add(config.readSide === 0 || design.unmapWait !== 'async', 'maps[*].unmapOffset', 'maps[*].unmapCount');
  return out;
}

/**
 * What the grant model's lists are in ITF (`toItf`'s `types`): `map` for a list whose position is
 * the id of what it holds (grants[ref], procs[p], maps[m], ptes[va], fds[f], ...), written as a
 * `#map` from id to value, as a TLA+ function or a Quint map reads it; `set` for a list whose order
 * follows from its elements (the maptrack sorted by (map, slot, kind), VMAs sorted by start, a
 * file's maps sorted by index, remote mappings sorted by (dom, ref)); `list` for a list whose order
 * is history (submission, creation, insertion order, or positions that shift when an element
 * goes). The grant model has no tuples. Every list of the state is declared here (a test checks
 * it), so that a new one needs a decision.
 */
export const grantItfTypes: ItfTypes = {
  grants: 'map',
  handles: 'set',
  procs: 'map',
  'procs[].l1': 'map',
  'procs[].ptes': 'map',
  'procs[].vmas': 'set',
  'procs[].fds': 'map',
  'procs[].op.detached': 'list',
  'procs[].smmu.sptes': 'list',
  'procs[].readers': 'list',
  'procs[].readers[].runs': 'list',
  files: 'map',
  'files[].maps': 'set',
  'files[].freeable': 'list',
  maps: 'map',
  'maps[].refs': 'map',
  'maps[].slots': 'map',
  inflight: 'list',
  holders: 'list',
  overrides: 'list',
  'alloc.pages': 'map',
  'alloc.gnttab': 'map',
  'alloc.remote': 'set',
  'alloc.files': 'map',
  'alloc.files[].list': 'list',
  'alloc.files[].fds': 'map',
  'alloc.grefs': 'map',
  'alloc.grefList': 'list',
  'alloc.vmPrivs': 'map',
  'alloc.vmPrivs[].grefs': 'list',
  'alloc.adding': 'list',
  'alloc.adding[].grefs': 'list',
  'alloc.deferred': 'list',
  'alloc.kmalloc': 'list',
  'alloc.leaked': 'list',
  'alloc.delGref.queue': 'list',
  'alloc.delGref.then': 'list',
  'alloc.delGref.done': 'list',
};

type ParameterOf<A> = A extends unknown ? Exclude<keyof A, 'kind'> : never;

/** Every parameter of every action kind of the grant model; the compiler checks that none is missing. */
const ACTION_PARAMETERS: Readonly<Record<ParameterOf<Action>, true>> = {
  p: true,
  file: true,
  driver: true,
  count: true,
  map: true,
  va: true,
  fail: true,
  kmallocFails: true,
  start: true,
  end: true,
  offset: true,
  h: true,
  ref: true,
  dom: true,
  index: true,
  pgoff: true,
  step: true,
  held: true,
  r: true,
  to: true,
};

/** The grant model's action parameters, sorted: the record `mbt::nondetPicks` of every ITF state (`toItf`'s `parameters`). */
export const grantActionParameters: readonly string[] = Object.keys(ACTION_PARAMETERS).sort();

/** A configuration's constants, as ITF params: every field but its name. */
export function configParams(config: ModelConfig): Readonly<Record<string, unknown>> {
  const { name: _name, ...constants } = config;
  return constants;
}

/**
 * What `toItf` needs to write a grant-model trace that replays on its own: the design and
 * configuration names, the constants as params, the declared types and the action parameters.
 */
export function grantItfOptions(design: Design, config: ModelConfig): { design: string; config: string; params: Readonly<Record<string, unknown>>; types: ItfTypes; parameters: readonly string[] } {
  return { design: design.name, config: config.name, params: configParams(config), types: grantItfTypes, parameters: grantActionParameters };
}

/**
 * The configuration a grantcheck trace was written on: `#meta.config` with the constants of its
 * params (or, in traces of format 1, `#meta.configConstants`); undefined when it records none.
 * Throws a CatalogError naming what does not fit a configuration.
 */
export function configOfTrace(trace: DecodedTrace): ModelConfig | undefined {
  const name = trace.meta.config ?? 'trace';
  let raw: Readonly<Record<string, unknown>> | undefined;
  let where: string;
  if (trace.meta.source === 'grantcheck' && trace.paramNames.length > 0) {
    raw = { name, ...trace.params };
    where = "the trace's params";
  } else {
    const c = trace.meta.configConstants;
    if (c === undefined) return undefined;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new CatalogError("the trace's #meta.configConstants is not a configuration");
    raw = { ...(c as Record<string, unknown>), name: (c as { name?: unknown }).name ?? name };
    where = "the trace's #meta.configConstants";
  }
  const shape = (model: Readonly<Record<string, unknown>>, value: Readonly<Record<string, unknown>>, prefix: string): string | undefined => {
    for (const [k, m] of Object.entries(model)) {
      const v = value[k];
      if (Array.isArray(m) ? !Array.isArray(v) : typeof v !== typeof m) return `${prefix}${k} is ${v === undefined ? 'missing' : JSON.stringify(v)}`;
    }
    const extra = Object.keys(value).find((k) => !(k in model) && !(k === 'gntalloc' && prefix === ''));
    return extra === undefined ? undefined : `${prefix}${extra} is not a constant of the model`;
  };
  const reference = configs.small!;
  const alloc = configs['alloc-small']!.gntalloc!;
  const why =
    shape(reference as unknown as Record<string, unknown>, raw, '') ??
    (raw.gntalloc === undefined ? undefined : typeof raw.gntalloc !== 'object' || raw.gntalloc === null ? 'gntalloc is not a record' : shape(alloc as unknown as Record<string, unknown>, raw.gntalloc as Record<string, unknown>, 'gntalloc.'));
  if (why !== undefined) throw new CatalogError(`${where}: ${why}`);
  const config = raw as unknown as ModelConfig;
  try {
    validateConfig(config);
  } catch (e) {
    throw new CatalogError(`${where}: ${(e as Error).message}`);
  }
  return config;
}

/**
 * Short names of the properties, for table columns and the command line (`--property INV-5`,
 * `grantcheck explain users`), from the property records; `deadlock` is the explorer's own check.
 * A property missing here (a design file's) is shown by the `INV-n` it starts with, or by its
 * full name.
 */
export const propertyShortNames: Readonly<Record<string, string>> = {
  ...Object.fromEntries(PROPERTIES.map((r) => [r.name, r.short])),
  deadlock: 'deadlock',
};

/** The short name of a property (`INV-2q`), for tables. */
export function shortNameOf(property: string): string {
  return propertyShortNames[property] ?? /^INV-\d+\b/.exec(property)?.[0] ?? property;
}

/**
 * The property `query` names among `names`: its full name, its short name (`INV-5`, `users`), or
 * the one name that starts with it (case-insensitive). Throws a CatalogError listing the choices.
 */
export function resolveProperty(query: string, names: readonly string[]): string {
  if (names.includes(query)) return query;
  const q = query.trim().toLowerCase();
  const byShort = names.filter((n) => shortNameOf(n).toLowerCase() === q);
  if (byShort.length === 1) return byShort[0]!;
  const byPrefix = names.filter((n) => n.toLowerCase().startsWith(q));
  if (byPrefix.length === 1) return byPrefix[0]!;
  const list = names.map(shortNameOf).join(', ');
  if (byPrefix.length > 1) throw new CatalogError(`property '${query}' is ambiguous: it could be ${byPrefix.map((n) => `'${n}'`).join(' or ')}; give its short name (${byPrefix.map(shortNameOf).join(', ')}) or full name`);
  throw new CatalogError(`unknown property '${query}'; give one of ${list} (full names: grantcheck explain --list)`);
}

export { designs, configs };
