// Why this test? The bench compares grantcheck with Rumur on "the same model": that holds only if
// the generated Murphi has exactly the packed grant-table model's transitions, in its order, and
// exactly its distinct states. The structure is checked here always; the counts are checked by
// running Rumur itself (Debian's rumur package; .ci/run installs it) on configurations small
// enough for the test suite, on one and two threads. The bench checks (4,3) and (5,3) again on
// every run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grantTable } from '../../bench/grantTable.js';
import { generateMurphi, parseRumurSummary, rumurAvailable, runMurphi, runRumur } from '../../bench/rumur.js';
import { generatePromela } from '../../bench/spin.js';
import { check } from '../../explorer/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the Murphi of the grant-table peer model', () => {
  it('has one rule per action of the packed model, named and ordered as its actions, as the Promela has one option each', () => {
    for (const [p, g] of [
      [1, 1],
      [2, 1],
      [4, 3],
    ] as const) {
      const m = grantTable(p, g);
      const murphi = generateMurphi(p, g);
      const rules = [...murphi.matchAll(/^rule "([^"]+)"$/gm)].map((x) => x[1]);
      expect(rules).toEqual(m.packed.actions.map((a) => m.formatAction!(a)));
      expect(rules.length).toBe(generatePromela(p, g, true).match(/d_step/g)!.length);
      // the Promela's asserts: use, unuse and unmap of every mapper
      expect(murphi.match(/assert st\[sl\[\d+\]\] != 0/g)!.length).toBe(3 * p);
    }
    expect(() => generateMurphi(0, 3)).toThrow(RangeError);
  });

  it('reads the verifier summary', () => {
    expect(parseRumurSummary('<progress states="10"/>\n<summary states="363150" rules_fired="2790423" errors="0" duration_seconds="1"/>\n')).toEqual({ states: 363150, rulesFired: 2790423, errors: 0 });
    expect(parseRumurSummary('no summary')).toBeUndefined();
  });

  it('Rumur finds exactly the packed model\'s distinct states, on one thread and on two', () => {
    if (!rumurAvailable()) {
      if (process.env.GRANTCHECK_SKIP_RUMUR === '1') return;
      throw new Error("rumur or cc is missing: install Debian's rumur package (apt-get install -y rumur; .ci/run does it), or set GRANTCHECK_SKIP_RUMUR=1 to skip this test");
    }
    const runs: [number, number, number][] = [
      [1, 1, 1],
      [2, 2, 1],
      [3, 2, 2],
      [4, 3, 2],
    ];
    for (const [p, g, threads] of runs) {
      const rumur = runRumur(p, g, threads)!;
      expect(rumur.threads).toBe(threads);
      expect(rumur.states, `(${p},${g}) on ${threads} thread(s)`).toBe(check(grantTable(p, g)).stats.distinctStates);
      if (p === 4 && g === 3) expect(rumur.states).toBe(363_150);
    }
  }, 120_000);

  it('Rumur reports a violation when the model has one (the asserts are checked)', () => {
    if (!rumurAvailable()) {
      if (process.env.GRANTCHECK_SKIP_RUMUR === '1') return;
      throw new Error('rumur or cc is missing (see above)');
    }
    // reclaim without waiting for the slot's mappings: a mapper then uses a FREE slot
    const buggy = generateMurphi(1, 1).replace('st[0] = 2 & ref[0] = 0', 'st[0] = 2');
    expect(buggy).not.toBe(generateMurphi(1, 1));
    expect(() => runMurphi(buggy)).toThrow(/the verifier reported 1 error\(s\)[\s\S]*mapper 0 maps a FREE slot/);
  }, 60_000);
});

describe('npm run -s bench -- --json without rumur on PATH', () => {
  it('gives null Rumur and SPIN fields, and the row all the same', () => {
    // A PATH with node only: neither rumur nor cc (nor spin) can be found.
    const r = spawnSync(process.execPath, [join(root, 'dist/bench/run.js'), '--json', '--only', 'grant-table-4x3'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: '/nonexistent' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { benchmarks: Record<string, unknown>[] }).benchmarks;
    expect(rows.map((b) => b.name)).toEqual(['grant-table-4x3']);
    expect(rows[0]).toMatchObject({ distinctStates: 363_150, rumurThreads: null, rumurStatesPerSecond: null, rumurBytesPerState: null, rumurSeconds: null, ratioToRumur: null, spinStatesPerSecond: null });
  }, 120_000);
});
