// Why these tests? report.html is what people open: it must be self-contained (no network),
// byte-identical from run to run (like every file compare writes except timings.json), and usable
// in a real browser: the table keeps its header row and first column in view while it scrolls, its
// filters hide the right rows, a cell's link opens its counterexample, and the trace viewer steps
// forward and back (buttons and keys) with the graph following. The views are photographed on the
// way: GRANTCHECK_SCREENSHOTS=docs writes the pictures of docs/counterexamples.md, otherwise they
// go to a temporary directory (and are still checked to be pictures).
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, runHere, tempDir, type Ran } from './helpers.js';

// The browser's globals, inside page.evaluate callbacks (the project compiles without the DOM lib).
declare const document: any;
declare const window: any;
declare const location: any;
type El = any;

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = process.env.GRANTCHECK_SCREENSHOTS === 'docs' ? join(root, 'docs') : mkdtempSync(join(tmpdir(), 'grantcheck-shots-'));

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

// A small compare twice (early-unpin with three counterexamples, gntdev-2022-hvm with none) for the
// files; every design on tiny for the browser (31 rows, counterexamples of many designs).
const runs: { out: string; ran: Ran }[] = [];
let wide: { out: string; ran: Ran };
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const out = join(tempDir(), 'out');
    runs.push({ out, ran: await runHere(['compare', '--design', 'early-unpin', '--design', 'gntdev-2022-hvm', '--config', 'tiny', '--out', out, '--quiet']) });
  }
  const out = join(tempDir(), 'out');
  // Graphs are drawn for the first designs only (early-unpin's come first): the viewer needs one.
  wide = { out, ran: await runHere(['compare', '--config', 'tiny', '--render-budget', '10', '--out', out, '--quiet']) };
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

  it('the report is self-contained: inline CSS, SVG and one inline script, no remote reference', () => {
    const html = readFileSync(join(runs[0]!.out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<link|<img|@import|<script[^>]*\bsrc=|https?:\/\/(?!www\.w3\.org)/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(3);
    // Each counterexample is collapsed until opened, with the viewer and every step inside it.
    expect(html.match(/<details class="cx" id="cx-early-unpin-\d">/g)).toHaveLength(3);
    expect(html.match(/<section class="vstep" data-step="\d+"/g)!.length).toBe(6 + 1 + 7 + 1 + 10 + 1);
  });
});

