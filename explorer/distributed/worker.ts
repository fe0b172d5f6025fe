/**
 * A worker of a distributed run, on any host: it joins by the Redis URL, builds the model the job
 * names (the same way a worker thread does: `model.worker`), and takes tasks from the run's task
 * stream (a Redis Streams consumer group, so that a task a dead worker held can be handed to
 * another) until the run ends. A heartbeat key with an expiry, renewed by a thread of its own
 * (heartbeat.ts), tells the coordinator it is alive.
 *
 * Tasks (wire.ts):
 * - expand [from, to) of a level: load those states (the level's blobs), generate every
 *   successor, check step properties and terminal states, and offer each successor to the visited
 *   set in Redis as `ZADD seen LT (parent + 1) * 2^20 + action fingerprint` (batched in a script,
 *   redis.ts's OFFER_SCRIPT): the set keeps, per
 *   state, the smallest (parent, action) that reached it, which is the transition by which the
 *   sequential search discovers it first; states of earlier levels keep their smaller scores;
 * - commit [from, to) (after every expand of the level): the new states whose smallest parent lies
 *   in [from, to) are the scores in [(from + 1) * 2^20, (to + 1) * 2^20), already in the
 *   sequential order; rebuild each from its parent and action, check the invariants and
 *   witnesses on it, and write them (the next level's blob) with their parent links;
 * - walks: one seeded simulation of a swarm.
 * Every task is idempotent (offers take a minimum, commits write the same bytes), so a task run
 * twice (handed over from a worker thought dead) changes nothing.
 */
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtModuleUrl } from '../parallel/source.js';
import type { HeartbeatData } from './heartbeat.js';
import { expanderOf } from '../check.js';
import type { Model } from '../model.js';
import { selectProperties } from '../search/outcome.js';
import { PropertyChecker, type Finding, type Phase } from '../search/properties.js';
import { simulate } from '../simulate/simulate.js';
import type { ByteOps } from '../search/expander.js';
import { ACTION_SPAN, GROUP, Keys, memberOf, OFFER_RECORD, OFFER_SCRIPT, RedisServers, type RedisTarget } from './redis.js';
import { localModuleUrl } from './source.js';
import type { Blob, Committed, Expanded, Failed, Job, Task, TaskResult, WalkSummary, WireFind } from './wire.js';
import { KindCounts } from '../parallel/tally.js';

