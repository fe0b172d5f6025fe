/**
 * One distributed run, from the coordinator's side: the job posted on Redis, the task stream and
 * its consumer group, the result stream, the workers' heartbeats, and the end of the run. The
 * breadth-first search (coordinator.ts) and the swarm (swarm.ts) are written on it.
 *
 * A worker whose heartbeat key lapses is declared dead: its unacknowledged tasks (XPENDING) are
 * claimed, posted again for the others and acknowledged. Tasks are idempotent, so a worker that
 * was only slow and finishes one anyway changes nothing; its late result is ignored.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CheckOptionError } from '../options.js';
import type { BoundHit } from '../result.js';
import { GROUP, Keys, RedisServers, type RedisTarget } from './redis.js';
import type { Job, Task, TaskResult } from './wire.js';

/** How a run treats its workers. */
export interface RunSettings {
  /** A worker whose heartbeat is older than this is dead: its tasks go to others. @defaultValue 3000 ms */
  readonly heartbeatTimeoutMs?: number;
  /** How long the run waits with no live worker before it ends incomplete. @defaultValue 60000 ms */
  readonly workerWaitMs?: number;
  /** Lines for the log (stderr in the CLI): workers joining and lost. */
  readonly log?: (line: string) => void;
  /** Workers that must have joined before the first task is posted. @defaultValue 1 */
  readonly minWorkers?: number;
}

/** Why a wait ended early: a bound the caller's `tick` returned, or no worker left. */
export type Interrupt = BoundHit;

/** A failed task's result, raised by `gather`. */
export class TaskFailure extends Error {
  constructor(readonly result: Extract<TaskResult, { type: 'error' }>) {
    super(result.message);
  }
}

/** The coordinator's side of one run. */
export class RunControl {
  readonly keys: Keys;
  /** Workers declared dead, and what became of their tasks: sentences for the result's warnings. */
  readonly notes: string[] = [];
  /** Every worker that joined. */
  readonly joined = new Set<string>();
  private readonly live = new Set<string>();
  private nextTask = 0;
  private lastResult = '0-0';
  private noWorkerSince = performance.now();
  private lastLiveness = -Infinity;
  private readonly heartbeatTimeout: number;
  private readonly workerWait: number;
  private readonly log: (line: string) => void;

  private constructor(
    readonly servers: RedisServers,
    readonly job: Job,
    private readonly jobText: string,
    settings: RunSettings,
  ) {
    this.keys = new Keys(job.run);
    this.heartbeatTimeout = settings.heartbeatTimeoutMs ?? 3000;
    this.workerWait = settings.workerWaitMs ?? 60_000;
    this.log = settings.log ?? (() => {});
  }

  /**
   * Connects, and posts the job (`make` gets the run's name and the number of servers); throws a
   * one-line error when Redis cannot be reached or another run holds it.
   */
  static async start(target: RedisTarget, settings: RunSettings, make: (run: string, shards: number, heartbeatTimeoutMs: number) => Job): Promise<RunControl> {
    const servers = await RedisServers.connect(target, `grantcheck-coordinator-${hostname()}:${process.pid}`);
    const job = make(randomBytes(6).toString('hex'), servers.shards, settings.heartbeatTimeoutMs ?? 3000);
    const jobText = JSON.stringify(job);
    const control = servers.control;
    const tasks = new Keys(job.run).tasks;
    try {
      // the task stream and its group exist before the job is posted: a worker that sees the job reads at once
      await control.xgroup('CREATE', tasks, GROUP, '$', 'MKSTREAM');
      if ((await control.set(Keys.job, jobText, 'PX', 15_000, 'NX')) === null) {
        const other = await control.get(Keys.job);
        await control.del(tasks);
        throw new CheckOptionError(`another grantcheck run (${other ? (JSON.parse(other) as Job).run : 'ending'}) is using the Redis at ${target.urls[0]}; wait for it to end or give another server`);
      }
    } catch (e) {
      servers.close();
      throw e;
    }
    return new RunControl(servers, job, jobText, settings);
  }

  /** Live workers now. */
  get liveWorkers(): number {
    return this.live.size;
  }

  /** A fresh task id. */
  taskId(): number {
    return this.nextTask++;
  }

  /** Posts tasks on the task stream. */
  async post(tasks: readonly Task[]): Promise<void> {
    if (tasks.length === 0) return;
    const p = this.servers.control.pipeline();
    for (const t of tasks) p.xadd(this.keys.tasks, '*', 'd', JSON.stringify(t));
    const replies = await p.exec();
    for (const [e] of replies ?? []) if (e) throw e;
  }

