// Why this test? grantItfTypes (catalog.ts) declares what each list of the grant model's state is
// in ITF: a map keyed by id, a set, or a list. A declaration that names a path the state does not
// have, that misses a list the state has, or that calls a list with repeated elements a set would
// write traces that mean something else to another tool. This walks reachable states of
// configurations that between them fill every part of the state, and checks the declaration
// against each.
import { describe, expect, it } from 'vitest';
import { configs, designByName, grantActionParameters, grantItfTypes, modelOf } from '../../catalog.js';
import { fromItf, itfToJson, toItf } from '../../counterexamples/index.js';
import { fingerprint, type Model } from '../../explorer/index.js';
import type { Action, State } from '../../model/index.js';

/** Up to `max` reachable states, breadth-first. */
function reachable(model: Model<State, Action>, max: number): State[] {
  const seen = new Set<string>();
  const out: State[] = [];
  const push = (s: State) => {
    const fp = fingerprint(s);
    if (seen.has(fp) || out.length >= max) return;
    seen.add(fp);
    out.push(s);
  };
  for (const s of model.initStates()) push(s);
  for (let i = 0; i < out.length && out.length < max; i++) {
    for (const a of model.actions(out[i]!)) {
      const n = model.nextState(out[i]!, a);
      if (n !== undefined) push(n);
    }
  }
  return out;
}

/** The type path of every list in `v` (`procs[].ptes`), and the paths of lists that hold something. */
function listPaths(v: unknown, path: string, all: Set<string>): void {
  if (Array.isArray(v)) {
    all.add(path);
    for (const x of v) listPaths(x, `${path}[]`, all);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) listPaths(x, path === '' ? k : `${path}.${k}`, all);
  }
}

const runs: [design: string, config: string][] = [
  ['gntdev-2022', 'standard'],
  ['gntdev-2013', 'standard'],
  ['notifier-v5', 'smmu-kvm'],
  ['m2p-override', 'gup'],
  ['gntalloc-2022', 'alloc-small'],
  ['gntalloc-2022', 'alloc-two-files'],
  ['gntalloc-2011', 'alloc-small'],
  ['gntdev-6.12', 'read-side'],
];

describe('grantItfTypes, the ITF types of the grant model', () => {
  const states = runs.flatMap(([d, c]) => reachable(modelOf(designByName(d), configs[c]!), 1000));

  it('declares every list of the state, and only lists the state has', () => {
    const paths = new Set<string>();
    for (const s of states) listPaths(s, '', paths);
    const declared = Object.keys(grantItfTypes);
    expect([...paths].filter((p) => !(p in grantItfTypes)).sort()).toEqual([]);
    expect(declared.filter((p) => !paths.has(p)).sort()).toEqual([]);
  });

  it('writes every reachable state: maps are lists, sets hold no element twice; and reads it back', () => {
    for (const s of states) {
      const itf = toItf([{ state: s }], { types: grantItfTypes, parameters: grantActionParameters });
      expect(fromItf(itfToJson(itf)).steps[0]!.state).toEqual(s);
    }
    expect(states.length).toBeGreaterThan(6_000);
  });

  it('names every parameter of every action the model offers (each state records them all)', () => {
    const seen = new Set<string>();
    for (const [d, c] of runs) {
      const model = modelOf(designByName(d), configs[c]!);
      for (const s of reachable(model, 300)) for (const a of model.actions(s)) for (const k of Object.keys(a)) if (k !== 'kind') seen.add(k);
    }
    expect([...seen].every((k) => grantActionParameters.includes(k))).toBe(true);
    expect(grantActionParameters).toEqual([...grantActionParameters].sort());
  });

  it('refuses a declaration that does not fit the state, naming the path', () => {
    const s = states.find((x) => x.handles.length > 0)!;
    const dup = { ...s, handles: [s.handles[0]!, s.handles[0]!] };
    expect(() => toItf([{ state: dup }], { types: grantItfTypes })).toThrow(/states\[0\]\.handles is declared a set \(types\['handles'\]\) but holds states\[0\]\.handles\[1\] twice; declare it a list/);
    expect(() => toItf([{ state: s }], { types: { ...grantItfTypes, 'alloc.grefSize': 'map' } })).toThrow(/states\[0\]\.alloc\.grefSize is declared a map \(types\['alloc\.grefSize'\]\) but holds 0/);
  });
});
