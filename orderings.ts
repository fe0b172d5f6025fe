/**
 * Teardown-order synthesis: check a design under every ordering of one of its teardown sequences
 * (exit_mmap or munmap; or every linear extension of a partial order), and derive the precedence
 * constraints that separate the safe orderings from the unsafe ones.
 *
 * Work is shared: one exploration of a combined model in which the sequence's steps are chosen as
 * they run, in an order shared by every process (State.chosenOrder). A state belongs to every
 * ordering that extends its chosen prefix, so common prefixes are explored once. Each property is
 * wrapped to record the prefixes at which it fails instead of stopping; an ordering is unsafe for a
 * property exactly when some recorded prefix is a prefix of it. Then, for each unsafe ordering, a
 * breadth-first search of the design with that fixed order gives its shortest counterexample.
 */
import { check, deriveConstraints, linearExtensions, type Constraint, type Derivation, type Property } from './explorer/index.js';
import { configByName, designByName, CatalogError } from './catalog.js';
import { grantModel, isFinal, type Action, type Design, type ModelConfig, type State, type TeardownStep } from './model/index.js';
import { propertiesFor } from './properties/index.js';

/** The teardown sequences a design has. */
export type SequenceName = 'exit_mmap' | 'munmap';

/** What to check. */
export interface OrderingsOptions {
  readonly design: string;
  readonly sequence: SequenceName;
  /** @defaultValue the design's default configuration */
  readonly config?: string;
  /** Precedences to keep ([a, b]: a before b): only the linear extensions are checked. */
  readonly keep?: readonly (readonly [string, string])[];
  /** Called with a line of progress now and then. */
  readonly onProgress?: (line: string) => void;
}

/** One ordering's outcome. */
export interface OrderingOutcome {
  readonly order: readonly TeardownStep[];
  readonly status: 'holds' | 'violated';
  /** The properties it breaks (empty when it holds). */
  readonly violated: readonly string[];
  /**
   * A shortest counterexample to the first violated property: its actions, which replay on the
   * design with this fixed order (`withOrder`, then `pathOfActions`).
   */
  readonly counterexample?: { readonly property: string; readonly length: number; readonly actions: readonly Action[] };
}

/** The whole answer. */
export interface OrderingsResult {
  readonly design: string;
  readonly config: string;
  readonly sequence: SequenceName;
  readonly steps: readonly TeardownStep[];
  readonly keep: readonly (readonly [string, string])[];
  readonly orderings: readonly OrderingOutcome[];
  /** Constraints separating orderings that hold every property from the others. */
  readonly overall: Derivation;
  /** The same, per violated property. */
  readonly perProperty: readonly { readonly property: string; readonly derivation: Derivation }[];
  /** True when the combined exploration (and every counterexample search) was exhaustive. */
  readonly exhaustive: boolean;
  readonly stats: {
    readonly combinedStates: number;
    readonly combinedGenerated: number;
    readonly combinedMs: number;
    readonly counterexampleSearches: number;
    readonly counterexampleMs: number;
    readonly durationMs: number;
  };
}

/** Raised for an option that cannot be run (a step not in the sequence, a cyclic keep). */
export class OrderingsError extends Error {
  override readonly name = 'OrderingsError';
}

const prefixKey = (o: readonly string[]) => o.join(',');

