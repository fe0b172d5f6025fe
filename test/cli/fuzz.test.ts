// Why this test? Whatever a user or a script passes, the built CLI must answer with a documented exit
// code (0, 1, 2 or 3), never a stack trace or an internal error, and never leave anything under
// --out unless the run completed. fast-check generates command lines (known and unknown options,
// huge and wrong numbers, repeated flags), configurations (constants out of range), design files and
// trace files (truncated, wrong types, unknown keys, a byte order mark, binary), runs each as a
// subprocess and checks those three things. The run count keeps it under a minute on two cores.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runBuilt, tempDir } from './helpers.js';

const GOOD_DESIGN = readFileSync(join(root, 'test/cli/fixtures/unpin-first.ts'), 'utf8');
const GOOD_TRACE = readFileSync(join(root, 'docs/case17.itf.json'), 'utf8');

/** A file's text: a good one cut short, with a BOM, with a field of the wrong type, with unknown keys, binary. */
function fileText(good: string): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    fc.constant(good),
    fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
    fc.constant(`\ufeff${good}`),
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom('', '{}', '[]', 'null', '{"#meta": 5, "vars": "x", "states": {}}', '{"states": [{"#meta": {"index": 0}}], "vars": [], "extra": 1e309}'),
    fc.tuple(fc.nat({ max: good.length }), fc.constantFrom('"', '{', '1e999', '\u0000', 'export default 5;', "await new Promise(() => {});")).map(([i, s]) => good.slice(0, i) + s + good.slice(i)),
  );
}

/** A value for a numeric or named option: sensible, huge, negative, a word, empty. */
const value = fc.oneof(
  fc.constantFrom('1', '2', '3', '0', '-1', '1.5', '99999999999999999999', '1e9', 'NaN', 'lots', '', ' ', 'none', 'tiny', 'small', 'kvm', 'io,gpu', '1,2', 'yes'),
  fc.integer({ min: -5, max: 20 }).map(String),
  fc.string({ maxLength: 8 }),
);

/** Options shared by the commands, with values; bounds stay small so that every run is short. */
const option = fc.oneof(
  fc.tuple(fc.constantFrom('--pages', '--processes', '--refs', '--maps', '--files', '--pins', '--map-counts', '--secondary', '--holders', '--gntalloc', '--max-depth', '--property', '--config', '--seed', '--weights', '--default-weight', '--max-memory', '--workers', '--load-timeout', '--render-budget', '--sequence', '--keep', '--states'), value),
  fc.constantFrom(['--json'], ['--fork'], ['--no-fork'], ['--coverage'], ['--profile'], ['--no-svg'], ['--unknown-flag'], ['--json=maybe'], ['stray'], ['--']),
);

const commands = fc.constantFrom('check', 'simulate', 'orderings', 'replay', 'view', 'explain', 'designs', 'compare', 'nope');

describe('fuzzed command lines, configurations, design files and trace files (the built CLI)', () => {
  it('exit 0/1/2/3, no stack trace, nothing under --out unless the run completed', () => {
    const dir = tempDir('grantcheck-fuzz-');
    let n = 0;
    fc.assert(
      fc.property(commands, fc.array(option, { maxLength: 4 }), fc.constantFrom('design', 'design-file', 'none'), fileText(GOOD_DESIGN), fileText(GOOD_TRACE), fc.constantFrom('fresh', 'fresh', 'fresh', 'file', 'proc'), (command, options, target, designText, traceText, outKind) => {
        const k = n++;
        const designFile = join(dir, `design${k}.ts`);
        const traceFile = join(dir, `trace${k}.itf.json`);
        writeFileSync(designFile, designText);
        writeFileSync(traceFile, traceText);
        // --out: a fresh directory, an existing file, or a place on a pseudo-filesystem
        const out = outKind === 'proc' ? `/proc/grantcheck-fuzz/out${k}` : join(dir, `out${k}`);
        if (outKind === 'file') writeFileSync(out, 'not a directory');
        const args: string[] = [command];
        if (command === 'replay' || command === 'view') args.push(traceFile);
        if (target === 'design') args.push('--design', command === 'orderings' ? 'gntalloc-2022' : 'early-unpin');
        if (target === 'design-file' && command !== 'compare') args.push('--design-file', designFile, '--load-timeout', '5');
        if (command === 'compare') args.push('--design', 'early-unpin', '--config', 'tiny');
        if (['check', 'compare', 'orderings'].includes(command)) args.push('--max-states', '3000', '--time-limit', '20');
        if (command === 'simulate') args.push('--runs', '20', '--max-steps', '30');
        args.push(...options.flat());
        if (['check', 'compare', 'orderings', 'simulate'].includes(command)) args.push('--out', out, '--quiet');
        const r = runBuilt(args);
        const what = `grantcheck ${args.join(' ')}\n${r.stderr}`;
        expect([0, 1, 2, 3], what).toContain(r.code);
        expect(r.stderr, what).not.toMatch(/\n\s+at |internal error/);
        // a run that answers 0, 1 or 3 says what it found: never a silent success
        if (r.code !== 2) expect(r.stdout.trim(), what).not.toBe('');
        if (r.code === 2) {
          expect(r.stderr.trimEnd().split('\n'), what).toHaveLength(1);
          if (outKind === 'fresh') expect(existsSync(out) ? readdirSync(out) : [], what).toEqual([]);
          if (outKind === 'file') expect(readFileSync(out, 'utf8'), what).toBe('not a directory');
        }
        expect(readdirSync(dir).filter((f) => f.includes('.staging-')), what).toEqual([]);
      }),
      { numRuns: 45, seed: 42 },
    );
  });
});
