/**
 * Runs one benchmark in this (fresh) process and prints its figures as one JSON line. Peak RSS is
 * the process's own maximum resident set (`process.resourceUsage().maxRSS`, worker threads
 * included), measured, not estimated; `bench/run.ts` starts one process per benchmark so that
 * runs do not share a heap. Usage: `node dist/bench/one.js NAME [MAX_MEMORY_BYTES]`.
 */
import { check } from '../explorer/index.js';
import { benchmarks } from './registry.js';

const name = process.argv[2];
const maxMemory = process.argv[3] ? Number(process.argv[3]) : undefined;
const entry = benchmarks.find((b) => b.name === name);
if (!entry) {
  process.stderr.write(`bench: unknown benchmark '${name}'; known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
if (name === 'baseline') {
  process.stdout.write(JSON.stringify({ name, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
  process.exit(0);
}
const cpu0 = process.cpuUsage();
const r = check(entry.model(), {
  ...entry.options,
  ...(maxMemory !== undefined ? { maxMemoryBytes: maxMemory } : {}),
  ...(entry.group === 'huge'
    ? { progressIntervalMs: 10_000, onProgress: (p) => process.stderr.write(`  ${name}: ${p.distinctStates} states, depth ${p.depth}, ${p.statesPerSecond}/s, queue ${p.queue}\n`) }
    : {}),
});
const cpu = process.cpuUsage(cpu0);
const s = r.stats;
const complete = r.status !== 'incomplete';
if (complete && entry.expectedStates !== undefined && s.distinctStates !== entry.expectedStates) {
  process.stderr.write(`bench: ${name} found ${s.distinctStates} distinct states, expected ${entry.expectedStates}\n`);
  process.exit(1);
}
process.stdout.write(
  JSON.stringify({
    name,
    status: r.status,
    ...(r.status === 'incomplete' ? { boundHit: r.boundHit } : {}),
    engine: s.engine,
    workers: s.workers ?? 1,
    distinctStates: s.distinctStates,
    generatedStates: s.generatedStates,
    depth: s.depth,
    durationMs: s.durationMs,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    statesPerSecond: s.statesPerSecond,
    generatedPerSecond: s.generatedPerSecond,
    visitedBytesPerState: s.visitedBytes / s.distinctStates,
    linkBytesPerState: s.linkBytes / s.distinctStates,
    spilledBytes: s.store?.spilledBytes ?? 0,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);
