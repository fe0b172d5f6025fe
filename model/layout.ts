/**
 * The state's declared layout (TypeOK as data): every variable of state.ts with its type and its
 * bound under a configuration. The explorer compiles it into a fixed byte layout, so that the
 * search keeps states as bytes and runs the model's own guards, recipes and properties on views
 * of them (explorer/layout). `record<T>` checks at compile time that the layout has exactly the
 * fields of T with their types.
 *
 * Bounds: lists get the capacity the configuration allows (argued per field below); counters that
 * a faulty design may push past their intended range (users, pins, live_grants...) get a signed
 * byte's range, so that a design's bug shows as a property violation rather than a layout error.
 * A value past its bound is a ModelError naming the field (the layout is checked, not trusted).
 *
 * Ids (for symmetry): integer fields say which id they hold (`proc`, `map`, `file`), and the
 * arrays indexed by an id say so (`indexes`).
 */
import { bool, int, list, oneOf, optional, record, tuple, dynamicRecord, type AnyLayout, type Layout } from '../explorer/layout/schema.js';
import type { ModelConfig } from './config.js';
import { DEL_GREF_STEPS } from './state.js';
import type {
  AllocAdding,
  AllocCall,
  AllocFile,
  AllocGrant,
  AllocPage,
  AllocState,
  AllocVmPriv,
  AsyncUnmap,
  BGrant,
  Deferred,
  DelGref,
  GntdevFile,
  GrantMap,
  Gref,
  Handle,
  Holder,
  L1,
  M2pOverride,
  MapSlot,
  Notify,
  Op,
  Page,
  Proc,
  Pte,
  Reader,
  RemoteMap,
  Smmu,
  Spte,
  State,
  UnmapRun,
  Vma,
} from './state.js';

/** A counter a faulty design may move past its intended range: a signed byte. */
const counter = (): Layout<number> => int(-128, 127);

/** An id below `n`, or NONE when `none` (a configuration with no such entity has only NONE). */
function idBelow(n: number, none: boolean, id?: string): Layout<number> {
  const opts = id !== undefined ? { id } : {};
  if (n <= 0) return int(none ? -1 : 0, none ? -1 : 0, opts);
  return int(none ? -1 : 0, n - 1, opts);
}

