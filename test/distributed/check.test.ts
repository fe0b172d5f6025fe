// Why this test? A distributed check must be the one-machine search run elsewhere: the same
// distinct states, verdicts, shortest counterexamples and witnesses, from a coordinator and worker
// processes that meet only through a real redis-server; a worker killed mid-run must not change
// the answer (its tasks go to the others), and losing Redis must end the run incomplete (exit 3),
// never with another verdict. Workers run the built CLI (dist/): `npm test` builds first.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHere, tempDir } from '../cli/helpers.js';
import { startRedis, startWorkers, type TestRedis, type TestWorker } from './redis.js';

/** A check's JSON without what may differ between engines and runs: time, engine, memory, the workers' notes. */
function comparable(json: string): Record<string, unknown> {
  const j = JSON.parse(json) as Record<string, unknown> & { stats: Record<string, unknown>; warnings: string[] };
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, engine: _e, visitedBytes: _v, linkBytes: _l, store: _st, workers: _w, ...stats } = j.stats;
  return { ...j, stats, warnings: j.warnings.filter((w) => !w.startsWith('worker ')) };
}

/** Calls `f` once the run on `url` has sent `n` task results and `workers` workers have joined it. */
async function whenResults(url: string, n: number, workers: number, f: () => void): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    for (let i = 0; i < 1200; i++) {
      const job = await r.get('grantcheck:job');
      if (job !== null) {
        const run = (JSON.parse(job) as { run: string }).run;
        if ((await r.xlen(`gc:${run}:results`)) >= n && (await r.hlen(`gc:${run}:workers`)) >= workers) {
          f();
          return;
        }
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`the run on ${url} never sent ${n} results`);
  } finally {
    r.disconnect();
  }
}

const standard = ['check', '--design', 'gntdev-2022', '--config', 'standard', '--json', '--quiet'];

