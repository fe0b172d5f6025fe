/**
 * The Redis side of a distributed run: the servers named by `redis://host:port[,...]`, one
 * connection per server, the key names, and the partition of the visited set over the servers.
 *
 * The first server holds the run's control keys (the job, the task and result streams, the
 * heartbeats, the frontier and the parent links); the visited set is split by fingerprint over
 * every server given (`seen` on each), so that adding servers adds room and throughput for the
 * part of the run that grows with the state space.
 *
 * Connections fail fast: a command that cannot be sent within about two seconds of reconnecting
 * rejects, and the caller ends the run `incomplete` with the reason. (A client that retried for
 * ever would hold a run that has lost its store.)
 */
import { Redis } from 'ioredis';

/** Raised for a `--distributed` value that is not a list of redis:// URLs. */
export class DistributedSetupError extends Error {
  override readonly name = 'DistributedSetupError';
}

/** Raised when a Redis server stops answering in the middle of a run. */
export class RedisLostError extends Error {
  override readonly name = 'RedisLostError';
}

/** Whether `e` is a client's word for a connection that is gone (rather than a bug). */
export function isConnectionError(e: unknown): boolean {
  return e instanceof Error && /Connection is closed|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Stream isn't writeable/i.test(e.message);
}

/** The servers of a run, as given. */
export interface RedisTarget {
  readonly urls: readonly string[];
}

/** Parses `redis://host:port[,redis://host:port...]`; throws a one-line DistributedSetupError. */
export function parseRedisUrls(text: string): RedisTarget {
  const urls = text
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  if (urls.length === 0) throw new DistributedSetupError(`--distributed needs one or more Redis URLs, e.g. redis://127.0.0.1:6379`);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new DistributedSetupError(`--distributed: '${u}' is not a URL; write redis://host:port (several separated by commas)`);
    }
    if (parsed.protocol !== 'redis:') throw new DistributedSetupError(`--distributed: '${u}' is not a redis:// URL; write redis://host:port`);
    if (parsed.hostname === '') throw new DistributedSetupError(`--distributed: '${u}' names no host; write redis://host:port`);
  }
  if (new Set(urls).size !== urls.length) throw new DistributedSetupError(`--distributed names a server twice: give each Redis server once`);
  return { urls };
}

/** Open connections to every server of a run. */
export class RedisServers {
  /** One connection per server; [0] holds the control keys. */
  readonly all: readonly Redis[];
  private lost: Error | undefined;
  private constructor(readonly target: RedisTarget, conns: Redis[]) {
    this.all = conns;
  }

  /** The server with the control keys. */
  get control(): Redis {
    return this.all[0]!;
  }

  /** The number of partitions of the visited set. */
  get shards(): number {
    return this.all.length;
  }

  /** Why the servers were lost, once they were. */
  get lostReason(): Error | undefined {
    return this.lost;
  }

  /**
   * Connects to every server; throws a one-line DistributedSetupError naming the server that does
   * not answer (before any work starts).
   */
  static async connect(target: RedisTarget, name: string): Promise<RedisServers> {
    const conns: Redis[] = [];
    const servers = new RedisServers(target, conns);
    for (const url of target.urls) {
      const r = new Redis(url, {
        lazyConnect: true,
        connectionName: name,
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
        connectTimeout: 2000,
        // reconnect a few times over about two seconds, then give up: the run ends incomplete
        retryStrategy: (times: number) => (times > 8 ? null : 250),
      });
      r.on('error', (e: Error) => {
        servers.lost ??= new RedisLostError(`Redis at ${url}: ${e.message}`);
      });
      r.on('end', () => {
        servers.lost ??= new RedisLostError(`Redis at ${url} closed the connection`);
      });
      conns.push(r);
      try {
        await r.connect();
        await r.ping();
      } catch (e) {
        for (const c of conns) c.disconnect();
        throw new DistributedSetupError(`cannot reach Redis at ${url} (${e instanceof Error ? e.message : String(e)}); start redis-server there or fix the --distributed URL`);
      }
    }
    servers.lost = undefined;
    return servers;
  }

  /** The partition of the visited set a fingerprint belongs to. */
  shardOf(lo: number): number {
    return this.all.length === 1 ? 0 : (lo >>> 0) % this.all.length;
  }

  /** Closes every connection. */
  close(): void {
    for (const r of this.all) r.disconnect();
  }
}

/** The key names of one run (`gc:<run>:...`). */
export class Keys {
  constructor(readonly run: string) {}
  /** The current job on this Redis (one at a time): its description, with an expiry the coordinator renews. */
  static readonly job = 'grantcheck:job';
  get tasks(): string {
    return `gc:${this.run}:tasks`;
  }
  get results(): string {
    return `gc:${this.run}:results`;
  }
  get workers(): string {
    return `gc:${this.run}:workers`;
  }
  heartbeat(worker: string): string {
    return `gc:${this.run}:hb:${worker}`;
  }
  /** The visited set's partition on each server: fingerprint -> (parent + 1) * ACTION_SPAN + action. */
  get seen(): string {
    return `gc:${this.run}:seen`;
  }
  /** The states of one task's output (fixed-width records), and their parent links. */
  front(level: number, task: number): string {
    return `gc:${this.run}:front:${level}:${task}`;
  }
  links(level: number, task: number): string {
    return `gc:${this.run}:links:${level}:${task}`;
  }
  /** Set when the run is over: workers leave it. */
  get end(): string {
    return `gc:${this.run}:end`;
  }
  /** Every key of the run, for deleting them at the end. */
  get pattern(): string {
    return `gc:${this.run}:*`;
  }
}

/** The consumer group of the task stream. */
export const GROUP = 'workers';

/**
 * How a transition is kept in the visited set's score: (parent + 1) * ACTION_SPAN + action index,
 * initial states as their index. Scores are doubles, exact up to 2^53: parents up to 2^33 (8.6e9
 * states) with up to 2^20 actions per state.
 */
export const ACTION_SPAN = 2 ** 20;
export const MAX_PARENT = 2 ** 33 - 2;

/**
 * `EVALSHA offer 1 seen BLOB`: BLOB holds OFFER_RECORD-byte records, the score as 16 decimal digits
 * (exact: scores are integers below 2^53) and the 8-byte member, and each becomes
 * `ZADD seen LT score member`. One binary argument per batch costs the client far less than two
 * arguments per successor (measured: docs/distributed.md).
 */
export const OFFER_SCRIPT = `
local key = KEYS[1]
local blob = ARGV[1]
local args = {}
local n = 0
for off = 1, #blob, 24 do
  args[n + 1] = string.sub(blob, off, off + 15)
  args[n + 2] = string.sub(blob, off + 16, off + 23)
  n = n + 2
  if n >= 2000 then
    redis.call('ZADD', key, 'LT', unpack(args, 1, n))
    n = 0
  end
end
if n > 0 then redis.call('ZADD', key, 'LT', unpack(args, 1, n)) end
return #blob / 24
`;
export const OFFER_RECORD = 24;

/** An 8-byte member for a fingerprint. */
export function memberOf(hi: number, lo: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeInt32BE(hi | 0, 0);
  b.writeInt32BE(lo | 0, 4);
  return b;
}