/** Runs the synthesis. */
export function checkOrderings(options: OrderingsOptions): OrderingsResult {
  const t0 = performance.now();
  const design = designByName(options.design);
  const config = options.config ? configByName(options.config) : configByName(design.defaultConfig);
  const steps = options.sequence === 'exit_mmap' ? design.exitSteps : options.sequence === 'munmap' ? design.munmapSteps : undefined;
  if (!steps) throw new OrderingsError(`unknown sequence '${String(options.sequence)}'; use exit_mmap or munmap`);
  const keep = options.keep ?? [];
  for (const [a, b] of keep) {
    for (const x of [a, b]) if (!steps.includes(x as TeardownStep)) throw new OrderingsError(`--keep names '${x}', which is not a step of ${options.sequence} (${steps.join(', ')})`);
  }
  const space = linearExtensions(steps, keep) as TeardownStep[][];
  if (space.length === 0) throw new OrderingsError(`the kept precedences ${keep.map(([a, b]) => `${a}<${b}`).join(', ')} contradict each other: no ordering satisfies them`);

  // 1. The combined model: the sequence's steps run in any (shared) order; properties record failing prefixes.
  const combined: Design = { ...design, dynamicOrder: { sequence: options.sequence === 'exit_mmap' ? 'exit' : 'munmap', keep: keep as readonly (readonly [TeardownStep, TeardownStep])[] } };
  const failing = new Map<string, Set<string>>();
  const record = (name: string, t: State) => {
    let set = failing.get(name);
    if (!set) failing.set(name, (set = new Set()));
    set.add(prefixKey(t.chosenOrder ?? []));
  };
  const base = propertiesFor({ design: combined, config });
  const wrapped: Property<State, Action>[] = base.flatMap((p): Property<State, Action>[] => {
    switch (p.kind) {
      case 'always':
        return [{ ...p, holds: (s: State) => (p.holds(s) === true || record(p.name, s), true) }];
      case 'atQuiescence':
        return [{ ...p, holds: (s: State) => (p.holds(s) === true || record(p.name, s), true) }];
      case 'step':
        return [{ ...p, holds: (s: State, a: Action, t: State) => (p.holds(s, a, t) === true || record(p.name, t), true) }];
      case 'sometimes':
        return [];
    }
  });
  // deadlock: a terminal state in which a process is still alive
  wrapped.push({ kind: 'atQuiescence', name: 'deadlock', holds: (s: State) => (isFinal(s) || record('deadlock', s), true) });
  const model = grantModel(combined, config, wrapped);
  const tc = performance.now();
  const combinedResult = check(model, {
    checkDeadlock: false,
    ...(options.onProgress ? { onProgress: (p: { distinctStates: number; depth: number; queue: number }) => options.onProgress!(`combined model: ${p.distinctStates} distinct states, depth ${p.depth}, queue ${p.queue}`), progressIntervalMs: 5000 } : {}),
  });
  const combinedMs = performance.now() - tc;
  options.onProgress?.(`combined model explored: ${combinedResult.stats.distinctStates} distinct states in ${(combinedMs / 1000).toFixed(1)} s`);

  // 2. Per ordering: which properties fail on some prefix of it.
  const violatedBy = (order: readonly string[]) =>
    [...failing.entries()]
      .filter(([, prefixes]) => order.some((_, k) => prefixes.has(prefixKey(order.slice(0, k)))) || prefixes.has(prefixKey(order)))
      .map(([name]) => name)
      .sort(byPropertyOrder(base.map((p) => p.name)));

  // 3. Shortest counterexamples. A counterexample found with a given chosen prefix is valid for
  //    every ordering that extends it, so one search per (property, minimal failing prefix) serves
  //    all of them: a BFS of the combined model restricted to extensions of that prefix, stopped at
  //    the first violation. Its actions replay on the design with any such fixed order.
  const tx = performance.now();
  let searches = 0;
  let allExhaustive = combinedResult.exhaustive;
  const seqKind = options.sequence === 'exit_mmap' ? 'exit' : 'munmap';
  const groupCache = new Map<string, { length: number; actions: readonly Action[] } | null>();
  const searchPrefix = (property: string, prefix: readonly TeardownStep[]) => {
    const k = `${property}|${prefixKey(prefix)}`;
    if (groupCache.has(k)) return groupCache.get(k)!;
    searches++;
    const forced: [TeardownStep, TeardownStep][] = [...keep.map(([a, b]) => [a, b] as [TeardownStep, TeardownStep])];
    for (let i = 0; i + 1 < prefix.length; i++) forced.push([prefix[i]!, prefix[i + 1]!]);
    const lastOfPrefix = prefix[prefix.length - 1];
    if (lastOfPrefix) for (const x of steps) if (!prefix.includes(x)) forced.push([lastOfPrefix, x]);
    const restricted: Design = { ...design, dynamicOrder: { sequence: seqKind, keep: forced } };
    const props = propertiesFor({ design: restricted, config }).filter((p) => p.name === property);
    const m = grantModel(restricted, config, props);
    const r = check(m, { checkDeadlock: property === 'deadlock', stopAtFirstViolation: true });
    const v = r.violations.find((x) => x.property === property);
    const found = v ? { length: v.length, actions: v.trace.slice(1).map((st) => st.action!) } : null;
    if (!v) allExhaustive = false;
    groupCache.set(k, found);
    return found;
  };
  const minimalFailingPrefixes = (property: string, order: readonly TeardownStep[]) => {
    const prefixes = failing.get(property)!;
    const out: (readonly TeardownStep[])[] = [];
    for (let k = 0; k <= order.length; k++) if (prefixes.has(prefixKey(order.slice(0, k)))) out.push(order.slice(0, k));
    return out;
  };
  const orderings: OrderingOutcome[] = space.map((order) => {
    const violated = violatedBy(order);
    if (violated.length === 0) return { order, status: 'holds', violated };
    const property = violated[0]!;
    let best: { length: number; actions: readonly Action[] } | null = null;
    for (const prefix of minimalFailingPrefixes(property, order)) {
      const c = searchPrefix(property, prefix);
      if (c && (!best || c.length < best.length)) best = c;
    }
    if (!best) return { order, status: 'violated', violated };
    return { order, status: 'violated', violated, counterexample: { property, length: best.length, actions: best.actions } };
  });
  const counterexampleMs = performance.now() - tx;

  // 4. The constraints.
  const outcome = new Map(orderings.map((o) => [prefixKey(o.order), o]));
  const overall = deriveConstraints(space, (o) => outcome.get(prefixKey(o))!.status === 'holds');
  const properties = [...new Set(orderings.flatMap((o) => o.violated))];
  const perProperty = properties.map((property) => ({ property, derivation: deriveConstraints(space, (o) => !outcome.get(prefixKey(o))!.violated.includes(property)) }));

  return {
    design: design.name,
    config: config.name,
    sequence: options.sequence,
    steps,
    keep,
    orderings,
    overall,
    perProperty,
    exhaustive: allExhaustive,
    stats: {
      combinedStates: combinedResult.stats.distinctStates,
      combinedGenerated: combinedResult.stats.generatedStates,
      combinedMs: Math.round(combinedMs),
      counterexampleSearches: searches,
      counterexampleMs: Math.round(counterexampleMs),
      durationMs: Math.round(performance.now() - t0),
    },
  };
}