/** Options of a worker. */
export interface WorkerOptions {
  /** How long to wait for a job before giving up. @defaultValue 60000 ms */
  readonly waitForJobMs?: number;
  /** Lines for the log (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

/** How a worker's service ended. */
export interface WorkerOutcome {
  readonly run: string | undefined;
  readonly tasks: number;
  readonly reason: 'done' | 'no-job';
}

/** Successors per offer (one script call). */
const OFFER_BATCH = 2048;

/** Heartbeats per heartbeat lifetime (a worker late by two is still alive). */
const HEARTBEAT_RENEWALS = 3;

/** Reads the records [from, to) of a level from its blobs, in one buffer. */
export async function readRange(servers: RedisServers, blobs: readonly Blob[], from: number, to: number, w: number): Promise<Buffer> {
  const parts: Promise<Buffer>[] = [];
  for (const b of blobs) {
    const a = Math.max(from, b.start);
    const z = Math.min(to, b.start + b.count);
    if (a >= z) continue;
    parts.push(servers.control.getrangeBuffer(b.key, (a - b.start) * w, (z - b.start) * w - 1));
  }
  const buf = Buffer.concat(await Promise.all(parts));
  if (buf.length !== (to - from) * w) throw new Error(`level blobs hold ${buf.length / w} of the ${to - from} states [${from}, ${to}): a blob is missing`);
  return buf;
}

/** Joins a distributed run at `target` and serves it until it ends. */
export async function runWorker(target: RedisTarget, options: WorkerOptions = {}): Promise<WorkerOutcome> {
  const log = options.log ?? (() => {});
  const name = `${hostname()}:${process.pid}`;
  const cpu0 = process.cpuUsage();
  const servers = await RedisServers.connect(target, `grantcheck-worker-${name}`);
  let heart: Worker | undefined;
  try {
    const waitUntil = Date.now() + (options.waitForJobMs ?? 60_000);
    let jobText: string | null = null;
    for (;;) {
      jobText = await servers.control.get(Keys.job);
      if (jobText !== null) break;
      if (Date.now() > waitUntil) return { run: undefined, tasks: 0, reason: 'no-job' };
      await sleep(200);
    }
    const job = JSON.parse(jobText) as Job;
    const keys = new Keys(job.run);
    log(`worker ${name}: joined run ${job.run} (${job.kind})`);
    const mod = (await import(localModuleUrl(job.source))) as Record<string, unknown>;
    const factory = mod[job.source.exportName];
    if (typeof factory !== 'function') throw new Error(`worker: ${job.source.url} exports no function '${job.source.exportName}'`);
    const model = (await (factory as (...a: unknown[]) => Model<unknown, unknown> | Promise<Model<unknown, unknown>>)(...job.source.args)) as Model<unknown, unknown>;

    const lifetime = job.heartbeatTimeoutMs;
    const data: HeartbeatData = {
      url: target.urls[0]!,
      key: keys.heartbeat(name),
      registry: keys.workers,
      name,
      info: JSON.stringify({ host: hostname(), pid: process.pid }),
      lifetimeMs: lifetime,
      periodMs: Math.max(50, Math.floor(lifetime / HEARTBEAT_RENEWALS)),
    };
    heart = new Worker(builtModuleUrl(new URL('./heartbeat.js', import.meta.url).href), { workerData: data });
    heart.unref();
    // the first beat registers this worker before it takes a task
    await new Promise<void>((resolve, reject) => {
      heart!.once('message', () => resolve());
      heart!.once('error', reject);
      heart!.once('exit', () => reject(new Error('the heartbeat thread ended before its first beat')));
    });

    const offerSha = job.kind === 'check' ? await Promise.all(servers.all.map((r) => r.script('LOAD', OFFER_SCRIPT) as Promise<string>)) : [];
    const serve = job.kind === 'check' ? checkTasks(model, job, servers, keys, offerSha) : walkTasks(model, job);
    let tasks = 0;
    for (;;) {
      const over = async (): Promise<boolean> => (await servers.control.exists(keys.end)) === 1 || (await servers.control.get(Keys.job)) !== jobText;
      let got: [string, [string, string[]][]][] | null;
      try {
        got = (await servers.control.xreadgroup('GROUP', GROUP, name, 'COUNT', 1, 'BLOCK', 200, 'STREAMS', keys.tasks, '>')) as [string, [string, string[]][]][] | null;
      } catch (e) {
        // the coordinator deletes the task stream when the run ends
        if (servers.lostReason === undefined && (await over())) break;
        throw e;
      }
      if (!got) {
        if (await over()) break;
        continue;
      }
      for (const [, entries] of got) {
        for (const [entryId, fields] of entries) {
          const task = JSON.parse(fields[1]!) as Task;
          const result = await serve(task);
          // a run that ended meanwhile (a time limit, an error elsewhere) gets no more results
          if (await over()) break;
          await servers.control.xadd(keys.results, '*', 'd', JSON.stringify(result));
          await servers.control.xack(keys.tasks, GROUP, entryId);
          tasks++;
        }
      }
    }
    const cpu = process.cpuUsage(cpu0);
    log(`worker ${name}: run ${job.run} ended after ${tasks} tasks, ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU`);
    return { run: job.run, tasks, reason: 'done' };
  } finally {
    if (heart) {
      const h = heart;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => void h.terminate().then(() => resolve()), 1000);
        h.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        h.postMessage('stop');
      });
    }
    servers.close();
  }
}

