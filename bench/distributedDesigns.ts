/**
 * `npm run bench -- --distributed-designs [--config NAME] [--json]`: the two designs of a
 * distributed visited set (docs/distributed.md), measured on the real successor stream of
 * gntdev-2022 (default configuration `standard`) with the expansion taken out, since it is the
 * same in both: what differs is what happens to each successor after it is made.
 * 1. owners: the visited set partitioned by fingerprint over the worker processes, each owner's
 *    table in its own process; successors batched to their owner through Redis Streams (XADD of
 *    2,048 16-byte records), the owner keeping the smallest (parent, action) per new state; after
 *    the level each owner sorts its new states and hands every worker the slice of its range.
 * 2. redis: the visited set in Redis (ZADD LT, 2,048 members per command), each worker reading its
 *    range's winners back with ZRANGEBYSCORE; and redis-script, the same with the offers sent as one
 *    binary argument per batch to a Lua script (what explorer/distributed runs).
 * First a one-thread pass records every level's successors (fingerprint and score) in a file;
 * then, for W = 1, 2, 4 processes, each design replays it level by level, the processes meeting
 * at barriers in Redis. Both must find the same new states (checked). Reports wall time, the
 * processes' and Redis's CPU, and bytes over the network, per successor and per state.
 * Usage: `node dist/bench/distributedDesigns.js [CONFIG] [--json]`; `--child ...` is internal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { OFFER_RECORD, OFFER_SCRIPT } from '../explorer/distributed/redis.js';

const SPAN = 2 ** 20;
/** The designs: owners' tables fed through Streams; the visited set in Redis, by ZADD or by the engine's script. */
type Design = 'owners' | 'redis' | 'redis-script';
const BATCH = 2048;
const args = process.argv.slice(2);

interface Level {
  /** The level's first state and size. */
  readonly start: number;
  readonly n: number;
  /** Its successors in the order they are made: score (parent + 1) * 2^20 + action, fingerprint. */
  readonly score: Float64Array;
  readonly hi: Int32Array;
  readonly lo: Int32Array;
}

/** Reads the file the recording pass wrote. */
function readLevels(file: string): Level[] {
  const buf = readFileSync(file);
  const out: Level[] = [];
  let off = 0;
  while (off < buf.length) {
    const start = buf.readDoubleLE(off);
    const n = buf.readDoubleLE(off + 8);
    const m = buf.readDoubleLE(off + 16);
    off += 24;
    const score = new Float64Array(m);
    const hi = new Int32Array(m);
    const lo = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      score[i] = buf.readDoubleLE(off);
      hi[i] = buf.readInt32LE(off + 8);
      lo[i] = buf.readInt32LE(off + 12);
      off += 16;
    }
    out.push({ start, n, score, hi, lo });
  }
  return out;
}

/** The index of the first successor whose parent is at least `parent` (successors are in score order). */
function firstOf(l: Level, parent: number): number {
  const key = (parent + 1) * SPAN;
  let a = 0;
  let z = l.score.length;
  while (a < z) {
    const mid = (a + z) >> 1;
    if (l.score[mid]! < key) a = mid + 1;
    else z = mid;
  }
  return a;
}

function member(hi: number, lo: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeInt32BE(hi, 0);
  b.writeInt32BE(lo, 4);
  return b;
}

/** Waits until every process has reached barrier `name` (the last to arrive lets the others go). */
async function barrier(r: Redis, name: string, W: number, waiter: Redis): Promise<void> {
  if ((await r.incr(name)) === W) {
    if (W > 1) await r.rpush(`${name}:go`, ...Array.from({ length: W - 1 }, () => '1'));
    return;
  }
  await waiter.blpop(`${name}:go`, 0);
}

