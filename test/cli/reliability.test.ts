// Why these tests? A CI pipeline reads grantcheck's exit code: a run that hangs, that reports success
// for work it did not finish, or that crashes after minutes records a wrong answer. Each test drives
// the built CLI as a subprocess, as a pipeline does, with real signals (at several moments: while
// loading, during the search, while the output is staged), a real FIFO, a real `ulimit -v` and a
// real unwritable directory, and checks the documented answer: exit 130/143 with the interrupted
// report (or one line), exit 3 with the bound reached, exit 2 with one line, and never anything
// half-written under --out.
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, root, runBuilt, tempDir } from './helpers.js';

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Starts the built CLI; `ended` resolves when it exits (killed after `killAfterMs`). */
function start(args: readonly string[], env: Record<string, string> = {}, options: SpawnOptions = {}, killAfterMs = 90_000) {
  const t0 = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', GRANTCHECK_DEBUG: '', ...env }, ...options });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const ended = new Promise<Ended>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      // let the pipes drain
      setTimeout(() => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 }), 50);
    });
  });
  return { child, ended };
}

/** Waits until `ok()` holds (polling), or fails after `ms`. */
async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** No stack trace, no internal error. */
function clean(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/internal error/);
}

/** Nothing under `out` and no staging directory next to it. */
function nothingWritten(parent: string, out: string): void {
  expect(existsSync(join(parent, out)) ? readdirSync(join(parent, out)) : []).toEqual([]);
  expect(readdirSync(parent).filter((n) => n.includes('.staging-'))).toEqual([]);
}

const dirs: string[] = [];
function dir(): string {
  const d = tempDir('grantcheck-reliability-');
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const MARKER_DESIGN = 'test/cli/fixtures/signal-marker.ts';

describe('signals (item 1)', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during a check's search: the interrupted report on stdout, status interrupted in --json, exit ${code}, nothing under --out`, async () => {
      const d = dir();
      const marker = join(d, 'marker');
      const run = start(['check', '--design-file', MARKER_DESIGN, '--json', '--quiet', '--out', join(d, 'out')], { GRANTCHECK_TEST_MARKER: marker });
      await until(() => existsSync(marker), 60_000, 'the search to start');
      const sent = Date.now();
      run.child.kill(signal);
      const r = await run.ended;
      expect(r.code, r.stderr).toBe(code);
      expect(Date.now() - sent).toBeLessThan(5_000);
      const j = JSON.parse(r.stdout) as { status: string; boundHit: { bound: string; detail: string } };
      expect(j.status).toBe('interrupted');
      expect(j.boundHit.bound).toBe('interrupted');
      expect(j.boundHit.detail).toContain(signal);
      clean(r.stderr);
      nothingWritten(d, 'out');
    });
  }

  it('SIGINT while model code never returns: the search thread is ended within about a second, the report says so, exit 130', async () => {
    const d = dir();
    const marker = join(d, 'marker');
    const run = start(['check', '--design-file', MARKER_DESIGN, '--quiet'], { GRANTCHECK_TEST_MARKER: marker, GRANTCHECK_TEST_MODE: 'hang' });
    await until(() => existsSync(marker), 60_000, 'the search to start');
    const sent = Date.now();
    run.child.kill('SIGINT');
    const r = await run.ended;
    expect(r.code, r.stderr).toBe(130);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(r.stdout).toMatch(/Interrupted: interrupted by SIGINT/);
    expect(r.stdout).toMatch(/did not stop within 1000 ms/);
    clean(r.stderr);
  });

  it('SIGTERM while a design file is still loading: one line on stderr, exit 143', async () => {
    const d = dir();
    const marker = join(d, 'marker');
    const run = start(['check', '--design-file', 'test/cli/fixtures/bad/marker-never-loads.ts', '--load-timeout', '60', '--quiet'], { GRANTCHECK_TEST_MARKER: marker });
    await until(() => existsSync(marker), 60_000, 'the design file to load');
    run.child.kill('SIGTERM');
    const r = await run.ended;
    expect(r.signal).toBe(null);
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/^grantcheck: interrupted by SIGTERM\n$/);
    expect(r.stdout).toBe('');
  });

  it('SIGINT while the output is staged: the staging is discarded, one line on stderr, exit 130', async () => {
    const d = dir();
    const run = start(['check', '--design', 'early-unpin', '--config', 'tiny', '--quiet', '--out', join(d, 'out')]);
    // the counterexamples are written (and drawn, about a second each) into the staging directory
    const staged = (): boolean => readdirSync(d).some((n) => n.includes('.staging-') && JSON.stringify(listAll(join(d, n))).includes('.dot'));
    await until(staged, 60_000, 'the staging directory to fill');
    run.child.kill('SIGINT');
    const r = await run.ended;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^grantcheck: interrupted by SIGINT; the output being written was discarded, nothing changed under --out\n$/);
    nothingWritten(d, 'out');
  });

  it("SIGINT during compare's search: the runs so far, 'Interrupted during', exit 130, nothing under --out", async () => {
    const d = dir();
    const run = start(['compare', '--design', 'gntdev-2022', '--design', 'early-unpin', '--quiet', '--out', join(d, 'out')]);
    // the staging directory appears once the input is checked, just before the first search
    await until(() => readdirSync(d).some((n) => n.includes('.staging-')), 60_000, 'compare to start');
    await new Promise((r) => setTimeout(r, 1_000));
    run.child.kill('SIGINT');
    const r = await run.ended;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toMatch(/Interrupted during \[1\/\d+\] gntdev-2022 on standard: interrupted by SIGINT at depth \d+ with \d+ distinct states; \d+ runs? not started; nothing was written under/);
    clean(r.stderr);
    nothingWritten(d, 'out');
  });
});

