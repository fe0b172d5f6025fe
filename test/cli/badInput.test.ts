// Why these tests? Bad input must never cost a user a stack trace or a half-written out/: each case
// answers exit 2 and one line on stderr that names the problem and the fix (issue 8), and leaves
// the --out directory untouched.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuilt, runHere, tempDir, type Ran } from './helpers.js';

/** Exit 2, one line on stderr matching `fix`, nothing on stdout, no stack. */
function expectBadInput(r: Ran, problem: RegExp): void {
  expect(r.stderr).toMatch(/^grantcheck( [a-z]+)?: /);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(problem);
  expect(r.code).toBe(2);
}

const tiny = ['--config', 'tiny', '--quiet'];

describe('bad input: one line, exit 2 (in process)', () => {
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['an unknown command', ['chek'], /unknown command 'chek' \(did you mean 'check'\?\)/],
    ['no command', [], /which command\? give one of designs, check, compare/],
    ['an unknown design', ['check', '--design', 'gntdev-2023'], /unknown design 'gntdev-2023'; run 'grantcheck designs'/],
    ['no design', ['check'], /give --design NAME .* or --design-file FILE/],
    ['both --design and --design-file', ['check', '--design', 'gntdev-2022', '--design-file', 'x.ts'], /not both/],
    ['an unknown configuration', ['check', '--design', 'gntdev-2022', '--config', 'huge'], /unknown configuration 'huge'; known: small, tiny/],
    ['an unknown property', ['check', '--design', 'gntdev-2022', ...tiny, '--property', 'INV-9'], /unknown property 'INV-9'; give one of TypeOK, INV-1/],
    ['an ambiguous property', ['check', '--design', 'gntdev-2022', ...tiny, '--property', 'INV'], /ambiguous/],
    ['a property that does not apply', ['check', '--design', 'gntdev-2022-hvm', ...tiny, '--property', 'INV-5'], /unknown property 'INV-5'/],
    ['a word for a number', ['check', '--design', 'gntdev-2022', '--max-states', 'lots'], /--max-states must be a whole number ≥ 1, got 'lots'; e\.g\. --max-states 100000/],
    ['a negative depth', ['check', '--design', 'gntdev-2022', '--max-depth', '-1'], /--max-depth needs a value|--max-depth must be a whole number/],
    ['a zero time limit', ['check', '--design', 'gntdev-2022', '--time-limit', '0'], /--time-limit must be a positive number of seconds/],
    ['a constant out of range', ['check', '--design', 'gntdev-2022', '--pages', '9'], /--pages must be a whole number in 1\.\.8, got '9'/],
    ['constants that do not fit together', ['check', '--design', 'gntdev-2022', '--pages', '3'], /vaPages \(3\) must be a multiple of ptesPerL1 \(2\) \(--pages sets vaPages, --ptes-per-l1 sets ptesPerL1\)/],
    ['a bad choice', ['check', '--design', 'gntdev-2022', '--secondary', 'kvn'], /--secondary must be one of none, kvm, gru, xpmem, got 'kvn' \(did you mean 'kvm'\?\)/],
    ['a misspelt option', ['check', '--design', 'gntdev-2022', '--max-stats', '5'], /unknown option '--max-stats' .*did you mean '--max-states'/],
    ['a missing value', ['check', '--design'], /--design needs a value <NAME>/],
    ['an option given twice', ['check', '--design', 'a', '--design', 'b'], /--design is given twice/],
    ['a stray argument', ['check', 'gntdev-2022'], /unexpected argument 'gntdev-2022'/],
    ['a value for a flag', ['check', '--design', 'gntdev-2022', '--json=yes'], /--json is a flag/],
    ['a bad seed', ['simulate', '--design', 'early-unpin', '--seed', 'x'], /--seed must be a whole number/],
    ['zero runs', ['simulate', '--design', 'early-unpin', '--runs', '0'], /--runs must be a whole number ≥ 1/],
    ['malformed weights', ['simulate', '--design', 'early-unpin', '--weights', 'do_exit'], /--weights takes kind=weight pairs/],
    ['an unknown property to explain', ['explain', 'INV-9'], /unknown property 'INV-9'/],
    ['a trace that does not exist', ['replay', '/nonexistent/t.itf.json'], /trace file '\/nonexistent\/t\.itf\.json' does not exist/],
    ['no trace', ['replay'], /needs TRACE/],
    ['a design subset with an unknown name', ['compare', '--design', 'nope', '--out', '/tmp/never-written'], /unknown design 'nope'/],
  ];
  for (const [what, args, problem] of cases) {
    it(what, async () => {
      const r = await runHere(args);
      expectBadInput(r, problem);
      expect(r.stdout).toBe('');
    });
  }
  it('compare with an unknown design wrote nothing', () => {
    expect(existsSync('/tmp/never-written')).toBe(false);
  });
});

