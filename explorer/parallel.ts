/** The parallel search on worker threads (to come). */
import { CheckOptionError, type CheckOptions } from './options.js';
import type { SearchOutcome, Selected } from './outcome.js';
import type { PackedModel } from './packed.js';

/** Parallel search: not available yet. */
export function parallelSearch<A>(_m: PackedModel<A>, _sel: Selected<Uint8Array, A>, _o: CheckOptions): SearchOutcome {
  throw new CheckOptionError('workers > 1: the parallel search is not available yet; run with workers: 1');
}
