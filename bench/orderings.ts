/**
 * `npm run bench -- --orderings [--config NAME]`: the orderings family search against one
 * exhaustive check per ordering, on gntdev-2022's exit_mmap (120 orderings; default configuration
 * `standard`). Prints the states and time of each side, and fails (exit 1) if any ordering's set
 * of violated properties differs between the two: the speed-up is only worth something if the
 * answers are the same. Usage: `node dist/bench/orderings.js [CONFIG] [--json]`.
 */
import { CatalogError, configByName, designByName, modelOf } from '../catalog.js';
import { check } from '../explorer/index.js';
import { checkOrderings, withOrder } from '../orderings.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const configName = args.find((a) => !a.startsWith('--')) ?? 'standard';
const designName = 'gntdev-2022';

const design = designByName(designName);
let config: ReturnType<typeof configByName>;
try {
  config = configByName(configName);
} catch (e) {
  if (!(e instanceof CatalogError)) throw e;
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(2);
}
const t0 = performance.now();
const family = checkOrderings({ design, sequence: 'exit_mmap', config });
const familyMs = performance.now() - t0;

let separateStates = 0;
let separateGenerated = 0;
const disagree: string[] = [];
const t1 = performance.now();
for (const o of family.orderings) {
  const r = check(modelOf(withOrder(design, 'exit_mmap', o.order), config));
  separateStates += r.stats.distinctStates;
  separateGenerated += r.stats.generatedStates;
  const mine = [...new Set(r.violations.map((v) => v.property))].sort().join(', ');
  const theirs = [...o.violated].sort().join(', ');
  if (mine !== theirs) disagree.push(`${o.order.join(' < ')}: family [${theirs}], separate check [${mine}]`);
}
const separateMs = performance.now() - t1;

const figures = {
  design: designName,
  config: config.name,
  sequence: 'exit_mmap',
  orderings: family.orderings.length,
  family: { distinctStates: family.stats.distinctStates, expansions: family.stats.expansions, seconds: +(familyMs / 1000).toFixed(2) },
  separate: { distinctStates: separateStates, generatedStates: separateGenerated, seconds: +(separateMs / 1000).toFixed(2) },
  stateRatio: +(separateStates / family.stats.distinctStates).toFixed(2),
  speedup: +(separateMs / familyMs).toFixed(2),
  disagreements: disagree.length,
};
if (json) process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
else {
  const int = (n: number) => n.toLocaleString('en-US');
  process.stdout.write(`orderings of exit_mmap for ${designName} on ${config.name}: ${figures.orderings} orderings\n`);
  process.stdout.write(`  family search    ${int(figures.family.distinctStates)} distinct states, ${int(figures.family.expansions)} expansions, ${figures.family.seconds} s\n`);
  process.stdout.write(`  separate checks  ${int(separateStates)} distinct states in all, ${figures.separate.seconds} s\n`);
  process.stdout.write(`  ${figures.stateRatio}x fewer states, ${figures.speedup}x faster; verdicts agree on ${figures.orderings - disagree.length} of ${figures.orderings} orderings\n`);
}
for (const d of disagree) process.stderr.write(`bench: orderings disagree: ${d}\n`);
if (disagree.length) process.exitCode = 1;
