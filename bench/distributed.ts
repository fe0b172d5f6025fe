/**
 * `npm run bench -- --distributed [--config NAME] [--json]`: the distributed search (Redis, worker
 * processes) against the one-machine search on gntdev-2022 (default configuration `standard`),
 * with 1, 2 and 4 worker processes on this machine. Starts its own redis-server (Debian's
 * `redis-server` on PATH) on a free loopback port and stops it. For each run: distinct states per
 * second, CPU of the workers, the coordinator and Redis, and what Redis saw per distinct state
 * (bytes in and out over the network, commands, ZADD members, bytes of the visited set), from
 * Redis's own INFO counters. Fails (exit 1) when a distributed run's counts or verdicts differ
 * from the one-machine search's. Usage: `node dist/bench/distributed.js [CONFIG] [--json]`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { CatalogError, configByName, designByName, modelOf } from '../catalog.js';
import { check, type CheckResult } from '../explorer/index.js';
import { checkDistributed, parseRedisUrls } from '../explorer/distributed/index.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const configName = args.find((a) => !a.startsWith('--')) ?? 'standard';
const designName = 'gntdev-2022';
const WORKERS = [1, 2, 4];
const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));

if (spawnSync('redis-server', ['--version']).status !== 0) {
  process.stderr.write("bench: redis-server is not on PATH (Debian: apt-get install redis-server; .ci/run installs it)\n");
  process.exit(2);
}
let config: ReturnType<typeof configByName>;
try {
  config = configByName(configName);
} catch (e) {
  if (!(e instanceof CatalogError)) throw e;
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(2);
}
const model = modelOf(designByName(designName), config);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Redis's INFO as numbers (`calls` per command from commandstats). */
async function info(r: Redis): Promise<{ fields: Map<string, number>; calls: Map<string, number>; usec: Map<string, number> }> {
  const text = (await r.info('all')) as string;
  const fields = new Map<string, number>();
  const calls = new Map<string, number>();
  const usec = new Map<string, number>();
  for (const line of text.split('\r\n')) {
    const m = /^cmdstat_([a-z|]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (m) {
      calls.set(m[1]!, Number(m[2]));
      usec.set(m[1]!, Number(m[3]));
      continue;
    }
    const f = /^([a-z_]+):([\d.]+)$/.exec(line);
    if (f) fields.set(f[1]!, Number(f[2]));
  }
  return { fields, calls, usec };
}

/** The parts of a result that must not differ between engines. */
function verdicts(r: CheckResult<unknown, unknown>): string {
  return JSON.stringify({
    states: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    depth: r.stats.depth,
    properties: r.properties,
    violations: r.violations.map((v) => [v.property, v.path]),
    witnesses: r.witnesses.map((w) => [w.name, w.path]),
  });
}

const dir = mkdtempSync(join(tmpdir(), 'grantcheck-bench-redis-'));
const port = await freePort();
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const url = `redis://127.0.0.1:${port}`;
const admin = new Redis(url, { lazyConnect: true });
admin.on('error', () => {});
for (let i = 0; ; i++) {
  try {
    await admin.connect();
    await admin.ping();
    break;
  } catch {
    if (i > 100) throw new Error(`redis-server did not start on port ${port}`);
    admin.disconnect();
    await new Promise((r) => setTimeout(r, 50));
  }
}

const load0 = loadavg();
const rows: Record<string, unknown>[] = [];
try {
  const cpu0 = process.cpuUsage();
  const one = check(model, {});
  const cpu1 = process.cpuUsage(cpu0);
  const base = { states: one.stats.distinctStates, seconds: one.stats.durationMs / 1000, statesPerSecond: one.stats.statesPerSecond };
  rows.push({ run: 'one machine', workers: 0, ...base, workerCpuSeconds: (cpu1.user + cpu1.system) / 1e6, speedup: 1 });
  const expected = verdicts(one);

  for (const W of WORKERS) {
    const before = await info(admin);
    const stderr: string[] = [];
    const workers: ChildProcess[] = [];
    const exits: Promise<void>[] = [];
    for (let i = 0; i < W; i++) {
      const p = spawn(process.execPath, [cli, 'check', '--distributed', url, '--role', 'worker'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      exits.push(new Promise((resolve) => p.once('exit', () => (stderr.push(err), resolve()))));
      workers.push(p);
    }
    const c0 = process.cpuUsage();
    const r = await checkDistributed(model, parseRedisUrls(url), {}, { minWorkers: W });
    const c1 = process.cpuUsage(c0);
    await Promise.all(exits);
    const after = await info(admin);
    if (verdicts(r) !== expected) {
      process.stderr.write(`bench: the distributed run on ${W} workers differs from the one-machine search\n`);
      process.exitCode = 1;
    }
    const workerCpu = stderr.reduce((n, t) => n + Number(/ (\d+) ms of CPU/.exec(t)?.[1] ?? NaN), 0) / 1000;
    const d = (f: string) => (after.fields.get(f) ?? 0) - (before.fields.get(f) ?? 0);
    const calls = (c: string) => (after.calls.get(c) ?? 0) - (before.calls.get(c) ?? 0);
    const usec = (c: string) => (after.usec.get(c) ?? 0) - (before.usec.get(c) ?? 0);
    const n = r.stats.distinctStates;
    const commands = [...after.calls.keys()].reduce((s, c) => s + calls(c), 0) - 1; // INFO itself
    const top = [...after.calls.keys()].map((c) => ({ command: c, calls: calls(c), usec: usec(c) })).filter((c) => c.calls > 0).sort((a, b) => b.usec - a.usec);
    rows.push({
      run: `distributed, ${W} worker${W === 1 ? '' : 's'}`,
      workers: W,
      states: n,
      seconds: r.stats.durationMs / 1000,
      statesPerSecond: r.stats.statesPerSecond,
      speedup: r.stats.statesPerSecond / base.statesPerSecond,
      workerCpuSeconds: workerCpu,
      coordinatorCpuSeconds: (c1.user + c1.system) / 1e6,
      redisCpuSeconds: d('used_cpu_user') + d('used_cpu_sys'),
      netBytesInPerState: d('total_net_input_bytes') / n,
      netBytesOutPerState: d('total_net_output_bytes') / n,
      redisCommandsPerState: commands / n,
      zaddMembersPerState: r.stats.generatedStates / n,
      visitedBytesPerState: r.stats.visitedBytes / n,
      commands: top.slice(0, 8),
      warnings: r.warnings.filter((w) => w.startsWith('worker ')),
    });
  }
} finally {
  admin.disconnect();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
const load1 = loadavg();

if (json) {
  process.stdout.write(JSON.stringify({ node: process.version, design: designName, config: configName, loadAverage: { before: load0, after: load1 }, rows }, null, 2) + '\n');
} else {
  const int = (x: unknown) => Math.round(x as number).toLocaleString('en-US');
  const fix = (x: unknown, k = 1) => (x === undefined ? '-' : (x as number).toFixed(k));
  process.stdout.write(`${designName} on ${configName}; node ${process.version}; load average ${load0.map((x) => x.toFixed(2)).join(' ')} before, ${load1.map((x) => x.toFixed(2)).join(' ')} after (2-core machine: workers share its cores)\n`);
  process.stdout.write(['run', 'distinct', 'seconds', 'distinct/s', 'x one machine', 'worker CPU s', 'coord CPU s', 'Redis CPU s', 'net B in/state', 'net B out/state', 'Redis cmds/state', 'seen B/state'].join('\t') + '\n');
  for (const r of rows) {
    process.stdout.write(
      [r.run, int(r.states), fix(r.seconds, 2), int(r.statesPerSecond), fix(r.speedup, 2), fix(r.workerCpuSeconds), fix(r.coordinatorCpuSeconds), fix(r.redisCpuSeconds), fix(r.netBytesInPerState), fix(r.netBytesOutPerState), fix(r.redisCommandsPerState, 3), fix(r.visitedBytesPerState)].join('\t') + '\n',
    );
  }
  for (const r of rows) if ((r.warnings as string[] | undefined)?.length) process.stdout.write(`${r.run}: ${(r.warnings as string[]).join('; ')}\n`);
  process.stdout.write('Redis: commands by time spent (4 workers): ' + ((rows.at(-1)!.commands as { command: string; calls: number; usec: number }[]).map((c) => `${c.command} ${int(c.calls)} calls ${fix(c.usec / 1e6, 2)} s`).join(', ')) + '\n');
}
