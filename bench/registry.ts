/** The benchmarks `npm run bench` knows, each a model with its expected distinct-state count. */
import { configs, designByName, modelOf } from '../catalog.js';
import { counters, packedCounters } from '../test/fixtures/models.js';
import type { CheckOptions, Model } from '../explorer/index.js';
import { grantTable } from './grantTable.js';

/** Which run a benchmark belongs to: the default run, `--large`, or `--huge` (alone, minutes). */
export type BenchGroup = 'default' | 'large' | 'huge';

/** One benchmark: a model, the options it runs with, and what it is compared with. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  readonly model: () => Model<unknown, unknown>;
  readonly options?: CheckOptions;
  readonly expectedStates?: number;
  readonly group?: BenchGroup;
  /** Run SPIN (bfs-1p) on the grant-table model (P, G) side by side and report the ratio. */
  readonly spin?: { readonly p: number; readonly g: number };
  /** Run Rumur on the grant-table model (P, G) with this many threads side by side and report the ratio. */
  readonly rumur?: { readonly p: number; readonly g: number; readonly threads: number };
  /** The benchmark this one is a speed-up over (same model, another engine): the report gives the ratio. */
  readonly speedupOver?: string;
  /** Further benchmarks of the same run to give this one's speed ratio to (JSON `ratios`). */
  readonly alsoOver?: readonly string[];
}

const erase = <S, A>(m: () => Model<S, A>) => m as unknown as () => Model<unknown, unknown>;

/** The largest default configuration of the grant model (by distinct states): gntdev-2022-hvm under `fork`. */
const grantFork = (symmetry = false) => () => modelOf(designByName('gntdev-2022-hvm'), configs.fork!, { symmetry });
/** gntdev-2022 on `standard`, its default configuration. */
const grantStandard = (symmetry = false) => () => modelOf(designByName('gntdev-2022'), configs.standard!, { symmetry });
/** gntdev-2022 on `standard` with three processes (fork twice). */
const grantP3 = (symmetry = false) => () => modelOf(designByName('gntdev-2022'), { ...configs.standard!, name: 'standard+processes=3', processes: 3 }, { symmetry });
/** gntdev-2022 on `standard` with two maps of one or two pages: `standard+maps=2+map-counts=1,2`. */
const grantLarge = (symmetry = false) => () => modelOf(designByName('gntdev-2022'), { ...configs.standard!, name: 'standard+maps=2+map-counts=1,2', maxMaps: 2, mapCounts: [1, 2] }, { symmetry });

/** The grant model's rows: the immer path, the decoded-copy path and the layout path in one run, one thread and two workers, with and without symmetry. */
function grantRows<S, A>(name: string, what: string, model: (symmetry?: boolean) => () => Model<S, A>, states: number | undefined, group: BenchGroup | undefined, yardsticks: boolean): Benchmark[] {
  const g = group ? { group } : {};
  const expected = states !== undefined ? { expectedStates: states } : {};
  const rows: Benchmark[] = [];
  if (yardsticks) {
    rows.push(
      { name: `${name}-immer`, description: `${what}: recipes through immer produce (the yardstick)`, model: erase(model()), options: { recipes: 'immer' }, ...expected, ...g },
      { name: `${name}-codec`, description: `${what}: recipes on decoded mutable copies (the earlier fast path)`, model: erase(model()), options: { recipes: 'codec' }, ...expected, ...g, speedupOver: `${name}-immer` },
    );
  }
  rows.push(
    { name, description: `${what}: states as bytes in the declared layout, the model's code on views, one thread`, model: erase(model()), ...expected, ...g, ...(yardsticks ? { speedupOver: `${name}-immer`, alsoOver: [`${name}-codec`] } : {}) },
    { name: `${name}-w2`, description: `${what}: the same on two worker threads`, model: erase(model()), options: { workers: 2 }, ...expected, ...g, speedupOver: name },
    { name: `${name}-sym`, description: `${what}: with its symmetry (processes, maps, files), one thread`, model: erase(model(true)), ...g, speedupOver: name },
    { name: `${name}-sym-w2`, description: `${what}: with its symmetry, two worker threads`, model: erase(model(true)), options: { workers: 2 }, ...g, speedupOver: `${name}-sym` },
  );
  return rows;
}

/** Every benchmark, in report order; `baseline` measures an idle process. */
export const benchmarks: readonly Benchmark[] = [
  { name: 'baseline', description: 'an idle Node process (RSS floor)', model: erase(() => counters(1, 1)) },
  {
    name: 'counters-6x9',
    description: '6 counters 0..9, states as plain arrays: 10^6 states, depth 54',
    model: erase(() => counters(6, 9)),
    expectedStates: 1_000_000,
  },
  {
    name: 'counters-packed-6x9',
    description: '6 counters 0..9, a packed model: 10^6 states, depth 54',
    model: erase(() => packedCounters(6, 9)),
    expectedStates: 1_000_000,
  },
  {
    name: 'grant-table-4x3',
    description: 'the shared peer model (P=4 mappers, G=3 slots), packed, one thread; SPIN bfs-1p and Rumur (one thread) side by side',
    model: erase(() => grantTable(4, 3)),
    expectedStates: 363_150,
    spin: { p: 4, g: 3 },
    rumur: { p: 4, g: 3, threads: 1 },
  },
  {
    name: 'grant-table-4x3-w2',
    description: 'the same on two worker threads; Rumur on two threads',
    model: erase(() => grantTable(4, 3)),
    options: { workers: 2 },
    expectedStates: 363_150,
    spin: { p: 4, g: 3 },
    rumur: { p: 4, g: 3, threads: 2 },
    speedupOver: 'grant-table-4x3',
  },
  {
    name: 'grant-table-5x3',
    description: 'the shared peer model (P=5, G=3), packed, one thread; SPIN bfs-1p and Rumur (one thread) side by side',
    model: erase(() => grantTable(5, 3)),
    expectedStates: 4_272_210,
    spin: { p: 5, g: 3 },
    rumur: { p: 5, g: 3, threads: 1 },
  },
  {
    name: 'grant-table-5x3-w2',
    description: 'the same on two worker threads; Rumur on two threads',
    model: erase(() => grantTable(5, 3)),
    options: { workers: 2 },
    expectedStates: 4_272_210,
    spin: { p: 5, g: 3 },
    rumur: { p: 5, g: 3, threads: 2 },
    speedupOver: 'grant-table-5x3',
  },
  ...grantRows('grant-2022-standard', 'the grant model, gntdev-2022 on standard', grantStandard, 208_746, undefined, true),
  ...grantRows('grant-2022-hvm-fork', 'the grant model, gntdev-2022-hvm on fork (its largest default configuration)', grantFork, 67_164, undefined, true),
  ...grantRows('grant-2022-p3', 'the grant model, gntdev-2022 on standard+processes=3', grantP3, undefined, 'large', false),
  ...grantRows('grant-2022-large', 'the grant model, gntdev-2022 on standard+maps=2+map-counts=1,2', grantLarge, undefined, 'large', false),
  {
    name: 'counters-7x9',
    description: '7 counters 0..9, plain arrays: 10^7 states, depth 63',
    model: erase(() => counters(7, 9)),
    expectedStates: 10_000_000,
    group: 'large',
  },
  {
    name: 'counters-packed-8x9',
    description: '8 counters 0..9, a packed model: 10^8 states, depth 72 (stops cleanly at --max-memory if it must)',
    model: erase(() => packedCounters(8, 9)),
    expectedStates: 100_000_000,
    group: 'huge',
  },
];
