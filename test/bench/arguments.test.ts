// Why this test? `npm run bench --help` once ran the whole default benchmark (minutes, both cores)
// because the runner ignored arguments it did not know. Bad arguments must be one line and exit 2
// before any benchmark starts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runner = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('the bench runner\'s arguments', () => {
  it.each([
    [['--bogus'], /unknown argument '--bogus'/],
    [['--only', 'no-such-row'], /no benchmark is named 'no-such-row'/],
    [['--only'], /--only needs a value/],
    [['--max-memory', 'lots'], /--max-memory: cannot read 'lots'/],
  ])('%j: one line, exit 2, nothing run', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('--help prints the usage and runs nothing', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^npm run bench/);
    expect(r.stdout).not.toMatch(/distinct\/s/);
  });
});
