/**
 * Teardown-order synthesis: check a design under every ordering of one of its sequences (exit_mmap,
 * munmap, or gntalloc's __del_gref; or every linear extension of a partial order), and derive the
 * precedence constraints that separate the safe orderings from the unsafe ones.
 *
 * Work is shared (a featured transition system, Classen et al., ICSE 2010): one breadth-first
 * family search (explorer/family.ts) over the design with the sequence's steps free to run in any
 * order (Design.dynamicOrder), one variant per ordering. In a state, a step is allowed to exactly
 * the variants that have it next; every other action is allowed to all. A state is stored once
 * with the set of variants that reach it, so what the orderings share (every prefix before the
 * sequence diverges, and every state two orderings both reach) is explored once. The search
 * reports, per (property, variant), the shortest violation: the same answer as one exhaustive check
 * per ordering (tested against exactly that), at a fraction of the work.
 */
import { checkFamily, deriveConstraints, linearExtensions, type CheckOptions, type Constraint, type Derivation, type Progress, type Property } from './explorer/index.js';
import { configByName, designByName, modelOf, shortNameOf, CatalogError } from './catalog.js';
import { withPoints } from './extend.js';
import { DEL_GREF_STEPS, gntallocOf, type Action, type Design, type ModelConfig, type SequenceStep, type State } from './model/index.js';

/** The sequences whose orderings can be checked. */
export type SequenceName = 'exit_mmap' | 'munmap' | 'del_gref';

/** Each sequence, for help texts. */
export const SEQUENCES: Readonly<Record<SequenceName, string>> = {
  exit_mmap: "exit_mmap's teardown steps (the design's exitSteps: mmu_notifier_release, arch_exit_mmap, unmap_vmas, free_pgtables, remove_vma)",
  munmap: "munmap's steps (the design's munmapSteps: mmu_notifier_invalidate_range_start, unmap_vmas, mmu_notifier_invalidate_range_end, free_pgtables, remove_vma)",
  del_gref: "gntalloc's __del_gref: notify, revoke (gnttab_end_foreign_access), free (today's gntalloc, on a configuration with gntalloc)",
};

/** What to check. */
export interface OrderingsOptions {
  /** A built-in design's name, or a design (a design file's). */
  readonly design: string | Design;
  readonly sequence: SequenceName;
  /** @defaultValue the design's default configuration */
  readonly config?: string | ModelConfig;
  /** Precedences to keep ([a, b]: a before b): only the linear extensions are checked. */
  readonly keep?: readonly (readonly [string, string])[];
  /** Bounds of the combined exploration (the result is then not exhaustive if one is hit). */
  readonly bounds?: Pick<CheckOptions, 'maxStates' | 'maxDepth' | 'timeLimitMs'>;
  /** Progress of the family search (as `check`'s). */
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
  /** A supervisor's stop word (`stopWord()`): the family search stops at the next state and reports the bound. */
  readonly stopSignal?: Int32Array;
}

/** A shortest counterexample of one property under one ordering. */
export interface OrderingCounterexample {
  readonly property: string;
  readonly length: number;
  /** Its actions, which replay on the design with the ordering fixed (`withOrder`, then `pathOfActions`). */
  readonly actions: readonly Action[];
}

/** One ordering's outcome. */
export interface OrderingOutcome {
  readonly order: readonly string[];
  readonly status: 'holds' | 'violated';
  /** The properties it breaks (empty when it holds), in the model's order. */
  readonly violated: readonly string[];
  /** A shortest counterexample of each property it breaks, in the same order. */
  readonly counterexamples: readonly OrderingCounterexample[];
  /**
   * Some run executed the whole sequence in this order (within the bounds). An ordering that
   * holds but was never reached holds vacuously: the report says so.
   */
  readonly reached: boolean;
  /** The model's witnesses this ordering never reached (what they guard may hold vacuously in it). */
  readonly unreachedWitnesses: readonly string[];
}

