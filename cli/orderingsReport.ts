/**
 * How an orderings result is drawn: the matrix of orderings × properties (an SVG written here, no
 * layout engine needed), the graph of the derived constraints (DOT, rendered by Graphviz: a few
 * nodes), and the HTML section that shows both with the counterexamples. Deterministic: no times.
 */
import { shortNameOf } from '../catalog.js';
import { formatConstraint, type Constraint, type Derivation } from '../explorer/index.js';
import { formatOrder, type OrderingsResult } from '../orderings.js';
import type { StagedCounterexample } from './artifacts.js';
import { inlineSvg } from './report.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const dotString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The properties some ordering breaks, in the model's order. */
export function brokenProperties(r: OrderingsResult): string[] {
  return r.properties.filter((p) => r.orderings.some((o) => o.violated.includes(p)));
}

/**
 * The matrix: one row per ordering (in the space's order), one column per property some ordering
 * breaks; a cell is green (holds) or red with the length of that ordering's shortest
 * counterexample. The last column says whether the ordering is safe.
 */
export function orderingsMatrixSvg(r: OrderingsResult): string {
  const props = brokenProperties(r);
  const rowH = 16;
  const cellW = 58;
  const charW = 6.6;
  const labelW = Math.ceil(Math.max(...r.orderings.map((o) => formatOrder(o.order).length)) * charW) + 16;
  const headH = 92;
  const width = labelW + (props.length + 1) * cellW + 8;
  const height = headH + r.orderings.length * rowH + 8;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace,Menlo,Consolas,monospace" font-size="11">`);
  out.push(`<title>${esc(`Orderings of ${r.sequence} for ${r.design} on ${r.config}: ${r.overall.safe} of ${r.overall.orderings} safe`)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  const columns = [...props.map((p) => shortNameOf(p)), 'safe'];
  columns.forEach((c, k) => {
    const x = labelW + k * cellW + cellW / 2;
    out.push(`<text x="${x}" y="${headH - 6}" transform="rotate(-45 ${x} ${headH - 6})" fill="#333">${esc(c)}</text>`);
  });
  out.push(`<text x="4" y="14" fill="#333">${esc(`${r.sequence}: ${r.steps.join(', ')}`)}</text>`);
  r.orderings.forEach((o, i) => {
    const y = headH + i * rowH;
    if (i % 2 === 1) out.push(`<rect x="0" y="${y}" width="${width}" height="${rowH}" fill="#f6f6f6"/>`);
    out.push(`<text x="4" y="${y + rowH - 4}" fill="#1d1d1f">${esc(formatOrder(o.order))}${o.reached ? '' : ' *'}</text>`);
    const cells = [...props.map((p) => o.counterexamples.find((c) => c.property === p)), o.status === 'holds' ? undefined : ('unsafe' as const)];
    cells.forEach((c, k) => {
      const x = labelW + k * cellW;
      const bad = c !== undefined;
      out.push(`<rect x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${rowH - 2}" rx="2" fill="${bad ? '#f4b6ae' : '#bfe5c6'}"><title>${esc(`${formatOrder(o.order)}: ${k < props.length ? props[k]! : 'every property'}: ${c === undefined ? 'holds' : c === 'unsafe' ? 'violated' : `counterexample of ${c.length} steps`}`)}</title></rect>`);
      const label = c === undefined ? '✓' : c === 'unsafe' ? '✗' : `CE ${c.length}`;
      out.push(`<text x="${x + cellW / 2}" y="${y + rowH - 4}" text-anchor="middle" fill="${bad ? '#7d1409' : '#1e6b30'}">${label}</text>`);
    });
  });
  out.push('</svg>', '');
  return out.join('\n');
}

/**
 * The derived constraints as a graph: a box per step; `a before b` an arrow a → b; `b after one of
 * x or y` arrows from x and y into an "or" point and from it to b. Sufficient constraints beyond
 * the necessary ones are dashed.
 */
export function constraintsDot(r: OrderingsResult, d: Derivation = r.overall, title = 'every property'): string {
  const lines: string[] = [];
  lines.push('digraph constraints {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];');
  lines.push(`  label=${dotString(`${r.design} on ${r.config}, ${r.sequence}, ${title}: ${d.safe} of ${d.orderings} orderings safe`)};`, '  labelloc=t; fontname="Helvetica"; fontsize=12;');
  for (const s of r.steps) lines.push(`  ${dotString(s)};`);
  const extra = d.sufficient && !d.sufficient.exact ? d.sufficient.constraints.filter((c) => !d.necessary.includes(c)) : [];
  const edge = (c: Constraint, k: number, dashed: boolean) => {
    const style = dashed ? ', style=dashed, color="#555555"' : ', color="#9b1c10"';
    if (c.kind === 'before') lines.push(`  ${dotString(c.a)} -> ${dotString(c.b)} [tooltip=${dotString(formatConstraint(c))}${style}];`);
    else {
      const or = `or${k}`;
      lines.push(`  ${or} [shape=circle, label="or", width=0.3, fixedsize=true, fillcolor="#fff4d6", fontsize=9];`);
      for (const x of c.of) lines.push(`  ${dotString(x)} -> ${or} [arrowhead=none${style}];`);
      lines.push(`  ${or} -> ${dotString(c.b)} [tooltip=${dotString(formatConstraint(c))}${style}];`);
    }
  };
  d.necessary.forEach((c, k) => edge(c, k, false));
  extra.forEach((c, k) => edge(c, d.necessary.length + k, true));
  lines.push('}', '');
  return lines.join('\n');
}

