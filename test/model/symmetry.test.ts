// Why this test? With --symmetry the search identifies states that differ only by a renaming of
// processes, maps and files (model/layout.ts stateSymmetry). That is sound only if the model and
// every property are symmetric under those renamings. On reachable states of several designs, a
// random renaming must keep every invariant's and quiescence property's verdict, and the renamed
// state must have the same successors up to renaming (each with the same step verdicts), orbits
// named here by brute force over every renaming, independently of the search's canonicalizer. The
// reduction itself is pinned: fewer states, the same verdicts and counterexample lengths.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { configs, designByName, modelOf } from '../../catalog.js';
import { check, type GuardedModel, type Property } from '../../explorer/index.js';
import { compileLayout } from '../../explorer/layout/compile.js';
import { compilePermuter } from '../../explorer/layout/symmetry.js';
import type { Action, State } from '../../model/index.js';
import { stateSymmetry } from '../../model/layout.js';

/** A deterministic stream of numbers in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function symmetric(name: string, config: string, samples: number): void {
  const model = modelOf(designByName(name), configs[config]!, { symmetry: true }) as GuardedModel<State, Action> & { layout: never; idSymmetry: readonly { kind: string; from?: number }[] };
  const compiled = compileLayout<State>(model.layout);
  const W = compiled.size;
  const permute = compilePermuter(compiled as never, model.idSymmetry);
  const cfg = configs[config]!;
  /** Every permutation of [from, n) (identity below from). */
  const allPerms = (n: number, from: number): Int32Array[] => {
    const out: Int32Array[] = [];
    const p = Array.from({ length: n }, (_, i) => i);
    const rec = (k: number): void => {
      if (k >= n) {
        out.push(Int32Array.from(p));
        return;
      }
      for (let i = k; i < n; i++) {
        [p[k], p[i]] = [p[i]!, p[k]!];
        rec(k + 1);
        [p[k], p[i]] = [p[i]!, p[k]!];
      }
    };
    rec(Math.min(from, n));
    return out;
  };
  /** The state's orbit, named by its smallest renaming (brute force over every renaming: independent of the search's canonicalizer). */
  const keyOf = (s: State): string => {
    const b = new Uint8Array(W);
    compiled.encode(s, b);
    const lists = model.idSymmetry.map(({ kind, from = 0 }) => ({ kind, perms: allPerms(kind === 'proc' ? cfg.processes : kind === 'file' ? cfg.maxFiles : s.maps.length, from) }));
    let best: string | undefined;
    const out = new Uint8Array(W);
    const rec = (k: number, chosen: Record<string, Int32Array>): void => {
      if (k === lists.length) {
        permute(b, out, chosen);
        const h = Buffer.from(out).toString('hex');
        if (best === undefined || h < best) best = h;
        return;
      }
      for (const p of lists[k]!.perms) rec(k + 1, { ...chosen, [lists[k]!.kind]: p });
    };
    rec(0, {});
    return best!;
  };
  const verdict = (v: unknown) => v === true;
  const props = model.properties as readonly Property<State, Action>[];

  // reachable states, every k-th of the first few thousand (bytes: the views live only during the call)
  const picked: Uint8Array[] = [];
  let n = 0;
  check(model, {
    symmetry: false,
    maxStates: 6000,
    observe: (s) => {
      if (n++ % 7 !== 3 || picked.length >= samples) return;
      const b = new Uint8Array(W);
      compiled.encode(s as State, b);
      picked.push(b);
    },
  });
  expect(picked.length).toBeGreaterThan(samples / 2);
  const random = rng(picked.length);
  let renamed = 0;
  for (const bytes of picked) {
    const perms: Record<string, Int32Array> = {};
    for (const { kind, from = 0 } of model.idSymmetry) {
      const live = kind === 'proc' ? configs[config]!.processes : kind === 'file' ? configs[config]!.maxFiles : compiled.decode(bytes).maps.length;
      const p = new Int32Array(Math.max(live, 1)).map((_, i) => i);
      for (let i = live - 1; i > from; i--) {
        const j = from + Math.floor(random() * (i - from + 1));
        [p[i], p[j]] = [p[j]!, p[i]!];
      }
      perms[kind] = p;
    }
    const out = new Uint8Array(W);
    permute(bytes, out, perms);
    const s = compiled.decode(bytes);
    const t = compiled.decode(out);
    if (Buffer.compare(Buffer.from(bytes), Buffer.from(out)) !== 0) renamed++;
    for (const p of props) {
      if (p.kind === 'always' || p.kind === 'atQuiescence') expect(verdict(p.holds(t)), `${p.name} on a renamed state`).toBe(verdict(p.holds(s)));
      if (p.kind === 'sometimes') expect(p.reached(t), `${p.name} on a renamed state`).toBe(p.reached(s));
    }
    const successors = (x: State): string[] =>
      model
        .actions(x)
        .flatMap((a) => {
          const y = model.nextState(x, a);
          if (y === undefined) return [];
          const steps = props.filter((p) => p.kind === 'step').map((p) => verdict(p.holds(x, a, y)));
          return [`${keyOf(y)} ${steps.join(',')}`];
        })
        .sort();
    expect([...new Set(successors(t))]).toEqual([...new Set(successors(s))]);
  }
  expect(renamed).toBeGreaterThan(0);
}

