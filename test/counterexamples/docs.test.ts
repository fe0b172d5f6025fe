// Why this test? docs/counterexamples.md walks through docs/case17.*; they must be what the code
// writes today. `npm run docs:case17` regenerates them (the SVG too, which this test does not
// render: it only checks that the committed SVG was drawn from the committed DOT's labels).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { case17 } from '../../scripts/docsCase17.js';

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const read = (f: string) => readFileSync(`${docs}${f}`, 'utf8');

describe('docs/case17.*', () => {
  const fresh = case17();

  it('are up to date (run npm run docs:case17 after changing the writers)', () => {
    expect(read('case17.dot')).toBe(fresh.dot);
    expect(read('case17.itf.json')).toBe(fresh.itf);
    expect(read('case17.txt')).toBe(fresh.text);
  });

  it('the SVG is the rendering of that DOT', () => {
    const svg = read('case17.svg');
    expect(svg).toContain('<svg');
    for (const text of ['State 6', 'arch_exit_mmap(p=0)', 'path 0/0/2/4/14/0/0 (6 steps)', 'dashed: other enabled actions']) expect(svg).toContain(text);
  });
});
