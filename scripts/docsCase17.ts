/**
 * `npm run docs:case17`: writes the worked counterexample of docs/counterexamples.md, regression
 * case 17 (design early-unpin, configuration small: exit_mmap unpins the page tables while grant
 * PTEs are present), as docs/case17.dot, .svg, .itf.json and .txt. Deterministic: running it twice
 * gives the same bytes (a test compares the committed DOT, ITF and text with fresh ones).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { absentStateParts, configByName, designByName, grantEntityLabels, grantItfOptions, modelOf } from '../catalog.js';
import { counterexamplesOf, formatTrace, itfToJson, labelGrouping, omitPaths, renderSvg, toItf, traceToDot } from '../counterexamples/index.js';
import { check, fingerprint } from '../explorer/index.js';

/** The repository root (scripts/ is one level down in the sources and two in dist/). */
function root(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? fileURLToPath(new URL('../../', import.meta.url)) : fileURLToPath(new URL('../', import.meta.url));
}

/** The DOT, ITF and text of case 17's counterexample (INV-1 and INV-5 fail on the same shortest trace). */
export function case17(): { dot: string; itf: string; text: string } {
  const design = designByName('early-unpin');
  const config = configByName('small');
  const model = modelOf(design, config);
  const result = check(model);
  const cx = counterexamplesOf(result.violations).find((c) => c.violations.some((v) => v.property.startsWith('INV-5')));
  if (!cx) throw new Error('case 17: early-unpin on small no longer violates INV-5; the docs need a new example');
  const version = (JSON.parse(readFileSync(join(root(), 'package.json'), 'utf8')) as { version: string }).version;
  const grouping = labelGrouping(grantEntityLabels);
  const omit = omitPaths(absentStateParts(design, config));
  const notes = [`design ${design.name}, configuration ${config.name}`, `path ${cx.path} (${cx.trace.length - 1} steps)`];
  const dot = traceToDot(cx.trace, { model, violations: cx.violations, grouping, notes, siblings: { maxPerState: 3 }, omit });
  const itf = itfToJson(
    toItf(cx.trace, {
      model,
      ...grantItfOptions(design, config),
      modelVersion: `grantcheck ${version}; design+config ${fingerprint({ design, config })}`,
      violation: cx.violations.find((v) => v.property.startsWith('INV-5'))!,
    }),
  );
  const text = formatTrace(cx.trace, { model, violations: cx.violations, grouping, omit, notes: [notes[0]!] });
  return { dot, itf, text };
}

async function main(): Promise<void> {
  const { dot, itf, text } = case17();
  const docs = join(root(), 'docs');
  writeFileSync(`${docs}/case17.dot`, dot);
  writeFileSync(`${docs}/case17.itf.json`, itf);
  writeFileSync(`${docs}/case17.txt`, text);
  writeFileSync(`${docs}/case17.svg`, await renderSvg(dot));
  process.stdout.write(`wrote ${docs}/case17.{dot,svg,itf.json,txt}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`docs:case17: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
