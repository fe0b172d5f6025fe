// Why this test? A swarm (simulate --distributed) hands seeds to worker processes and merges what
// they found: the merged result must be the one its seeds give when each is run here (coverage
// summed, the shortest shrunk counterexample, the earlier seed on a tie), whatever the number of
// workers, and its counterexample must replay with the seed and path it prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configs, designByName, modelOf } from '../../catalog.js';
import { simulate, replayPath, decodePath } from '../../explorer/index.js';
import { SWARM_TASKS } from '../../explorer/distributed/index.js';
import { runHere } from '../cli/helpers.js';
import { startRedis, startWorkers, type TestRedis } from './redis.js';

const args = ['simulate', '--design', 'early-unpin', '--config', 'tiny', '--runs', '64', '--max-steps', '20', '--seed', '1', '--json', '--quiet'];

describe('a swarm over Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('merges its seeds as they run one by one here (so whatever the number of workers), and its counterexample replays', async () => {
    const ws = startWorkers(redis.url, 2, 'simulate');
    const swarm = await runHere([...args, '--distributed', redis.url, '--min-workers', '2']);
    expect(await Promise.all(ws.map((w) => w.exit))).toEqual([0, 0]);
    expect(swarm.code).toBe(1);

    // the same seeds, here: task i runs 64/16 walks from seed 1 + i
    const model = modelOf(designByName('early-unpin'), configs.tiny!);
    const tasks = Array.from({ length: SWARM_TASKS }, (_, i) => simulate(model, { seed: 1 + i, runs: 4, maxSteps: 20 }));
    const j = JSON.parse(swarm.stdout) as {
      seed: number;
      stats: { runs: number; steps: number; shrinks: number };
      coverage: Record<string, { enabled: number; fired: number }>;
      violations: { property: string; path: string; length: number; counterexamplePath: string }[];
    };
    expect(j.stats.runs).toBe(tasks.reduce((n, t) => n + t.stats.runs, 0));
    expect(j.stats.steps).toBe(tasks.reduce((n, t) => n + t.stats.steps, 0));
    const fired = new Map<string, number>();
    for (const t of tasks) for (const c of t.coverage) fired.set(c.action, (fired.get(c.action) ?? 0) + c.fired);
    expect(new Map(Object.entries(j.coverage).map(([action, c]) => [action, c.fired]))).toEqual(fired);
    const violating = tasks.flatMap((t, i) => (t.status === 'violation' ? [{ i, v: t.violation, cp: t.counterexamplePath }] : []));
    expect(violating.length).toBeGreaterThan(1);
    const shortest = Math.min(...violating.map((x) => x.v.length));
    const best = violating.find((x) => x.v.length === shortest)!;
    expect(j.violations).toHaveLength(1);
    expect(j.violations[0]!.path).toBe(best.v.path);
    expect(j.violations[0]!.property).toBe(best.v.property);
    expect(j.violations[0]!.counterexamplePath).toBe(best.cp);
    expect(j.seed).toBe(1 + best.i);
    // it replays: as a path, and as the one walk its seed and counterexample path name
    expect(replayPath(model, decodePath(best.v.path)).length).toBe(shortest + 1);
    const alone = await runHere(['simulate', '--design', 'early-unpin', '--config', 'tiny', '--max-steps', '20', '--seed', String(j.seed), '--path', j.violations[0]!.counterexamplePath, '--json', '--quiet']);
    expect(alone.code).toBe(1);
    expect((JSON.parse(alone.stdout) as { violations: { path: string }[] }).violations[0]!.path).toBe(best.v.path);
  });
});
