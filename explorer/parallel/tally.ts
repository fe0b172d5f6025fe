/**
 * What a coordinator of a level-synchronous search adds up from its workers' answers: transitions,
 * terminal and deadlocked states, findings, witnesses, coverage per action kind and symmetry
 * renamings. The parallel search (threads on one machine) and the distributed search (processes
 * through Redis) both keep it, so both report exactly what the sequential search would.
 */
import type { Counter, Found } from '../search/outcome.js';
import { compareTimes, type ExpandedCounts, type KindCount, type WireFind } from './wire.js';

/** A worker's new states of a level, as far as the tally reads it (indexes from its first new state). */
export interface CommittedShare {
  readonly finds: readonly WireFind[];
  readonly witnessAt: readonly number[];
  readonly newByKind: readonly KindCount[];
}

export class LevelTally {
  readonly found: WireFind[] = [];
  /** Properties with a finding so far (the workers skip them). */
  readonly violated = new Set<string>();
  readonly witnessAt: (number | undefined)[];
  readonly witnessDepth: (number | undefined)[];
  generated = 0;
  terminal = 0;
  deadlocks = 0;
  canonicalized = 0;
  private readonly deadlockAll: number[] = [];
  /** Per action kind: transitions generated, new states, and the first (state, action) that generated it. */
  private readonly byKind = new Map<string, { generated: number; distinct: number; firstState: number; firstAi: number }>();

  constructor(witnesses: number) {
    this.witnessAt = new Array<number | undefined>(witnesses).fill(undefined);
    this.witnessDepth = new Array<number | undefined>(witnesses).fill(undefined);
  }

  /** A finding made by the coordinator itself (the initial states). */
  report(f: WireFind): void {
    this.found.push(f);
    this.violated.add(f.property);
  }

  /** Witnesses the initial states reached (depth 0). */
  initialWitnesses(at: readonly (number | undefined)[]): void {
    at.forEach((i, k) => {
      if (i !== undefined) {
        this.witnessAt[k] = i;
        this.witnessDepth[k] = 0;
      }
    });
  }

  /** Adds one worker's expansion of its share; returns its transitions to states not yet seen (cut by the depth bound). */
  addExpanded(k: ExpandedCounts): number {
    this.generated += k.generated;
    this.terminal += k.terminal;
    this.deadlocks += k.deadlocks;
    for (const d of k.deadlockIdx) this.deadlockAll.push(d);
    for (const f of k.finds) this.found.push(f);
    for (const c of k.generatedByKind) {
      const e = this.kind(c.kind);
      e.generated += c.count;
      if (c.firstState < e.firstState || (c.firstState === e.firstState && c.firstAi < e.firstAi)) {
        e.firstState = c.firstState;
        e.firstAi = c.firstAi;
      }
    }
    this.canonicalized += k.canonicalized;
    return k.unexplored;
  }

  /** Adds one worker's new states of the level now at `depth + 1`, numbered from `base`. */
  addCommitted(c: CommittedShare, base: number, depth: number): void {
    for (const f of c.finds) this.found.push({ ...f, stateIndex: base + f.stateIndex });
    c.witnessAt.forEach((r, k) => {
      if (r >= 0 && this.witnessAt[k] === undefined) {
        this.witnessAt[k] = base + r;
        this.witnessDepth[k] = depth + 1;
      }
    });
    for (const n of c.newByKind) this.kind(n.kind).distinct += n.count;
  }

  /** Marks every property found so far as violated (between the phases of a level). */
  markViolated(): void {
    for (const f of this.found) this.violated.add(f.property);
  }

  /** The earliest finding per property, in the order the sequential search makes them. */
  firstFinds(): Found[] {
    this.found.sort((a, b) => compareTimes(a.time, b.time));
    const first = new Map<string, WireFind>();
    for (const f of this.found) if (!first.has(f.property)) first.set(f.property, f);
    return [...first.values()].map((f) => ({
      property: f.property,
      kind: f.kind,
      ...(f.clause !== undefined ? { clause: f.clause } : {}),
      stateIndex: f.stateIndex,
      ...(f.actionIndex !== undefined ? { actionIndex: f.actionIndex } : {}),
    }));
  }

  /** The deadlocked states found, in index order, at most `max`. */
  deadlockIndexes(max: number): number[] {
    this.deadlockAll.sort((a, b) => a - b);
    return this.deadlockAll.slice(0, max);
  }

  /** Coverage per action kind, in the order the sequential search meets each kind first. */
  coverage(): Map<string, Counter> {
    const coverage = new Map<string, Counter>();
    const order = [...this.byKind.entries()].filter(([, e]) => e.generated > 0).sort(([, a], [, b]) => a.firstState - b.firstState || a.firstAi - b.firstAi);
    for (const [k, e] of order) coverage.set(k, { generated: e.generated, distinct: e.distinct });
    return coverage;
  }

  private kind(kind: string) {
    let e = this.byKind.get(kind);
    if (!e) this.byKind.set(kind, (e = { generated: 0, distinct: 0, firstState: Infinity, firstAi: Infinity }));
    return e;
  }
}

/** A worker's count per action kind of a share of a level: how many, and the first (state, action) of each. */
export class KindCounts {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];
  count: number[] = [];
  firstState: number[] = [];
  firstAi: number[] = [];
  idOf(kind: string): number {
    let k = this.index.get(kind);
    if (k === undefined) {
      k = this.names.length;
      this.index.set(kind, k);
      this.names.push(kind);
      this.count.push(0);
      this.firstState.push(-1);
      this.firstAi.push(-1);
    }
    return k;
  }
  reset(): void {
    this.count.fill(0);
    this.firstState.fill(-1);
    this.firstAi.fill(-1);
  }
  list(): KindCount[] {
    const out: KindCount[] = [];
    for (let k = 0; k < this.names.length; k++) {
      if (this.count[k] === 0) continue;
      out.push({ kind: this.names[k]!, count: this.count[k]!, firstState: this.firstState[k]!, firstAi: this.firstAi[k]! });
    }
    return out;
  }
}
