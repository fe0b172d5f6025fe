/**
 * The distributed search: breadth-first over worker processes on any number of hosts, through
 * Redis, with the sequential search's results (the same numbering, so the same counts, verdicts,
 * shortest counterexamples and witnesses).
 *
 * The visited set lives in Redis (design 2 of docs/distributed.md, chosen on the figures there):
 * a sorted set per server, partitioned by fingerprint, whose score for a state is the smallest
 * (parent, action) that reached it, `(parent + 1) * 2^20 + action`. Level by level:
 * 1. expand: the level's index range is cut into tasks; workers take them from a Redis Stream
 *    (consumer group `workers`), expand their states and offer every successor with
 *    `ZADD LT` (keep the smaller score), batched. States of earlier levels have smaller scores and
 *    stay as they are;
 * 2. commit (once every expand is in): per task, the scores in [(from + 1) * 2^20,
 *    (to + 1) * 2^20) are exactly the new states whose first discovery the sequential search makes
 *    while expanding [from, to), in its order. A worker rebuilds each from its parent and action,
 *    checks invariants and witnesses, and writes them as the next level's blob with their links;
 *    the tasks in order are the sequential numbering, as the parallel search's workers are.
 * Parent links stay in Redis beside the blobs, written by the worker that numbered the state; the
 * coordinator asks for the few it needs to rebuild the traces at the end. Findings carry the time
 * the sequential search would have made them (parallel/wire.ts) and the earliest per property wins.
 *
 * Faults: every worker renews a heartbeat key; one that lapses is declared dead and its
 * unacknowledged tasks are claimed and posted again for the others (tasks are idempotent). With no
 * worker left for `workerWaitMs`, or with Redis gone, the run ends `incomplete` (bound `lost`)
 * with that reason: never another verdict.
 *
 * Not available here (they cut a level in the middle, or watch one process): `maxStates`,
 * `stopAtFirstViolation`, `maxMemoryBytes` and `observe`.
 */
import { expanderOf } from '../check.js';
import { ModelError } from '../errors.js';
import { isPackedModel, type PackedModel } from '../packed.js';
import type { Model } from '../model.js';
import { CheckOptionError, validateOptions, type CheckOptions } from '../options.js';
import { encodePath } from '../path.js';
import type { BoundHit, CheckResult } from '../result.js';
import { searchClock } from '../search/clock.js';
import { buildResult, selectProperties, type Found, type SearchOutcome, type Selected } from '../search/outcome.js';
import { PropertyChecker } from '../search/properties.js';
import { stopBound } from '../search/stop.js';
import { ParentLinks } from '../store/links.js';
import { LevelTally } from '../parallel/tally.js';
import type { WorkerSource } from '../parallel/source.js';
import { ACTION_SPAN, isConnectionError, MAX_PARENT, memberOf, type RedisTarget } from './redis.js';
import { RunControl, TaskFailure, type RunSettings } from './run.js';
import { jobSourceOf } from './source.js';
import type { Blob, Committed, Expanded, Task, TaskResult } from './wire.js';

/** Options of the distributed coordinator. */
export interface DistributedOptions extends RunSettings {
  /** States per task at most. @defaultValue 4096 */
  readonly taskStates?: number;
}

/** What the coordinator adds to a search outcome. */
interface DistributedOutcome extends SearchOutcome {
  /** Things a reader must know: workers lost and their tasks handed over. */
  readonly notes: readonly string[];
  /** Redis was lost: no counterexample, witness or deadlock could be traced. */
  readonly untraceable: boolean;
}

/** How worker processes build the model. */
function sourceOf<S, A>(model: Model<S, A>): WorkerSource | undefined {
  if (isPackedModel(model)) return (model as unknown as PackedModel<A>).packed.worker;
  return (model as { worker?: WorkerSource }).worker;
}

/** Refuses options the distributed search does not run (a one-line CheckOptionError). */
function refuse(options: CheckOptions): void {
  const cut = (name: string, why: string) => new CheckOptionError(`${name} is not available with a distributed check (${why}); leave it out, or check on one machine`);
  if (options.maxStates !== undefined) throw cut('maxStates (--max-states)', 'it cuts a level in the middle');
  if (options.stopAtFirstViolation) throw cut('stopAtFirstViolation', 'it cuts a level in the middle');
  if (options.maxMemoryBytes !== undefined) throw cut('maxMemoryBytes (--max-memory)', "the states live in Redis and the workers' memory, not here");
  if (options.observe !== undefined) throw cut('observe (--profile)', 'states are not seen by this process');
  if ((options.workers ?? 1) > 1) throw cut('workers (--workers)', 'start more worker processes instead');
}

