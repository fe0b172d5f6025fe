// Why this test? A design file is TypeScript a kernel developer writes against grantcheck's types:
// every patch in this folder must pass tsc --strict as a user's file would (each action kind's
// rule typed by its own action, ghost variables by their layouts, kernel internals by what their
// callers expect), and the mistakes those types exist for must be caught.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../cli/helpers.js';

function tsc(project: string): { code: number; errors: string[] } {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--strict', '--noEmit', '--pretty', 'false'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l)).map((l) => /^(\S+\(\d+,\d+\)): error (TS\d+)/.exec(l)?.slice(1).join(' ') ?? l);
  return { code: r.status ?? -1, errors };
}

describe('design files under tsc --strict', () => {
  it('every patch in test/designFiles type-checks', () => {
    const r = tsc('test/designFiles/tsconfig.json');
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('catches a parameter the action does not have, a ghost value of the wrong type, an internal answering the wrong type', () => {
    const r = tsc('test/designFiles/bad/tsconfig.json');
    expect(r.errors).toEqual(['test/designFiles/bad/wrong-types.ts(16,28) TS2339', 'test/designFiles/bad/wrong-types.ts(17,9) TS2322', 'test/designFiles/bad/wrong-types.ts(22,5) TS2719']);
    expect(r.code).not.toBe(0);
  });
});
