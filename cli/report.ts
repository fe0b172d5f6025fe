/**
 * report.html of `compare` (and of `check --out`): one self-contained page (inline CSS, SVG and
 * script; no network). At the top the designs × properties table, in its own scrolling box with a
 * sticky header row and first column, filters (design, property, outcome) and a legend; every cell
 * links to its counterexample, or to its run. Then the properties, and each run collapsed: its
 * bounds and statistics, its witnesses, where its states come from (coverage per action kind, and
 * with --profile per level and per state variable), and each counterexample collapsed in the trace
 * viewer. Deterministic: no times or dates (they go to timings.json).
 */
import { shortNameOf } from '../catalog.js';
import type { CheckResult } from '../explorer/index.js';
import type { Action, Design, ModelConfig, State } from '../model/index.js';
import { propertyDocs } from '../properties/index.js';
import type { StagedCounterexample } from './artifacts.js';
import { anchor, esc, page } from './html.js';
import type { Profile } from './profile.js';
import { honestWarnings } from './textReport.js';
import { cell, type OutcomeRow } from './table.js';
import { viewerHtml } from './viewer.js';

export { inlineSvg } from './html.js';

/** One run, as the report shows it. */
export interface ReportRun {
  readonly design: Design;
  readonly config: ModelConfig;
  readonly result: CheckResult<State, Action>;
  readonly row: OutcomeRow;
  /** The recorded row, when this run is the recorded one. */
  readonly recorded?: Readonly<Record<string, string>>;
  readonly counterexamples: readonly StagedCounterexample[];
  /** With --profile: per level and per field path. */
  readonly profile?: Profile;
  /** The design file, when the design came from one. */
  readonly designFile?: string;
}

export interface ReportInput {
  readonly title: string;
  readonly version: string;
  readonly intro: string;
  readonly columns: readonly string[];
  readonly runs: readonly ReportRun[];
  /** Lines on how the runs compare with the recorded outcomes (or on the one run's result). */
  readonly verdict: { readonly ok: boolean; readonly lines: readonly string[] };
  /** Full property names by short name. */
  readonly fullNames: Readonly<Record<string, string>>;
  /** More sections at the end (compare: the recorded orderings), with their navigation entry. */
  readonly extraSections?: readonly string[];
  readonly extraNav?: readonly (readonly [string, string])[];
  /** A written file's path (relative to the output directory) as the page links it. @defaultValue the path itself */
  readonly href?: (file: string) => string;
}

const int = (n: number): string => n.toLocaleString('en-US');

/** The id of a run's section and of its counterexamples. */
export const runId = (design: string): string => anchor(`d-${design}`);
export const cxId = (design: string, k: number): string => anchor(`cx-${design}-${k}`);

/** The legend of the outcome table. */
export function outcomeLegend(): string {
  return [
    '<div class="legend" id="legend">',
    '<span><span class="chip holds">holds</span>no violation in any reachable state (exhaustive within the bounds)</span>',
    '<span><span class="chip ce">CE n</span>violated: the shortest counterexample has n steps (click it to step through)</span>',
    '<span><span class="chip na">n/a</span>the property does not apply to the design</span>',
    '<span><span class="chip unknown">unknown</span>a bound stopped the search first: nothing claimed</span>',
    '<span><span class="chip changed">&nbsp;</span>differs from the recorded outcome</span>',
    '</div>',
  ].join('\n');
}

/** A table of horizontal bars: one row per item, each value a bar scaled to the largest. */
function bars(head: readonly string[], rows: readonly { readonly name: string; readonly values: readonly number[]; readonly text?: readonly string[] }[], barOf: number, cls = ''): string {
  const max = Math.max(1, ...rows.map((r) => r.values[barOf]!));
  const h: string[] = [`<table class="bars">`, `<tr>${head.map((x) => `<th>${esc(x)}</th>`).join('')}<th></th></tr>`];
  for (const r of rows) {
    const pct = ((r.values[barOf]! / max) * 100).toFixed(1);
    h.push(`<tr><th>${esc(r.name)}</th>${r.values.map((v, k) => `<td class="n">${esc(r.text?.[k] ?? int(v))}</td>`).join('')}<td class="bar"><i${cls ? ` class="${cls}"` : ''} style="width:${pct}%"></i></td></tr>`);
  }
  h.push('</table>');
  return h.join('\n');
}

