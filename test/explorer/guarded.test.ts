import { describe, expect, it } from 'vitest';
import { check, guardedModel, ruleFromTable, type RuleTable } from '../../explorer/index.js';
import { abbaLocks } from '../fixtures/models.js';

interface Acct {
  readonly balance: number;
  readonly log: readonly string[];
}
type Op = { readonly kind: 'deposit'; readonly n: number } | { readonly kind: 'withdraw'; readonly n: number };

const rules: RuleTable<Acct, Op> = {
  deposit: {
    guard: (s) => (s.balance >= 3 ? 'balance at its cap' : true),
    effect: (d, a) => {
      d.balance += a.n;
      d.log.push(`+${a.n}`);
    },
  },
  withdraw: {
    guard: (s, a) => (s.balance < a.n ? `balance ${s.balance} < ${a.n}` : true),
    effect: (d, a) => {
      d.balance -= a.n;
      d.log.push(`-${a.n}`);
    },
  },
};

const account = () =>
  guardedModel<Acct, Op>({
    initStates: () => [{ balance: 0, log: [] }],
    actions: () => [
      { kind: 'deposit', n: 1 },
      { kind: 'withdraw', n: 2 },
    ],
    rule: ruleFromTable(rules),
    properties: [],
  });

describe('guardedModel', () => {
  it('runs the recipe through immer: the old state is untouched, the new one is frozen', () => {
    const m = account();
    const s0 = m.initStates()[0]!;
    expect(Object.isFrozen(s0)).toBe(true);
    const s1 = m.nextState(s0, { kind: 'deposit', n: 1 })!;
    expect(s1).toEqual({ balance: 1, log: ['+1'] });
    expect(s0).toEqual({ balance: 0, log: [] });
    expect(Object.isFrozen(s1)).toBe(true);
    expect(Object.isFrozen(s1.log)).toBe(true);
    expect(() => {
      (s1 as { balance: number }).balance = 7;
    }).toThrow(TypeError);
  });

  it('a failing guard disables the action and its reason is reported', () => {
    const m = account();
    const s0 = m.initStates()[0]!;
    expect(m.nextState(s0, { kind: 'withdraw', n: 2 })).toBeUndefined();
    expect(m.whyDisabled(s0, { kind: 'withdraw', n: 2 })).toBe('balance 0 < 2');
    expect(m.whyDisabled(s0, { kind: 'deposit', n: 1 })).toBeUndefined();
  });

  it('explores like any model; the log makes it infinite, so a depth bound gives incomplete', () => {
    const r = check(account(), { maxDepth: 6, checkDeadlock: false });
    expect(r.status).toBe('incomplete');
    if (r.status !== 'incomplete') throw new Error('unreachable');
    expect(r.boundHit.bound).toBe('maxDepth');
    expect(r.stats.depth).toBe(6);
    // brute force: every history of at most 6 operations that keeps 0 <= balance and deposits only below 3
    let count = 0;
    const walk = (balance: number, len: number): void => {
      count++;
      if (len === 6) return;
      if (balance < 3) walk(balance + 1, len + 1);
      if (balance >= 2) walk(balance - 2, len + 1);
    };
    walk(0, 0);
    expect(r.stats.distinctStates).toBe(count);
  });

  it('the fixture deadlock is explained by its guards', () => {
    const r = check(abbaLocks());
    expect(r.deadlocks).toHaveLength(1);
    expect(r.deadlocks[0]!.disabled.every((d) => d.reason.length > 0)).toBe(true);
  });
});
