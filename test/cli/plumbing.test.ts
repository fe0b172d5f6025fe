// Why these tests? The pieces under every command: the option parser (the declarative tables),
// the staging directory (nothing half-written under --out) and the progress reporter (a bar on a
// terminal, a plain line in CI logs, nothing with --quiet).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError, wholeNumber, type OptionTable } from '../../cli/args.js';
import { Staging } from '../../cli/outdir.js';
import { progress } from '../../cli/progress.js';
import { tempDir } from './helpers.js';

interface Demo {
  maxStates: number;
  json: boolean;
  svg: boolean;
  property: string[];
  vaPages: number;
}
const table: OptionTable<Demo> = {
  maxStates: { argument: '<N>', description: 'n', parse: wholeNumber(1) },
  json: { description: 'j' },
  svg: { description: 's', negatable: true },
  property: { argument: '<P>', description: 'p', repeatable: true },
  vaPages: { flag: 'pages', argument: '<N>', description: 'v', parse: wholeNumber(1, 8) },
};

describe('parseArgs', () => {
  it('reads values, flags, negated flags, repeated options and renamed flags, with = or a space', () => {
    const p = parseArgs('demo', ['--max-states=10', '--json', '--no-svg', '--property', 'A', '--property', 'B', '--pages', '4'], table);
    expect(p.options).toEqual({ maxStates: 10, json: true, svg: false, property: ['A', 'B'], vaPages: 4 });
    expect(p.help).toBe(false);
  });
  it('takes positionals up to the declared number, and --help anywhere', () => {
    expect(parseArgs('demo', ['t.itf.json', '-h'], table, { name: 'TRACE', description: 't', min: 1, max: 1 })).toMatchObject({ positionals: ['t.itf.json'], help: true });
    expect(() => parseArgs('demo', ['a', 'b'], table, { name: 'TRACE', description: 't', min: 1, max: 1 })).toThrow(/unexpected argument 'b'/);
  });
  it('refuses, naming the fix', () => {
    expect(() => parseArgs('demo', ['--pages', '9'], table)).toThrow(new UsageError("--pages must be a whole number in 1..8, got '9'; e.g. --pages 2"));
    expect(() => parseArgs('demo', ['--max-states', '--json'], table)).toThrow(/--max-states needs a value <N>/);
    expect(() => parseArgs('demo', ['--jsno'], table)).toThrow(/unknown option '--jsno' for 'grantcheck demo' \(did you mean '--json'\?\)/);
  });
});

describe('Staging', () => {
  it('moves each unit into the output directory only at commit, replacing the old one, and leaves nothing else', () => {
    const parent = tempDir();
    const out = join(parent, 'out');
    mkdirSync(join(out, 'd/old'), { recursive: true });
    writeFileSync(join(out, 'd/old/stale.txt'), 'stale');
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const s = new Staging(out);
    s.write('d/old/new.txt', 'new');
    s.write('report.html', '<html>');
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    s.commit(['d/old', 'report.html']);
    expect(readdirSync(join(out, 'd/old'))).toEqual(['new.txt']);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(parent)).toEqual(['out']);
  });
  it('discard leaves the output directory as it was', () => {
    const parent = tempDir();
    const s = new Staging(join(parent, 'out'));
    s.write('x/y.txt', 'half');
    s.discard();
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('progress', () => {
  const p = { distinctStates: 50_000, generatedStates: 120_000, statesPerSecond: 10_000, depth: 12, queue: 3_000, elapsedMs: 5_000 };
  const io = (tty: boolean) => {
    const lines: string[] = [];
    return { lines, io: { out: () => {}, err: (t: string) => void lines.push(t), errIsTTY: tty, columns: 200 } };
  };
  it('draws a bar with an ETA on a terminal, and clears it at the end', () => {
    const t = io(true);
    const h = progress(t.io, { label: 'gntdev-2022 on standard', expectedStates: 200_000 }, false);
    expect(h.options.progressIntervalMs).toBe(250);
    h.options.onProgress!(p);
    h.done();
    expect(t.lines[0]).toBe('\r\x1b[2K[#####...............] 50,000 states  10,000/s  depth 12  queue 3,000  ETA 15s  gntdev-2022 on standard');
    expect(t.lines[1]).toBe('\r\x1b[2K');
  });
  it('on a narrow terminal, cuts the name and keeps the figures', () => {
    const lines: string[] = [];
    const h = progress({ out: () => {}, err: (x: string) => void lines.push(x), errIsTTY: true, columns: 60 }, { label: '[3/28] gntdev-2022 on standard', expectedStates: 200_000 }, false);
    h.options.onProgress!(p);
    const shown = lines[0]!.replace('\r\x1b[2K', '');
    expect(shown.length).toBeLessThan(60);
    expect(shown).toMatch(/^\[#####\.+\] 50,000 states  10,000\/s  depth 12/);
    expect(shown).not.toContain('gntdev-2022');
  });
  it('prints a plain line every few seconds otherwise, and nothing when quiet', () => {
    const t = io(false);
    const h = progress(t.io, { label: 'x', maxStates: 100_000 }, false);
    expect(h.options.progressIntervalMs).toBe(5000);
    h.options.onProgress!(p);
    expect(t.lines).toEqual(['progress: x: 50,000 distinct states, 10,000 states/s, depth 12, queue 3,000, 5s elapsed, about 5s left\n']);
    expect(progress(t.io, { label: 'x' }, true).options).toEqual({});
  });
});

describe('every command', () => {
  it('has --help (exit 0, usage first) and is listed by grantcheck --help', async () => {
    const { commands } = await import('../../cli/commands.js');
    const { runHere } = await import('./helpers.js');
    const top = await runHere(['--help']);
    for (const c of commands) {
      const r = await runHere([c.name, '--help']);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout.startsWith(`Usage: grantcheck ${c.name}`), c.name).toBe(true);
      expect(r.stdout, c.name).toMatch(/\nExit codes:\n/);
      expect(top.stdout).toContain(`  ${c.name} `);
    }
  });

  it('simulate --out writes the shrunk counterexample with its seed, replayable', async () => {
    const { runHere } = await import('./helpers.js');
    const out = join(tempDir(), 'out');
    const r = await runHere(['simulate', '--design', 'early-unpin', '--config', 'small', '--runs', '200', '--seed', '3', '--out', out, '--no-svg', '--quiet']);
    expect(r.code).toBe(1);
    const dir = join(out, 'early-unpin/small/simulate-seed3');
    expect(readdirSync(dir).sort()).toEqual(['cx1-inv-1.dot', 'cx1-inv-1.itf.json', 'cx1-inv-1.txt', 'report.txt']);
    const meta = JSON.parse(readFileSync(join(dir, 'cx1-inv-1.itf.json'), 'utf8'))['#meta'] as Record<string, unknown>;
    expect(meta).toMatchObject({ design: 'early-unpin', config: 'small', seed: 3, runs: 200, property: 'INV-1 no implicit unmap', length: 6 });
    const replay = await runHere(['replay', join(dir, 'cx1-inv-1.itf.json')]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^Reproduced on early-unpin on small: INV-1 no implicit unmap fails at step 6 of 6/);
  });
});