describe('bad traces (in process)', () => {
  const dir = tempDir();
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  it('not JSON', async () => expectBadInput(await runHere(['replay', write('a.itf.json', '# not json')]), /ITF: not JSON/));
  it('JSON that is not a grantcheck trace', async () => expectBadInput(await runHere(['replay', write('b.itf.json', '{"#meta": {"source": "quint"}, "vars": [], "states": []}')]), /the trace was written by quint, not grantcheck, and names no design \(#meta\.design\); give --design NAME/));
  it('a trace with a state missing a variable', async () => {
    const t = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('docs/case17.itf.json', 'utf8'))) as { states: Record<string, unknown>[] };
    delete t.states[2]!.maps;
    expectBadInput(await runHere(['replay', write('c.itf.json', JSON.stringify(t))]), /ITF: states\[2\] lacks variable 'maps'/);
  });
  it('a trace of an unknown design', async () => {
    const t = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('docs/case17.itf.json', 'utf8'))) as { '#meta': Record<string, unknown> };
    t['#meta'].design = 'gntdev-1999';
    expectBadInput(await runHere(['replay', write('d.itf.json', JSON.stringify(t))]), /unknown design 'gntdev-1999'/);
  });
  it('a trace that does not replay on the design asked for names the first differing step', async () => {
    const r = await runHere(['replay', 'docs/case17.itf.json', '--design', 'has-foreign-mappings']);
    expectBadInput(r, /step 3: after gntdev_mmap\(p=0, file=0, map=0\) the model's state differs from the trace's at 1 path .*procs\[0\]\.hasForeignMappings; replay on the trace's own design \(early-unpin\), use --states ignore/);
    expect(r.stdout).toMatch(/procs\[0\]\.hasForeignMappings: false → true/);
  });
});

// A trace that cannot happen on the design asked for is an answer, not bad input: its own outcome
// and exit code (4), distinct from "holds" (0) and from bad input (2).
describe('replay: a trace impossible on the design (in process)', () => {
  it('whose first step the design cannot take: a gntdev trace on a gntalloc configuration', async () => {
    const r = await runHere(['replay', 'docs/case17.itf.json', '--design', 'gntalloc-2022', '--config', 'alloc-small', '--states', 'ignore']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Impossible on gntalloc-2022 on alloc-small: the trace cannot start on this design: its first step, gntdev_open\(p=0\), is impossible here\.\n/);
    expect(r.stdout).toMatch(/gntdev_open\(p=0\) is not enabled: every gntdev file of the configuration is used/);
  });
  it('whose later step the design does not have: it names the step and shows the steps that ran', async () => {
    const r = await runHere(['replay', 'docs/case17.itf.json', '--design', 'has-foreign-mappings', '--states', 'ignore']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^Impossible on has-foreign-mappings on small: the trace cannot run on this design past state 5: step 6, arch_exit_mmap\(p=0\), is impossible there\./);
    expect(r.stdout).toMatch(/step 6: arch_exit_mmap\(p=0\) is not an action of the model in this state; enabled here: arch_exit_mmap_pre\(p=0\)/);
    expect(r.stdout).toMatch(/The steps that did run \(5 of 6\)/);
  });
  it('--json says so too', async () => {
    const r = await runHere(['replay', 'docs/case17.itf.json', '--design', 'gntalloc-2022', '--config', 'alloc-small', '--states', 'ignore', '--json']);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'mismatch', outcome: 'impossible', step: 1, reason: 'not-enabled', action: 'gntdev_open(p=0)' });
  });
});

describe('bad design files (the built CLI: design files load through Node module hooks)', () => {
  const cases: readonly (readonly [string, string, RegExp])[] = [
    ['a file that does not exist', 'test/cli/fixtures/bad/none.ts', /design file 'test\/cli\/fixtures\/bad\/none\.ts' does not exist/],
    ['a file that is not a module', 'README.md', /has extension '\.md'; a design file is an ES module: \.ts, \.mts, \.js, \.mjs/],
    ['a CommonJS file', 'test/cli/fixtures/bad/commonjs.cjs', /has extension '\.cjs'/],
    ['a syntax error', 'test/cli/fixtures/bad/syntax.ts', /does not load: test\/cli\/fixtures\/bad\/syntax\.ts:2:\d+: Unexpected token; fix the syntax/],
    ['an import that does not resolve', 'test/cli/fixtures/bad/missing-import.ts', /does not load: Cannot find module .*nowhere\.js.*; check the import paths/],
    ['no default export', 'test/cli/fixtures/bad/no-default.ts', /has no default export; end it with export default defineDesign/],
    ['a default export that is not a design', 'test/cli/fixtures/bad/wrong-export.js', /exports a function by default, not a design/],
    ['an unknown base design', 'test/cli/fixtures/bad/unknown-base.ts', /unknown base design 'gntdev-2023'/],
    ['a misspelt variation point', 'test/cli/fixtures/bad/unknown-point.ts', /unknown variation point 'archExitMap' \(did you mean 'archExitMmap'\?\)/],
    ['a rule that throws', 'test/cli/fixtures/bad/throws.ts', /the model failed: design file 'test\/cli\/fixtures\/bad\/throws\.ts': the model threw in its successor function or a property at path 0\/\d+: boom/],
  ];
  for (const [what, file, problem] of cases) {
    it(what, () => {
      const out = join(tempDir(), 'out');
      const r = runBuilt(['check', '--design-file', file, ...tiny, '--out', out]);
      expectBadInput(r, problem);
      expect(existsSync(out), 'nothing is written under --out').toBe(false);
      expect(readdirSync(join(out, '..'))).toEqual([]);
    });
  }
});

describe('--out', () => {
  it('a file given as --out is refused before anything runs', async () => {
    const f = join(tempDir(), 'file');
    writeFileSync(f, 'x');
    expectBadInput(await runHere(['check', '--design', 'gntdev-2022', ...tiny, '--out', f]), /--out .* is a file; give a directory/);
  });
});