/** Where a run's states come from: coverage per action kind, and the profile when there is one. */
export function originsHtml(r: CheckResult<State, Action>, profile?: Profile): string {
  const h: string[] = ['<h3>Where the states come from</h3>'];
  const cov = [...r.coverage].sort((a, b) => b.distinct - a.distinct || b.generated - a.generated || (a.action < b.action ? -1 : 1));
  h.push('<p>Per action kind: transitions generated, and new distinct states they found (the bar).</p>');
  h.push(bars(['action', 'generated', 'new states'], cov.map((c) => ({ name: c.action, values: [c.generated, c.distinct] })), 1, 'new'));
  if (!profile) {
    h.push('<p class="note">Run with <code>--profile</code> for the states per level and the distinct values of each state variable.</p>');
    return h.join('\n');
  }
  h.push('<p>Per level of the breadth-first search: new distinct states (the bar), and the total so far.</p>');
  h.push(bars(['level', 'new states', 'states'], profile.levels.map((l) => ({ name: String(l.depth), values: [l.newStates, l.states] })), 0, 'new'));
  const varying = profile.paths.filter((p) => p.distinct > 1);
  h.push(`<p>Per state variable (field path): distinct values over the ${int(profile.states)} states. ${varying.length} of ${profile.paths.length} paths took more than one value; the others kept one and are not listed.${profile.droppedPaths ? ` ${int(profile.droppedPaths)} more paths were not followed (at most ${int(profile.limits.maxPaths)} are).` : ''}${varying.some((p) => p.capped) ? ` ≥: counted up to ${int(profile.limits.maxValues)} values.` : ''}</p>`);
  h.push(bars(['variable', 'distinct values'], varying.map((p) => ({ name: `${'\u00a0\u00a0'.repeat(p.depth - 1)}${p.path}`, values: [p.distinct], text: [`${p.capped ? '≥' : ''}${int(p.distinct)}`] })), 0));
  return h.join('\n');
}

/** A counterexample: collapsed, opening on its properties, their clauses, its files and the viewer. */
export function counterexampleHtml(w: StagedCounterexample, id: string, title: string, href: (f: string) => string, extra = ''): string {
  const h: string[] = [];
  h.push(`<details class="cx" id="${id}">`, `<summary><b>${esc(title)}</b>: ${esc(w.cx.violations.map((v) => shortNameOf(v.property)).join(', '))} (${w.cx.trace.length - 1} steps)</summary>`, '<div class="body">');
  h.push('<ul>');
  for (const v of w.cx.violations) h.push(`<li><b>${esc(v.property)}</b>${v.clause ? `: ${esc(v.clause)}` : ''}</li>`);
  h.push('</ul>');
  const links = [
    `<a href="${esc(href(w.files.dot))}">DOT</a>`,
    ...(w.files.svg ? [`<a href="${esc(href(w.files.svg))}">SVG</a>`] : []),
    `<a href="${esc(href(w.files.itf))}">ITF</a> (<code>grantcheck replay ${esc(w.files.itf)}</code>)`,
    `<a href="${esc(href(w.files.txt))}">text</a>`,
  ];
  h.push(`<p>${extra}path <span class="mono">${esc(w.cx.path)}</span>; files: ${links.join(', ')}</p>`);
  h.push(viewerHtml({ id: `${id}-v`, cx: w.cx, trace: w.viewer, ...(w.svg ? { svg: w.svg } : {}), ...(w.note ? { note: w.note } : {}) }));
  h.push(`<details><summary>Text trace</summary><pre>${esc(w.texts.txt)}</pre></details>`, '</div>', '</details>');
  return h.join('\n');
}

