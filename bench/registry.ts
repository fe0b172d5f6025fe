/** The benchmarks `npm run bench` knows, each a model with its expected distinct-state count. */
import { counters, packedCounters } from '../explorer/fixtures.js';
import type { Model } from '../explorer/index.js';

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  readonly model: () => Model<unknown, unknown>;
  readonly expectedStates?: number;
  /** Only with `--large`. */
  readonly large?: boolean;
}

const erase = <S, A>(m: () => Model<S, A>) => m as unknown as () => Model<unknown, unknown>;

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
    description: '6 counters 0..9, states as Uint8Array: 10^6 states, depth 54',
    model: erase(() => packedCounters(6, 9)),
    expectedStates: 1_000_000,
  },
  {
    name: 'counters-7x9',
    description: '7 counters 0..9, plain arrays: 10^7 states, depth 63',
    model: erase(() => counters(7, 9)),
    expectedStates: 10_000_000,
    large: true,
  },
];
