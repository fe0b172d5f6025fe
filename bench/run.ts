/**
 * `npm run bench [-- --large] [-- --json]`: runs every benchmark in its own process and prints
 * distinct and generated states per second, the bytes the visited set and the parent links take
 * per distinct state, and peak RSS per distinct state (raw, and above an idle Node process).
 * Speed and memory are measured here, never in unit tests.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchmarks } from './registry.js';

const args = process.argv.slice(2);
const large = args.includes('--large');
const json = args.includes('--json');
const one = fileURLToPath(new URL('./one.js', import.meta.url));

interface Figures {
  name: string;
  distinctStates: number;
  generatedStates: number;
  durationMs: number;
  statesPerSecond: number;
  generatedPerSecond: number;
  visitedBytesPerState: number;
  linkBytesPerState: number;
  peakRssBytes: number;
}

function runOne(name: string): Figures {
  const out = execFileSync(process.execPath, [one, name], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Figures;
}

const baseline = runOne('baseline').peakRssBytes;
const rows = benchmarks
  .filter((b) => b.name !== 'baseline' && (large || !b.large))
  .map((b) => {
    const f = runOne(b.name);
    return {
      ...f,
      description: b.description,
      storeBytesPerState: f.visitedBytesPerState + f.linkBytesPerState,
      bytesPerState: f.peakRssBytes / f.distinctStates,
      bytesPerStateAboveBaseline: (f.peakRssBytes - baseline) / f.distinctStates,
    };
  });

if (json) {
  process.stdout.write(JSON.stringify({ baselineRssBytes: baseline, benchmarks: rows }, null, 2) + '\n');
} else {
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const fix = (n: number) => n.toFixed(1);
  process.stdout.write(`node ${process.version}; idle process RSS ${int(baseline / 1024)} KiB\n`);
  process.stdout.write(
    ['benchmark', 'distinct', 'distinct/s', 'generated/s', 'store B/state', 'RSS B/state', 'RSS-idle B/state', 'seconds'].join('\t') + '\n',
  );
  for (const r of rows) {
    process.stdout.write(
      [r.name, int(r.distinctStates), int(r.statesPerSecond), int(r.generatedPerSecond), fix(r.storeBytesPerState), fix(r.bytesPerState), fix(r.bytesPerStateAboveBaseline), (r.durationMs / 1000).toFixed(2)].join('\t') + '\n',
    );
  }
  process.stdout.write('store = visited set (64-bit fingerprints) + parent links; RSS = peak resident set of the run\n');
}