/** The report's HTML. */
export function reportHtml(input: ReportInput): string {
  const href = input.href ?? ((f: string) => f);
  const h: string[] = [];
  h.push(`<h1>${esc(input.title)}</h1>`, `<p>${esc(input.intro)} <span class="mono">grantcheck ${esc(input.version)}</span></p>`);
  const [first, ...rest] = input.verdict.lines;
  const more = rest.length > 6 ? `<details><summary>${rest.length} lines</summary>${rest.map((l) => `<p>${esc(l)}</p>`).join('')}</details>` : rest.map((l) => `<p>${esc(l)}</p>`).join('');
  h.push(`<div class="verdict ${input.verdict.ok ? 'ok' : 'changed'}" id="verdict"><p>${esc(first ?? '')}</p>${more}</div>`);

  // The table, its filters and its legend.
  h.push('<section id="table">', '<h2>Outcomes</h2>');
  h.push(
    '<div class="filters">',
    '<label>design <input type="search" id="f-design" placeholder="e.g. gntdev-2022" autocomplete="off"></label>',
    '<label>property <input type="search" id="f-property" placeholder="e.g. INV-5, users" autocomplete="off"></label>',
    '<label>outcome <select id="f-outcome"><option value="any">any</option><option value="ce">a counterexample</option><option value="changed">changed from the recorded outcome</option><option value="unknown">unknown (a bound was hit)</option><option value="holds">every property holds</option></select></label>',
    `<span id="f-count">${input.runs.length} of ${input.runs.length} runs shown</span>`,
    '</div>',
  );
  h.push(outcomeLegend());
  h.push('<div class="tablebox" id="tablebox"><table class="outcomes" id="outcomes">', '<thead><tr><th class="design">design</th><th>config</th>');
  for (const c of input.columns) h.push(`<th data-col="${esc(c)}" title="${esc(input.fullNames[c] ?? c)}">${esc(c)}</th>`);
  h.push('<th>states</th></tr></thead>', '<tbody>');
  for (const run of input.runs) {
    const name = run.design.name;
    h.push(`<tr data-design="${esc(name)}"><td class="design"><a href="#${runId(name)}">${esc(name)}</a></td><td>${esc(run.config.name)}</td>`);
    for (const c of input.columns) {
      const v = cell(run.row, c);
      const was = run.recorded ? (run.recorded[c] ?? 'n/a') : undefined;
      const changed = was !== undefined && was !== v;
      const outcome = v === 'holds' ? 'holds' : v.startsWith('CE') ? 'ce' : v === 'n/a' ? 'na' : 'unknown';
      const cls = [outcome, ...(changed ? ['changed'] : [])].join(' ');
      const full = input.fullNames[c] ?? c;
      const k = outcome === 'ce' ? run.counterexamples.findIndex((w) => w.cx.violations.some((x) => x.property === full || shortNameOf(x.property) === c)) : -1;
      const target = k >= 0 ? `#${cxId(name, k + 1)}` : `#${runId(name)}`;
      const tip = k >= 0 ? `${name}: ${full}: open its counterexample` : `${name}: ${full}: ${v}; open the run`;
      const body = `${esc(v)}${changed ? ` <small>(was ${esc(was!)})</small>` : ''}`;
      h.push(`<td class="${cls}" data-col="${esc(c)}" data-outcome="${outcome}"${changed ? ` data-changed title="recorded: ${esc(was!)}"` : ''}><a href="${target}" title="${esc(tip)}">${body}</a></td>`);
    }
    h.push(`<td>${int(run.result.stats.distinctStates)}</td></tr>`);
  }
  h.push('</tbody></table></div>', '</section>');

  // Properties.
  h.push('<section id="properties">', '<h2>Properties</h2>', '<dl class="props">');
  for (const c of input.columns) {
    const full = input.fullNames[c] ?? c;
    const d = propertyDocs[full];
    const meaning = c === 'deadlock' ? 'A terminal state (nothing enabled) in which a process is still alive.' : (d?.meaning ?? '');
    h.push(`<dt>${esc(c)}${full !== c ? `: ${esc(full)}` : ''}</dt><dd>${esc(meaning)}${d && d.invariant !== '-' ? ` <i>(${esc(d.invariant)}${d.cases.length ? `; cases ${esc(d.cases.join(', '))}` : ''})</i>` : ''}</dd>`);
  }
  h.push('</dl>', '</section>');

  // Each run.
  h.push('<section id="runs">', '<h2>Runs</h2>', '<p>Each run collapsed: open it for its bounds, statistics, witnesses, where its states come from, and its counterexamples (each opens in the trace viewer).</p>');
  for (const run of input.runs) h.push(runHtml(run, href, input.runs.length === 1));
  h.push('</section>');
  for (const x of input.extraSections ?? []) h.push(x);
  const nav: (readonly [string, string])[] = [['#table', 'Outcomes'], ['#properties', 'Properties'], ['#runs', 'Runs'], ...(input.extraNav ?? [])];
  return page(input.title, nav, h);
}