/** The whole answer. */
export interface OrderingsResult {
  readonly design: string;
  readonly config: string;
  readonly sequence: SequenceName;
  /** The sequence's steps, in the design's own order. */
  readonly steps: readonly string[];
  readonly keep: readonly (readonly [string, string])[];
  /** The properties checked (and `deadlock`), in the model's order. */
  readonly properties: readonly string[];
  readonly orderings: readonly OrderingOutcome[];
  /** Constraints separating orderings that hold every property from the others. */
  readonly overall: Derivation;
  /** The same, per violated property. */
  readonly perProperty: readonly { readonly property: string; readonly derivation: Derivation }[];
  /** Per violated property, its shortest counterexample over every ordering, and that ordering (the first in the space). */
  readonly shortest: readonly (OrderingCounterexample & { readonly order: readonly string[] })[];
  /** True when the family search was exhaustive: every state of every ordering explored. */
  readonly exhaustive: boolean;
  /** The bounds of the combined exploration (empty: none). */
  readonly bounds: Readonly<Record<string, number>>;
  /** What stopped the search early, when it was not exhaustive. */
  readonly boundHit?: string;
  readonly stats: {
    /** Distinct states of the family (the union of every ordering's states). */
    readonly distinctStates: number;
    /** States expanded, once per set of orderings that newly reached them. */
    readonly expansions: number;
    readonly generatedStates: number;
    readonly depth: number;
    readonly searchMs: number;
    readonly durationMs: number;
  };
}

/** Raised for an option that cannot be run (a step not in the sequence, a cyclic keep, a sequence the design lacks). */
export class OrderingsError extends Error {
  override readonly name = 'OrderingsError';
}

const prefixKey = (o: readonly string[]) => o.join(',');

/** The steps of `sequence` in the design's own order; throws OrderingsError when the design has no such sequence. */
export function sequenceSteps(design: Design, config: ModelConfig, sequence: SequenceName): readonly SequenceStep[] {
  switch (sequence) {
    case 'exit_mmap':
      return design.exitSteps;
    case 'munmap':
      return design.munmapSteps;
    case 'del_gref': {
      if (!config.gntalloc) throw new OrderingsError(`configuration ${config.name} has no gntalloc, so __del_gref never runs; give a gntalloc configuration (e.g. --config alloc-small)`);
      const g = gntallocOf(design);
      if (g.delGref !== 'end-foreign-access') throw new OrderingsError(`design ${design.name}'s __del_gref queries before it revokes (delGref '${g.delGref}'); del_gref orderings are today's __del_gref (notify, revoke, free): use gntalloc-2022 or a design based on it`);
      return g.delGrefOrder ?? DEL_GREF_STEPS;
    }
    default:
      throw new OrderingsError(`unknown sequence '${String(sequence)}'; use ${Object.keys(SEQUENCES).join(', ')}`);
  }
}

const DYNAMIC: Readonly<Record<SequenceName, 'exit' | 'munmap' | 'del_gref'>> = { exit_mmap: 'exit', munmap: 'munmap', del_gref: 'del_gref' };

/** The design with one sequence in a fixed order (keeping a design file's patch). */
export function withOrder(design: Design, sequence: SequenceName, order: readonly string[]): Design {
  if (sequence === 'exit_mmap') return withPoints(design, { exitSteps: order as Design['exitSteps'] });
  if (sequence === 'munmap') return withPoints(design, { munmapSteps: order as Design['munmapSteps'] });
  return withPoints(design, { gntalloc: { ...gntallocOf(design), delGrefOrder: order as readonly ('notify' | 'revoke' | 'free')[] } });
}

/**
 * The steps of the sequence and the orderings to check (every linear extension of `keep`); throws
 * OrderingsError for a step not in the sequence, a step kept before itself, or contradictory precedences.
 */
export function orderingSpace(design: Design, config: ModelConfig, sequence: SequenceName, keep: readonly (readonly [string, string])[]): { readonly steps: readonly SequenceStep[]; readonly space: readonly (readonly string[])[] } {
  const steps = sequenceSteps(design, config, sequence);
  for (const [a, b] of keep) {
    for (const x of [a, b]) if (!(steps as readonly string[]).includes(x)) throw new OrderingsError(`--keep names '${x}', which is not a step of ${sequence} (${steps.join(', ')})`);
    if (a === b) throw new OrderingsError(`--keep '${a}<${b}' orders a step before itself`);
  }
  const space = linearExtensions(steps, keep);
  if (space.length === 0) throw new OrderingsError(`the kept precedences ${keep.map(([a, b]) => `${a}<${b}`).join(', ')} contradict each other: no ordering satisfies them`);
  return { steps, space };
}

