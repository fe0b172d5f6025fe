// Why these tests? `grantcheck/vitest` is what a downstream repository's CI asserts with: it must
// resolve through the package's export map, pass when the design behaves as expected, and fail
// with a message that says what happened instead (the counterexample, or the bound that was hit).
import { describe, expect, it } from 'vitest';
import { expectDesign } from 'grantcheck/vitest';

describe("expectDesign (imported as 'grantcheck/vitest')", () => {
  it('passes on the recorded behaviour of a known-bad and a fixed design', () => {
    expectDesign('early-unpin', { config: 'tiny' }).toViolate('INV-5', { length: 6 });
    expectDesign('early-unpin', { config: 'tiny' }).toViolate('INV-1 no implicit unmap', { maxLength: 6 });
    expectDesign('early-unpin', { config: 'tiny' }).toHold('TypeOK', 'users', 'no-UAF');
    expectDesign('gntdev-2022', { config: 'tiny' }).toHold('INV-1', 'INV-2', 'INV-2q', 'INV-5', 'deadlock');
    expectDesign('gntdev-2022', { config: 'tiny' }).toReachEveryWitness();
    expectDesign('gntdev-2022-hvm', { config: 'tiny' }).toHaveOutcome('INV-5', 'n/a');
    expectDesign('gntdev-2022', { config: 'tiny', overrides: { unmapNotify: true } }).toHaveOutcome('INV-7', 'holds');
  });

  it('fails with the counterexample when a property it should hold is violated', () => {
    expect(() => expectDesign('early-unpin', { config: 'tiny' }).toHold('INV-5')).toThrow(
      /expected early-unpin on tiny to hold INV-5 grant PTEs only in pinned L1s, but it is violated after 6 steps \(path 0\/0\/2\/4\/10\/0\/0\): process 0 page 0 holds a grant PTE .*\n {2}trace: gntdev_open\(p=0\); gntdev_ioctl_map_grant_ref/,
    );
  });

  it('fails when a violation is missing, too long, or the property does not apply', () => {
    expect(() => expectDesign('gntdev-2022', { config: 'tiny' }).toViolate('INV-1')).toThrow(/expected gntdev-2022 on tiny to violate INV-1 no implicit unmap, but it holds in every reachable state/);
    expect(() => expectDesign('early-unpin', { config: 'tiny' }).toViolate('INV-2q', { maxLength: 5 })).toThrow(/within 5 steps, but the shortest counterexample has 10/);
    expect(() => expectDesign('gntdev-2022-hvm', { config: 'tiny' }).toHold('INV-5')).toThrow(/no property 'INV-5' applies \(its properties: TypeOK, INV-1/);
  });

  it('says when a bound stopped the search: nothing is claimed beyond it', () => {
    expect(() => expectDesign('gntdev-2022', { config: 'small', maxStates: 100 }).toHold('INV-1')).toThrow(/but it is unknown: the search stopped first \(state bound of 100 distinct states/);
  });
});
