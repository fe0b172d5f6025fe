import { describe, expect, it } from 'vitest';
import { formatTrace, labelGrouping, omitPaths } from '../../counterexamples/index.js';
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

  it('gives each step one line per changed entity (changes under one record together), and leaves out what the caller omits where values print whole', () => {
    type S = { procs: { state: string; l1: { present: boolean; pinned: boolean }[]; smmu: { state: string } }[]; maps: { users: number; notify: { sent: number } }[] };
    const s0: S = { procs: [{ state: 'running', l1: [{ present: false, pinned: false }], smmu: { state: 'none' } }], maps: [] };
    const s1: S = { procs: [{ state: 'running', l1: [{ present: true, pinned: true }], smmu: { state: 'none' } }], maps: [{ users: 1, notify: { sent: 0 } }] };
    const s2: S = { procs: [{ state: 'exiting', l1: [{ present: true, pinned: false }], smmu: { state: 'released' } }], maps: [{ users: 2, notify: { sent: 0 } }] };
    const trace = [{ state: s0 }, { action: 'mmap', state: s1 }, { action: 'exit', state: s2 }];
    const text = formatTrace(trace, { grouping: labelGrouping({ procs: 'process #', maps: 'map #' }), omit: omitPaths(['procs[*].smmu', 'maps[*].notify']), formatAction: (a) => a });
    expect(text.split('\n')).toEqual([
      'Trace',
      'Length: 2 steps',
      'State 0: initial state',
      '  process 0: {state:running,l1:[{present:false,pinned:false}]}',
      '  maps: []',
      'State 1: mmap',
      '  process 0: l1[0] present false → true, pinned false → true',
      '  map 0: +{users:1}',
      'State 2: exit',
      // A change at an omitted path is still printed: omitting is for what stays as it was.
      '  process 0: state running → exiting; l1[0] pinned true → false; smmu state none → released',
      '  map 0: users 1 → 2',
      '',
    ]);
    // The block layout: a line per changed path under each entity.
    expect(formatTrace(trace, { layout: 'block', formatAction: (a) => a }).split('\n').slice(6, 10)).toEqual(['  procs[0]', '    l1[0].present: false → true', '    l1[0].pinned: false → true', '  maps[0]: +{users:1,notify:{sent:0}}']);
  });
});
