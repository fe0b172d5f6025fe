// Why these tests? `grantcheck orderings` is what a kernel developer runs to ask "in which order may
// these steps run?": its exit codes, its files (each counterexample replays in its own ordering),
// its determinism, and its one-line refusals of bad input.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHere, tempDir } from './helpers.js';

const DIR = 'gntalloc-2022/alloc-small/orderings-del_gref';

/** Every file under dir, relative, sorted. */
function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)]))
    .sort();
}

describe('grantcheck orderings', () => {
  it("gntalloc-2022's __del_gref: exit 1, every ordering's outcome, the constraints, the files", async () => {
    const out = join(tempDir(), 'out');
    const r = await runHere(['orderings', '--design', 'gntalloc-2022', '--sequence', 'del_gref', '--out', out, '--no-svg', '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('Orderings of del_gref for gntalloc-2022 on configuration alloc-small: 6 orderings');
    expect(r.stdout).toMatch(/notify < revoke < free +holds/);
    expect(r.stdout).toMatch(/free < notify < revoke +INV-3 \(CE 5\)/);
    expect(r.stdout).toContain('Every property: 2 of 6 orderings are safe; necessary: notify before free; revoke before free (together also sufficient).');
    expect(r.stdout).toContain('INV-3: 3 of 6 orderings are safe; necessary: revoke before free (together also sufficient).');
    expect(files(out)).toEqual([
      `${DIR}/constraints.dot`,
      `${DIR}/cx1-inv-3+a-acct+a-no-uaf.dot`,
      `${DIR}/cx1-inv-3+a-acct+a-no-uaf.itf.json`,
      `${DIR}/cx1-inv-3+a-acct+a-no-uaf.txt`,
      `${DIR}/matrix.svg`,
      `${DIR}/orderings.json`,
      `${DIR}/orderings.txt`,
      `${DIR}/report.html`,
    ]);
    const json = JSON.parse(readFileSync(join(out, DIR, 'orderings.json'), 'utf8'));
    expect(json.overall.necessary).toEqual(['notify before free', 'revoke before free']);
    expect(json.orderings.filter((o: { status: string }) => o.status === 'holds').map((o: { order: string[] }) => o.order.join(','))).toEqual(['notify,revoke,free', 'revoke,notify,free']);
    const html = readFileSync(join(out, DIR, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('in the ordering <span class="mono">free &lt; notify &lt; revoke</span>');
    // Each constraint once, with what needs it; "safe" says for which properties.
    const constraints = /<table class="grid constraints">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(constraints.match(/notify before free/g)).toHaveLength(1);
    expect(constraints.match(/revoke before free/g)).toHaveLength(1);
    expect(constraints).toContain('<td>C2</td><td class="mono">revoke before free</td><td>every property, INV-3, a-acct, a-no-UAF</td>');
    expect(html).toContain('no property of the selected set fails in the ordering: the 8 properties checked (TypeOK, INV-3, a-acct, a-leak, a-offsets, a-users, a-no-UAF, deadlock)');
    // The matrix has a legend, and each red cell of a property links to the counterexample written for it.
    expect(html).toMatch(/<div class="legend">[\s\S]*CE n[\s\S]*in the last column: some property of the 8 checked fails/);
    const matrix = /Every ordering \(matrix\)([\s\S]*?)<\/figure>/.exec(html)![1]!;
    const cx = 'o-gntalloc-2022-del_gref-cx1';
    expect(html).toContain(`<details class="cx" id="${cx}">`);
    expect(matrix.match(/<a href="#[^"]*">/g)).toEqual(Array(json.orderings.flatMap((o: { counterexamples: unknown[] }) => o.counterexamples).length).fill(`<a href="#${cx}">`));
  });

  it('its counterexample replays in its own ordering (and not in the kernel order)', async () => {
    const out = join(tempDir(), 'out');
    await runHere(['orderings', '--design', 'gntalloc-2022', '--sequence', 'del_gref', '--out', out, '--no-svg', '--quiet']);
    const itf = join(out, DIR, 'cx1-inv-3+a-acct+a-no-uaf.itf.json');
    const meta = JSON.parse(readFileSync(itf, 'utf8'))['#meta'];
    expect(meta.orderSequence).toBe('del_gref');
    expect(meta.order).toBe('free,notify,revoke');
    const r = await runHere(['replay', itf]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('Reproduced on gntalloc-2022 (del_gref in the order free < notify < revoke) on alloc-small: INV-3');
  });

  it('the same inputs write byte-identical files', async () => {
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    for (const d of [a, b]) await runHere(['orderings', '--design', 'gntalloc-2022', '--sequence', 'del_gref', '--out', d, '--no-svg', '--quiet']);
    for (const f of files(a)) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });

  it('--keep checks only the linear extensions; exit 0 when every one of them holds', async () => {
    const r = await runHere(['orderings', '--design', 'gntalloc-2022', '--sequence', 'del_gref', '--keep', 'notify<free', '--keep', 'revoke<free', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 orderings keeping notify < free, revoke < free');
    expect(r.stdout).toContain('Every property: every one of the 2 orderings is safe: no constraint is needed.');
  });

  it('--json prints one object', async () => {
    const r = await runHere(['orderings', '--design', 'gntdev-2022', '--sequence', 'munmap', '--config', 'tiny', '--json', '--quiet']);
    const json = JSON.parse(r.stdout);
    expect(json.sequence).toBe('munmap');
    expect(json.orderings.length).toBe(json.overall.orderings);
    expect(r.code).toBe(json.orderings.some((o: { status: string }) => o.status === 'violated') ? 1 : 0);
  });

  it('a bound makes it incomplete (exit 3) and says so', async () => {
    const r = await runHere(['orderings', '--design', 'gntdev-2022', '--sequence', 'exit_mmap', '--config', 'tiny', '--max-depth', '3', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('NOT exhaustive (depth bound 3 reached');
    expect(r.stdout).toContain('never ran in full within the bounds');
  });
});

describe('grantcheck orderings: bad input is one line, exit 2, nothing written', () => {
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['no sequence', ['--design', 'gntalloc-2022'], /which sequence\? give --sequence exit_mmap\|munmap\|del_gref/],
    ['an unknown sequence', ['--design', 'gntalloc-2022', '--sequence', 'teardown'], /--sequence/],
    ['a malformed --keep', ['--design', 'gntalloc-2022', '--sequence', 'del_gref', '--keep', 'free'], /--keep takes 'a<b'/],
    ['a step not in the sequence', ['--design', 'gntalloc-2022', '--sequence', 'del_gref', '--keep', 'zap<free'], /--keep names 'zap', which is not a step of del_gref \(notify, revoke, free\)/],
    ['contradictory precedences', ['--design', 'gntalloc-2022', '--sequence', 'del_gref', '--keep', 'free<notify', '--keep', 'notify<free'], /contradict each other/],
    ['__del_gref on a configuration without gntalloc', ['--design', 'gntdev-2022', '--sequence', 'del_gref'], /has no gntalloc, so __del_gref never runs; give a gntalloc configuration/],
    ["gntalloc 2011's __del_gref, which queries first", ['--design', 'gntalloc-2011', '--sequence', 'del_gref'], /queries before it revokes/],
  ];
  for (const [what, args, problem] of cases) {
    it(what, async () => {
      const out = join(tempDir(), 'out');
      const r = await runHere(['orderings', ...args, '--out', out, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(problem);
      expect(existsSync(out)).toBe(false);
    });
  }
});