/** Explores `model` on the workers that join at `target`, with the results of `check(model, options)`. */
export async function checkDistributed<S, A>(model: Model<S, A>, target: RedisTarget, options: CheckOptions = {}, dist: DistributedOptions = {}): Promise<CheckResult<S, A>> {
  validateOptions(
    options,
    model.properties.map((p) => p.name),
  );
  refuse(options);
  const sel = selectProperties(model, options);
  const outcome = await distributedSearch(model, sel, options, target, dist);
  const r = buildResult(model, sel, options, outcome);
  if (r.status === 'incomplete' && r.boundHit.bound === 'lost' && outcome.untraceable) {
    // nothing could be traced: witnesses are not known unreached, only not reported
    return {
      ...r,
      properties: r.properties.map((p) => (p.kind === 'sometimes' ? { name: p.name, kind: p.kind, outcome: 'unknown' as const } : p)),
      witnesses: [],
      warnings: [...r.warnings.filter((w) => !w.startsWith('witness ')), 'the witnesses are not reported: their paths were in the Redis that was lost', ...outcome.notes],
    };
  }
  return outcome.notes.length > 0 ? { ...r, warnings: [...r.warnings, ...outcome.notes] } : r;
}

/** Where a link of the final numbering is kept: blob `key` holds the links of [start, start + count). */
interface LinkBlob {
  readonly key: string;
  readonly start: number;
  readonly count: number;
}

/** Parent links for the states the traces need, asked of Redis; `length` is the number of distinct states. */
class SparseLinks extends ParentLinks {
  constructor(
    private readonly known: ReadonlyMap<number, readonly [number, number]>,
    private readonly distinct: number,
  ) {
    super();
  }
  override get length(): number {
    return this.distinct;
  }
  /** The links kept in Redis: 8 bytes per state. */
  override get usedBytes(): number {
    return this.distinct * 8;
  }
  override get(n: number, out: Uint32Array | number[]): void {
    const l = this.known.get(n);
    if (!l) throw new Error(`distributed search: the link of state ${n} was not fetched`);
    out[0] = l[0];
    out[1] = l[1];
  }
}

