/**
 * What the writers need to know of a violation: the property, the clause that failed, and the
 * path. `Violation` of the explorer has these fields, so a violation can be passed as it is.
 */
import type { Step, Violation } from '../explorer/index.js';

/** The property a trace violates in its last state (or step), and how. */
export interface ViolationInfo {
  /** The property's name. */
  readonly property: string;
  /** The clause that failed, when the property named it. */
  readonly clause?: string;
  /** always, step, atQuiescence or deadlock. */
  readonly kind?: string;
  /** The encoded path (`0/3/1`) that replays the trace. */
  readonly path?: string;
}

/** One trace and every property it violates (several properties often fail on the same shortest trace). */
export interface Counterexample<S, A> {
  readonly path: string;
  readonly trace: readonly Step<S, A>[];
  readonly violations: readonly ViolationInfo[];
}

/** A check's violations merged by path, in the order of their first appearance: one graph per distinct trace. */
export function counterexamplesOf<S, A>(violations: readonly Violation<S, A>[]): Counterexample<S, A>[] {
  const byPath = new Map<string, { path: string; trace: readonly Step<S, A>[]; violations: ViolationInfo[] }>();
  for (const v of violations) {
    const info: ViolationInfo = { property: v.property, kind: v.kind, path: v.path, ...(v.clause !== undefined ? { clause: v.clause } : {}) };
    const slot = byPath.get(v.path);
    if (slot) slot.violations.push(info);
    else byPath.set(v.path, { path: v.path, trace: v.trace, violations: [info] });
  }
  return [...byPath.values()];
}