/** The state's layout under `config`; `ghost` adds a design's ghost variables (each with its layout). */
export function stateLayout(config: ModelConfig, ghost?: Readonly<Record<string, AnyLayout>>): Layout<State> {
  const P = config.processes;
  const V = config.vaPages;
  const M = config.maxMaps;
  const F = config.maxFiles;
  const R = config.refs;
  const maxCount = Math.max(...config.mapCounts);
  const g = config.gntalloc;
  const mapSlots = M * maxCount;

  const proc = idBelow(P, true, 'proc');
  const map = idBelow(M, true, 'map');
  const file = idBelow(F, true, 'file');
  const slot = idBelow(maxCount, true);
  const ref = idBelow(R, true);
  const va = idBelow(V, true);

  const bgrant = record<BGrant>({ state: oneOf('none', 'granted', 'queried', 'revoked', 'reused', 'freed'), readonly: bool() });
  const handle = record<Handle>({
    map: idBelow(M, false, 'map'),
    slot: idBelow(maxCount, false),
    kind: oneOf('user', 'kernel'),
    ref: idBelow(R, false),
    proc,
    va,
  });
  const pte = record<Pte>({
    kind: oneOf('none', 'grant', 'page'),
    map,
    slot,
    special: bool(),
    apage: optional(idBelow(g?.pages ?? 0, false)),
  });
  const l1 = record<L1>({ present: bool(), pinned: bool(), shadow: bool() });
  // pgoff: a gntdev map's file offset (at most M * maxCount) or a gntalloc offset, plus a split's shift
  const maxPgoff = Math.max(mapSlots, g?.offsets ?? 0) + V;
  const vma = record<Vma>({
    // the lowest id unused by the mm's attached and detached VMAs (at most V of each)
    id: int(0, 2 * V),
    start: int(0, V),
    end: int(0, V),
    file,
    map,
    pgoff: int(-1, maxPgoff),
    dontcopy: bool(),
    pagesOffset: int(-maxCount - V, maxCount + V),
    gntalloc: optional(record<{ readonly file: number; readonly priv: number }>({ file: idBelow(g?.files ?? 0, false), priv: int(0, P * V + 1) })),
  });
  const op = record<Op>({
    kind: oneOf('none', 'munmap', 'exit', 'mmap_error'),
    step: int(0, 63),
    start: int(0, V),
    end: int(0, V),
    // VMAs do not overlap: at most V are detached at once
    detached: list(vma, V),
    thenFile: file,
    thenMap: map,
  });
  const spte = record<Spte>({ va, target: oneOf('placeholder', 'bpage'), map, slot, ref });
  const smmu = record<Smmu>({
    state: oneOf('none', 'registered', 'released'),
    sptes: list(spte, V),
    pending: spte,
    stale: bool(),
    invalidating: bool(),
    awaitingAck: bool(),
  });
  const mapId = idBelow(M, false, 'map');
  // a run of one map's slots: offset below the map's count, at least one page
  const unmapRun = record<UnmapRun>({ map: mapId, offset: idBelow(maxCount, false), count: int(1, maxCount) });
  const reader = record<Reader>({
    // [start, end) within one VMA
    start: int(0, V),
    end: int(0, V),
    step: oneOf('scan', 'claim', 'unmap', 'zap', 'end'),
    // NONE until the first claim
    map,
    // the runs one scan found: disjoint runs of each map whose notifier range meets [start, end),
    // a page at least each, so at most min(count, V) per map (one map's VMA, unless mremap moved a
    // VMA away from its pages_vm_start and another map was mmapped there)
    runs: list(unmapRun, M * Math.min(maxCount, V)),
  });
  const procL = record<Proc>({
    state: oneOf('unused', 'running', 'exiting', 'dead'),
    pgdPinned: bool(),
    hasForeignMappings: bool(),
    l1: tuple(l1, V / config.ptesPerL1),
    ptes: tuple(pte, V),
    // VMAs do not overlap and hold a page at least: at most V
    vmas: list(vma, V),
    fds: tuple(bool(), F, { indexes: 'file' }),
    op,
    // a MADV_DONTNEED call enters only while fewer than readSide are in progress on the mm
    readers: list(reader, config.readSide),
    smmu,
  });
  const gntdevFile = record<GntdevFile>({
    state: oneOf('unused', 'open', 'released'),
    maps: list(mapId, M, { sorted: false }),
    freeable: list(mapId, M),
    mnProc: proc,
  });
  const page = record<Page>({
    state: oneOf('allocated', 'freed'),
    foreign: bool(),
    p2m: oneOf('invalid', 'foreign', 'own', 'absent'),
    pins: counter(),
    wasMapped: bool(),
    kmapGap: bool(),
  });
  const mapSlot = record<MapSlot>({ user: bool(), kernel: bool(), pte: va, beingRemoved: bool(), page });
  const notify = record<Notify>({ clear: bool(), send: bool(), cleared: counter(), sent: counter(), early: bool() });
  const grantMap = record<GrantMap>({
    state: oneOf('live', 'freed'),
    file: idBelow(F, false, 'file'),
    // the lowest free run of offsets in the file: below M * maxCount
    index: int(0, mapSlots),
    count: int(1, maxCount),
    users: counter(),
    refs: list(idBelow(R, false), maxCount),
    slots: list(mapSlot, maxCount),
    liveGrants: counter(),
    inUse: bool(),
    flags: int(-1, 1),
    pagesVmStart: int(-1, V),
    mmProc: proc,
    notifier: oneOf('none', 'inserted', 'removed', 'removed-twice'),
    // map->unmap_data: the last run written (offset NONE: never), a run of this map's slots
    unmapOffset: int(-1, maxCount - 1),
    unmapCount: int(0, maxCount),
    vma: int(-1, 2 * V),
    notify,
  });
  const asyncUnmap = record<AsyncUnmap>({ map: mapId, offset: idBelow(maxCount, false), count: int(1, maxCount) });
  const holder = record<Holder>({
    kind: oneOf('io', 'gpu'),
    proc: idBelow(P, false, 'proc'),
    va: idBelow(V, false),
    page: oneOf('placeholder', 'wrong'),
    map,
    slot,
    ref,
    dmaForeign: bool(),
  });
  const override = record<M2pOverride>({ ref: idBelow(R, false), map: mapId, slot: idBelow(maxCount, false) });

  const fields = {
    grants: tuple(bgrant, R),
    // one handle per (map, slot, kind) at most
    handles: list(handle, mapSlots * 2, { sorted: true }),
    procs: tuple(procL, P, { indexes: 'proc' }),
    files: tuple(gntdevFile, F, { indexes: 'file' }),
    // map ids are never reused: at most maxMaps maps are ever created
    maps: list(grantMap, M, { indexes: 'map' }),
    // one map->unmap_data per map: gnttab_unmap_refs_async queues a map's delayed work at most once
    inflight: list(asyncUnmap, M),
    holders: list(holder, config.pins),
    // one entry per mapped page at most
    overrides: list(override, mapSlots),
    alloc: allocLayout(config),
  };
  // without ghost variables the state has no `ghost` field at all (as the plain initial state)
  if (ghost === undefined) return record<Omit<State, 'ghost'>>(fields) as unknown as Layout<State>;
  return record<State>({ ...fields, ghost: optional(dynamicRecord(ghost)) });
}

