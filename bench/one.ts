/**
 * Runs one benchmark in this (fresh) process and prints its figures as one JSON line. Peak RSS is
 * the process's own maximum resident set (`process.resourceUsage().maxRSS`), measured, not
 * estimated; `bench/run.ts` starts one process per benchmark so that runs do not share a heap.
 */
import { check } from '../explorer/index.js';
import { benchmarks } from './registry.js';

const name = process.argv[2];
const entry = benchmarks.find((b) => b.name === name);
if (!entry) {
  process.stderr.write(`bench: unknown benchmark '${name}'; known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
if (name === 'baseline') {
  process.stdout.write(JSON.stringify({ name, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
  process.exit(0);
}
const r = check(entry.model());
const s = r.stats;
if (entry.expectedStates !== undefined && s.distinctStates !== entry.expectedStates) {
  process.stderr.write(`bench: ${name} found ${s.distinctStates} distinct states, expected ${entry.expectedStates}\n`);
  process.exit(1);
}
process.stdout.write(
  JSON.stringify({
    name,
    status: r.status,
    distinctStates: s.distinctStates,
    generatedStates: s.generatedStates,
    depth: s.depth,
    durationMs: s.durationMs,
    statesPerSecond: s.statesPerSecond,
    generatedPerSecond: s.generatedPerSecond,
    visitedBytesPerState: s.visitedBytes / s.distinctStates,
    linkBytesPerState: s.linkBytes / s.distinctStates,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);
