/**
 * `npm run docs:orderings`: writes the real output quoted in docs/orderings.md, between the
 * `<!-- orderings: DESIGN SEQUENCE -->` and `<!-- /orderings -->` markers: formatOrderings without
 * the timing line (the one thing that differs between runs). A test compares the committed blocks
 * with fresh ones, so the page cannot drift from what the code prints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkOrderings, formatOrderings, type OrderingsResult, type SequenceName } from '../orderings.js';

/** The runs the page quotes, each on its design's default configuration. */
export const DOC_RUNS: readonly { readonly design: string; readonly sequence: SequenceName }[] = [
  { design: 'gntdev-2022', sequence: 'exit_mmap' },
  { design: 'gntalloc-2022', sequence: 'del_gref' },
];

/** The repository root (scripts/ is one level down in the sources and two in dist/). */
function root(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? fileURLToPath(new URL('../../', import.meta.url)) : fileURLToPath(new URL('../', import.meta.url));
}

const marker = (design: string, sequence: string) => `<!-- orderings: ${design} ${sequence} -->`;
const END = '<!-- /orderings -->';

/** The block the page holds for one run: the marker, a fenced copy of the output, the end marker. */
export function docBlock(design: string, sequence: string, text: string): string {
  return `${marker(design, sequence)}\n\`\`\`text\n$ grantcheck orderings --design ${design} --sequence ${sequence}\n${text}\`\`\`\n${END}`;
}

/** The block currently in `page` for one run, or undefined when the page has none. */
export function blockIn(page: string, design: string, sequence: string): string | undefined {
  const start = page.indexOf(marker(design, sequence));
  if (start < 0) return undefined;
  const end = page.indexOf(END, start);
  return end < 0 ? undefined : page.slice(start, end + END.length);
}

/** Runs one of DOC_RUNS; the result, and its text as the page quotes it. */
export function docRun(design: string, sequence: SequenceName): { result: OrderingsResult; text: string } {
  const result = checkOrderings({ design, sequence });
  return { result, text: formatOrderings(result, { timing: false }) };
}

function main(): void {
  const path = join(root(), 'docs', 'orderings.md');
  let page = readFileSync(path, 'utf8');
  for (const { design, sequence } of DOC_RUNS) {
    const old = blockIn(page, design, sequence);
    if (old === undefined) throw new Error(`docs/orderings.md has no ${marker(design, sequence)} ... ${END} block; add the two markers where the output belongs`);
    page = page.replace(old, docBlock(design, sequence, docRun(design, sequence).text));
  }
  writeFileSync(path, page);
  process.stdout.write(`updated ${path}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
