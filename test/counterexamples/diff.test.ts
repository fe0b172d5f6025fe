import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeLines, defaultGrouping, diffStates, entitiesOf, formatChange, formatPath, labelGrouping, summaryOf } from '../../counterexamples/index.js';
import { deepEqual } from '../../counterexamples/value.js';

const lines = (a: unknown, b: unknown) => diffStates(a, b).map((c) => formatChange(c));

describe('diffStates', () => {
  it('finds nothing between equal states, whatever their key order', () => {
    expect(diffStates({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toEqual([]);
  });

  it('names each changed leaf by its path, in the state order', () => {
    const before = { procs: [{ ptes: [{ kind: 'grant' }, { kind: 'grant' }] }], maps: [{ users: 2 }] };
    const after = { procs: [{ ptes: [{ kind: 'grant' }, { kind: 'none' }] }], maps: [{ users: 1 }] };
    expect(lines(before, after)).toEqual(['procs[0].ptes[1].kind: grant → none', 'maps[0].users: 2 → 1']);
  });

  it('reports array elements added or removed as whole elements, aligned on the unchanged ones', () => {
    const h = (map: number, slot: number, kind: string) => ({ map, slot, kind });
    const before = { handles: [h(0, 0, 'user'), h(0, 0, 'kernel'), h(0, 1, 'user')] };
    const after = { handles: [h(0, 0, 'kernel'), h(0, 1, 'user')] };
    const d = diffStates(before, after);
    expect(d).toEqual([{ op: 'removed', path: ['handles', 0], element: true, before: h(0, 0, 'user') }]);
    expect(formatChange(d[0]!)).toBe('handles: -{map:0,slot:0,kind:user}');
    expect(lines({ xs: [1, 3] }, { xs: [1, 2, 3, 4] })).toEqual(['xs: +2', 'xs: +4']);
  });

  it('pairs unmatched elements by position before calling them added (a VMA split reads as a change plus a new VMA)', () => {
    const before = { vmas: [{ id: 0, start: 0, end: 2 }] };
    const after = { vmas: [{ id: 0, start: 0, end: 1 }, { id: 1, start: 1, end: 2 }] };
    expect(lines(before, after)).toEqual(['vmas[0].end: 2 → 1', 'vmas: +{id:1,start:1,end:2}']);
  });

  it('compares equal-length arrays index by index', () => {
    expect(lines([0, 1, 2], [2, 1, 0])).toEqual(['[0]: 0 → 2', '[2]: 2 → 0']);
  });

  it('reports record keys added and removed, and a change of kind as a replacement', () => {
    expect(lines({ a: 1, b: 2 }, { a: 1, c: 3 })).toEqual(['b: -2', 'c: +3']);
    expect(lines({ a: [1] }, { a: { x: 1 } })).toEqual(['a: [1] → {x:1}']);
    expect(lines({ a: undefined }, {})).toEqual(['a: -undefined']);
    expect(lines(0, 1)).toEqual(['0 → 1']);
    expect(lines(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toEqual(['[1]: 2 → 3']);
  });

  it('prints strings that could be misread with quotes', () => {
    expect(lines({ s: 'a b' }, { s: 'true' })).toEqual(['s: "a b" → "true"']);
    expect(formatPath(['odd key', 0, 'x y'])).toBe('"odd key"[0]["x y"]');
  });

  it('is empty exactly when the states are equal, and is deterministic (property)', () => {
    const leaf = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('none', 'grant', 'a b'), fc.boolean());
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(value, value, (a, b) => {
        const d = diffStates(a, b);
        expect(d.length === 0).toBe(deepEqual(a, b));
        expect(diffStates(a, b)).toEqual(d);
      }),
    );
  });
});

describe('grouping by entity', () => {
  const grant = labelGrouping({ procs: 'process #', maps: 'map #', handles: 'Xen maptrack' });

  it('defaults to the top-level key plus the index', () => {
    expect(defaultGrouping(['procs', 0, 'ptes', 1, 'kind'])).toEqual({ key: 'procs[0]', label: 'procs[0]', depth: 2 });
    expect(defaultGrouping(['handles'])).toEqual({ key: 'handles', label: 'handles', depth: 1 });
    expect(defaultGrouping([3])).toEqual({ key: '[3]', label: '[3]', depth: 1 });
    expect(defaultGrouping([])).toEqual({ key: '', label: 'state', depth: 0 });
  });

  it('takes a model’s names from a table, # standing for the index', () => {
    expect(grant(['procs', 1, 'state']).label).toBe('process 1');
    expect(grant(['handles', 2]).label).toBe('Xen maptrack');
    expect(grant(['files', 0]).label).toBe('files[0]');
  });

  it('prints changes under their entity, paths relative to it, one-change entities on one line', () => {
    const before = { procs: [{ state: 'running', fds: [false] }], maps: [] as unknown[], handles: [{ map: 0 }] };
    const after = { procs: [{ state: 'exiting', fds: [true] }], maps: [{ users: 1 }], handles: [] as unknown[] };
    expect(changeLines(diffStates(before, after), grant)).toEqual([
      { label: 'process 0', inline: false, lines: ['state: running → exiting', 'fds[0]: false → true'] },
      { label: 'map 0', inline: true, lines: ['+{users:1}'] },
      { label: 'Xen maptrack', inline: true, lines: ['-{map:0}'] },
    ]);
  });

  it('cuts a whole state into entities and summarises it', () => {
    const s = { procs: [{ a: 1 }, { a: 2 }], maps: [], handles: [{ map: 0 }], n: 3 };
    expect(entitiesOf(s, grant).map((e) => e.label)).toEqual(['process 0', 'process 1', 'maps', 'Xen maptrack', 'n']);
    expect(entitiesOf([1, 2]).map((e) => e.label)).toEqual(['state']);
    expect(summaryOf(s)).toBe('procs: 2, maps: 0, handles: 1, n: 3');
  });
});
