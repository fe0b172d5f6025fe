// Why this test? The README's CLI section is documentation people copy from (as immer's
// readme.js executes its README): its design-file examples must be the fixtures the tests run,
// and its usage text must be what the CLI prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globalHelp } from '../../cli/run.js';
import { root } from './helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  const marked = [...readme.matchAll(/<!-- (test\/cli\/fixtures\/[^ ]+) -->\n```ts\n([\s\S]*?)```/g)];
  it('shows both design-file examples', () => {
    expect(marked.map((m) => m[1])).toEqual(['test/cli/fixtures/unpin-first.ts', 'test/cli/fixtures/madvise.ts']);
  });
  for (const m of marked) {
    it(`its copy of ${m[1]} is the fixture the tests run`, () => {
      expect(m[2]).toBe(readFileSync(join(root, m[1]!), 'utf8'));
    });
  }
  it("shows 'grantcheck --help' as the CLI prints it", () => {
    expect(readme).toContain(globalHelp().trimEnd());
  });
});