describe('the report in headless Chromium', () => {
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.GRANTCHECK_SKIP_BROWSER === '1') return;
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does it), or set GRANTCHECK_SKIP_BROWSER=1 to skip these tests`);
    }
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'grantcheck-chromium-')), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await context?.close();
  });

  /** A fresh page on `file`, recording every request and error. */
  async function open(file: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await context!.newPage();
    await page.setViewportSize(viewport);
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    const file = join(SHOTS, name);
    await page.screenshot({ path: file });
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1'), name).toBe('PNG');
    expect(png.length, name).toBeGreaterThan(10_000);
  }

  const skip = () => context === undefined;

  it('fits 1280×800: the page never scrolls sideways, the table fits or scrolls inside its own box', async () => {
    if (skip()) return;
    const report = join(wide.out, 'report.html');
    const page = await open(report);
    await page.click('nav.top a[href="#table"]');
    const g = await page.evaluate(() => {
      const box: El = document.getElementById('tablebox');
      const r = box.getBoundingClientRect();
      return { page: document.documentElement.scrollWidth, left: r.left, right: r.right, top: r.top, bottom: r.bottom, client: box.clientWidth, scroll: box.scrollWidth, clientH: box.clientHeight, scrollH: box.scrollHeight, rows: document.querySelectorAll('#outcomes tbody tr').length };
    });
    expect(g.rows).toBe(31);
    expect(g.page).toBeLessThanOrEqual(1280);
    expect(g.left).toBeGreaterThanOrEqual(0);
    expect(g.right).toBeLessThanOrEqual(1280);
    // The whole box is on screen once the Outcomes link is followed; what does not fit scrolls inside it.
    expect(g.top).toBeGreaterThanOrEqual(0);
    expect(g.bottom).toBeLessThanOrEqual(800);
    expect(g.scroll <= g.client || g.scroll > g.client).toBe(true);
    expect(g.scrollH).toBeGreaterThan(g.clientH);
    await shot(page, 'report-table.png');
    await page.close();
  });

  it('keeps the header row and the first column in view while the table scrolls (1280×800 and 900×600)', async () => {
    if (skip()) return;
    for (const viewport of [{ width: 1280, height: 800 }, { width: 900, height: 600 }]) {
      const page = await open(join(wide.out, 'report.html'), viewport);
      await page.click('nav.top a[href="#table"]');
      const scrolled = await page.evaluate(() => {
        const box: El = document.getElementById('tablebox');
        box.scrollTop = 10_000;
        box.scrollLeft = 10_000;
        const b = box.getBoundingClientRect();
        const head: El = document.querySelector('#outcomes thead th:nth-child(5)').getBoundingClientRect();
        const corner: El = document.querySelector('#outcomes thead th.design').getBoundingClientRect();
        // What is drawn just under the header, at the box's left edge, is a design name (the sticky
        // column) of a row scrolled into view, not the header or another column scrolled under it.
        const hb: El = document.querySelector('#outcomes thead th').getBoundingClientRect();
        const atHead: El = document.elementFromPoint(head.left + 3, head.top + 3);
        const atName: El = document.elementFromPoint(b.left + 3, hb.bottom + 4);
        const cell: El = atName?.closest('td.design');
        const rows = [...document.querySelectorAll('#outcomes tbody tr')];
        return {
          scrolledDown: box.scrollTop > 0,
          scrolledRight: box.scrollLeft > 0,
          overflowsRight: box.scrollWidth > box.clientWidth,
          boxTop: b.top,
          boxLeft: b.left,
          headTop: head.top,
          cornerLeft: corner.left,
          cellLeft: cell ? cell.getBoundingClientRect().left : -1,
          atHead: atHead?.closest('th') ? 'th' : String(atHead?.tagName),
          row: cell ? rows.indexOf(cell.parentElement) : -1,
        };
      });
      const label = `${viewport.width}×${viewport.height}`;
      expect(scrolled.scrolledDown, label).toBe(true);
      expect(Math.abs(scrolled.headTop - scrolled.boxTop), label).toBeLessThanOrEqual(2);
      expect(Math.abs(scrolled.cornerLeft - scrolled.boxLeft), label).toBeLessThanOrEqual(2);
      expect(Math.abs(scrolled.cellLeft - scrolled.boxLeft), label).toBeLessThanOrEqual(2);
      expect(scrolled.atHead, label).toBe('th');
      expect(scrolled.row, label).toBeGreaterThan(0);
      if (viewport.width === 900) {
        expect(scrolled.overflowsRight).toBe(true);
        expect(scrolled.scrolledRight).toBe(true);
      }
      await page.close();
    }
  });

  it('filters by design, property and outcome, hiding the right rows', async () => {
    if (skip()) return;
    const page = await open(join(wide.out, 'report.html'));
    const summary = JSON.parse(readFileSync(join(wide.out, 'summary.json'), 'utf8')) as { runs: { design: string; outcomes: Record<string, string> }[] };
    const visible = () => page.evaluate(() => [...document.querySelectorAll('#outcomes tbody tr')].filter((tr: El) => tr.offsetParent !== null).map((tr: El) => String(tr.getAttribute('data-design'))));
    expect(await visible()).toEqual(summary.runs.map((r) => r.design));
    await page.fill('#f-design', 'gntalloc');
    expect(await visible()).toEqual(summary.runs.map((r) => r.design).filter((d) => d.includes('gntalloc')));
    expect(await page.textContent('#f-count')).toBe('5 of 31 runs shown');
    await page.fill('#f-design', '');
    await page.selectOption('#f-outcome', 'ce');
    const withCe = summary.runs.filter((r) => Object.values(r.outcomes).some((v) => v.startsWith('CE'))).map((r) => r.design);
    expect(withCe.length).toBeGreaterThan(3);
    expect(withCe.length).toBeLessThan(31);
    expect(await visible()).toEqual(withCe);
    await shot(page, 'report-filtered.png');
    // A property filter keeps that column only, and the outcome filter then looks at it alone.
    await page.fill('#f-property', 'INV-5');
    const columns = await page.evaluate(() => [...document.querySelectorAll('#outcomes thead th')].filter((th: El) => th.offsetParent !== null).map((th: El) => String(th.textContent).trim()));
    expect(columns).toEqual(['design', 'config', 'INV-5', 'states']);
    expect(await visible()).toEqual(summary.runs.filter((r) => (r.outcomes['INV-5'] ?? '').startsWith('CE')).map((r) => r.design));
    await page.close();
  });

  it("a cell's link opens its counterexample, and the viewer steps forward and back (buttons and keys), the graph following", async () => {
    if (skip()) return;
    const page = await open(join(wide.out, 'report.html'));
    const cx = '#cx-early-unpin-1';
    expect(await page.evaluate((id: string) => document.querySelector(id).open, cx)).toBe(false);
    await page.click('#outcomes tr[data-design="early-unpin"] td[data-col="INV-1"] a');
    const opened = await page.evaluate((id: string) => {
      const d: El = document.querySelector(id);
      const r = d.getBoundingClientRect();
      return { open: d.open, hash: location.hash, top: r.top, height: window.innerHeight, active: String(document.activeElement?.className) };
    }, cx);
    expect(opened.open).toBe(true);
    expect(opened.hash).toBe(cx);
    expect(opened.top).toBeGreaterThanOrEqual(0);
    expect(opened.top).toBeLessThan(opened.height / 2);
    expect(opened.active).toContain('viewer');

    const state = () =>
      page.evaluate((id: string) => {
        const v: El = document.querySelector(`${id} .viewer`);
        const shown = [...v.querySelectorAll('.vstep')].filter((s: El) => !s.hidden);
        const current = [...v.querySelectorAll('g.node.current title')].map((t: El) => String(t.textContent));
        const edge = [...v.querySelectorAll('g.edge.current title')].map((t: El) => String(t.textContent));
        return {
          at: Number(v.getAttribute('data-current')),
          shown: shown.map((s: El) => Number(s.getAttribute('data-step'))),
          heading: String(shown[0]?.querySelector('h4')?.textContent),
          node: current,
          edge,
          listed: String(v.querySelector('ul.vlist a.current')?.textContent),
          alternatives: shown[0] ? shown[0].querySelectorAll('details.valts li').length : -1,
          changes: [...(shown[0]?.querySelectorAll('table.vchanges th') ?? [])].map((th: El) => String(th.textContent)),
          violation: String(shown[0]?.querySelector('.vviolation')?.textContent ?? ''),
        };
      }, cx);
    expect(await state()).toMatchObject({ at: 0, shown: [0], node: ['s0'], edge: [], heading: 'State 0: the initial state' });
    await page.click(`${cx} .vnext`);
    expect(await state()).toMatchObject({ at: 1, shown: [1], node: ['s1'], edge: ['s0->s1'], heading: 'State 1, after gntdev_open(p=0)', listed: '1 gntdev_open(p=0)', changes: ['process 0', 'file 0'] });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const at3 = await state();
    expect(at3).toMatchObject({ at: 3, node: ['s3'], edge: ['s2->s3'], heading: 'State 3, after gntdev_mmap(p=0, file=0, map=0)', changes: ['Xen maptrack', 'process 0', 'map 0'] });
    expect(at3.alternatives).toBeGreaterThan(0);
    await shot(page, 'report-viewer.png');
    await page.keyboard.press('ArrowLeft');
    expect(await state()).toMatchObject({ at: 2, node: ['s2'] });
    await page.click(`${cx} .vprev`);
    expect(await state()).toMatchObject({ at: 1 });
    await page.keyboard.press('End');
    const last = await state();
    expect(last).toMatchObject({ at: 6, node: ['s6'], heading: 'State 6, after arch_exit_mmap(p=0)' });
    expect(last.violation).toContain('Violates INV-1 no implicit unmap: arch_exit_mmap implicitly unmapped map 0 slot 0');
    await shot(page, 'report-viewer-last.png');
    await page.keyboard.press('Home');
    expect(await state()).toMatchObject({ at: 0, node: ['s0'] });
    // A click on a state of the graph goes there (the graph keeps the current state in view); zoom changes its scale.
    await page.click(`${cx} .vnext`);
    await page.click(`${cx} .vzoom g.node:has(> title:text-is("s2"))`);
    expect(await state()).toMatchObject({ at: 2 });
    const scale = () => page.evaluate((id: string) => String(document.querySelector(`${id} .vzoom`).style.transform), cx);
    const before = await scale();
    await page.click(`${cx} .zin`);
    expect(await scale()).not.toBe(before);
    await page.close();
  });

  it('check --out writes the same report for one run; view writes a page for one trace; both work offline', async () => {
    if (skip()) return;
    const out = join(tempDir(), 'out');
    const checked = await runHere(['check', '--design', 'early-unpin', '--config', 'tiny', '--property', 'INV-5', '--out', out, '--quiet']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`Report (open it in a browser): ${out}/early-unpin/tiny/report.html`);
    const page = await open(join(out, 'early-unpin/tiny/report.html'));
    expect(await page.evaluate(() => [...document.querySelectorAll('#outcomes tbody tr')].map((tr: El) => String(tr.getAttribute('data-design'))))).toEqual(['early-unpin']);
    await page.click('#outcomes td[data-col="INV-5"] a');
    expect(await page.evaluate(() => document.querySelector('#cx-early-unpin-1').open)).toBe(true);
    // Its file links are relative to the run's directory.
    expect(await page.evaluate(() => String(document.querySelector('#cx-early-unpin-1 a[href$=".itf.json"]').getAttribute('href')))).toBe('cx1-inv-5.itf.json');
    await page.close();

    const trace = join(out, 'early-unpin/tiny/cx1-inv-5.itf.json');
    const viewed = await runHere(['view', trace]);
    expect(viewed.code, viewed.stderr).toBe(0);
    const html = join(out, 'early-unpin/tiny/cx1-inv-5.html');
    expect(viewed.stdout).toContain(`Wrote ${html}: open it in a browser`);
    const first = readFileSync(html, 'utf8');
    expect((await runHere(['view', trace])).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toBe(first);
    const v = await open(html);
    const at = () => v.evaluate(() => Number(document.querySelector('.viewer').getAttribute('data-current')));
    expect(await at()).toBe(0);
    await v.keyboard.press('ArrowRight');
    await v.keyboard.press('ArrowRight');
    expect(await at()).toBe(2);
    await v.click('.vprev');
    expect(await at()).toBe(1);
    await v.keyboard.press('End');
    expect(await at()).toBe(6);
    await shot(v, 'view.png');
    await v.close();
  });

  it('touched nothing but its own files, and logged no error', () => {
    if (skip()) return;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