/** What the HTML section shows of a result: the graphs (SVG or why not) and the counterexamples written. */
export interface OrderingsSection {
  readonly result: OrderingsResult;
  readonly matrixSvg: string;
  /** The constraint graph's SVG, or why there is none. */
  readonly constraints: { readonly svg: string } | { readonly note: string };
  /** The counterexamples written (one per violated property, merged when they share a trace), each with its ordering. */
  readonly counterexamples: readonly { readonly staged: StagedCounterexample; readonly order: readonly string[] }[];
  /** A written file's path (relative to the output directory) as the page links it. */
  readonly href: (file: string) => string;
  /** The recorded outcome, when there is one, and how this run differs from it. */
  readonly changes?: readonly string[];
}

/** One orderings result as an HTML section (for report.html and the orderings page). */
export function orderingsSectionHtml(s: OrderingsSection, idPrefix: string): string {
  const r = s.result;
  const h: string[] = [];
  const id = `${idPrefix}${r.design}-${r.sequence}`.replace(/[^A-Za-z0-9_-]+/g, '_');
  h.push(`<section class="orderings" id="${id}">`, `<h2>Orderings of ${esc(r.sequence)} for ${esc(r.design)} on ${esc(r.config)}</h2>`);
  const bounds = Object.entries(r.bounds).map(([k, v]) => `${k}=${v}`);
  h.push(
    `<p>${r.orderings.length} orderings of ${esc(r.steps.join(', '))}${r.keep.length ? ` keeping ${esc(r.keep.map(([a, b]) => `${a} < ${b}`).join(', '))}` : ''}, checked by one family search (${r.stats.distinctStates.toLocaleString('en-US')} distinct states, ${r.stats.expansions.toLocaleString('en-US')} expansions, depth ${r.stats.depth}); ${r.exhaustive ? 'exhaustive' : `<b>NOT exhaustive</b>: ${esc(r.boundHit ?? 'a bound was hit')}`}; bounds: ${esc(bounds.length ? bounds.join(', ') : 'none')}.</p>`,
  );
  if (s.changes) h.push(`<div class="verdict ${s.changes.length ? 'changed' : 'ok'}">${(s.changes.length ? s.changes : ['matches the recorded outcome']).map((l) => `<p>${esc(l)}</p>`).join('')}</div>`);
  h.push(`<p><b>Every property:</b> ${esc(r.overall.summary)}.</p>`, '<ul>');
  for (const p of r.perProperty) h.push(`<li><b>${esc(shortNameOf(p.property))}</b>: ${esc(p.derivation.summary)}.</li>`);
  h.push('</ul>');
  if ('svg' in s.constraints) h.push(`<figure>${inlineSvg(s.constraints.svg, `${id}-c-`)}</figure>`);
  else h.push(`<p class="note">Constraint graph ${esc(s.constraints.note)}.</p>`);
  const unreached = r.orderings.filter((o) => !o.reached).length;
  if (unreached) h.push(`<p class="warn">${unreached} orderings never ran in full within the bounds (marked *): what they hold, they hold vacuously.</p>`);
  h.push(`<details open><summary>Every ordering (matrix)</summary><figure>${inlineSvg(s.matrixSvg, `${id}-m-`)}</figure></details>`);
  s.counterexamples.forEach(({ staged: w, order }, i) => {
    const cid = `${id}-cx${i + 1}`;
    h.push(`<div class="cx" id="${cid}">`, `<h3>Counterexample ${i + 1}: ${esc(w.cx.violations.map((v) => shortNameOf(v.property)).join(', '))} (${w.cx.trace.length - 1} steps)</h3>`, '<ul>');
    for (const v of w.cx.violations) h.push(`<li><b>${esc(v.property)}</b>${v.clause ? `: ${esc(v.clause)}` : ''}</li>`);
    h.push('</ul>');
    const links = [`<a href="${esc(s.href(w.files.dot))}">DOT</a>`, ...(w.files.svg ? [`<a href="${esc(s.href(w.files.svg))}">SVG</a>`] : []), `<a href="${esc(s.href(w.files.itf))}">ITF</a> (grantcheck replay replays it in this ordering)`, `<a href="${esc(s.href(w.files.txt))}">text</a>`];
    h.push(`<p>In the ordering <span class="mono">${esc(formatOrder(order))}</span>; files: ${links.join(', ')}</p>`);
    if (w.svg) h.push(`<figure>${inlineSvg(w.svg, `${cid}-`)}</figure>`);
    else h.push(`<p class="note">Graph ${esc(w.note ?? 'not rendered')}.</p>`);
    h.push(`<details><summary>Text trace</summary><pre>${esc(w.texts.txt)}</pre></details>`, '</div>');
  });
  h.push('</section>');
  return h.join('\n');
}