/** Runs the synthesis. */
export function checkOrderings(options: OrderingsOptions): OrderingsResult {
  const t0 = performance.now();
  const design = typeof options.design === 'string' ? designByName(options.design) : options.design;
  const config = options.config === undefined ? configByName(design.defaultConfig) : typeof options.config === 'string' ? configByName(options.config) : options.config;
  const keep = options.keep ?? [];
  const { steps, space } = orderingSpace(design, config, options.sequence, keep);
  const bounds = options.bounds ?? {};

  // 1. The family: the design with the sequence's steps free to run in any order, one variant per
  //    ordering of the space; in each state a step is allowed to the variants that have it next.
  const family = withPoints(design, { dynamicOrder: { sequence: DYNAMIC[options.sequence] } });
  const n = steps.length;
  const W = (space.length + 31) >>> 5;
  const maskAt: Map<string, Uint32Array>[] = steps.map((_, k) => {
    const m = new Map<string, Uint32Array>();
    space.forEach((order, v) => {
      let b = m.get(order[k]!);
      if (!b) m.set(order[k]!, (b = new Uint32Array(W)));
      b[v >>> 5]! |= 1 << (v & 31);
    });
    return m;
  });
  const none = new Uint32Array(W);
  const seqKind = DYNAMIC[options.sequence];
  /** The position in the sequence at which action `a` would run, or -1 when it is not one of its steps. */
  const positionOf = (s: State, a: Action): number => {
    if (seqKind === 'del_gref') return a.kind === '__del_gref_step' ? s.alloc.delGref.done.length : -1;
    if (!(steps as readonly string[]).includes(a.kind) || !('p' in a)) return -1;
    const op = s.procs[a.p]?.op;
    return op && op.kind === seqKind ? op.step : -1;
  };
  const stepOf = (a: Action): string => (a.kind === '__del_gref_step' ? a.step : a.kind);
  const allows = (s: State, a: Action): Uint32Array | undefined => {
    const k = positionOf(s, a);
    return k < 0 ? undefined : (maskAt[k]?.get(stepOf(a)) ?? none);
  };
  const RAN = 'the whole sequence ran in this order';
  const base = modelOf(family, config);
  const checked = base.properties.filter((p) => p.kind !== 'sometimes');
  // which orderings some run executed in full: a step "property" that fails at the last step
  const ran: Property<State, Action> = { kind: 'step', name: RAN, holds: (s: State, a: Action) => positionOf(s, a) !== n - 1 };
  const model = { ...base, properties: [...base.properties, ran] };
  const result = checkFamily(model, {
    variants: space.length,
    allows,
    ...bounds,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
    ...(options.stopSignal !== undefined ? { stopSignal: options.stopSignal } : {}),
  });
  const propertyNames = [...checked.map((p) => p.name), 'deadlock'];
  const byModelOrder = (x: string, y: string) => propertyNames.indexOf(x) - propertyNames.indexOf(y);

  // 2. Per ordering: the properties it breaks, each with its shortest counterexample (the family
  //    search's first violation for that variant), whether it ran in full, and the witnesses it
  //    never reached.
  const perVariant = space.map(() => new Map<string, OrderingCounterexample>());
  const ranFull = space.map(() => false);
  for (const v of result.violations) {
    const cx = { property: v.property, length: v.length, actions: v.trace.slice(1).map((st) => st.action!) };
    for (const i of v.variants) {
      if (v.property === RAN) ranFull[i] = true;
      else perVariant[i]!.set(v.property, cx);
    }
  }
  const orderings: OrderingOutcome[] = space.map((order, i) => {
    const counterexamples = [...perVariant[i]!.values()].sort((x, y) => byModelOrder(x.property, y.property));
    const violated = counterexamples.map((c) => c.property);
    const unreachedWitnesses = result.witnesses.filter((w) => !w.variants.includes(i)).map((w) => w.name);
    return { order, status: violated.length ? 'violated' : 'holds', violated, counterexamples, reached: ranFull[i]!, unreachedWitnesses };
  });

  // 3. The constraints, and the shortest counterexample of each property.
  const outcome = new Map(orderings.map((o) => [prefixKey(o.order), o]));
  const overall = deriveConstraints(space, (o) => outcome.get(prefixKey(o))!.status === 'holds');
  const properties = [...new Set(orderings.flatMap((o) => o.violated))].sort(byModelOrder);
  const perProperty = properties.map((property) => ({ property, derivation: deriveConstraints(space, (o) => !outcome.get(prefixKey(o))!.violated.includes(property)) }));
  const shortest = properties.flatMap((property) => {
    let best: (OrderingCounterexample & { order: readonly string[] }) | undefined;
    for (const o of orderings) {
      const c = o.counterexamples.find((x) => x.property === property);
      if (c && (!best || c.length < best.length)) best = { ...c, order: o.order };
    }
    return best ? [best] : [];
  });

  return {
    design: design.name,
    config: config.name,
    sequence: options.sequence,
    steps,
    keep,
    properties: propertyNames,
    orderings,
    overall,
    perProperty,
    shortest,
    exhaustive: result.exhaustive,
    ...(result.boundHit ? { boundHit: result.boundHit.detail } : {}),
    bounds: result.bounds,
    stats: {
      distinctStates: result.stats.distinctStates,
      expansions: result.stats.expansions,
      generatedStates: result.stats.generatedStates,
      depth: result.stats.depth,
      searchMs: Math.round(result.stats.durationMs),
      durationMs: Math.round(performance.now() - t0),
    },
  };
}

