// Why this test? The package's public entry must work for users after `npm ci`: from plain
// JavaScript (ESM, through the "exports" map to built files) and from TypeScript (types).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the grantcheck package', () => {
  it('exports points at built files that exist', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name: string; exports: Record<string, { types: string; default: string }> };
    expect(pkg.name).toBe('grantcheck');
    const main = pkg.exports['.']!;
    expect(existsSync(`${root}/${main.default}`)).toBe(true);
    expect(existsSync(`${root}/${main.types}`)).toBe(true);
  });

  it('has the grantcheck bin (with its #! line) and the grantcheck/vitest export', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { bin: Record<string, string>; exports: Record<string, { types: string; default: string }> };
    expect(readFileSync(`${root}/${pkg.bin.grantcheck}`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const vitest = pkg.exports['./vitest']!;
    expect(existsSync(`${root}/${vitest.default}`)).toBe(true);
    expect(existsSync(`${root}/${vitest.types}`)).toBe(true);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "import { expectDesign } from 'grantcheck/vitest'; expectDesign('gntdev-2022', { config: 'tiny' }).toHold('INV-1'); console.log('ok')"], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe('ok');
  });

  it('imports from plain JavaScript (ESM) and checks a model', () => {
    const script = `
      import { check, always, sometimes, atQuiescence } from 'grantcheck';
      const r = check({
        initStates: () => [0],
        actions: () => ['inc'],
        nextState: (s) => (s < 4 ? s + 1 : undefined),
        isFinal: (s) => s === 4,
        properties: [always('small', (s) => s <= 4), sometimes('four', (s) => s === 4), atQuiescence('done', (s) => s === 4)],
      });
      console.log(JSON.stringify({ status: r.status, distinct: r.stats.distinctStates, depth: r.stats.depth }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ status: 'ok', distinct: 5, depth: 4 });
  });

  it('simulates a model from plain JavaScript, with the seed in the result', () => {
    const script = `
      import { simulate, always } from 'grantcheck';
      const r = simulate({
        initStates: () => [0],
        actions: () => ['inc', 'dec'],
        nextState: (s, a) => (a === 'inc' ? (s < 4 ? s + 1 : undefined) : s > 0 ? s - 1 : undefined),
        properties: [always('below 3', (s) => s < 3)],
      }, { seed: 5, runs: 50, maxSteps: 20 });
      console.log(JSON.stringify({ status: r.status, seed: r.seed, length: r.violation.length, path: r.violation.path }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ status: 'violation', seed: 5, length: 3, path: '0/0/0/0' });
  });
});
