/**
 * Orderings of a sequence of steps, and the precedence constraints that separate safe orderings
 * from unsafe ones. Generic: steps are strings; which orderings are safe is the caller's data.
 *
 * Constraint language: `a before b`, and `b after one of {x, y}` (b needs at least one of them done
 * first: what a step needs when either of two earlier steps would do). A constraint is stated as
 * necessary only when every safe ordering satisfies it and some ordering of the space does not; a
 * set is stated as sufficient only when every ordering of the space that satisfies it is safe.
 */

/** `a before b`, or `b after one of` a set of steps. */
export type Constraint =
  | { readonly kind: 'before'; readonly a: string; readonly b: string }
  | { readonly kind: 'afterOneOf'; readonly b: string; readonly of: readonly string[] };

/** Every permutation of `items`, in lexicographic order of indices. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** The permutations of `items` that keep every `[a, b]` (a before b): the linear extensions of the partial order. */
export function linearExtensions(items: readonly string[], keep: readonly (readonly [string, string])[]): string[][] {
  return permutations(items).filter((o) => keep.every(([a, b]) => o.indexOf(a) < o.indexOf(b)));
}

/** Whether an ordering satisfies a constraint. */
export function satisfies(order: readonly string[], c: Constraint): boolean {
  if (c.kind === 'before') return order.indexOf(c.a) < order.indexOf(c.b);
  const at = order.indexOf(c.b);
  return c.of.some((x) => order.indexOf(x) < at);
}

/** A constraint as a sentence fragment: `mmu_notifier_release before arch_exit_mmap`. */
export function formatConstraint(c: Constraint): string {
  return c.kind === 'before' ? `${c.a} before ${c.b}` : `${c.b} after one of ${c.of.join(' or ')}`;
}

/** Every candidate constraint over the steps, pairwise first, in a fixed order. */
export function candidates(steps: readonly string[]): Constraint[] {
  const out: Constraint[] = [];
  for (const a of steps) for (const b of steps) if (a !== b) out.push({ kind: 'before', a, b });
  for (const b of steps) {
    const others = steps.filter((x) => x !== b);
    for (let i = 0; i < others.length; i++) for (let j = i + 1; j < others.length; j++) out.push({ kind: 'afterOneOf', b, of: [others[i]!, others[j]!] });
  }
  return out;
}

/** What the data proves about one notion of safety. */
export interface Derivation {
  /** Orderings in the space, and how many are safe. */
  readonly orderings: number;
  readonly safe: number;
  /** Constraints every safe ordering satisfies and some ordering does not (redundant ones dropped). */
  readonly necessary: readonly Constraint[];
  /**
   * A smallest set, starting from the necessary constraints, whose orderings are all safe; `exact`
   * when it is the necessary set itself (necessary and sufficient). Undefined when no set of at
   * most `maxExtra` more constraints suffices.
   */
  readonly sufficient?: { readonly constraints: readonly Constraint[]; readonly exact: boolean };
  /** The derivation as sentences for people. */
  readonly summary: string;
}

const key = (o: readonly string[]) => o.join('\u0000');

/**
 * Derives the constraints that separate safe orderings from unsafe ones in a space of orderings
 * (all of them, or the linear extensions of a partial order).
 */
export function deriveConstraints(space: readonly (readonly string[])[], isSafe: (order: readonly string[]) => boolean, options: { readonly maxExtra?: number } = {}): Derivation {
  const steps = [...(space[0] ?? [])];
  const safeSet = new Set(space.filter((o) => isSafe(o)).map(key));
  const safe = space.filter((o) => safeSet.has(key(o)));
  if (safe.length === space.length) return { orderings: space.length, safe: safe.length, necessary: [], sufficient: { constraints: [], exact: true }, summary: `every one of the ${space.length} orderings is safe: no constraint is needed` };
  if (safe.length === 0) return { orderings: space.length, safe: 0, necessary: [], summary: `none of the ${space.length} orderings is safe: no order of these steps fixes the design` };
  const all = candidates(steps);
  const nontrivial = all.filter((c) => space.some((o) => !satisfies(o, c)));
  let necessary = nontrivial.filter((c) => safe.every((o) => satisfies(o, c)));
  // drop a constraint implied by the others (over the space), pairwise ones kept in preference
  const implied = (c: Constraint, others: readonly Constraint[]) => space.every((o) => !others.every((x) => satisfies(o, x)) || satisfies(o, c));
  for (const c of [...necessary].reverse()) {
    const others = necessary.filter((x) => x !== c);
    if (implied(c, others)) necessary = others;
  }
  const allows = (set: readonly Constraint[]) => space.filter((o) => set.every((c) => satisfies(o, c)));
  const sufficientWith = (set: readonly Constraint[]) => allows(set).every((o) => safeSet.has(key(o)));
  let sufficient: Derivation['sufficient'];
  if (sufficientWith(necessary)) sufficient = { constraints: necessary, exact: true };
  else {
    const pool = nontrivial.filter((c) => !necessary.includes(c));
    const maxExtra = options.maxExtra ?? 3;
    const search = (from: number, chosen: Constraint[], size: number): Constraint[] | undefined => {
      if (chosen.length === size) return sufficientWith([...necessary, ...chosen]) && allows([...necessary, ...chosen]).length > 0 ? chosen : undefined;
      for (let i = from; i < pool.length; i++) {
        const r = search(i + 1, [...chosen, pool[i]!], size);
        if (r) return r;
      }
      return undefined;
    };
    for (let size = 1; size <= maxExtra && !sufficient; size++) {
      const extra = search(0, [], size);
      if (extra) sufficient = { constraints: [...necessary, ...extra], exact: false };
    }
  }
  return { orderings: space.length, safe: safe.length, necessary, ...(sufficient ? { sufficient } : {}), summary: summarize(space.length, safe.length, necessary, sufficient) };
}

function summarize(n: number, safe: number, necessary: readonly Constraint[], sufficient: Derivation['sufficient']): string {
  const list = (cs: readonly Constraint[]) => cs.map(formatConstraint).join('; ');
  const head = `${safe} of ${n} orderings are safe`;
  const nec = necessary.length ? `necessary: ${list(necessary)}` : 'no single constraint is necessary';
  if (!sufficient) return `${head}; ${nec}; no small set of constraints is sufficient`;
  if (sufficient.exact) return `${head}; ${nec}${necessary.length ? ' (together also sufficient)' : ''}`;
  const extra = sufficient.constraints.filter((c) => !necessary.includes(c));
  return `${head}; ${nec}; sufficient: ${necessary.length ? 'those and ' : ''}${list(extra)}`;
}