/** gntalloc's part: empty (zero-sized) without gntalloc in the configuration. */
function allocLayout(config: ModelConfig): Layout<AllocState> {
  const g = config.gntalloc;
  const P = config.processes;
  const pages = g?.pages ?? 0;
  const refs = g?.refs ?? 0;
  const files = g?.files ?? 0;
  const maxCount = g ? Math.max(...g.counts, ...g.mmapCounts) : 0;
  // live grefs are at most `limit`; freed ones stay until nothing points at them (at most a page each)
  const grefCap = g ? g.limit + g.pages + 1 : 0;
  // a vm_priv per gntalloc VMA (at most one per page of each mm), plus one freed and still referenced
  const vmPrivCap = g ? P * config.vaPages + 1 : 0;
  const grefId = idBelow(grefCap, false);
  const aPage = idBelow(pages, true);
  const aRef = idBelow(refs, true);
  const notify = record<Notify>({ clear: bool(), send: bool(), cleared: counter(), sent: counter(), early: bool() });
  // a deferred entry whose page was already given back holds NONE
  const deferred = record<Deferred>({ ref: idBelow(refs, true), page: idBelow(pages, true) });
  const call = record<AllocCall>({
    p: idBelow(P, false, 'proc'),
    file: idBelow(files, false),
    count: int(0, Math.max(1, maxCount)),
    offset: int(-1, Math.max(0, g?.offsets ?? 0)),
    dom: idBelow(g?.remotes ?? 0, false),
  });
  return record<AllocState>({
    pages: tuple(record<AllocPage>({ refs: counter() }), pages),
    gnttab: tuple(
      record<AllocGrant>({ state: oneOf('free', 'granted'), domid: idBelow(g?.remotes ?? 0, true), page: aPage, readonly: bool() }),
      refs,
    ),
    // one mapping per (domain, ref) at most
    remote: list(record<RemoteMap>({ dom: idBelow(g?.remotes ?? 0, false), ref: idBelow(refs, false), page: idBelow(pages, false) }), (g?.remotes ?? 0) * refs, { sorted: true }),
    files: tuple(
      record<AllocFile>({
        state: oneOf('unused', 'open', 'released'),
        list: list(grefId, grefCap),
        // priv->index grows by the counts allocated; ALLOC_GREF past `offsets` is refused
        index: int(0, Math.max(0, (g?.offsets ?? 0) + maxCount)),
        fds: tuple(bool(), P, { indexes: 'proc' }),
      }),
      files,
    ),
    grefs: list(
      record<Gref>({
        state: oneOf('live', 'freed'),
        file: idBelow(files, true),
        index: int(-1, Math.max(0, (g?.offsets ?? 0) + maxCount)),
        users: counter(),
        ref: aRef,
        page: aPage,
        notify,
      }),
      grefCap,
    ),
    grefList: list(grefId, grefCap),
    grefSize: counter(),
    vmPrivs: list(
      record<AllocVmPriv>({
        state: oneOf('live', 'freed'),
        gref: idBelow(grefCap, true),
        users: counter(),
        count: int(0, Math.max(1, maxCount)),
        pgoff: int(-1, Math.max(0, g?.offsets ?? 0)),
        grefs: list(grefId, maxCount),
      }),
      vmPrivCap,
    ),
    adding: list(record<AllocAdding>({ proc: idBelow(P, false, 'proc'), file: idBelow(files, false), grefs: list(grefId, maxCount) }), g ? P : 0),
    // each of A's refs is in at most one of these at a time, and a leaked ref is never reused
    deferred: list(deferred, refs),
    kmalloc: list(deferred, refs),
    leaked: list(deferred, refs),
    delGref: record<DelGref>({
      queue: list(grefId, grefCap),
      then: list(call, g ? P : 0),
      done: list(oneOf(...DEL_GREF_STEPS), DEL_GREF_STEPS.length),
    }),
  });
}

/**
 * The state's symmetries (explorer/layout/symmetry.ts): processes are alike (but process 0 when a
 * secondary MMU subscribes to its mm: the configuration ties it to that process), and so are the
 * gntdev maps and files. The model picks "the first unused" entity only among entities that are
 * all alike (unused), and no property names an id; test/model/symmetry.test.ts checks both on
 * sampled reachable states.
 *
 * Maps are not alike when a MADV_DONTNEED call can scan two of them (read side, two maps or more):
 * the scan keeps its runs in map-id order and unmaps them one step at a time in that order, so a
 * renaming of maps changes which map a call unmaps first, and one order would never be explored.
 */
export function stateSymmetry(config: ModelConfig): readonly { readonly kind: string; readonly from: number }[] {
  return [
    ...(config.readSide > 0 && config.maxMaps > 1 ? [] : [{ kind: 'map', from: 0 }]),
    { kind: 'file', from: 0 },
    { kind: 'proc', from: config.secondary === 'none' ? 0 : 1 },
  ];
}
