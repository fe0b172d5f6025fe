// Why these tests? Shrinking re-encodes action sequences as choices; if reading and writing
// choices disagreed, a shrunk walk would silently be a different walk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abbaLocks, counters } from '../fixtures/models.js';
import { CHOICES, Walker, type WalkerSettings } from '../../explorer/simulate/walk.js';

const settings = (over: Partial<WalkerSettings> = {}): WalkerSettings => ({ weights: {}, defaultWeight: 1, choose: 'kind', checkDeadlock: true, ...over });
const choices = fc.array(fc.integer({ min: 0, max: CHOICES - 1 }), { maxLength: 30 });

describe('Walker', () => {
  it('a choice written for an action picks that action', () => {
    const walker = new Walker(counters(4, 3), settings({ weights: { 'inc(1)': 3, 'inc(2)': 0.001 } }));
    const menu = walker.menu(walker.inits[0]!);
    fc.assert(
      fc.property(fc.nat({ max: menu.pick.length - 1 }), (k) => {
        expect(Walker.picked(menu, Walker.choiceFor(menu, k))).toBe(k);
      }),
    );
  });

  it('re-encoding the actions of a walk gives the same walk', () => {
    for (const choose of ['kind', 'action'] as const) {
      const walker = new Walker(abbaLocks(), settings({ choose }));
      fc.assert(
        fc.property(choices, (cs) => {
          const a = walker.run(cs, { mode: 'none' });
          const b = walker.run(walker.encode(a.init, a.actions), { mode: 'none' });
          expect(b.path).toEqual(a.path);
        }),
      );
    }
  });

  it('reads choices from the end: dropping leading choices cuts the walk to a prefix', () => {
    const walker = new Walker(counters(3, 4), settings());
    fc.assert(
      fc.property(choices, fc.nat(), (cs, drop) => {
        const whole = walker.run(cs, { mode: 'none' });
        const cut = walker.run(cs.slice(Math.min(drop, cs.length)), { mode: 'none' });
        expect(whole.path.slice(0, cut.path.length)).toEqual(cut.path);
      }),
    );
  });

  it('skips actions that cannot be taken when encoding', () => {
    const walker = new Walker(counters(1, 2), settings());
    // inc(0) three times on a counter that stops at 2: the third is skipped.
    const encoded = walker.encode(0, [0, 0, 0]);
    expect(walker.run(encoded, { mode: 'none' }).path).toEqual([0, 0]);
  });
});
