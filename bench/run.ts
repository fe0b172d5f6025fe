/**
 * `npm run bench [-- --json] [-- --large] [-- --huge] [-- --only NAME,...] [-- --max-memory SIZE]`:
 * runs every benchmark in its own process and prints distinct and generated states per second,
 * the bytes the visited set and the parent links take per distinct state, and peak RSS per
 * distinct state. Where SPIN and gcc are on PATH, SPIN runs the same grant-table model side by
 * side (bfs-1p: its fastest encoding), and where rumur and cc are, Rumur does (on as many threads
 * as the row's grantcheck run); the report gives each ratio. `--huge` runs only the
 * 10^8-state fixture (minutes); `--max-memory 8g` bounds it (an `incomplete` report, not an OOM
 * kill). `--orderings [--config NAME]` runs only the orderings benchmark (bench/orderings.ts: the
 * family search against one check per ordering). `--distributed [--config NAME]` runs only the
 * distributed benchmark (bench/distributed.ts: 1, 2 and 4 worker processes through Redis against
 * the one-machine search); `--distributed-designs` compares the two designs of its visited set
 * (bench/distributedDesigns.ts). Speed and memory are measured here, never in unit tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchmarks, type Benchmark } from './registry.js';
import { runRumur, type RumurFigures } from './rumur.js';
import { runSpin, type SpinFigures } from './spin.js';

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const valueOf = (f: string): string | undefined => {
  const i = args.findIndex((a) => a === f || a.startsWith(`${f}=`));
  if (i < 0) return undefined;
  return args[i]!.includes('=') ? args[i]!.slice(f.length + 1) : args[i + 1];
};
/** The flags this runner knows, and those of them that take a value. */
const FLAGS = new Set(['--json', '--large', '--huge', '--only', '--max-memory', '--orderings', '--distributed', '--distributed-designs', '--config', '--help']);
const VALUED = new Set(['--only', '--max-memory', '--config']);
/** Bad arguments: one line naming the problem and the fix, exit 2, before any benchmark runs. */
function refuse(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
for (let i = 0; i < args.length; i++) {
  const name = args[i]!.split('=')[0]!;
  if (!FLAGS.has(name)) refuse(`unknown argument '${args[i]}'; the flags are ${[...FLAGS].join(', ')}`);
  if (VALUED.has(name) && !args[i]!.includes('=')) {
    if (args[i + 1] === undefined || args[i + 1]!.startsWith('--')) refuse(`${name} needs a value (e.g. ${name} ${name === '--only' ? 'grant-2022-standard' : name === '--config' ? 'tiny' : '8g'})`);
    i++;
  }
}
if (flag('--help')) {
  process.stdout.write('npm run bench [-- --json] [-- --large] [-- --huge] [-- --only NAME,...] [-- --max-memory SIZE] | --orderings [--config NAME] | --distributed [--config NAME] | --distributed-designs\n');
  process.exit(0);
}
const json = flag('--json');
const large = flag('--large');
const huge = flag('--huge');
const only = valueOf('--only')?.split(',');
for (const name of only ?? []) {
  if (!benchmarks.some((b) => b.name === name)) refuse(`--only: no benchmark is named '${name}'; the names are ${benchmarks.map((b) => b.name).join(', ')}`);
}
const one = fileURLToPath(new URL('./one.js', import.meta.url));

if (flag('--distributed') || flag('--distributed-designs')) {
  const script = fileURLToPath(new URL(flag('--distributed') ? './distributed.js' : './distributedDesigns.js', import.meta.url));
  const config = valueOf('--config');
  const r = spawnSync(process.execPath, [script, ...(config ? [config] : []), ...(json ? ['--json'] : [])], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

if (flag('--orderings')) {
  const script = fileURLToPath(new URL('./orderings.js', import.meta.url));
  const config = valueOf('--config');
  const r = spawnSync(process.execPath, [script, ...(config ? [config] : []), ...(json ? ['--json'] : [])], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** Parses `8g`, `512m`, `4GiB`, `1000000000` into bytes. */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(text.trim());
  if (!m) refuse(`--max-memory: cannot read '${text}'; write e.g. 8g, 512m or a number of bytes`);
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * unit);
}
const maxMemoryText = valueOf('--max-memory');
const maxMemory = maxMemoryText !== undefined ? parseSize(maxMemoryText) : undefined;

interface Figures {
  name: string;
  status: string;
  boundHit?: { bound: string; detail: string };
  engine: string;
  workers: number;
  distinctStates: number;
  generatedStates: number;
  durationMs: number;
  cpuMs: number;
  statesPerSecond: number;
  generatedPerSecond: number;
  visitedBytesPerState: number;
  linkBytesPerState: number;
  spilledBytes: number;
  peakRssBytes: number;
}

function runOne(name: string): Figures {
  const argv = [one, name, ...(maxMemory !== undefined ? [String(maxMemory)] : [])];
  const out = execFileSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Figures;
}

const selected = (b: Benchmark): boolean => {
  if (b.name === 'baseline') return false;
  if (only) return only.includes(b.name);
  const g = b.group ?? 'default';
  return huge ? g === 'huge' : g === 'default' || (large && g === 'large');
};

const baseline = runOne('baseline').peakRssBytes;
const spinRuns = new Map<string, SpinFigures | null>();
const rumurRuns = new Map<string, RumurFigures | null>();
const rows: Record<string, unknown>[] = [];
const byName = new Map<string, Figures>();
for (const b of benchmarks.filter(selected)) {
  const f = runOne(b.name);
  byName.set(b.name, f);
  let spin: SpinFigures | null = null;
  if (b.spin) {
    const key = `${b.spin.p},${b.spin.g}`;
    if (!spinRuns.has(key)) spinRuns.set(key, runSpin(b.spin.p, b.spin.g, 'bfs-1p') ?? null);
    spin = spinRuns.get(key)!;
    if (spin && spin.states !== f.distinctStates) {
      process.stderr.write(`bench: ${b.name}: SPIN stored ${spin.states} states, grantcheck found ${f.distinctStates}: not the same model\n`);
      process.exitCode = 1;
    }
  }
  let rumur: RumurFigures | null = null;
  if (b.rumur) {
    const key = `${b.rumur.p},${b.rumur.g},${b.rumur.threads}`;
    if (!rumurRuns.has(key)) rumurRuns.set(key, runRumur(b.rumur.p, b.rumur.g, b.rumur.threads) ?? null);
    rumur = rumurRuns.get(key)!;
    if (rumur && rumur.states !== f.distinctStates) {
      process.stderr.write(`bench: ${b.name}: Rumur found ${rumur.states} states, grantcheck found ${f.distinctStates}: not the same model\n`);
      process.exitCode = 1;
    }
  }
  const base = b.speedupOver ? byName.get(b.speedupOver) : undefined;
  rows.push({
    ...f,
    description: b.description,
    storeBytesPerState: f.visitedBytesPerState + f.linkBytesPerState,
    bytesPerState: f.peakRssBytes / f.distinctStates,
    bytesPerStateAboveBaseline: (f.peakRssBytes - baseline) / f.distinctStates,
    spinStatesPerSecond: spin ? spin.statesPerSecond : null,
    spinBytesPerState: spin ? spin.peakRssBytes / spin.states : null,
    spinSeconds: spin ? spin.seconds : null,
    ratioToSpin: spin ? f.statesPerSecond / spin.statesPerSecond : null,
    rumurThreads: rumur ? rumur.threads : null,
    rumurStatesPerSecond: rumur ? rumur.statesPerSecond : null,
    rumurBytesPerState: rumur && rumur.peakRssBytes !== undefined ? rumur.peakRssBytes / rumur.states : null,
    rumurSeconds: rumur ? rumur.seconds : null,
    ratioToRumur: rumur ? f.statesPerSecond / rumur.statesPerSecond : null,
    speedupOver: base ? b.speedupOver : null,
    speedup: base ? f.statesPerSecond / base.statesPerSecond : null,
    // time to the verdict, for rows whose state counts differ (symmetry): seconds against seconds
    timeRatio: base ? base.durationMs / f.durationMs : null,
    ratios: Object.fromEntries((b.alsoOver ?? []).flatMap((o) => (byName.has(o) ? [[o, f.statesPerSecond / byName.get(o)!.statesPerSecond]] : []))),
  });
}

if (json) {
  process.stdout.write(JSON.stringify({ node: process.version, baselineRssBytes: baseline, benchmarks: rows }, null, 2) + '\n');
} else {
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const fix = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? '-' : n.toFixed(d));
  process.stdout.write(`node ${process.version}; idle process RSS ${int(baseline / 1024)} KiB\n`);
  process.stdout.write(
    ['benchmark', 'engine', 'distinct', 'distinct/s', 'generated/s', 'store B/state', 'RSS B/state', 'seconds', 'SPIN distinct/s', 'SPIN RSS B/state', 'x SPIN', 'Rumur distinct/s', 'Rumur RSS B/state', 'x Rumur', 'speed-up'].join('\t') + '\n',
  );
  for (const r of rows as unknown as (Figures & Record<string, number | null>)[]) {
    const status = r.status === 'incomplete' ? ` (incomplete: ${r.boundHit?.bound})` : '';
    process.stdout.write(
      [
        r.name + status,
        `${r.engine}${r.workers > 1 ? `x${r.workers}` : ''}`,
        int(r.distinctStates),
        int(r.statesPerSecond),
        int(r.generatedPerSecond),
        fix(r.storeBytesPerState as number),
        fix(r.bytesPerState as number),
        (r.durationMs / 1000).toFixed(2),
        r.spinStatesPerSecond === null ? '-' : int(r.spinStatesPerSecond!),
        fix(r.spinBytesPerState),
        fix(r.ratioToSpin, 2),
        r.rumurStatesPerSecond === null ? '-' : `${int(r.rumurStatesPerSecond!)}${r.rumurThreads! > 1 ? ` (x${r.rumurThreads})` : ''}`,
        fix(r.rumurBytesPerState),
        fix(r.ratioToRumur, 2),
        r.speedup === null ? '-' : `${fix(r.speedup, 2)} over ${r.speedupOver as unknown as string}${Object.entries((r as unknown as { ratios: Record<string, number> }).ratios).map(([k, v]) => `; ${fix(v, 2)} over ${k}`).join('')}`,
      ].join('\t') + '\n',
    );
  }
  process.stdout.write('store = visited set (64-bit fingerprints) + parent links; RSS = peak resident set of the run (process-wide, workers included)\n');
  if ([...spinRuns.values()].some((s) => s === null)) process.stdout.write('SPIN columns are empty: spin or gcc is not on PATH (the bench installs nothing)\n');
  if ([...rumurRuns.values()].some((s) => s === null)) process.stdout.write('Rumur columns are empty: rumur or cc is not on PATH (the bench installs nothing; Debian: apt-get install rumur)\n');
}