function listAll(p: string): string[] {
  if (!existsSync(p)) return [];
  return statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => [n, ...listAll(join(p, n))]) : [];
}

describe('--out is checked before the search (item 2)', () => {
  it('--out under /proc: exit 2 at once, one line naming the pseudo-filesystem', () => {
    const t0 = Date.now();
    const r = runBuilt(['check', '--design', 'gntdev-2022', '--quiet', '--out', '/proc/forbidden/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^grantcheck check: --out \/proc\/forbidden\/x is on \/proc, a proc pseudo-filesystem that holds no files; give a directory on a disk/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it.runIf(process.getuid?.() === 0)('a directory this user cannot write in (run as nobody): exit 2 before any state is explored', () => {
    const d = dir();
    // root owns d and its mode is 0755: nobody can read the design but not write there
    const r = spawnSync(process.execPath, [bin, 'check', '--design', 'gntdev-2022', '--json', '--out', join(d, 'sub', 'out')], { cwd: root, encoding: 'utf8', uid: 65534, gid: 65534, env: { ...process.env, GRANTCHECK_DEBUG: '' }, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^grantcheck check: --out .*: cannot write in .* \(EACCES\); give a directory you can write to\n$/);
    expect(r.stdout).toBe('');
  });

  it('removes the staging directories of dead runs (kill -9) next to --out, not those of live ones', () => {
    const d = dir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const stale = join(d, `.out.staging-${deadPid}-abc`);
    const live = join(d, `.out.staging-${process.pid}-def`);
    for (const s of [stale, live]) {
      mkdirSync(join(s, 'early-unpin'), { recursive: true });
      writeFileSync(join(s, 'early-unpin', 'half.dot'), 'digraph {');
    }
    const r = runBuilt(['check', '--design', 'gntdev-2022', '--config', 'tiny', '--quiet', '--no-svg', '--out', join(d, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(join(d, 'out', 'gntdev-2022', 'tiny', 'report.html'))).toBe(true);
  });
});

describe('model code that never returns (item 3)', () => {
  it('--time-limit 2 holds within about a second: exit 3, incomplete at the time limit', async () => {
    const d = dir();
    const run = start(['check', '--design-file', MARKER_DESIGN, '--time-limit', '2', '--json', '--quiet'], { GRANTCHECK_TEST_MARKER: join(d, 'marker'), GRANTCHECK_TEST_MODE: 'hang' });
    const r = await run.ended;
    expect(r.code, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout) as { status: string; boundHit: { bound: string; detail: string } };
    expect(j.status).toBe('incomplete');
    expect(j.boundHit.bound).toBe('timeLimitMs');
    expect(j.boundHit.detail).toMatch(/time limit of 2000 ms reached .* did not stop within 1000 ms/);
    // loading and building take their time; the search itself ends at about 2 s + 1 s of grace
    expect(r.ms).toBeLessThan(30_000);
    clean(r.stderr);
  });
});

describe('design files that never finish loading (item 4)', () => {
  for (const file of ['never-loads.ts', 'loops-at-load.ts']) {
    it(`${file}: exit 2 naming the file, within the load timeout`, async () => {
      const run = start(['check', '--design-file', `test/cli/fixtures/bad/${file}`, '--load-timeout', '1', '--quiet']);
      const r = await run.ended;
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(`grantcheck check: design file 'test/cli/fixtures/bad/${file}': the module did not finish loading within 1 s (a top-level await that never settles, or code that never returns); fix the file, or give --load-timeout S if it needs longer\n`);
      expect(r.ms).toBeLessThan(30_000);
    });
  }
});

describe('memory (item 6)', () => {
  it('under a real ulimit -v the run is incomplete at the address-space limit, not a crash', () => {
    const r = spawnSync('bash', ['-c', `ulimit -v 1300000; exec "${process.execPath}" "${bin}" check --design gntdev-2022 --pages 8 --maps 3 --time-limit 60 --json --quiet`], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.signal).toBe(null);
    expect(r.status, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout) as { status: string; boundHit: { bound: string; detail: string } };
    expect(j.status).toBe('incomplete');
    expect(j.boundHit.bound).toBe('maxMemoryBytes');
    expect(j.boundHit.detail).toMatch(/address-space limit \(ulimit -v\) of 1270 MiB nearly reached/);
    clean(r.stderr);
  });

  it('--max-memory is a bound of check: incomplete at maxMemoryBytes', () => {
    const r = runBuilt(['check', '--design', 'gntdev-2022', '--pages', '8', '--maps', '3', '--max-memory', '200m', '--time-limit', '60', '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout) as { boundHit: { bound: string; limit: number } };
    expect(j.boundHit.bound).toBe('maxMemoryBytes');
    expect(j.boundHit.limit).toBe(200 * 2 ** 20);
  });

  it('--max-memory and --workers are accepted by compare, orderings and simulate, and checked before any work', () => {
    for (const args of [
      ['compare', '--design', 'early-unpin', '--config', 'tiny', '--max-memory', '2g', '--workers', '2', '--no-svg'],
      ['orderings', '--design', 'gntalloc-2022', '--sequence', 'del_gref', '--max-memory', '2g', '--workers', '1'],
      ['simulate', '--design', 'early-unpin', '--config', 'tiny', '--runs', '5', '--seed', '1', '--max-memory', '2g'],
    ]) {
      const d = dir();
      const r = runBuilt([...args, '--quiet', '--out', join(d, 'out')]);
      expect([0, 1], `${args.join(' ')}: ${r.stderr}`).toContain(r.code);
    }
    const bad = runBuilt(['check', '--design', 'gntdev-2022', '--max-memory', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-memory must be a size of at least 64m/);
    const refused = runBuilt(['simulate', '--design', 'early-unpin', '--workers', '2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^grantcheck simulate: --workers: the random walks run in one thread; give --workers 1 or leave it out\n$/);
  });
});

describe('simulate --weights and trace files (item 7)', () => {
  it('--weights with an unknown action kind: exit 2 naming it', () => {
    const r = runBuilt(['simulate', '--design', 'early-unpin', '--config', 'tiny', '--runs', '5', '--weights', 'do_exti=2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^grantcheck simulate: --weights names 'do_exti', which is not an action kind of early-unpin \(did you mean 'do_exit'\?\)/);
  });

  it('a FIFO as a trace file is refused at once (not read: it would block for ever)', () => {
    const d = dir();
    const fifo = join(d, 'trace.itf.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = runBuilt(['replay', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a FIFO \(named pipe\); give the path of a \.itf\.json file/);
  });

  it('a trace with a UTF-8 byte order mark replays as without it', () => {
    const d = dir();
    const text = readFileSync(join(root, 'docs/case17.itf.json'), 'utf8');
    writeFileSync(join(d, 'bom.itf.json'), `\ufeff${text}`);
    const plain = runBuilt(['replay', 'docs/case17.itf.json']);
    const bom = runBuilt(['replay', join(d, 'bom.itf.json')]);
    expect(bom.stderr).toBe(plain.stderr);
    expect(bom.code).toBe(plain.code);
    expect(bom.stdout.split('\n').slice(1)).toEqual(plain.stdout.split('\n').slice(1));
  });
});

describe('the bin (item 9)', () => {
  it('dist/cli/main.js is executable after npm run build, and runs as a command', () => {
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^grantcheck \d+\.\d+\.\d+\n$/);
  });
});
