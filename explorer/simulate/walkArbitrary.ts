/**
 * The fast-check arbitrary of a random walk (see walk.ts for how choices are read).
 *
 * Generation: `maxSteps + 1` uniform choices, without fast-check's bias and at full length (a walk
 * is cut short by the model, not by the generator).
 *
 * Shrinking works first on the walk's actions, not on its raw choices: a candidate is a list of
 * actions, re-encoded as choices. Removing a raw choice would make every later choice land on some
 * other action of a changed state; removing an action keeps the later actions the same actions.
 * The candidates, in the order fast-check tries them (like fast-check's commands shrinker, a
 * shrinker adapted to its values):
 * 1. the same walk without the choices it never read;
 * 2. without a chunk of its steps: halves, quarters, ..., single steps (delta debugging);
 * 3. with one action replaced by an action of the same kind that comes earlier in its state's
 *    candidate list (smaller parameters: a lower process, map, page, count...);
 * 4. without each single step the round has not tried yet (a later removal or lowering may have
 *    made an earlier step unnecessary);
 * 5. last, `fc.array`'s own shrinker on the raw choices (drop and lower choices), which reaches
 *    walks that no single removal or lowering of an action does.
 * Re-encoding replaces an action that can no longer be taken by its closest same-kind action
 * (walk.ts), so removing a fork that created process 1 turns `mmap(p=2)` into `mmap(p=1)`.
 * After a successful candidate, shrinking resumes where it was (the context carries the phase and
 * position) instead of starting over; after a fast-check candidate that is the same walk (a number
 * moved within its action's share), it goes straight on with fast-check's shrinker. The candidates
 * depend on the choices only (not on which property failed), so fast-check's `counterexamplePath`
 * replays the same shrinking.
 */
import fc from 'fast-check';
import { CHOICES, type Menu, type Walker } from './walk.js';

/** Where shrinking stands: the phase and position to resume from. */
interface ShrinkContext {
  readonly phase: 'remove' | 'lower' | 'choices';
  /** remove: chunk size and first step of the chunk; lower: the step. */
  readonly size: number;
  readonly start: number;
  /** choices: fast-check's own context of the value. */
  readonly inner?: unknown;
  /** choices: the walk (init and path) of the value it was shrunk from. */
  readonly walk?: string;
}

function isShrinkContext(c: unknown): c is ShrinkContext {
  return typeof c === 'object' && c !== null && 'phase' in c && 'size' in c && 'start' in c;
}

/** Thrown out of `fc.check` when the simulation was asked to stop (no more walks are generated). */
export class SimulationStopped extends Error {
  override readonly name = 'SimulationStopped';
}

/** Random walks of at most `maxSteps` steps, shrunk as described above. */
export class WalkArbitrary<S, A> extends fc.Arbitrary<number[]> {
  private readonly full: fc.Arbitrary<number[]>;
  private readonly any: fc.Arbitrary<number[]>;

  constructor(
    maxSteps: number,
    private readonly walker: Walker<S, A>,
    /** Asked before each walk and each shrink candidate: true ends generation (SimulationStopped) and shrinking. */
    private readonly stopped: () => boolean = () => false,
  ) {
    super();
    const choice = fc.integer({ min: 0, max: CHOICES - 1 });
    this.full = fc.array(choice, { minLength: maxSteps + 1, maxLength: maxSteps + 1 });
    this.any = fc.array(choice, { minLength: 0, maxLength: maxSteps + 1 });
  }

  generate(mrng: fc.Random): fc.Value<number[]> {
    if (this.stopped()) throw new SimulationStopped();
    return this.full.generate(mrng, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number[] {
    return this.any.canShrinkWithoutContext(value);
  }

  shrink(value: number[], context: unknown): fc.Stream<fc.Value<number[]>> {
    return new fc.Stream(this.candidates(value, isShrinkContext(context) ? context : undefined)).takeWhile(() => !this.stopped());
  }

  private *candidates(value: number[], from: ShrinkContext | undefined): Generator<fc.Value<number[]>> {
    const menus: Menu<S, A>[] = [];
    const walk = this.walker.run(value, { mode: 'none' }, { state: () => {}, menu: (m) => menus.push(m), fired: () => {} });
    const acts = walk.actions;
    const n = acts.length;
    const key = `${walk.init}/${walk.path.join('/')}`;
    // The same walk as the value this one was shrunk from: only its numbers moved, so the action
    // phases would find nothing new; go on with fast-check's shrinker.
    const sameWalk = from?.phase === 'choices' && from.walk === key;
    const value$ = (actions: readonly A[], ctx: ShrinkContext): fc.Value<number[]> | undefined => {
      const c = this.encode(walk.init, actions);
      return c && c.length < value.length ? new fc.Value(c, ctx) : undefined;
    };
    if (!sameWalk && value.length > n + 1) {
      const same = value$(acts, { phase: 'remove', size: Math.max(1, n >> 1), start: 0 });
      if (same) yield same;
    }
    // Single-step removals this round has tried from here on (n: none yet).
    let singlesFrom = n;
    if (!sameWalk && (from === undefined || from.phase === 'remove' || from.phase === 'choices')) {
      let size = from?.phase === 'remove' ? from.size : Math.max(1, n >> 1);
      let start = from?.phase === 'remove' ? from.start : 0;
      for (;;) {
        if (size === 1) singlesFrom = start;
        for (; start < n; start += size) {
          const v = value$([...acts.slice(0, start), ...acts.slice(start + size)], { phase: 'remove', size, start });
          if (v) yield v;
        }
        if (size <= 1) break;
        size >>= 1;
        start = 0;
      }
    }
    const first = sameWalk ? n : from?.phase === 'lower' ? from.start : 0;
    for (let step = first; step < n; step++) {
      const menu = menus[step]!;
      const ai = walk.path[step]!;
      const kind = menu.kinds[ai];
      for (const earlier of menu.pick) {
        if (earlier >= ai) break;
        if (menu.kinds[earlier] !== kind) continue;
        const replaced = [...acts.slice(0, step), menu.actions[earlier]!, ...acts.slice(step + 1)];
        const c = this.encode(walk.init, replaced);
        if (c) yield new fc.Value(c, { phase: 'lower', size: 1, start: step });
      }
    }
    // Removing or lowering a later step may have made an earlier one unnecessary: single removals
    // of the steps this round has not tried.
    if (!sameWalk) {
      for (let start = 0; start < singlesFrom; start++) {
        const v = value$([...acts.slice(0, start), ...acts.slice(start + 1)], { phase: 'remove', size: 1, start });
        if (v) yield v;
      }
    }
    // Last, fc.array's shrinker on the raw choices: it removes and lowers choices, which reaches
    // walks that no single removal or lowering of an action does (an `up` and a `down` apart).
    // Many of its candidates are the same walk (a number lowered within its action's share): the
    // next round then goes straight back to fast-check's shrinker (see `sameWalk` above).
    for (const v of this.any.shrink(value, from?.phase === 'choices' ? from.inner : undefined)) {
      yield new fc.Value(v.value, { phase: 'choices', size: 0, start: 0, inner: v.context, walk: key });
    }
  }

  /** The walker's encoding, or undefined when the model throws on the way (the candidate is skipped). */
  private encode(init: number, actions: readonly A[]): number[] | undefined {
    try {
      return this.walker.encode(init, actions, { substitute: true });
    } catch {
      return undefined;
    }
  }
}