/** Runs the distributed breadth-first search; the outcome is the sequential search's. */
export async function distributedSearch<S, A>(model: Model<S, A>, sel: Selected<S, A>, options: CheckOptions, target: RedisTarget, dist: DistributedOptions = {}): Promise<DistributedOutcome> {
  const ops = expanderOf(model, options).bytes;
  if (!ops || ops.width === undefined) throw new CheckOptionError('a distributed check runs models kept as fixed-width bytes: packed models, and guard+recipe models with a declared layout');
  const source = sourceOf(model);
  if (!source) throw new CheckOptionError('a distributed check needs the model to say how a worker builds it: worker: { module, exportName, args } (packedModel, guardedModel)');
  const w = ops.width;
  const t0 = performance.now();
  const taskStates = dist.taskStates ?? 4096;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
  const jobSource = jobSourceOf(source);

  const runCtl = await RunControl.start(target, dist, (run, shards, heartbeatTimeoutMs) => ({
    run,
    kind: 'check',
    source: jobSource,
    properties: options.properties,
    useSymmetry: options.symmetry ?? true,
    checkDeadlock: options.checkDeadlock ?? true,
    maxReportedDeadlocks,
    shards,
    heartbeatTimeoutMs,
  }));
  const { servers, keys } = runCtl;
  const control = servers.control;

  const tally = new LevelTally(sel.witnesses.length);
  const linkBlobs: LinkBlob[] = [];
  let depth = 0;
  let peakQueue = 0;
  let distinct = 0;
  let initCount = 0;
  let stop: BoundHit | undefined;
  let lost = false;
  const clock = searchClock(options, t0);

  /** Waits for a phase's results; undefined when the run stops (`stop` says why). */
  const gather = async <R extends TaskResult>(ids: ReadonlySet<number>, queued: number): Promise<Map<number, R> | undefined> => {
    const where = `at depth ${depth}`;
    let got: Map<number, R> | BoundHit;
    try {
      got = await runCtl.gather<R>(ids, where, () => {
        if (options.stopSignal !== undefined && Atomics.load(options.stopSignal, 0) !== 0) return stopBound(Atomics.load(options.stopSignal, 0), { distinctStates: distinct, depth }, options);
        return clock({ distinctStates: distinct, generatedStates: tally.generated, depth, queue: queued });
      });
    } catch (e) {
      if (!(e instanceof TaskFailure)) throw e;
      const r = e.result;
      const where = r.stateIndex < 0 ? '' : ` at path ${encodePath(await pathOf(r.stateIndex, r.actionIndex))}`;
      throw new ModelError(`a worker failed${where}: ${r.message}`);
    }
    if (got instanceof Map) return got;
    stop = { ...got, detail: `${got.detail} with ${distinct} distinct states; the level in progress was dropped` };
    return undefined;
  };

  /** The link (parent, action) of state `i`, from Redis. */
  const linkOf = async (i: number): Promise<[number, number]> => {
    let a = 0;
    let z = linkBlobs.length - 1;
    while (a < z) {
      const mid = (a + z + 1) >> 1;
      if (linkBlobs[mid]!.start <= i) a = mid;
      else z = mid - 1;
    }
    const b = linkBlobs[a]!;
    const buf = await control.getrangeBuffer(b.key, (i - b.start) * 8, (i - b.start) * 8 + 7);
    const score = buf.readDoubleLE(0);
    if (i < initCount) return [0, score];
    const parent = Math.floor(score / ACTION_SPAN) - 1;
    return [parent, score - (parent + 1) * ACTION_SPAN];
  };
  const known = new Map<number, readonly [number, number]>();
  /** Fetches the links from state `i` back to its initial state. */
  const fetchPath = async (i: number): Promise<void> => {
    for (let j = i; !known.has(j); ) {
      const l = await linkOf(j);
      known.set(j, l);
      if (j < initCount) break;
      j = l[0];
    }
  };
  const pathOf = async (i: number, action: number) => {
    await fetchPath(i);
    const acts: number[] = [];
    let j = i;
    while (j >= initCount) {
      const l = known.get(j)!;
      acts.push(l[1]);
      j = l[0];
    }
    const init = known.get(j)![1];
    acts.reverse();
    if (action >= 0) acts.push(action);
    return { init, actions: acts };
  };

  let blobs: Blob[] = [];
  try {
    // ---- level 0, here: the initial states, numbered and checked ----
    const fp = new Uint32Array(2);
    const seen0 = new Set<string>();
    const initBytes: Buffer[] = [];
    const initScores: number[] = [];
    const checker0 = new PropertyChecker(sel, {
      report: (f, phase, ai, pi) => tally.report({ ...f, time: [-1, phase, ai, pi] }),
    });
    const ni = ops.initCount();
    const offers = servers.all.map(() => [] as (number | Buffer)[]);
    for (let k = 0; k < ni; k++) {
      ops.initSlot(k, 0);
      tally.generated++;
      ops.fpSlot(0, fp);
      const key = `${fp[0]},${fp[1]}`;
      if (seen0.has(key)) continue;
      seen0.add(key);
      const index = initBytes.length;
      initBytes.push(Buffer.from(ops.slotBuf(0).subarray(ops.slotOff(0), ops.slotOff(0) + w)));
      initScores.push(k);
      offers[servers.shardOf(fp[1]!)]!.push(k, memberOf(fp[0]!, fp[1]!));
      checker0.newState(ops.slotValue(0), index, 0, k);
      ops.checked(0);
    }
    ops.clearSlots(1);
    tally.initialWitnesses(checker0.witnessAt);
    initCount = initBytes.length;
    distinct = initCount;
    await Promise.all(servers.all.map((r, s) => (offers[s]!.length > 0 ? r.callBuffer('ZADD', keys.seen, 'LT', ...offers[s]!) : Promise.resolve(0))));
    const links0 = Buffer.allocUnsafe(initCount * 8);
    initScores.forEach((k, i) => links0.writeDoubleLE(k, i * 8));
    await control.set(keys.front(0, 0), Buffer.concat(initBytes));
    await control.set(keys.links(0, 0), links0);
    blobs = [{ key: keys.front(0, 0), start: 0, count: initCount }];
    linkBlobs.push({ key: keys.links(0, 0), start: 0, count: initCount });
    peakQueue = initCount;
    let levelStart = 0;
    let n = initCount;
    stop = await runCtl.waitForWorkers(dist.minWorkers ?? 1, () =>
      options.stopSignal !== undefined && Atomics.load(options.stopSignal, 0) !== 0 ? stopBound(Atomics.load(options.stopSignal, 0), { distinctStates: distinct, depth }, options) : clock({ distinctStates: distinct, generatedStates: tally.generated, depth, queue: n }),
    );

    while (n > 0 && !stop) {
      if (levelStart + n > MAX_PARENT) throw new CheckOptionError(`a distributed check numbers at most ${MAX_PARENT} states (scores are doubles); this one has more`);
      const atBound = depth >= maxDepth;
      // at least two tasks per live worker, at most taskStates states each
      const parts = Math.max(Math.ceil(n / taskStates), Math.min(n, 2 * Math.max(1, runCtl.liveWorkers)));
      const ranges: [number, number][] = [];
      for (let i = 0; i < parts; i++) {
        const from = levelStart + Math.floor((i * n) / parts);
        const to = levelStart + Math.floor(((i + 1) * n) / parts);
        if (to > from) ranges.push([from, to]);
      }
      const violatedNow = [...tally.violated];
      const expandTasks: Task[] = ranges.map(([from, to]) => ({ type: 'expand', id: runCtl.taskId(), level: depth, levelStart, from, to, blobs, atBound, violated: violatedNow }));
      await runCtl.post(expandTasks);
      const expanded = await gather<Expanded>(new Set(expandTasks.map((t) => t.id)), n);
      if (!expanded) break;
      let unexplored = 0;
      for (const t of expandTasks) unexplored += tally.addExpanded(expanded.get(t.id)!);
      tally.markViolated();
      if (atBound) {
        if (unexplored > 0) stop = { bound: 'maxDepth', limit: maxDepth, detail: `depth bound ${maxDepth} reached with ${unexplored} transitions to states not yet seen` };
        break;
      }
      const violatedAfter = [...tally.violated];
      const commitTasks: Task[] = expandTasks.map((t, i) => ({
        type: 'commit',
        id: runCtl.taskId(),
        level: depth,
        levelStart,
        from: ranges[i]![0],
        to: ranges[i]![1],
        blobs,
        violated: violatedAfter,
        out: keys.front(depth + 1, i),
        outLinks: keys.links(depth + 1, i),
      }));
      await runCtl.post(commitTasks);
      const committed = await gather<Committed>(new Set(commitTasks.map((t) => t.id)), n);
      if (!committed) break;
      const next = levelStart + n;
      let rank = 0;
      const nextBlobs: Blob[] = [];
      commitTasks.forEach((t, i) => {
        const c = committed.get(t.id)!;
        const base = next + rank;
        tally.addCommitted(c, base, depth);
        if (c.count > 0) {
          const q = n - 1 + rank + c.queueLead;
          if (q > peakQueue) peakQueue = q;
          nextBlobs.push({ key: keys.front(depth + 1, i), start: base, count: c.count });
          linkBlobs.push({ key: keys.links(depth + 1, i), start: base, count: c.count });
        }
        rank += c.count;
      });
      tally.markViolated();
      // the level just expanded is no longer needed (its links stay)
      if (blobs.length > 0) await control.unlink(...blobs.map((b) => b.key));
      blobs = nextBlobs;
      distinct = next + rank;
      levelStart = next;
      n = rank;
      if (n > 0) depth++;
    }
  } catch (e) {
    if ((servers.lostReason !== undefined || isConnectionError(e)) && !(e instanceof ModelError) && !(e instanceof CheckOptionError)) {
      lost = true;
      const why = servers.lostReason ?? e;
      stop = {
        bound: 'lost',
        limit: 0,
        detail: `lost Redis (${why instanceof Error ? why.message : String(why)}) at depth ${depth} with ${distinct} distinct states; the level in progress was dropped${tally.found.length > 0 ? `, and the counterexamples found so far (${[...new Set(tally.found.map((f) => f.property))].join(', ')}) cannot be rebuilt: their parent links were in Redis` : ''}`,
      };
    } else {
      await runCtl.finish(lost).catch(() => {});
      throw e;
    }
  }

  // ---- the traces: the links of the states they end in, asked of Redis ----
  let finds: Found[] = tally.firstFinds();
  let deadlockIdx = tally.deadlockIndexes(maxReportedDeadlocks);
  const witnessAt = tally.witnessAt;
  let witnesses = witnessAt;
  let visitedBytes = 0;
  if (!lost) {
    try {
      for (const i of [...finds.map((f) => f.stateIndex), ...deadlockIdx, ...witnessAt.filter((x): x is number => x !== undefined)]) await fetchPath(i);
      // what the visited set takes in Redis (MEMORY USAGE samples the sorted set)
      for (const r of servers.all) visitedBytes += Number((await r.call('MEMORY', 'USAGE', keys.seen)) ?? 0);
    } catch (e) {
      lost = true;
      stop = { bound: 'lost', limit: 0, detail: `lost Redis (${e instanceof Error ? e.message : String(e)}) while fetching the parent links of the counterexamples; they cannot be rebuilt` };
    }
  }
  if (lost) {
    // without the links nothing can be traced: report what was reached, claim nothing
    finds = [];
    deadlockIdx = [];
    witnesses = witnessAt.map(() => undefined);
  }
  await runCtl.finish(lost).catch(() => {});

  return {
    links: new SparseLinks(known, distinct),
    initCount,
    found: finds,
    deadlockIdx,
    witnessAt: witnesses,
    witnessDepth: tally.witnessDepth,
    coverage: tally.coverage(),
    generated: tally.generated,
    terminal: tally.terminal,
    deadlocks: tally.deadlocks,
    depth,
    peakQueue,
    stop,
    stoppedAtViolation: false,
    durationMs: performance.now() - t0,
    visitedBytes,
    ...(ops.canonicalized() !== undefined ? { symmetry: { canonicalized: tally.canonicalized } } : {}),
    engine: 'distributed',
    workers: runCtl.joined.size,
    notes: runCtl.notes,
    untraceable: lost,
  };
}

