/**
 * The recorded outcomes: what `grantcheck compare` found for every design on its default
 * configuration, property by property (short names, as the table columns: `holds`, `CE n` = the
 * shortest counterexample has n steps; a property missing from a row does not apply to the
 * design). `compare` exits 1 when a run differs from its row. `docs/designs.md` shows the same
 * table (a test keeps the two in sync), and CI asserts each row's verdicts on the row's `ci`
 * configuration, small enough for every push (test/cli/outcomes.test.ts).
 *
 * A changed row is a reviewed change: rerun `npm start`, then update the row here and the table
 * in docs/designs.md (compare writes it as out/table.md).
 */

/** One design's recorded run. */
export interface RecordedRun {
  /** The configuration compare runs it on (the design's default). */
  readonly config: string;
  /** Distinct states of that run (for the progress ETA, and for the docs). */
  readonly states: number;
  /** Property (short name) → `holds` or `CE n`. */
  readonly outcomes: Readonly<Record<string, string>>;
  /** The configuration CI asserts the same verdicts on (holds / violated / n/a per property). */
  readonly ci: string;
}

// prettier-ignore
export const RECORDED: Readonly<Record<string, RecordedRun>> = {
  'early-unpin': { config: 'standard', ci: 'small', states: 64920, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 6', 'INV-2': 'CE 7', 'INV-2q': 'CE 10', 'INV-5': 'CE 6', users: 'holds', live_grants: 'CE 7', 'no-UAF': 'holds', backing: 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'has-foreign-mappings': { config: 'standard', ci: 'small', states: 86588, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'shadow-handle-page': { config: 'standard', ci: 'small', states: 71296, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'shadow-handle-page-no-restore': { config: 'standard', ci: 'small', states: 71296, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'CE 10', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'notifier-release': { config: 'standard', ci: 'small', states: 56438, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2.6.38': { config: 'standard', ci: 'small', states: 24468, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 4', 'INV-2': 'CE 5', 'INV-2q': 'CE 13', 'INV-5': 'CE 12', 'no-UAF': 'CE 5', backing: 'CE 5', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2011': { config: 'standard', ci: 'small', states: 75834, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 4', 'INV-2': 'CE 5', 'INV-2q': 'CE 11', 'INV-5': 'CE 7', users: 'holds', 'no-UAF': 'holds', backing: 'CE 5', 'INV-7': 'CE 6', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2011-hvm': { config: 'standard', ci: 'small', states: 103761, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', users: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'CE 6', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2013': { config: 'standard', ci: 'small', states: 116794, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 4', 'INV-2': 'CE 5', 'INV-2q': 'CE 11', 'INV-5': 'CE 12', users: 'holds', 'no-UAF': 'holds', backing: 'CE 5', 'INV-7': 'CE 6', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2013-hvm': { config: 'standard', ci: 'small', states: 103761, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', users: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'CE 6', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2019': { config: 'standard', ci: 'small', states: 158680, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 6', 'INV-2': 'CE 5', 'INV-2q': 'CE 13', 'INV-5': 'CE 12', users: 'holds', 'no-UAF': 'holds', backing: 'CE 5', 'INV-7': 'CE 6', notifier: 'CE 15', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2019-hvm': { config: 'standard', ci: 'small', states: 103761, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', users: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'CE 6', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2022': { config: 'standard', ci: 'small', states: 208746, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'holds', notifier: 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-2022-hvm': { config: 'standard', ci: 'small', states: 103752, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'gntdev-6.12': { config: 'standard', ci: 'small', states: 208746, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'holds', notifier: 'holds', 'INV-3B': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'frontend-before-xsa-396': { config: 'small', ci: 'small', states: 17090, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', 'INV-7': 'holds', notifier: 'holds', 'INV-3B': 'CE 5', 'get-offset': 'holds', deadlock: 'holds' } },
  'notifier-v3': { config: 'smmu-gru', ci: 'smmu-gru', states: 1780, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', smmu: 'CE 12', 'smmu-rel': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'notifier-v5': { config: 'smmu-gru', ci: 'smmu-gru', states: 1146, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', smmu: 'holds', 'smmu-rel': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'plain-m2p': { config: 'gup', ci: 'gup-io', states: 34845, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'CE 4', 'no-access': 'holds', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'm2p-override': { config: 'gup', ci: 'gup-twice', states: 42587, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'CE 6', 'no-access': 'CE 7', kmap: 'CE 5', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'm2p-override-unmap-and-replace': { config: 'gup', ci: 'gup-twice', states: 42587, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'CE 6', 'no-access': 'CE 7', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'draft-b-page-array': { config: 'gup', ci: 'gup-io', states: 39759, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'holds', 'no-access': 'CE 7', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'draft-b-page-array-no-split': { config: 'gup', ci: 'gup-io', states: 45385, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'CE 5', 'no-access': 'CE 7', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'find-special-page': { config: 'gup', ci: 'gup-io', states: 39759, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'holds', 'no-access': 'CE 7', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'unmap-regardless': { config: 'gup', ci: 'gup-io', states: 39759, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'holds', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'holds', 'no-access': 'CE 7', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  'sync-unmap': { config: 'gup', ci: 'gpu', states: 19011, outcomes: { TypeOK: 'holds', 'INV-1': 'holds', 'INV-2': 'holds', 'INV-2q': 'CE 5', 'INV-5': 'holds', users: 'holds', live_grants: 'holds', 'no-UAF': 'holds', backing: 'holds', notifier: 'holds', 'INV-6': 'holds', 'no-access': 'holds', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'CE 5', 'get-offset': 'holds', deadlock: 'CE 5' } },
  'gntalloc-2011': { config: 'alloc-small', ci: 'alloc-small', states: 15904, outcomes: { TypeOK: 'holds', 'INV-3': 'holds', 'a-acct': 'holds', 'a-leak': 'CE 12', 'a-offsets': 'holds', 'a-users': 'CE 7', 'a-no-UAF': 'holds', deadlock: 'holds' } },
  'gntalloc-2011-revoke-assumed': { config: 'alloc-small', ci: 'alloc-small', states: 18152, outcomes: { TypeOK: 'holds', 'INV-3': 'CE 6', 'a-acct': 'CE 6', 'a-leak': 'CE 12', 'a-offsets': 'holds', 'a-users': 'CE 7', 'a-no-UAF': 'holds', deadlock: 'holds' } },
  'gntalloc-2022': { config: 'alloc-small', ci: 'alloc-small', states: 9480, outcomes: { TypeOK: 'holds', 'INV-3': 'holds', 'a-acct': 'holds', 'a-leak': 'holds', 'a-offsets': 'holds', 'a-users': 'holds', 'a-no-UAF': 'holds', deadlock: 'holds' } },
  'gntalloc-6.12': { config: 'alloc-small', ci: 'alloc-small', states: 12272, outcomes: { TypeOK: 'holds', 'INV-3': 'holds', 'a-acct': 'holds', 'a-leak': 'holds', 'a-offsets': 'holds', 'a-users': 'holds', 'a-no-UAF': 'holds', deadlock: 'holds' } },
  'gntalloc-user-offsets': { config: 'alloc-offsets', ci: 'alloc-offsets', states: 12344, outcomes: { TypeOK: 'holds', 'INV-3': 'holds', 'a-acct': 'holds', 'a-leak': 'holds', 'a-offsets': 'holds', 'a-users': 'holds', 'a-no-UAF': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
};

/**
 * Rows beyond the default configurations: a design on a further configuration where findings of
 * its show that its default configuration does not reach (page references held across munmap,
 * read-side concurrency). Each names its analysis in docs/findings.md (`findings`: the section
 * anchor). `compare` runs them after the defaults and compares them like the others.
 */
export interface RecordedExtra extends RecordedRun {
  readonly design: string;
  readonly findings: string;
}

// prettier-ignore
export const RECORDED_EXTRA: readonly RecordedExtra[] = [
  { design: 'gntdev-2022', config: 'gup-io', ci: 'gup-io', findings: 'a-page-reference-held-across-munmap', states: 2835, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 7', 'INV-2': 'CE 9', 'INV-2q': 'CE 13', 'INV-5': 'CE 7', users: 'CE 14', live_grants: 'CE 9', 'no-UAF': 'holds', backing: 'CE 18', notifier: 'holds', 'INV-6': 'holds', 'no-access': 'holds', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  { design: 'gntdev-6.12', config: 'gup-io', ci: 'gup-io', findings: 'a-page-reference-held-across-munmap', states: 2835, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 7', 'INV-2': 'CE 9', 'INV-2q': 'CE 13', 'INV-5': 'CE 7', users: 'CE 14', live_grants: 'CE 9', 'no-UAF': 'holds', backing: 'CE 18', notifier: 'holds', 'INV-6': 'holds', 'no-access': 'holds', kmap: 'holds', 'p2m': 'holds', 'INV-4': 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
  { design: 'gntdev-6.12', config: 'read-side', ci: 'read-side', findings: 'two-madv_dontneed-calls-at-once', states: 38257, outcomes: { TypeOK: 'holds', 'INV-1': 'CE 9', 'INV-2': 'CE 10', 'INV-2q': 'CE 20', 'INV-5': 'holds', users: 'holds', live_grants: 'CE 10', 'no-UAF': 'holds', backing: 'CE 22', notifier: 'holds', 'get-offset': 'holds', deadlock: 'holds' } },
];

/** The recorded run of a design on a configuration: its default row, or one of the extra rows. */
export function recordedRun(design: string, config: string): RecordedRun | undefined {
  const r = RECORDED[design];
  if (r && r.config === config) return r;
  return RECORDED_EXTRA.find((x) => x.design === design && x.config === config);
}

/** The recorded distinct-state count of a design on a configuration, when that is a recorded run. */
export function recordedStates(design: string, config: string): number | undefined {
  return recordedRun(design, config)?.states;
}

/** One recorded orderings run: what `grantcheck orderings` derived, which compare re-derives. */
export interface RecordedOrderings {
  readonly design: string;
  readonly sequence: 'exit_mmap' | 'munmap' | 'del_gref';
  /** The design's default configuration. */
  readonly config: string;
  readonly orderings: number;
  readonly safe: number;
  /** The necessary constraints of every property together (formatConstraint), in order. */
  readonly necessary: readonly string[];
  /** The same per violated property (short name). */
  readonly perProperty: Readonly<Record<string, readonly string[]>>;
}

/**
 * The orderings compare re-derives: exit_mmap of today's gntdev (the unpin
 * and the frees only after the grants are unmapped, by the notifier's release or by unmap_vmas),
 * and today's gntalloc __del_gref (revoke, then free; notify before free).
 */
const ARCH = 'arch_exit_mmap after one of mmu_notifier_release or unmap_vmas';
const FREE = 'free_pgtables after one of mmu_notifier_release or unmap_vmas';
const REMOVE = 'remove_vma after one of mmu_notifier_release or unmap_vmas';

// prettier-ignore
export const RECORDED_ORDERINGS: readonly RecordedOrderings[] = [
  {
    design: 'gntdev-2022', sequence: 'exit_mmap', config: 'standard', orderings: 120, safe: 48,
    necessary: [ARCH, FREE, REMOVE],
    perProperty: { 'INV-1': [ARCH, FREE, REMOVE], 'INV-2': [ARCH, FREE, REMOVE], 'INV-2q': [ARCH, FREE, REMOVE], 'INV-5': [], live_grants: [ARCH, FREE], backing: [REMOVE], 'INV-7': [ARCH, FREE, REMOVE] },
  },
  {
    design: 'gntalloc-2022', sequence: 'del_gref', config: 'alloc-small', orderings: 6, safe: 2,
    necessary: ['notify before free', 'revoke before free'],
    perProperty: { 'INV-3': ['revoke before free'], 'a-acct': ['revoke before free'], 'a-no-UAF': ['notify before free', 'revoke before free'] },
  },
];