describe('the grant model is symmetric under its declared renamings', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['gntdev-2022', 'standard'],
    ['early-unpin', 'standard'],
    ['gntdev-2022-hvm', 'fork'],
    ['gntdev-2022', 'gup'],
    ['m2p-override', 'gup-twice'],
    ['gntdev-2019', 'standard'],
    ['sync-unmap', 'gup'],
    ['gntalloc-2022', 'alloc-fork'],
    // today's kernel with read-side calls in steps (Proc.readers, their runs of map ids) and two maps
    ['gntdev-6.12', 'today'],
  ];
  for (const [name, config] of cases) it(`${name} on ${config}`, () => symmetric(name, config, 120));
});

describe('the reduction', () => {
  for (const [name, config, without, withSym] of [
    ['gntdev-2022', 'standard', 208_746, 107_879],
    ['early-unpin', 'standard', 64_920, 33_743],
  ] as const) {
    it(`${name} on ${config}: ${without} states without, ${withSym} with; the same verdicts and lengths`, () => {
      const plain = check(modelOf(designByName(name), configs[config]!));
      const reduced = check(modelOf(designByName(name), configs[config]!, { symmetry: true }));
      expect(plain.stats.distinctStates).toBe(without);
      expect(reduced.stats.distinctStates).toBe(withSym);
      expect(reduced.properties.map((p) => [p.name, p.outcome, p.length])).toEqual(plain.properties.map((p) => [p.name, p.outcome, p.length]));
      expect(reduced.stats.symmetry?.canonicalized).toBeGreaterThan(0);
    });
  }
});

describe('maps are not alike when one MADV_DONTNEED call can scan two of them', () => {
  // The scan (model/internal/gntdev.ts scanInvalidate) keeps its runs in map-id order and unmaps
  // them one step each in that order, so a renaming of two maps that a call's range meets changes
  // which map it unmaps first: the transition relation is not invariant under renaming maps, and
  // a reduction by it could leave one order unexplored. No reachable state of the bounds tried
  // (read-side with two maps, with and without mremap; today's first 300,000 states) has such a
  // scan, so the state here is a reachable one with its second map's grants made live as well.
  const cfg = { ...configs['read-side']!, name: 'read-side+maps=2+read-side=1', maxMaps: 2, readSide: 1 };

  it('renaming the maps of a two-map scan changes its successors, so the declared symmetry leaves maps out', () => {
    const model = modelOf(designByName('gntdev-6.12'), cfg) as GuardedModel<State, Action> & { layout: never };
    const compiled = compileLayout<State>(model.layout);
    const W = compiled.size;
    const swapMaps = compilePermuter(compiled as never, [{ kind: 'map', from: 0 }]);
    const bytesOf = (s: State): Uint8Array => {
      const b = new Uint8Array(W);
      compiled.encode(s, b);
      return b;
    };
    const swapped = (b: Uint8Array): Uint8Array => {
      const out = new Uint8Array(W);
      swapMaps(b, out, { map: Int32Array.from([1, 0]) });
      return out;
    };
    /** A state's orbit under the two renamings of two maps. */
    const keyOf = (s: State): string => {
      const b = bytesOf(s);
      const [x, y] = [b, swapped(b)].map((v) => Buffer.from(v).toString('hex'));
      return x! < y! ? x! : y!;
    };
    const successors = (x: State): string[] => [...new Set(model.actions(x).flatMap((a) => {
      const y = model.nextState(x, a);
      return y === undefined ? [] : [keyOf(y)];
    }))].sort();
    // a reachable state whose call is at its scan, both maps' notifiers on its range
    let found: Uint8Array | undefined;
    check(model, {
      maxStates: 20_000,
      observe: (v) => {
        const s = v as State;
        if (found === undefined && s.maps.length === 2 && s.procs.some((pr, p) => pr.readers.some((r) => r.step === 'scan' && s.maps.every((m) => m.state === 'live' && m.notifier === 'inserted' && m.mmProc === p && m.pagesVmStart < r.end && m.pagesVmStart + m.count > r.start)))) found = bytesOf(s);
      },
    });
    expect(found).toBeDefined();
    const s = produce(compiled.decode(found!), (d) => {
      for (const m of d.maps) {
        m.liveGrants = m.count;
        for (const slot of m.slots) slot.beingRemoved = false;
      }
    });
    const t = compiled.decode(swapped(bytesOf(s)));
    const runsOf = (x: State) => model.actions(x).flatMap((a) => (a.kind === 'madvise_step' ? [model.nextState(x, a)!.procs[a.p]!.readers[a.r]!.runs.map((u) => u.map)] : []));
    expect(runsOf(s)).toEqual([[0, 1]]);
    expect(runsOf(t)).toEqual([[0, 1]]);
    expect(successors(t)).not.toEqual(successors(s));
    expect(stateSymmetry(cfg).map((k) => k.kind)).toEqual(['file', 'proc']);
    expect(stateSymmetry(configs.today!).map((k) => k.kind)).not.toContain('map');
    expect(stateSymmetry(configs.standard!).map((k) => k.kind)).toContain('map');
  });
});