  /** Declares dead the workers whose heartbeat lapsed and posts their unacknowledged tasks again. */
  private async liveness(where: string): Promise<void> {
    const control = this.servers.control;
    const registered = Object.keys(await control.hgetall(this.keys.workers));
    const p = control.pipeline();
    for (const id of registered) p.exists(this.keys.heartbeat(id));
    const alive = (await p.exec())?.map(([, v]) => v === 1) ?? [];
    for (let i = 0; i < registered.length; i++) {
      const id = registered[i]!;
      if (alive[i]) {
        if (!this.live.has(id)) {
          this.live.add(id);
          this.joined.add(id);
          this.log(`worker ${id} joined`);
        }
        continue;
      }
      this.live.delete(id);
      const pending = (await control.xpending(this.keys.tasks, GROUP, '-', '+', 100_000, id)) as [string, string, number, number][];
      const ids = pending.map((e) => e[0]);
      let handed = 0;
      if (ids.length > 0) {
        const claimed = (await control.xclaim(this.keys.tasks, GROUP, 'coordinator', 0, ...ids)) as [string, string[] | null][];
        const again: Task[] = [];
        for (const [, fields] of claimed) if (fields && fields[1] !== undefined) again.push(JSON.parse(fields[1]) as Task);
        await this.post(again);
        await control.xack(this.keys.tasks, GROUP, ...ids);
        handed = again.length;
      }
      await control.hdel(this.keys.workers, id);
      await control.xgroup('DELCONSUMER', this.keys.tasks, GROUP, id);
      const note = `worker ${id} stopped answering (no heartbeat for ${this.heartbeatTimeout} ms) ${where}; ${handed === 0 ? 'it held no unfinished task' : `its ${handed} unfinished task${handed === 1 ? ' was' : 's were'} handed to other workers`}`;
      this.notes.push(note);
      this.log(note);
    }
    if (this.live.size > 0) this.noWorkerSince = performance.now();
  }

  /**
   * Waits until `n` workers have joined (each beats at once on joining); the reason to stop
   * instead, as `gather` gives it, when they do not within `workerWaitMs` or `tick` says so.
   */
  async waitForWorkers(n: number, tick: () => Interrupt | undefined): Promise<Interrupt | undefined> {
    const t0 = performance.now();
    for (;;) {
      await this.liveness('before the search');
      if (this.live.size >= n) return undefined;
      const stop = tick();
      if (stop) return stop;
      if (performance.now() - t0 > this.workerWait) {
        return { bound: 'lost', limit: this.workerWait, detail: `${this.live.size} of the ${n} workers asked for had joined after ${this.workerWait} ms` };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Waits for the results of `ids`. Returns them, or the reason to stop: `tick` (called every
   * 100 ms or so) returns a bound, or no worker was alive for `workerWaitMs`. A failed task
   * raises TaskFailure. `where` names the point of the run for the notes ("at depth 7").
   */
  async gather<R extends TaskResult>(ids: ReadonlySet<number>, where: string, tick: () => Interrupt | undefined): Promise<Map<number, R> | Interrupt> {
    const got = new Map<number, R>();
    const control = this.servers.control;
    while (got.size < ids.size) {
      const now = performance.now();
      if (now - this.lastLiveness >= Math.min(500, this.heartbeatTimeout / 3)) {
        this.lastLiveness = now;
        await this.liveness(where);
        await control.set(Keys.job, this.jobText, 'PX', 15_000, 'XX');
        if (this.live.size === 0 && now - this.noWorkerSince > this.workerWait) {
          return { bound: 'lost', limit: this.workerWait, detail: `no worker was alive for ${this.workerWait} ms ${where}` };
        }
      }
      const stop = tick();
      if (stop) return stop;
      const reply = (await control.xread('COUNT', 1000, 'BLOCK', 100, 'STREAMS', this.keys.results, this.lastResult)) as [string, [string, string[]][]][] | null;
      if (!reply) continue;
      for (const [, entries] of reply) {
        for (const [entryId, fields] of entries) {
          this.lastResult = entryId;
          const r = JSON.parse(fields[1]!) as TaskResult;
          if (!ids.has(r.id) || got.has(r.id)) continue;
          if (r.type === 'error') throw new TaskFailure(r);
          got.set(r.id, r as R);
        }
      }
    }
    return got;
  }

  /** Ends the run: workers leave, the run's keys are deleted (unless Redis is gone). */
  async finish(lost: boolean): Promise<void> {
    try {
      if (lost) return;
      const control = this.servers.control;
      await control.set(this.keys.end, '1', 'PX', 60_000);
      if ((await control.get(Keys.job)) === this.jobText) await control.del(Keys.job);
      for (const r of this.servers.all) {
        let cursor = '0';
        do {
          const [c, found] = await r.scan(cursor, 'MATCH', this.keys.pattern, 'COUNT', 1000);
          cursor = c;
          const doomed = found.filter((k) => k !== this.keys.end);
          if (doomed.length > 0) await r.unlink(...doomed);
        } while (cursor !== '0');
      }
    } finally {
      this.servers.close();
    }
  }
}
