import { describe, expect, it } from 'vitest';
import { formatTrace } from '../../counterexamples/index.js';
import { abba, countersBad } from './fixtures.js';

describe('the text trace', () => {
  it('has a header with the property, clause, length and path, then each step and what it changed', () => {
    const { model, cx } = abba();
    expect(formatTrace(cx.trace, { model, violations: cx.violations })).toBe(
      [
        'Counterexample to everyone done, deadlock',
        '  everyone done: stuck at pcs 1,1',
        '  deadlock',
        'Length: 2 steps; path 0/0/3',
        'State 0: initial state',
        '  owner: [-1,-1]',
        '  pc: [0,0]',
        'State 1: lock_first(p=0)',
        '  owner[0]: -1 → 0',
        '  pc[0]: 0 → 1',
        'State 2: lock_first(p=1)',
        '  owner[1]: -1 → 1',
        '  pc[1]: 0 → 1',
        'State 2 violates everyone done',
        'State 2 violates deadlock',
        '',
      ].join('\n'),
    );
  });

  it('summarises the initial state on request', () => {
    const { model, cx } = abba();
    expect(formatTrace(cx.trace, { model, initial: 'summary' }).split('\n').slice(0, 4)).toEqual([
      'Trace',
      'Length: 2 steps',
      'State 0: initial state',
      '  owner: 2, pc: 2',
    ]);
  });

  it('is byte-identical across runs (snapshot)', async () => {
    const { model, cx } = countersBad();
    const text = formatTrace(cx.trace, { model, violations: cx.violations });
    expect(formatTrace(cx.trace, { model, violations: cx.violations })).toBe(text);
    await expect(text).toMatchFileSnapshot('./__snapshots__/counters.trace.txt');
  });
});
