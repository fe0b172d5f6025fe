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
  const marked = [...readme.matchAll(/<!-- (test\/(?:cli\/fixtures|designFiles)\/[^ ]+) -->\n```ts\n([\s\S]*?)```/g)];
  it('shows one design file per kind of patch, each a file the tests run', () => {
    expect(marked.map((m) => m[1])).toEqual([
      'test/cli/fixtures/unpin-first.ts',
      'test/designFiles/munmap-without-notifier.ts',
      'test/designFiles/unmap-ioctl-no-put.ts',
      'test/designFiles/exit-zap-without-notifier.ts',
      'test/cli/fixtures/madvise.ts',
      'test/designFiles/p2m-failure.ts',
      'test/designFiles/unmap-refs-stops-early.ts',
      'test/designFiles/ghost-unmap-while-referenced.ts',
      'test/designFiles/unmap-at-once.ts',
    ]);
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