/** The design with one sequence in a fixed order. */
export function withOrder(design: Design, sequence: SequenceName, order: readonly TeardownStep[]): Design {
  return sequence === 'exit_mmap' ? { ...design, exitSteps: order } : { ...design, munmapSteps: order };
}

function byPropertyOrder(names: readonly string[]) {
  const rank = (n: string) => {
    const i = names.indexOf(n);
    return i < 0 ? names.length : i;
  };
  return (a: string, b: string) => rank(a) - rank(b);
}

/** The result as text: every ordering with its outcome, then the constraints the data proves. */
export function formatOrderings(r: OrderingsResult): string {
  const out: string[] = [];
  out.push(`Orderings of ${r.sequence} for ${r.design} on configuration ${r.config}: ${r.orderings.length} orderings${r.keep.length ? ` keeping ${r.keep.map(([a, b]) => `${a} < ${b}`).join(', ')}` : ''}`);
  out.push(`  ${r.exhaustive ? 'every ordering checked exhaustively within the configuration' : 'NOT exhaustive (a bound was hit)'}; combined model ${r.stats.combinedStates.toLocaleString('en-US')} distinct states`);
  const width = Math.max(...r.orderings.map((o) => o.order.join(' < ').length));
  for (const o of r.orderings) {
    const what = o.status === 'holds' ? 'holds' : `${o.violated.join(', ')}${o.counterexample ? ` (counterexample of ${o.counterexample.length} steps)` : ''}`;
    out.push(`  ${o.order.join(' < ').padEnd(width)}  ${what}`);
  }
  out.push(`Every property: ${r.overall.summary}.`);
  for (const p of r.perProperty) out.push(`${p.property}: ${p.derivation.summary}.`);
  return out.join('\n') + '\n';
}

export type { Constraint };
export { CatalogError };
export type { ModelConfig };