/** One process of a replay: prints its CPU and the new states it saw. */
async function child(design: Design, me: number, W: number, url: string, file: string): Promise<void> {
  const levels = readLevels(file);
  const r = new Redis(url);
  const waiter = new Redis(url);
  const sha = (await r.script('LOAD', OFFER_SCRIPT)) as string;
  const cpu0 = process.cpuUsage();
  let winners = 0;
  // owners: this process's partition, fingerprint -> smallest score, and the level's new entries
  const table = new Map<string, number>();
  for (let L = 0; L < levels.length; L++) {
    const l = levels[L]!;
    const from = l.start + Math.floor((me * l.n) / W);
    const to = l.start + Math.floor(((me + 1) * l.n) / W);
    const a = firstOf(l, from);
    const z = firstOf(l, to);
    if (design === 'redis' || design === 'redis-script') {
      const sent: Promise<unknown>[] = [];
      for (let i = a; i < z; i += BATCH) {
        const end = Math.min(z, i + BATCH);
        if (design === 'redis-script') {
          // what explorer/distributed sends: one binary argument per batch, a Lua script's ZADD LT
          const blob = Buffer.allocUnsafe((end - i) * OFFER_RECORD);
          for (let k = i; k < end; k++) {
            const at = (k - i) * OFFER_RECORD;
            blob.write(String(l.score[k]!).padStart(16, '0'), at, 'latin1');
            blob.writeInt32BE(l.hi[k]!, at + 16);
            blob.writeInt32BE(l.lo[k]!, at + 20);
          }
          sent.push(r.evalsha(sha, 1, 'seen', blob));
          continue;
        }
        const cmd: (number | Buffer)[] = [];
        for (let k = i; k < end; k++) cmd.push(l.score[k]!, member(l.hi[k]!, l.lo[k]!));
        sent.push(r.callBuffer('ZADD', 'seen', 'LT', ...cmd));
      }
      await Promise.all(sent);
      await barrier(r, `b:${L}:a`, W, waiter);
      const got = (await r.callBuffer('ZRANGEBYSCORE', 'seen', (from + 1) * SPAN, (to + 1) * SPAN - 1, 'WITHSCORES')) as Buffer[];
      winners += got.length / 2;
      await barrier(r, `b:${L}:b`, W, waiter);
      continue;
    }
    // owners: route each successor to its owner in batches, apply what comes to this owner
    const out: Buffer[] = [];
    const fill: number[] = [];
    for (let o = 0; o < W; o++) {
      out.push(Buffer.allocUnsafe(BATCH * 16));
      fill.push(0);
    }
    const sent: Promise<unknown>[] = [];
    const counts = new Array<number>(W).fill(0);
    const flush = (o: number): void => {
      if (fill[o] === 0) return;
      sent.push(r.xaddBuffer(`o:${o}`, '*', 'd', out[o]!.subarray(0, fill[o]! * 16)));
      out[o] = Buffer.allocUnsafe(BATCH * 16);
      fill[o] = 0;
    };
    for (let k = a; k < z; k++) {
      const o = W === 1 ? 0 : (l.lo[k]! >>> 0) % W;
      const b = out[o]!;
      const at = fill[o]! * 16;
      b.writeDoubleLE(l.score[k]!, at);
      b.writeInt32LE(l.hi[k]!, at + 8);
      b.writeInt32LE(l.lo[k]!, at + 12);
      counts[o]!++;
      if (++fill[o]! === BATCH) flush(o);
    }
    for (let o = 0; o < W; o++) flush(o);
    await Promise.all(sent);
    const p = r.pipeline();
    for (let o = 0; o < W; o++) p.hincrby(`expect:${L}`, String(o), counts[o]!);
    await p.exec();
    await barrier(r, `b:${L}:a`, W, waiter);
    // consume this owner's stream: every record the others sent it this level
    const expected = Number((await r.hget(`expect:${L}`, String(me))) ?? 0);
    const fresh = new Map<string, number>();
    let applied = 0;
    let last = '0-0';
    while (applied < expected) {
      const got = (await r.xreadBuffer('COUNT', 64, 'STREAMS', `o:${me}`, last)) as [Buffer, [Buffer, Buffer[]][]][] | null;
      if (!got) continue;
      for (const [, entries] of got) {
        for (const [id, fields] of entries) {
          last = id.toString();
          const d = fields[1]!;
          for (let at = 0; at < d.length; at += 16) {
            const score = d.readDoubleLE(at);
            const key = `${d.readInt32LE(at + 8)},${d.readInt32LE(at + 12)}`;
            applied++;
            const old = table.get(key);
            if (old === undefined || score < old) {
              table.set(key, score);
              if (old === undefined || fresh.has(key)) fresh.set(key, score);
            }
          }
        }
      }
    }
    await r.del(`o:${me}`);
    // the level's new states of this partition, in score order, sliced by each worker's range
    const mine = [...fresh.entries()].sort((x, y) => x[1] - y[1]);
    const wp = r.pipeline();
    let k = 0;
    for (let c = 0; c < W; c++) {
      const cto = l.start + Math.floor(((c + 1) * l.n) / W);
      const slice: Buffer[] = [];
      while (k < mine.length && mine[k]![1] < (cto + 1) * SPAN) {
        const b = Buffer.allocUnsafe(16);
        const [h, lw] = mine[k]![0].split(',').map(Number);
        b.writeDoubleLE(mine[k]![1], 0);
        b.writeInt32LE(h!, 8);
        b.writeInt32LE(lw!, 12);
        slice.push(b);
        k++;
      }
      wp.set(`win:${L}:${me}:${c}`, Buffer.concat(slice));
    }
    await wp.exec();
    await barrier(r, `b:${L}:b`, W, waiter);
    // this worker's winners: every owner's slice of its range
    const slices = (await Promise.all(Array.from({ length: W }, (_, o) => r.getBuffer(`win:${L}:${o}:${me}`)))) as (Buffer | null)[];
    for (const s of slices) winners += (s?.length ?? 0) / 16;
    await barrier(r, `b:${L}:c`, W, waiter);
  }
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, winners }) + '\n');
  r.disconnect();
  waiter.disconnect();
}

