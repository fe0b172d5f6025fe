/**
 * The fast-check arbitrary of a random walk (see walk.ts for how choices are read).
 *
 * Generation: `maxSteps + 1` uniform choices, without fast-check's bias and at full length (a walk
 * is cut short by the model, not by the generator).
 *
 * Shrinking, in the order fast-check tries the candidates:
 * 1. drop steps by identity: run the walk, remove a chunk of its actions (halves, quarters, ...,
 *    single steps) and re-encode the remaining actions as choices, skipping those no longer
 *    enabled. Removing a step this way keeps the later actions the same actions, which removing a
 *    choice does not (the later choices would land on other actions in the changed states);
 * 2. then `fc.array`'s own shrinker on the choices: cut the walk's tail, drop choices, lower each
 *    choice towards 0 (an earlier action of its menu: smaller parameters).
 * The candidates depend on the choices only (not on which property failed), so fast-check's
 * `counterexamplePath` replays the same shrinking.
 */
import fc from 'fast-check';
import { CHOICES, type Walker } from './walk.js';

/** Random walks of at most `maxSteps` steps, shrunk as described above. */
export class WalkArbitrary<S, A> extends fc.Arbitrary<number[]> {
  private readonly full: fc.Arbitrary<number[]>;
  private readonly shrinker: fc.Arbitrary<number[]>;

  constructor(
    maxSteps: number,
    private readonly walker: Walker<S, A>,
  ) {
    super();
    const choice = fc.integer({ min: 0, max: CHOICES - 1 });
    this.full = fc.array(choice, { minLength: maxSteps + 1, maxLength: maxSteps + 1 });
    this.shrinker = fc.array(choice, { minLength: 0, maxLength: maxSteps + 1 });
  }

  generate(mrng: fc.Random): fc.Value<number[]> {
    return this.full.generate(mrng, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number[] {
    return this.shrinker.canShrinkWithoutContext(value);
  }

  shrink(value: number[], context: unknown): fc.Stream<fc.Value<number[]>> {
    const shrinker = this.shrinker;
    return new fc.Stream(this.removals(value)).join(
      (function* () {
        yield* shrinker.shrink(value, context);
      })(),
    );
  }

  /** Candidates that drop a chunk of the walk's actions, largest chunks first. */
  private *removals(value: number[]): Generator<fc.Value<number[]>> {
    const walk = this.walker.run(value, { mode: 'none' });
    const n = walk.actions.length;
    // First the same walk without the choices it never read, then without chunks of its steps.
    if (value.length > n + 1) {
      const same = this.encode(walk.init, walk.actions);
      if (same) yield new fc.Value(same, undefined);
    }
    for (let size = Math.max(1, n >> 1); ; size >>= 1) {
      for (let start = 0; start < n; start += size) {
        const candidate = this.encode(walk.init, [...walk.actions.slice(0, start), ...walk.actions.slice(start + size)]);
        if (candidate && candidate.length < value.length) yield new fc.Value(candidate, undefined);
      }
      if (size <= 1) break;
    }
  }

  /** The walker's encoding, or undefined when the model throws on the way (the candidate is skipped). */
  private encode(init: number, actions: readonly A[]): number[] | undefined {
    try {
      return this.walker.encode(init, actions);
    } catch {
      return undefined;
    }
  }
}
