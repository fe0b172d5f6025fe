/**
 * out/report.html: one self-contained page (inline CSS and SVG, no script, no network) with the
 * designs × properties table, each design's bounds and search statistics, its witnesses, and each
 * counterexample with its graph, its clauses, its text trace and links to its files. Deterministic:
 * no times or dates (they go to timings.json).
 */
import { shortNameOf } from '../catalog.js';
import type { CheckResult } from '../explorer/index.js';
import type { Action, Design, ModelConfig, State } from '../model/index.js';
import { propertyDocs } from '../properties/index.js';
import type { StagedCounterexample } from './artifacts.js';
import { cell, type OutcomeRow } from './table.js';

/** One run, as the report shows it. */
export interface ReportRun {
  readonly design: Design;
  readonly config: ModelConfig;
  readonly result: CheckResult<State, Action>;
  readonly row: OutcomeRow;
  /** The recorded row, when this run is the recorded one. */
  readonly recorded?: Readonly<Record<string, string>>;
  readonly counterexamples: readonly StagedCounterexample[];
}

export interface ReportInput {
  readonly title: string;
  readonly version: string;
  readonly intro: string;
  readonly columns: readonly string[];
  readonly runs: readonly ReportRun[];
  /** Lines on how the runs compare with the recorded outcomes. */
  readonly verdict: { readonly ok: boolean; readonly lines: readonly string[] };
  /** Full property names by short name. */
  readonly fullNames: Readonly<Record<string, string>>;
  /** More sections at the end (compare: the recorded orderings). */
  readonly extraSections?: readonly string[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const int = (n: number): string => n.toLocaleString('en-US');
const anchor = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_');

/** Graphviz's SVG made fit to inline: no XML prolog or doctype, ids made unique to the graph, scalable. */
export function inlineSvg(svg: string, idPrefix: string): string {
  return svg
    .replace(/^[\s\S]*?(?=<svg[\s>])/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\bid="([^"]*)"/g, (_m, id: string) => `id="${idPrefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${idPrefix}${id})`)
    .replace(/(xlink:)?href="#([^"]+)"/g, (_m, x: string | undefined, id: string) => `${x ?? ''}href="#${idPrefix}${id}"`)
    .replace(/<svg([^>]*)>/, (_m, attrs: string) => `<svg${attrs} class="graph" role="img">`)
    .trim();
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:1.5rem;color:#1d1d1f;max-width:1600px}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .4rem;border-bottom:1px solid #ddd}h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px}
.verdict{padding:.5rem .8rem;border-radius:6px;margin:.8rem 0}.verdict.ok{background:#e7f6ea;border:1px solid #9bd3a6}.verdict.changed{background:#fdecea;border:1px solid #f1a9a0}
.verdict p{margin:.2rem 0}
.scroll{overflow-x:auto}
table.outcomes{border-collapse:collapse;font-size:12px}
table.outcomes th,table.outcomes td{border:1px solid #d0d0d0;padding:3px 6px;text-align:center;white-space:nowrap}
table.outcomes th{background:#f3f3f3;position:sticky;top:0}
table.outcomes td.design{text-align:left;font-family:ui-monospace,Menlo,Consolas,monospace}
td.holds{background:#eaf7ec;color:#1e6b30}td.ce{background:#fde2df;color:#9b1c10;font-weight:600}td.na{color:#999}td.unknown{background:#fff4d6;color:#7a5a00}
td.changed{outline:3px solid #d93025;outline-offset:-3px}
td.ce a{color:inherit}
dl.props dt{font-weight:600;margin-top:.4rem}dl.props dd{margin-left:1.2rem}
table.stats{border-collapse:collapse;font-size:13px}table.stats th{text-align:left;padding:2px 10px 2px 0;font-weight:500;color:#555}table.stats td{padding:2px 0}
.cx{border:1px solid #e2e2e2;border-radius:8px;padding:.3rem 1rem .8rem;margin:1rem 0;background:#fcfcfc}
.cx ul{margin:.2rem 0 .4rem 1.2rem;padding:0}
figure{margin:.5rem 0;overflow:auto;border:1px solid #eee;background:#fff}
svg.graph{display:block;max-width:100%;height:auto}
.note{color:#7a5a00}
.warn{color:#9b1c10}
details pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;border-radius:4px}
`;

/** The report's HTML. */
export function reportHtml(input: ReportInput): string {
  const h: string[] = [];
  h.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push(`<title>${esc(input.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  h.push(`<h1>${esc(input.title)}</h1>`, `<p>${esc(input.intro)} <span class="mono">grantcheck ${esc(input.version)}</span></p>`);
  h.push(`<div class="verdict ${input.verdict.ok ? 'ok' : 'changed'}" id="verdict">${input.verdict.lines.map((l) => `<p>${esc(l)}</p>`).join('')}</div>`);

  // The table.
  h.push('<div class="scroll"><table class="outcomes" id="outcomes">', '<thead><tr><th>design</th><th>config</th>');
  for (const c of input.columns) h.push(`<th title="${esc(input.fullNames[c] ?? c)}">${esc(c)}</th>`);
  h.push('<th>states</th></tr></thead>', '<tbody>');
  for (const run of input.runs) {
    h.push(`<tr><td class="design"><a href="#${anchor(`d-${run.design.name}`)}">${esc(run.design.name)}</a></td><td>${esc(run.config.name)}</td>`);
    for (const c of input.columns) {
      const v = cell(run.row, c);
      const was = run.recorded ? (run.recorded[c] ?? 'n/a') : undefined;
      const changed = was !== undefined && was !== v;
      const cls = [v === 'holds' ? 'holds' : v.startsWith('CE') ? 'ce' : v === 'n/a' ? 'na' : 'unknown', ...(changed ? ['changed'] : [])].join(' ');
      const full = input.fullNames[c] ?? c;
      const cx = v.startsWith('CE') ? run.counterexamples.findIndex((w) => w.cx.violations.some((x) => x.property === full || shortNameOf(x.property) === c)) : -1;
      const text = cx >= 0 ? `<a href="#${anchor(`cx-${run.design.name}-${cx + 1}`)}">${esc(v)}</a>` : esc(v);
      h.push(`<td class="${cls}"${changed ? ` title="recorded: ${esc(was!)}"` : ''}>${text}${changed ? ` <small>(was ${esc(was!)})</small>` : ''}</td>`);
    }
    h.push(`<td>${int(run.result.stats.distinctStates)}</td></tr>`);
  }
  h.push('</tbody></table></div>');
  h.push('<p><b>holds</b>: no violation in any reachable state of the configuration (exhaustive, within its bounds). <b>CE n</b>: the shortest counterexample has n steps (click for it). <b>n/a</b>: the property does not apply to the design. <b>unknown</b>: a bound stopped the search first.</p>');

  // Properties.
  h.push('<h2 id="properties">Properties</h2>', '<dl class="props">');
  for (const c of input.columns) {
    const full = input.fullNames[c] ?? c;
    const d = propertyDocs[full];
    const meaning = c === 'deadlock' ? 'A terminal state (nothing enabled) in which a process is still alive.' : (d?.meaning ?? '');
    h.push(`<dt>${esc(c)}${full !== c ? `: ${esc(full)}` : ''}</dt><dd>${esc(meaning)}${d && d.invariant !== '-' ? ` <i>(${esc(d.invariant)}${d.cases.length ? `; cases ${esc(d.cases.join(', '))}` : ''})</i>` : ''}</dd>`);
  }
  h.push('</dl>');

  // Each run.
  for (const run of input.runs) {
    const r = run.result;
    const s = r.stats;
    h.push(`<section class="design" id="${anchor(`d-${run.design.name}`)}">`, `<h2>${esc(run.design.name)} on ${esc(run.config.name)}</h2>`);
    h.push(`<p>${esc(run.design.summary)}. <i>${esc(run.design.origin)}${run.design.base ? `; based on ${esc(run.design.base)}` : ''}</i></p>`);
    const bounds = Object.entries(r.bounds).map(([k, v]) => `${k}=${v}`);
    const consts = Object.entries(run.config)
      .filter(([k]) => k !== 'name')
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
      .join(' ');
    h.push('<table class="stats">');
    const row = (k: string, v: string) => h.push(`<tr><th>${esc(k)}</th><td>${v}</td></tr>`);
    row('result', esc(r.status === 'ok' ? 'every property holds' : r.status === 'violation' ? `${r.violations.length} properties violated` : `incomplete: ${r.boundHit.detail}`));
    row('search', esc(`${r.exhaustive ? 'exhaustive' : 'NOT exhaustive'}; bounds: ${bounds.length ? bounds.join(', ') : 'none'}`));
    row('constants', `<span class="mono">${esc(consts)}</span>`);
    row('distinct states', int(s.distinctStates));
    row('generated states', int(s.generatedStates));
    row('depth', String(s.depth));
    row('terminal states', `${int(s.terminalStates)} (${int(s.deadlockStates)} deadlocked)`);
    row('peak queue', int(s.peakQueue));
    row('collision probability', esc(s.collisionProbability.toExponential(1)));
    h.push('</table>');
    const reached = r.witnesses.filter((w) => w.reached);
    const unreached = r.witnesses.filter((w) => !w.reached);
    h.push(`<p>Witnesses reached (${reached.length} of ${r.witnesses.length}): ${reached.map((w) => `${esc(w.name)} (depth ${w.depth})`).join('; ') || 'none'}.</p>`);
    if (unreached.length) h.push(`<p class="warn">Never reached: ${unreached.map((w) => esc(w.name)).join('; ')}.</p>`);
    for (const w of r.warnings.filter((x) => !x.startsWith('witness'))) h.push(`<p class="warn">${esc(w)}</p>`);
    run.counterexamples.forEach((w, i) => {
      const id = anchor(`cx-${run.design.name}-${i + 1}`);
      h.push(`<div class="cx" id="${id}">`, `<h3>Counterexample ${i + 1}: ${esc(w.cx.violations.map((v) => shortNameOf(v.property)).join(', '))} (${w.cx.trace.length - 1} steps)</h3>`);
      h.push('<ul>');
      for (const v of w.cx.violations) h.push(`<li><b>${esc(v.property)}</b>${v.clause ? `: ${esc(v.clause)}` : ''}</li>`);
      h.push('</ul>');
      const links = [
        `<a href="${esc(w.files.dot)}">DOT</a>`,
        ...(w.files.svg ? [`<a href="${esc(w.files.svg)}">SVG</a>`] : []),
        `<a href="${esc(w.files.itf)}">ITF</a> (grantcheck replay ${esc(w.files.itf)})`,
        `<a href="${esc(w.files.txt)}">text</a>`,
      ];
      h.push(`<p>path <span class="mono">${esc(w.cx.path)}</span>; files: ${links.join(', ')}</p>`);
      if (w.svg) h.push(`<figure>${inlineSvg(w.svg, `${id}-`)}</figure>`);
      else h.push(`<p class="note">Graph ${esc(w.note ?? 'not rendered')}.</p>`);
      h.push(`<details><summary>Text trace</summary><pre>${esc(w.texts.txt)}</pre></details>`, '</div>');
    });
    h.push('</section>');
  }
  for (const x of input.extraSections ?? []) h.push(x);
  h.push('</body>', '</html>', '');
  return h.join('\n');
}

/** A page of the report's look around some sections (the orderings command's report.html). */
export function reportPage(title: string, version: string, sections: readonly string[]): string {
  const h: string[] = ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">'];
  h.push(`<title>${esc(title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>', `<h1>${esc(title)}</h1>`, `<p><span class="mono">grantcheck ${esc(version)}</span></p>`);
  h.push(...sections, '</body>', '</html>', '');
  return h.join('\n');
}