/** Writes a score (an integer below 2^53) as 16 decimal digits at `at`. */
function writeScore(b: Buffer, at: number, score: number): void {
  let x = score;
  for (let i = 15; i >= 0; i--) {
    const q = Math.floor(x / 10);
    b[at + i] = 48 + (x - q * 10);
    x = q;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The task handler of a check: expand and commit. */
function checkTasks(model: Model<unknown, unknown>, job: Job, servers: RedisServers, keys: Keys, offerSha: readonly string[]): (t: Task) => Promise<TaskResult> {
  const ops: ByteOps<unknown, unknown> | undefined = expanderOf(model, { symmetry: job.useSymmetry }).bytes;
  if (!ops || ops.width === undefined) throw new Error('worker: the model has no fixed-width byte form (a packed model, or a guard+recipe model with a declared layout)');
  const w = ops.width;
  const sel = selectProperties(model, { properties: job.properties });
  const kindOf = model.actionKind ? (a: unknown) => model.actionKind!(a) : (a: unknown) => String((a as { kind?: unknown }).kind ?? JSON.stringify(a));
  const isFinal = model.isFinal ? (s: unknown) => model.isFinal!(s) : undefined;
  let curState = -1;
  let curAction = -1;

  const checkerFor = (finds: WireFind[], at: () => [number, number], violated: readonly string[]) => {
    const c = new PropertyChecker(sel, {
      checkDeadlock: job.checkDeadlock,
      maxReportedDeadlocks: job.maxReportedDeadlocks,
      ...(isFinal ? { isFinal } : {}),
      report: (f: Finding, phase: Phase, ai: number, pi: number) => {
        const [state, action] = at();
        finds.push({ ...f, time: [state, phase, phase === 1 ? action : ai, pi] });
      },
    });
    c.markViolated(violated);
    return c;
  };

  const expand = async (t: Extract<Task, { type: 'expand' }>): Promise<Expanded> => {
    const buf = await readRange(servers, t.blobs, t.from, t.to, w);
    const finds: WireFind[] = [];
    const checker = checkerFor(finds, () => [curState, curAction], t.violated);
    const kinds = new KindCounts();
    const shards = servers.shards;
    // offers: records (score in decimal, member) per server, sent as one script argument per batch;
    // at the depth bound, members to look up
    const blobs: Buffer[] = [];
    const fill: number[] = [];
    const lookups: Buffer[][] = [];
    for (let s = 0; s < shards; s++) {
      blobs.push(Buffer.allocUnsafe(OFFER_BATCH * OFFER_RECORD));
      fill.push(0);
      lookups.push([]);
    }
    const sent: Promise<unknown>[] = [];
    const flush = (s: number): void => {
      if (t.atBound) {
        if (lookups[s]!.length > 0) sent.push(servers.all[s]!.callBuffer('ZMSCORE', keys.seen, ...lookups[s]!));
        lookups[s] = [];
        return;
      }
      if (fill[s] === 0) return;
      sent.push(servers.all[s]!.evalsha(offerSha[s]!, 1, keys.seen, blobs[s]!.subarray(0, fill[s]! * OFFER_RECORD)));
      blobs[s] = Buffer.allocUnsafe(OFFER_BATCH * OFFER_RECORD);
      fill[s] = 0;
    };
    const fp = new Uint32Array(2);
    const canon0 = ops.canonicalized() ?? 0;
    let generated = 0;
    let offered = 0;
    for (let j = 0; j < t.to - t.from; j++) {
      const gi = t.from + j;
      curState = gi;
      curAction = -1;
      const s = ops.load(buf, j * w, w);
      const acts = ops.actions(s);
      let m = 0;
      for (let ai = 0; ai < acts.length; ai++) {
        curAction = ai;
        const a = acts[ai];
        if (!ops.succ(s, ai, a, m)) continue;
        generated++;
        const k = kinds.idOf(kindOf(a));
        if (kinds.count[k]!++ === 0) {
          kinds.firstState[k] = gi;
          kinds.firstAi[k] = ai;
        }
        if (checker.hasSteps) checker.step(s, a, ops.slotValue(m), gi, ai);
        ops.fpSlot(m, fp);
        const shard = servers.shardOf(fp[1]!);
        offered++;
        if (t.atBound) {
          lookups[shard]!.push(memberOf(fp[0]!, fp[1]!));
          if (lookups[shard]!.length >= OFFER_BATCH) flush(shard);
        } else {
          const b = blobs[shard]!;
          const at = fill[shard]! * OFFER_RECORD;
          writeScore(b, at, (gi + 1) * ACTION_SPAN + ai);
          b.writeInt32BE(fp[0]! | 0, at + 16);
          b.writeInt32BE(fp[1]! | 0, at + 20);
          if (++fill[shard]! === OFFER_BATCH) flush(shard);
        }
        m++;
      }
      curAction = -1;
      ops.clearSlots(m);
      if (m === 0) checker.terminalState(s, gi);
      ops.unload();
    }
    curState = -1;
    for (let s = 0; s < shards; s++) flush(s);
    const replies = await Promise.all(sent);
    let unexplored = 0;
    if (t.atBound) for (const r of replies) for (const v of r as (Buffer | null)[]) if (v === null) unexplored++;
    return {
      type: 'expanded',
      id: t.id,
      generated,
      terminal: checker.terminal,
      deadlocks: checker.deadlocks,
      deadlockIdx: checker.deadlockIdx,
      finds,
      generatedByKind: kinds.list(),
      unexplored,
      canonicalized: (ops.canonicalized() ?? 0) - canon0,
      offered,
    };
  };

  const commit = async (t: Extract<Task, { type: 'commit' }>): Promise<Committed> => {
    const lo = (t.from + 1) * ACTION_SPAN;
    const hi = (t.to + 1) * ACTION_SPAN - 1;
    const [buf, ...lists] = await Promise.all([
      readRange(servers, t.blobs, t.from, t.to, w),
      ...servers.all.map((r) => r.callBuffer('ZRANGEBYSCORE', keys.seen, lo, hi, 'WITHSCORES') as Promise<Buffer[]>),
    ]);
    // the winners of every partition, in score order: the sequential numbering
    const winners: { score: number; member: Buffer }[] = [];
    for (const l of lists) for (let i = 0; i < l.length; i += 2) winners.push({ member: l[i]!, score: Number(l[i + 1]!.toString()) });
    if (lists.length > 1) winners.sort((a, b) => a.score - b.score);
    const count = winners.length;
    const out = Buffer.allocUnsafe(count * w);
    const links = Buffer.allocUnsafe(count * 8);
    const finds: WireFind[] = [];
    let parent = -1;
    let action = -1;
    const checker = checkerFor(finds, () => [parent, action], t.violated);
    const kinds = new KindCounts();
    const fp = new Uint32Array(2);
    let loaded = -1;
    let s: unknown;
    let acts: readonly unknown[] = [];
    let queueLead = -Infinity;
    for (let r = 0; r < count; r++) {
      const { score, member } = winners[r]!;
      parent = Math.floor(score / ACTION_SPAN) - 1;
      action = score - (parent + 1) * ACTION_SPAN;
      curState = parent;
      curAction = action;
      if (parent !== loaded) {
        if (loaded >= 0) ops.unload();
        s = ops.load(buf, (parent - t.from) * w, w);
        acts = ops.actions(s);
        loaded = parent;
      }
      const a = acts[action];
      if (!ops.succ(s, action, a, 0)) throw new Error(`the visited set names action ${action} of state ${parent}, which is disabled there: the model is not deterministic, or two runs share this Redis`);
      ops.fpSlot(0, fp);
      if (member.readInt32BE(0) !== (fp[0]! | 0) || member.readInt32BE(4) !== (fp[1]! | 0)) {
        throw new Error(`action ${action} of state ${parent} gives another state than the one it offered: the model is not deterministic`);
      }
      const sb = ops.slotBuf(0);
      const so = ops.slotOff(0);
      out.set(sb.subarray(so, so + w), r * w);
      links.writeDoubleLE(score, r * 8);
      kinds.count[kinds.idOf(kindOf(a))]!++;
      if (checker.needValue) checker.newState(ops.slotValue(0), r, 0, action);
      ops.checked(0);
      ops.clearSlots(1);
      const lead = r + 1 - (parent - t.levelStart);
      if (lead > queueLead) queueLead = lead;
    }
    if (loaded >= 0) ops.unload();
    curState = -1;
    curAction = -1;
    await Promise.all([servers.control.set(t.out, out), servers.control.set(t.outLinks, links)]);
    return {
      type: 'committed',
      id: t.id,
      count,
      finds,
      witnessAt: checker.witnessAt.map((x) => (x === undefined ? -1 : x)),
      newByKind: kinds.list(),
      queueLead: count > 0 ? queueLead : 0,
    };
  };

  return async (t: Task): Promise<TaskResult> => {
    try {
      if (t.type === 'expand') return await expand(t);
      if (t.type === 'commit') return await commit(t);
      throw new Error(`a check's worker got a '${t.type}' task`);
    } catch (e) {
      const failed: Failed = { type: 'error', id: t.id, message: messageOf(e), errorName: e instanceof Error ? e.name : 'Error', stateIndex: curState, actionIndex: curAction };
      curState = -1;
      curAction = -1;
      return failed;
    }
  };
}

/** The task handler of a swarm: one seeded simulation per task. */
function walkTasks(model: Model<unknown, unknown>, job: Job): (t: Task) => Promise<TaskResult> {
  return async (t: Task): Promise<TaskResult> => {
    if (t.type !== 'walks') return { type: 'error', id: t.id, message: `a swarm's worker got a '${t.type}' task`, errorName: 'Error', stateIndex: -1, actionIndex: -1 };
    try {
      const r = simulate(model, { ...(job.simulate ?? {}), seed: t.seed, runs: t.runs });
      const summary: WalkSummary = {
        seed: t.seed,
        runs: r.stats.runs,
        steps: r.stats.steps,
        longestWalk: r.stats.longestWalk,
        terminalStates: r.stats.terminalStates,
        zeroWeightStops: r.stats.zeroWeightStops,
        shrinks: r.stats.shrinks,
        coverage: r.coverage,
        witnesses: r.witnesses.map((w) => ({ name: w.name, walks: w.walks, ...(w.run !== undefined ? { run: w.run, step: w.step!, path: w.path! } : {}) })),
        ...(r.status === 'violation'
          ? {
              violation: {
                property: r.violation.property,
                kind: r.violation.kind,
                ...(r.violation.clause !== undefined ? { clause: r.violation.clause } : {}),
                path: r.violation.path,
                length: r.violation.length,
                run: r.run,
                originalLength: r.originalLength,
                counterexamplePath: r.counterexamplePath,
              },
            }
          : {}),
      };
      return { type: 'walked', id: t.id, result: summary };
    } catch (e) {
      return { type: 'error', id: t.id, message: messageOf(e), errorName: e instanceof Error ? e.name : 'Error', stateIndex: -1, actionIndex: -1 };
    }
  };
}
