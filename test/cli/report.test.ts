// Why these tests? out/report.html is what people open: it must be self-contained (no network),
// render in a real browser (the table, and every counterexample graph with a real size), and,
// like every file compare writes except timings.json, come out byte-identical from two runs.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runHere, tempDir, type Ran } from './helpers.js';

// The browser's globals, inside page.evaluate callbacks (the project compiles without the DOM lib).
declare const document: any;
type El = any;

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Every file under dir, relative, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

// A small compare: early-unpin (three counterexamples) and gntdev-2022-hvm (none) on tiny, twice.
const runs: { out: string; ran: Ran }[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const out = join(tempDir(), 'out');
    runs.push({ out, ran: await runHere(['compare', '--design', 'early-unpin', '--design', 'gntdev-2022-hvm', '--config', 'tiny', '--out', out, '--quiet']) });
  }
});

describe('compare on a small configuration', () => {
  it('writes the report, the table, the summary, timings, and each counterexample as DOT, SVG, ITF and text; no staging directory is left', () => {
    const { out, ran } = runs[0]!;
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0); // not on their recorded configurations: shown, not compared
    expect(ran.stdout).toMatch(/Every outcome matches the recorded one \(0 rows compared; 2 not on their recorded configuration, not compared\)/);
    const all = files(out);
    expect(all.filter((f) => f.startsWith('early-unpin/tiny/cx'))).toEqual([
      'early-unpin/tiny/cx1-inv-1+inv-5.dot',
      'early-unpin/tiny/cx1-inv-1+inv-5.itf.json',
      'early-unpin/tiny/cx1-inv-1+inv-5.svg',
      'early-unpin/tiny/cx1-inv-1+inv-5.txt',
      'early-unpin/tiny/cx2-inv-2+live_grants.dot',
      'early-unpin/tiny/cx2-inv-2+live_grants.itf.json',
      'early-unpin/tiny/cx2-inv-2+live_grants.svg',
      'early-unpin/tiny/cx2-inv-2+live_grants.txt',
      'early-unpin/tiny/cx3-inv-2q.dot',
      'early-unpin/tiny/cx3-inv-2q.itf.json',
      'early-unpin/tiny/cx3-inv-2q.svg',
      'early-unpin/tiny/cx3-inv-2q.txt',
    ]);
    expect(all).toEqual(expect.arrayContaining(['report.html', 'table.md', 'summary.json', 'timings.json', 'early-unpin/tiny/result.json', 'gntdev-2022-hvm/tiny/report.txt']));
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });

  it('every file but timings.json is byte-identical across runs', () => {
    const [a, b] = runs.map((r) => r.out) as [string, string];
    expect(files(a)).toEqual(files(b));
    for (const f of files(a).filter((x) => x !== 'timings.json')) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });

  it('the report is self-contained: inline SVG and CSS, no script, no remote reference', () => {
    const html = readFileSync(join(runs[0]!.out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|@import|https?:\/\/(?!www\.w3\.org)/);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(3);
  });
});

describe('the report in headless Chromium', () => {
  it('shows the table and draws every counterexample graph, without touching the network', async () => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.GRANTCHECK_SKIP_BROWSER === '1') return;
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does it), or set GRANTCHECK_SKIP_BROWSER=1 to skip this test`);
    }
    const report = join(runs[0]!.out, 'report.html');
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'grantcheck-chromium-')), { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const requests: string[] = [];
      const errors: string[] = [];
      const page = await context.newPage();
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
      const table = await page.evaluate(() => {
        const t: El = document.querySelector('#outcomes');
        const box: El = t.getBoundingClientRect();
        return {
          width: Number(box.width),
          height: Number(box.height),
          rows: [...t.querySelectorAll('tbody tr')].map((r: El) => [...r.querySelectorAll('td')].map((c: El) => String(c.textContent).trim())),
          header: [...t.querySelectorAll('thead th')].map((c: El) => String(c.textContent).trim()),
          ceLinks: [...t.querySelectorAll('td.ce a')].map((a: El) => String(a.hash)),
        };
      });
      expect(table.width).toBeGreaterThan(300);
      expect(table.height).toBeGreaterThan(40);
      expect(table.header.slice(0, 4)).toEqual(['design', 'config', 'TypeOK', 'INV-1']);
      expect(table.rows.map((r) => r.slice(0, 3))).toEqual([
        ['early-unpin', 'tiny', 'holds'],
        ['gntdev-2022-hvm', 'tiny', 'holds'],
      ]);
      expect(table.rows[0]).toContain('CE 6');
      expect(table.ceLinks.length).toBeGreaterThanOrEqual(4);
      const graphs = await page.evaluate(() =>
        [...document.querySelectorAll('.cx')].map((cx: El) => {
          const svg: El = cx.querySelector('svg.graph');
          const box: El = svg?.getBoundingClientRect();
          return {
            id: String(cx.id),
            width: Number(box?.width ?? 0),
            height: Number(box?.height ?? 0),
            nodes: Number(svg ? svg.querySelectorAll('g.node').length : 0),
            drawn: svg ? [...svg.querySelectorAll('g.node')].filter((n: El) => n.getBBox().width > 0).length : 0,
          };
        }),
      );
      expect(graphs.map((g) => g.id)).toEqual(['cx-early-unpin-1', 'cx-early-unpin-2', 'cx-early-unpin-3']);
      for (const g of graphs) {
        expect(g.width, g.id).toBeGreaterThan(100);
        expect(g.height, g.id).toBeGreaterThan(100);
        expect(g.nodes, g.id).toBeGreaterThan(5);
        expect(g.drawn, g.id).toBe(g.nodes);
      }
      // Every CE cell links to a counterexample on the page.
      for (const hash of table.ceLinks) expect(await page.locator(hash).count(), hash).toBe(1);
      expect(requests).toEqual([pathToFileURL(report).href]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
