/**
 * The distributed search and swarm, over Redis (docs/distributed.md): a coordinator that runs the
 * levels (`checkDistributed`) or cuts a swarm (`simulateDistributed`), and workers on any host that
 * join by URL (`runWorker`).
 */
export { checkDistributed } from './coordinator.js';
export type { DistributedOptions } from './coordinator.js';
export { simulateDistributed, SWARM_TASKS } from './swarm.js';
export type { SwarmResult } from './swarm.js';
export { runWorker } from './worker.js';
export type { WorkerOptions, WorkerOutcome } from './worker.js';
export { parseRedisUrls, DistributedSetupError, RedisLostError } from './redis.js';
export type { RedisTarget } from './redis.js';
export type { RunSettings } from './run.js';