/** One run's section. */
function runHtml(run: ReportRun, href: (f: string) => string, open: boolean): string {
  const r = run.result;
  const s = r.stats;
  const h: string[] = [];
  const outcome = r.status === 'ok' ? 'every property holds' : r.status === 'violation' ? `${r.violations.length} propert${r.violations.length === 1 ? 'y' : 'ies'} violated` : `incomplete: ${r.boundHit.detail}`;
  const cxs = run.counterexamples.length;
  h.push(`<details class="run" id="${runId(run.design.name)}"${open ? ' open' : ''}>`);
  h.push(`<summary>${esc(run.design.name)} on ${esc(run.config.name)} <span class="sub">: ${esc(outcome)}; ${int(s.distinctStates)} states${cxs ? `; ${cxs} counterexample${cxs === 1 ? '' : 's'}` : ''}</span></summary>`, '<div class="body">');
  h.push(`<p>${esc(run.design.summary)}. <i>${esc(run.design.origin)}${run.design.base ? `; based on ${esc(run.design.base)}` : ''}${run.designFile ? `; design file ${esc(run.designFile)}` : ''}</i></p>`);
  const bounds = Object.entries(r.bounds).map(([k, v]) => `${k}=${v}`);
  const consts = Object.entries(run.config)
    .filter(([k]) => k !== 'name')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  h.push('<table class="stats">');
  const row = (k: string, v: string) => h.push(`<tr><th>${esc(k)}</th><td>${v}</td></tr>`);
  row('result', esc(outcome));
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
  for (const w of honestWarnings(r).filter((x) => !x.startsWith('witness'))) h.push(`<p class="warn">${esc(w)}</p>`);
  for (const w of honestWarnings(r).filter((x) => x.startsWith('witness') && x.includes('vacuously'))) h.push(`<p class="warn">${esc(w)}</p>`);
  run.counterexamples.forEach((w, i) => h.push(counterexampleHtml(w, cxId(run.design.name, i + 1), `Counterexample ${i + 1}`, href)));
  h.push(originsHtml(r, run.profile));
  h.push('</div>', '</details>');
  return h.join('\n');
}

/** A page of the report's look around some sections (the orderings command's report.html). */
export function reportPage(title: string, version: string, sections: readonly string[], nav: readonly (readonly [string, string])[] = []): string {
  return page(title, nav, [`<h1>${esc(title)}</h1>`, `<p><span class="mono">grantcheck ${esc(version)}</span></p>`, ...sections]);
}