describe('a distributed check over Redis', () => {
  let redis: TestRedis;
  let oneMachine: Record<string, unknown>;
  const workers: TestWorker[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const r = await runHere(standard);
    expect(r.code).toBe(0);
    oneMachine = comparable(r.stdout);
  });
  afterAll(async () => {
    for (const w of workers) if (w.process.exitCode === null) w.process.kill('SIGKILL');
    await redis?.stop();
  });

  it('gives the one-machine result on gntdev-2022 standard with a coordinator and three worker processes', async () => {
    const ws = startWorkers(redis.url, 3);
    workers.push(...ws);
    const r = await runHere([...standard, '--distributed', redis.url, '--min-workers', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { stats: { engine: string; workers: number; distinctStates: number } };
    expect(j.stats.engine).toBe('distributed');
    expect(j.stats.workers).toBe(3);
    expect(j.stats.distinctStates).toBe(208_746);
    expect(comparable(r.stdout)).toEqual(oneMachine);
    // the workers leave when the run ends
    expect(await Promise.all(ws.map((w) => w.exit))).toEqual([0, 0, 0]);
    for (const w of ws) expect(w.stderr).toMatch(/ended after \d+ tasks/);
  });

  it('gives the same result when a worker is killed with SIGKILL mid-run: its tasks go to the two left', async () => {
    const ws = startWorkers(redis.url, 3);
    workers.push(...ws);
    const run = runHere([...standard, '--distributed', redis.url, '--heartbeat-timeout', '2', '--min-workers', '3']);
    // about a fifth of the way: the killed worker has done tasks and holds some
    await whenResults(redis.url, 25, 3, () => ws[0]!.process.kill('SIGKILL'));
    const r = await run;
    expect(await ws[0]!.exit).toBe('SIGKILL');
    const j = JSON.parse(r.stdout) as { status: string; warnings: string[] };
    // the coordinator noticed the death (the kill was mid-run, not after the end)
    expect(j.warnings.some((w) => /^worker .* stopped answering \(no heartbeat for 2000 ms\) at depth \d+/.test(w))).toBe(true);
    // two workers are left, so the run completes (incomplete is for a run with no worker left)
    expect(j.status).toBe('ok');
    expect(r.code).toBe(0);
    expect(comparable(r.stdout)).toEqual(oneMachine);
    expect(await Promise.all(ws.slice(1).map((w) => w.exit))).toEqual([0, 0]);
  });

  it('refuses, in one line with exit 2, a second run on a Redis that holds one', async () => {
    const r = new Redis(redis.url);
    try {
      await r.set('grantcheck:job', JSON.stringify({ run: 'abc123' }), 'PX', 10_000);
      const second = await runHere([...standard, '--distributed', redis.url]);
      expect(second.stderr).toBe(`grantcheck check: another grantcheck run (abc123) is using the Redis at ${redis.url}; wait for it to end or give another server\n`);
      expect(second.code).toBe(2);
    } finally {
      await r.del('grantcheck:job');
      r.disconnect();
    }
  });

  it('gives the same counterexamples, and they replay (early-unpin on tiny: five violations)', async () => {
    const out = tempDir();
    const args = ['check', '--design', 'early-unpin', '--config', 'tiny', '--json', '--quiet', '--no-svg'];
    const seq = await runHere(args);
    expect(seq.code).toBe(1);
    workers.push(...startWorkers(redis.url, 3));
    const dist = await runHere([...args, '--distributed', redis.url, '--out', out, '--min-workers', '3']);
    expect(dist.code).toBe(1);
    const strip = (t: string) => {
      const c = comparable(t) as { violations: Record<string, unknown>[] };
      return { ...c, violations: c.violations.map(({ files: _f, ...v }) => v) };
    };
    expect(strip(dist.stdout)).toEqual(strip(seq.stdout));
    const violations = (JSON.parse(dist.stdout) as { violations: { length: number; files: { itf: string } }[] }).violations;
    expect(violations.length).toBe(5);
    for (const v of violations) {
      const replay = await runHere(['replay', `${out}/${v.files.itf}`, '--json']);
      expect(replay.code).toBe(1);
      expect((JSON.parse(replay.stdout) as { status: string }).status).toBe('reproduced');
    }
  });
});

describe('a distributed check with its visited set split over two Redis servers', () => {
  it.each([[[]], [['--max-depth', '4']]])('gives the one-machine result on early-unpin tiny %j (at the depth bound: the same unexplored count)', async (extra) => {
    const a = await startRedis();
    const b = await startRedis();
    try {
      const args = ['check', '--design', 'early-unpin', '--config', 'tiny', '--json', '--quiet', ...extra];
      const seq = await runHere(args);
      const ws = startWorkers(`${a.url},${b.url}`, 2);
      const dist = await runHere([...args, '--distributed', `${a.url},${b.url}`, '--min-workers', '2']);
      expect(await Promise.all(ws.map((w) => w.exit))).toEqual([0, 0]);
      expect(dist.code).toBe(seq.code);
      expect(comparable(dist.stdout)).toEqual(comparable(seq.stdout));
      if (extra.length > 0) expect((JSON.parse(dist.stdout) as { boundHit: { detail: string } }).boundHit.detail).toMatch(/^depth bound 4 reached with \d+ transitions to states not yet seen$/);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe('a distributed check that loses Redis', () => {
  it('ends incomplete with the reason, exit 3', async () => {
    const redis = await startRedis();
    const ws = startWorkers(redis.url, 2);
    try {
      const run = runHere([...standard, '--distributed', redis.url, '--min-workers', '2']);
      await whenResults(redis.url, 10, 2, () => redis.process.kill('SIGKILL'));
      const r = await run;
      expect(r.code).toBe(3);
      const j = JSON.parse(r.stdout) as { status: string; boundHit: { bound: string; detail: string }; properties: { kind: string; outcome: string }[]; violations: unknown[] };
      expect(j.status).toBe('incomplete');
      expect(j.boundHit.bound).toBe('lost');
      expect(j.boundHit.detail).toMatch(/^lost Redis \(.*\) at depth \d+ with \d+ distinct states; the level in progress was dropped/);
      // nothing is claimed: no property holds, none is violated
      expect(j.violations).toEqual([]);
      expect(j.properties.every((p) => p.outcome === 'unknown')).toBe(true);
      // the workers stop too, saying why (exit 3)
      expect(await Promise.all(ws.map((w) => w.exit)), ws.map((w) => w.stderr).join("")).toEqual([3, 3]);
    } finally {
      for (const w of ws) if (w.process.exitCode === null) w.process.kill('SIGKILL');
      await redis.stop(true);
    }
  });
});

describe('distributed flags: bad input is one line, exit 2, before any work', () => {
  it.each([
    [['--distributed', 'redis://127.0.0.1:1'], /^grantcheck check: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(.*\); start redis-server there or fix the --distributed URL\n$/],
    [['--distributed', 'http://x:1'], /^grantcheck check: --distributed: 'http:\/\/x:1' is not a redis:\/\/ URL; write redis:\/\/host:port\n$/],
    [['--role', 'worker'], /^grantcheck check: --role needs --distributed redis:\/\/host:port: which run to coordinate or join\n$/],
    [['--distributed', 'redis://127.0.0.1:1', '--max-states', '100'], /^grantcheck check: maxStates \(--max-states\) is not available with a distributed check \(it cuts a level in the middle\); leave it out, or check on one machine\n$/],
  ])('check --design gntdev-2022 %j', async (extra, message) => {
    const r = await runHere(['check', '--design', 'gntdev-2022', '--config', 'tiny', '--quiet', ...extra]);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('a worker given a design is told that the coordinator names it', async () => {
    const r = await runHere(['check', '--distributed', 'redis://127.0.0.1:1', '--role', 'worker', '--design', 'gntdev-2022']);
    expect(r.stderr).toBe("grantcheck check: --role worker takes no --design: a worker builds what the coordinator's run names; give them to the coordinator\n");
    expect(r.code).toBe(2);
  });
});