if (args[0] === '--child') {
  const [, design, me, W, url, file] = args;
  await child(design as Design, Number(me), Number(W), url!, file!);
  process.exit(0);
}

// ---- the parent: record the successor stream, then replay it with each design ----
const { CatalogError, configByName, designByName, modelOf } = await import('../catalog.js');
const { expanderOf } = await import('../explorer/check.js');
const json = args.includes('--json');
const configName = args.find((a) => !a.startsWith('--')) ?? 'standard';
if (spawnSync('redis-server', ['--version']).status !== 0) {
  process.stderr.write('bench: redis-server is not on PATH (Debian: apt-get install redis-server)\n');
  process.exit(2);
}
let config;
try {
  config = configByName(configName);
} catch (e) {
  if (!(e instanceof CatalogError)) throw e;
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(2);
}
const model = modelOf(designByName('gntdev-2022'), config);
const ops = expanderOf(model, {}).bytes!;
const w = ops.width!;
const dir = mkdtempSync(join(tmpdir(), 'grantcheck-designs-'));
const file = join(dir, 'levels.bin');
const fd = openSync(file, 'w');
// one thread, breadth-first, the numbering by smallest (parent, action): every level's successors
const seen = new Set<string>();
const fp = new Uint32Array(2);
let frontier: Buffer[] = [];
for (let k = 0; k < ops.initCount(); k++) {
  ops.initSlot(k, 0);
  ops.fpSlot(0, fp);
  const key = `${fp[0]! | 0},${fp[1]! | 0}`;
  if (seen.has(key)) continue;
  seen.add(key);
  frontier.push(Buffer.from(ops.slotBuf(0).subarray(ops.slotOff(0), ops.slotOff(0) + w)));
}
ops.clearSlots(1);
let start = 0;
let successors = 0;
let distinct = frontier.length;
const initCount = frontier.length;
while (frontier.length > 0) {
  const score: number[] = [];
  const his: number[] = [];
  const los: number[] = [];
  const next: Buffer[] = [];
  for (let j = 0; j < frontier.length; j++) {
    const s = ops.load(frontier[j]!, 0, w);
    const acts = ops.actions(s);
    let m = 0;
    for (let ai = 0; ai < acts.length; ai++) {
      if (!ops.succ(s, ai, acts[ai]!, m)) continue;
      ops.fpSlot(m, fp);
      score.push((start + j + 1) * SPAN + ai);
      his.push(fp[0]! | 0);
      los.push(fp[1]! | 0);
      const key = `${fp[0]! | 0},${fp[1]! | 0}`;
      if (!seen.has(key)) {
        seen.add(key);
        next.push(Buffer.from(ops.slotBuf(m).subarray(ops.slotOff(m), ops.slotOff(m) + w)));
      }
      m++;
    }
    ops.clearSlots(m);
    ops.unload();
  }
  const head = Buffer.allocUnsafe(24);
  head.writeDoubleLE(start, 0);
  head.writeDoubleLE(frontier.length, 8);
  head.writeDoubleLE(score.length, 16);
  writeSync(fd, head);
  const body = Buffer.allocUnsafe(score.length * 16);
  for (let i = 0; i < score.length; i++) {
    body.writeDoubleLE(score[i]!, i * 16);
    body.writeInt32LE(his[i]!, i * 16 + 8);
    body.writeInt32LE(los[i]!, i * 16 + 12);
  }
  writeSync(fd, body);
  successors += score.length;
  start += frontier.length;
  frontier = next;
  distinct += next.length;
}
closeSync(fd);

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
const port = await freePort();
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const url = `redis://127.0.0.1:${port}`;
const admin = new Redis(url, { lazyConnect: true });
admin.on('error', () => {});
for (let i = 0; ; i++) {
  try {
    await admin.connect();
    break;
  } catch {
    if (i > 100) throw new Error('redis-server did not start');
    admin.disconnect();
    await new Promise((res) => setTimeout(res, 50));
  }
}
async function redisFigures(): Promise<{ cpu: number; netIn: number; netOut: number; commands: number }> {
  const text = (await admin.info('all')) as string;
  const f = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return { cpu: f('used_cpu_user') + f('used_cpu_sys'), netIn: f('total_net_input_bytes'), netOut: f('total_net_output_bytes'), commands: f('total_commands_processed') };
}
const script = fileURLToPath(import.meta.url);
const load0 = loadavg();
const rows: Record<string, unknown>[] = [];
try {
  // the designs alternate, so that a change in the machine's load falls on both
  for (const W of [1, 2, 4]) {
    for (const design of ['owners', 'redis', 'redis-script'] as const) {
      await admin.flushall();
      const before = await redisFigures();
      const t0 = performance.now();
      const outs = await Promise.all(
        Array.from(
          { length: W },
          (_, me) =>
            new Promise<string>((resolve, reject) => {
              const p = spawn(process.execPath, [script, '--child', design, String(me), String(W), url, file], { stdio: ['ignore', 'pipe', 'inherit'] });
              let out = '';
              p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
              p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${design} child ${me} exited ${code}`))));
            }),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      const after = await redisFigures();
      const children = outs.map((o) => JSON.parse(o.trim()) as { cpuMs: number; winners: number });
      const winners = children.reduce((n, c) => n + c.winners, 0);
      if (winners !== distinct - initCount) {
        process.stderr.write(`bench: design ${design} on ${W} processes found ${winners} new states, the search ${distinct - initCount}\n`);
        process.exitCode = 1;
      }
      rows.push({
        design,
        processes: W,
        seconds,
        successorsPerSecond: successors / seconds,
        processCpuSeconds: children.reduce((n, c) => n + c.cpuMs, 0) / 1000,
        redisCpuSeconds: after.cpu - before.cpu,
        netBytesPerSuccessor: (after.netIn - before.netIn + after.netOut - before.netOut) / successors,
        netBytesPerState: (after.netIn - before.netIn + after.netOut - before.netOut) / distinct,
        commandsPerState: (after.commands - before.commands) / distinct,
        usedMemoryBytesPerState: design !== 'owners' ? Number((await admin.call('MEMORY', 'USAGE', 'seen')) ?? 0) / distinct : null,
      });
    }
  }
} finally {
  admin.disconnect();
  server.kill('SIGTERM');
  await new Promise((res) => server.once('exit', res));
  rmSync(dir, { recursive: true, force: true });
}
const load1 = loadavg();
if (json) {
  process.stdout.write(JSON.stringify({ node: process.version, config: configName, distinct, successors, loadAverage: { before: load0, after: load1 }, rows }, null, 2) + '\n');
} else {
  process.stdout.write(`gntdev-2022 on ${configName}: ${distinct} distinct states, ${successors} successors; load average ${load0.map((x) => x.toFixed(2)).join(' ')} before, ${load1.map((x) => x.toFixed(2)).join(' ')} after\n`);
  process.stdout.write(['design', 'processes', 'seconds', 'successors/s', 'process CPU s', 'Redis CPU s', 'net B/successor', 'net B/state', 'Redis cmds/state', 'Redis B/state (seen)'].join('\t') + '\n');
  for (const r of rows) {
    const f = (x: unknown, k = 2) => (x === null ? '-' : (x as number).toFixed(k));
    process.stdout.write([r.design, r.processes, f(r.seconds), Math.round(r.successorsPerSecond as number), f(r.processCpuSeconds), f(r.redisCpuSeconds), f(r.netBytesPerSuccessor, 1), f(r.netBytesPerState, 1), f(r.commandsPerState, 3), f(r.usedMemoryBytesPerState, 1)].join('\t') + '\n');
  }
}
