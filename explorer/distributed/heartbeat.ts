/**
 * A worker's heartbeat, in a thread of its own: the worker's main thread runs model code for
 * seconds at a time (a swarm's shrinking, a large task) and cannot renew a key on time, so this
 * thread does, on its own connection, as long as the process lives. A process killed, crashed or
 * cut off the network stops beating, and the coordinator hands its tasks to others.
 * (A main thread stuck for ever in model code keeps beating: bound such runs with a time limit.)
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';

/** What the heartbeat thread is started with. */
export interface HeartbeatData {
  readonly url: string;
  /** The heartbeat key, set with `lifetimeMs` expiry; the registry hash and this worker's field in it. */
  readonly key: string;
  readonly registry: string;
  readonly name: string;
  readonly info: string;
  readonly lifetimeMs: number;
  readonly periodMs: number;
}

const d = workerData as HeartbeatData;
const redis = new Redis(d.url, { maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: (times: number) => (times > 8 ? null : 250) });
redis.on('error', () => {});

// each beat registers again: a worker once thought dead (a long pause) is counted alive again
const beat = (): void => {
  redis
    .pipeline()
    .set(d.key, '1', 'PX', d.lifetimeMs)
    .hset(d.registry, d.name, d.info)
    .pexpire(d.registry, 60_000)
    .exec()
    .then(() => parentPort?.postMessage('beat'))
    .catch(() => {});
};
beat();
const timer = setInterval(beat, d.periodMs);

parentPort?.on('message', (m: unknown) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  redis
    .del(d.key)
    .catch(() => 0)
    .finally(() => {
      redis.disconnect();
      process.exit(0);
    });
});
