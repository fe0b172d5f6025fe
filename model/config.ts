/**
 * The model's constants (TLA+ CONSTANTS), kept apart from the spec: small named configurations,
 * each with its distinct-state count pinned in the tests.
 */

/** How many of a slot's two map hypercalls (user PTE, kernel alias) may fail in one mmap. */
export type MapFailures = 'none' | 'single';

/** The model's constants. */
export interface ModelConfig {
  /** The configuration's name (CLI `--config`). */
  readonly name: string;
  /** Grant refs B offers A (ref r is backed by B's page r). */
  readonly refs: number;
  /** Processes of A (the first exists at the start; fork creates the others). */
  readonly processes: number;
  /** Virtual pages in each address space; a VMA is [start, end) in these pages. */
  readonly vaPages: number;
  /** PTEs per page-table page: the address space has vaPages / ptesPerL1 L1 pages. */
  readonly ptesPerL1: number;
  /** gntdev maps that can ever be created (map ids are never reused: a freed map stays visible). */
  readonly maxMaps: number;
  /** The page counts MAP_GRANT_REF may ask for; a map of n pages uses refs 0..n-1. */
  readonly mapCounts: readonly number[];
  /** gntdev files that can ever be opened. */
  readonly maxFiles: number;
  /** Nondeterministic failures of the map hypercalls in mmap (maptrack full, p2m update failure). */
  readonly mapFailures: MapFailures;
  /** The interval-notifier insert in mmap may fail (e.g. -ENOMEM) and its error path runs. */
  readonly notifierInsertFails: boolean;
  /** fork() is an action (PV gntdev VMAs are VM_DONTCOPY; HVM ones are inherited). */
  readonly fork: boolean;
  /** mmap with MAP_FIXED over an existing mapping (the old range is unmapped first). */
  readonly mapFixed: boolean;
  /** B revokes and frees its pages at any time (else B's grants never change). */
  readonly granterActs: boolean;
  /** B has granted every ref before A starts (else B grants them as actions). */
  readonly refsGrantedAtStart: boolean;
  /** IOCTL_GNTDEV_SET_UNMAP_NOTIFY is an action (clear byte + send event on page 0). */
  readonly unmapNotify: boolean;
  /** munmap may take any range that meets a VMA ('any'), or only whole VMAs ('vma'). */
  readonly munmapRanges: 'any' | 'vma';
  /** close(fd) is an action (else files close only at exit). */
  readonly closeFd: boolean;
  /** Gup/DMA page references are taken and dropped (the m2p/gup issue's actions); 0 = none. */
  readonly pins: number;
}

const base: Omit<ModelConfig, 'name'> = {
  refs: 2,
  processes: 1,
  vaPages: 2,
  ptesPerL1: 2,
  maxMaps: 1,
  mapCounts: [2],
  maxFiles: 1,
  mapFailures: 'single',
  notifierInsertFails: true,
  fork: false,
  mapFixed: false,
  granterActs: true,
  refsGrantedAtStart: true,
  unmapNotify: true,
  munmapRanges: 'any',
  closeFd: true,
  pins: 0,
};

/** Named configurations. `small` is the default; the others widen one dimension each. */
export const configs: Readonly<Record<string, ModelConfig>> = {
  /** One process, one two-page map, one L1: every teardown path, failures, partial munmap. */
  small: { name: 'small', ...base },
  /** Like small without hypercall failures and B's actions: the CI-sized core. */
  tiny: { name: 'tiny', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false },
  /** Two processes and fork (HVM gntdev VMAs are inherited; PV ones are VM_DONTCOPY). */
  fork: { name: 'fork', ...base, processes: 2, fork: true, mapFailures: 'none', notifierInsertFails: false, granterActs: false },
  /** Two one-page maps over three pages, two L1s: maps side by side, MAP_FIXED. */
  twomaps: {
    name: 'twomaps',
    ...base,
    vaPages: 3,
    ptesPerL1: 1,
    maxMaps: 2,
    mapCounts: [1],
    mapFixed: true,
    mapFailures: 'none',
    notifierInsertFails: false,
    granterActs: false,
    unmapNotify: false,
  },
  /**
   * For random simulation only (far past exhaustive search): three processes with fork, two files,
   * four maps of one or two pages over four refs, eight virtual pages in two L1s, MAP_FIXED, every
   * failure and B's actions. BFS does not finish it within a minute (docs/simulation.md).
   */
  'sim-large': {
    name: 'sim-large',
    ...base,
    refs: 4,
    processes: 3,
    vaPages: 8,
    ptesPerL1: 4,
    maxMaps: 4,
    mapCounts: [1, 2],
    maxFiles: 2,
    fork: true,
    mapFixed: true,
  },
};

/** Throws a one-line error naming the problem and the fix when a configuration is out of range. */
export function validateConfig(c: ModelConfig): void {
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`config ${c.name}: ${name} must be a whole number in ${lo}..${hi}, got ${v}`);
  };
  int('refs', c.refs, 1, 8);
  int('processes', c.processes, 1, 4);
  int('vaPages', c.vaPages, 1, 8);
  int('ptesPerL1', c.ptesPerL1, 1, c.vaPages);
  if (c.vaPages % c.ptesPerL1 !== 0) throw new RangeError(`config ${c.name}: vaPages (${c.vaPages}) must be a multiple of ptesPerL1 (${c.ptesPerL1})`);
  int('maxMaps', c.maxMaps, 0, 6);
  int('maxFiles', c.maxFiles, 1, 4);
  int('pins', c.pins, 0, 4);
  if (c.mapCounts.length === 0) throw new RangeError(`config ${c.name}: mapCounts must list at least one count`);
  for (const n of c.mapCounts) int('a map count', n, 1, Math.min(c.refs, c.vaPages));
}