/** An ordering as text: `a < b < c`. */
export const formatOrder = (order: readonly string[]): string => order.join(' < ');

/** The result as text: every ordering with its outcome, then the constraints the data proves. */
export function formatOrderings(r: OrderingsResult, options: { readonly timing?: boolean } = {}): string {
  const out: string[] = [];
  const bounds = Object.entries(r.bounds).map(([k, v]) => `${k}=${v}`);
  out.push(`Orderings of ${r.sequence} for ${r.design} on configuration ${r.config}: ${r.orderings.length} orderings${r.keep.length ? ` keeping ${r.keep.map(([a, b]) => `${a} < ${b}`).join(', ')}` : ''}`);
  out.push(
    `  ${r.exhaustive ? 'exhaustive: every state of every ordering explored' : `NOT exhaustive (${r.boundHit ?? 'a bound was hit'}): "holds" means "no violation found"`}; bounds: ${bounds.length ? bounds.join(', ') : 'none'}`,
  );
  out.push(`  one family search: ${r.stats.distinctStates.toLocaleString('en-US')} distinct states (every ordering's together), ${r.stats.expansions.toLocaleString('en-US')} expansions, depth ${r.stats.depth}`);
  const width = Math.max(...r.orderings.map((o) => formatOrder(o.order).length));
  for (const o of r.orderings) {
    const what = o.status === 'holds' ? `holds${o.reached ? '' : ' (vacuously: never run in this order within the bounds)'}` : o.counterexamples.map((c) => `${shortNameOf(c.property)} (CE ${c.length})`).join(', ');
    out.push(`  ${formatOrder(o.order).padEnd(width)}  ${what}`);
  }
  const unreached = r.orderings.filter((o) => !o.reached).length;
  if (unreached) out.push(`warning: ${unreached} of ${r.orderings.length} orderings never ran in full within the bounds; what they "hold" they hold vacuously`);
  const unwitnessed = [...new Set(r.orderings.flatMap((o) => o.unreachedWitnesses))];
  for (const w of unwitnessed) {
    const k = r.orderings.filter((o) => o.unreachedWitnesses.includes(w)).length;
    out.push(`warning: witness '${w}' was never reached in ${k} of ${r.orderings.length} orderings; what it guards may hold vacuously there`);
  }
  out.push(`Every property: ${r.overall.summary}.`);
  for (const p of r.perProperty) out.push(`${shortNameOf(p.property)}: ${p.derivation.summary}.`);
  if (options.timing ?? true) out.push(`Checked in ${(r.stats.durationMs / 1000).toFixed(1)} s.`);
  return out.join('\n') + '\n';
}

export type { Constraint };
export { CatalogError };
export type { ModelConfig };
