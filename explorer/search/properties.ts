/**
 * The property checker every search shares: invariants and witnesses on each new state, step
 * properties on each transition, quiescence properties and deadlock on each terminal state. A
 * property is checked until its first violation (the search's order makes that one shortest);
 * what a finding is recorded as is the caller's (`report`), so that the sequential search keeps
 * it, a parallel worker ranks it by the time the sequential search would have made it, and the
 * family search keeps it per variant.
 */
import type { Verdict } from '../model.js';
import type { Selected } from './outcome.js';

/** When in an expansion a finding is made: 0 a step property, 1 a new state's invariant, 2 a terminal state. */
export type Phase = 0 | 1 | 2;

/** A violation as the checker hands it over. */
export interface Finding {
  readonly property: string;
  readonly kind: 'always' | 'step' | 'atQuiescence' | 'deadlock';
  readonly clause?: string;
  /** The state where it fails, or the source state of the failing step. */
  readonly stateIndex: number;
  /** For step properties: the action index taken from `stateIndex`. */
  readonly actionIndex?: number;
}

/** What the checker is told besides the properties. */
export interface CheckerOptions<S> {
  /** Report terminal states that are not final as deadlocks. @defaultValue true */
  readonly checkDeadlock?: boolean;
  /** How many deadlocked states to keep (all are counted). @defaultValue 5 */
  readonly maxReportedDeadlocks?: number;
  readonly isFinal?: (s: S) => boolean;
  /** Called once per new distinct state, in discovery order. */
  readonly observe?: (state: unknown, depth: number) => void;
  /**
   * Where a finding goes, with its phase, action index (or the initial-state index) and the
   * property's index in its kind; default: kept in `found`.
   */
  readonly report?: (f: Finding, phase: Phase, ai: number, pi: number) => void;
  /** Whether a property needs no more checking (default: it has a finding already). */
  readonly settled?: (property: string) => boolean;
}

function clauseOf(v: Verdict): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Checks the selected properties of one search. */
export class PropertyChecker<S, A> {
  /** Findings in the order made (with the default `report`). */
  readonly found: Finding[] = [];
  /** Properties with a finding: not checked again. */
  readonly violated = new Set<string>();
  /** Terminal states that are not final (their indices, up to the reported number). */
  readonly deadlockIdx: number[] = [];
  readonly witnessAt: (number | undefined)[];
  readonly witnessDepth: (number | undefined)[];
  terminal = 0;
  deadlocks = 0;
  /** True when a new state's value must be made (invariants, witnesses still unreached, an observer). */
  readonly needValue: boolean;
  readonly hasSteps: boolean;
  private unreached: number;
  private readonly report: (f: Finding, phase: Phase, ai: number, pi: number) => void;
  private readonly settled: (property: string) => boolean;
  private readonly checkDeadlock: boolean;
  private readonly maxReportedDeadlocks: number;

  constructor(
    readonly sel: Selected<S, A>,
    private readonly options: CheckerOptions<S> = {},
  ) {
    this.witnessAt = sel.witnesses.map(() => undefined);
    this.witnessDepth = sel.witnesses.map(() => undefined);
    this.unreached = sel.witnesses.length;
    this.needValue = sel.always.length > 0 || sel.witnesses.length > 0 || options.observe !== undefined;
    this.hasSteps = sel.steps.length > 0;
    this.checkDeadlock = options.checkDeadlock ?? true;
    this.maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
    this.report = options.report ?? ((f) => this.found.push(f));
    this.settled = options.settled ?? ((name) => this.violated.has(name));
  }

  /** Sets properties aside as already violated (a parallel worker is told them per level). */
  markViolated(names: Iterable<string>): void {
    for (const n of names) this.violated.add(n);
  }

  private record(f: Finding, phase: Phase, ai: number, pi: number): void {
    this.violated.add(f.property);
    this.report(f, phase, ai, pi);
  }

  /** A new distinct state `s`, numbered `index`, at `depth`; `ai` is the action (or initial-state index) that found it. */
  newState(s: S, index: number, depth: number, ai = -1): void {
    const always = this.sel.always;
    for (let i = 0; i < always.length; i++) {
      const p = always[i]!;
      if (this.settled(p.name)) continue;
      const v = p.holds(s);
      if (v !== true) this.record({ property: p.name, kind: 'always', ...withClause(v), stateIndex: index }, 1, ai, i);
    }
    if (this.unreached > 0) {
      const w = this.sel.witnesses;
      for (let k = 0; k < w.length; k++) {
        if (this.witnessAt[k] === undefined && w[k]!.reached(s)) {
          this.witnessAt[k] = index;
          this.witnessDepth[k] = depth;
          this.unreached--;
        }
      }
    }
    this.options.observe?.(s, depth);
  }

  /** The transition from state `index` by action `ai` (`a`) to `t`. */
  step(s: S, a: A, t: S, index: number, ai: number): void {
    const steps = this.sel.steps;
    for (let i = 0; i < steps.length; i++) {
      const p = steps[i]!;
      if (this.settled(p.name)) continue;
      const v = p.holds(s, a, t);
      if (v !== true) this.record({ property: p.name, kind: 'step', ...withClause(v), stateIndex: index, actionIndex: ai }, 0, ai, i);
    }
  }

  /** State `index` has no enabled action: quiescence properties, then deadlock unless it is final. */
  terminalState(s: S, index: number): void {
    this.terminal++;
    const q = this.sel.quiescent;
    for (let i = 0; i < q.length; i++) {
      const p = q[i]!;
      if (this.settled(p.name)) continue;
      const v = p.holds(s);
      if (v !== true) this.record({ property: p.name, kind: 'atQuiescence', ...withClause(v), stateIndex: index }, 2, 0, i);
    }
    if (this.checkDeadlock && !(this.options.isFinal?.(s) ?? false)) {
      this.deadlocks++;
      if (this.deadlockIdx.length < this.maxReportedDeadlocks) this.deadlockIdx.push(index);
      if (!this.settled('deadlock')) this.record({ property: 'deadlock', kind: 'deadlock', stateIndex: index }, 2, 0, q.length);
    }
  }
}

function withClause(v: Verdict): { clause?: string } {
  const c = clauseOf(v);
  return c === undefined ? {} : { clause: c };
}
