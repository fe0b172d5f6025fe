/**
 * How an orderings result is drawn: the matrix of orderings × properties (an SVG written here, no
 * layout engine needed), the graph of the derived constraints (DOT, rendered by Graphviz: a few
 * nodes), and the HTML section that shows both with the counterexamples. Deterministic: no times.
 */
import { shortNameOf } from '../catalog.js';
import { formatConstraint, type Constraint, type Derivation } from '../explorer/index.js';
import { formatOrder, type OrderingsResult } from '../orderings.js';
import type { StagedCounterexample } from './artifacts.js';
import { esc, inlineSvg } from './html.js';
import { counterexampleHtml } from './report.js';
const dotString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The properties some ordering breaks, in the model's order. */
export function brokenProperties(r: OrderingsResult): string[] {
  return r.properties.filter((p) => r.orderings.some((o) => o.violated.includes(p)));
}

/**
 * The matrix: one row per ordering (in the space's order), one column per property some ordering
 * breaks; a cell is green (holds) or red with the length of that ordering's shortest
 * counterexample. The last column says whether the ordering is safe (no property of the checked
 * set fails in it). With `link`, a red cell links to the counterexample written for its property
 * (inline in a page; the standalone file has no links).
 */
export function orderingsMatrixSvg(r: OrderingsResult, link?: (order: readonly string[], property: string) => { readonly href: string; readonly title: string } | undefined): string {
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
      const to = link && c !== undefined && c !== 'unsafe' && k < props.length ? link(o.order, props[k]!) : undefined;
      const what = `${formatOrder(o.order)}: ${k < props.length ? props[k]! : 'every property'}: ${c === undefined ? 'holds' : c === 'unsafe' ? 'some property fails' : `counterexample of ${c.length} steps`}`;
      if (to) out.push(`<a href="${esc(to.href)}">`);
      out.push(`<rect x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${rowH - 2}" rx="2" fill="${bad ? '#f4b6ae' : '#bfe5c6'}"><title>${esc(to ? `${what}. ${to.title}` : what)}</title></rect>`);
      const label = c === undefined ? '✓' : c === 'unsafe' ? '✗' : `CE ${c.length}`;
      out.push(`<text x="${x + cellW / 2}" y="${y + rowH - 4}" text-anchor="middle" fill="${bad ? '#7d1409' : '#1e6b30'}"${to ? ' text-decoration="underline"' : ''}>${label}</text>`);
      if (to) out.push('</a>');
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

/** The derived constraints once each: the key of a constraint, and which derivations name it (necessary, or sufficient beyond them). */
export function constraintTable(r: OrderingsResult): { readonly text: string; readonly necessaryFor: string[]; readonly sufficientFor: string[] }[] {
  const rows = new Map<string, { text: string; necessaryFor: string[]; sufficientFor: string[] }>();
  const add = (c: Constraint, who: string, how: 'necessaryFor' | 'sufficientFor') => {
    const text = formatConstraint(c);
    let row = rows.get(text);
    if (!row) rows.set(text, (row = { text, necessaryFor: [], sufficientFor: [] }));
    if (!row[how].includes(who)) row[how].push(who);
  };
  const derivations: [string, Derivation][] = [['every property', r.overall], ...r.perProperty.map((p): [string, Derivation] => [shortNameOf(p.property), p.derivation])];
  for (const [who, d] of derivations) {
    for (const c of d.necessary) add(c, who, 'necessaryFor');
    if (d.sufficient && !d.sufficient.exact) for (const c of d.sufficient.constraints.filter((x) => !d.necessary.includes(x))) add(c, who, 'sufficientFor');
  }
  return [...rows.values()];
}

/** The matrix's legend. */
function matrixLegend(r: OrderingsResult): string {
  return [
    '<div class="legend">',
    '<span><span class="chip holds">&#x2713;</span>the property holds in this ordering (exhaustive within the bounds)</span>',
    '<span><span class="chip ce">CE n</span>violated in this ordering: its shortest counterexample has n steps; click for the counterexample written for that property</span>',
    `<span><span class="chip ce">&#x2717;</span>in the last column: some property of the ${r.properties.length} checked fails; &#x2713; there: the ordering is safe</span>`,
    '<span><span class="chip na">*</span>after an ordering: it never ran in full within the bounds (what it holds, it holds vacuously)</span>',
    '</div>',
  ].join('\n');
}

/** One orderings result as an HTML section (for report.html and the orderings page). */
export function orderingsSectionHtml(s: OrderingsSection, idPrefix: string): string {
  const r = s.result;
  const h: string[] = [];
  const id = `${idPrefix}${r.design}-${r.sequence}`.replace(/[^A-Za-z0-9_-]+/g, '_');
  const safe = (n: number, of: number) => `${n} of ${of} orderings safe`;
  const checked = `${r.properties.length} propert${r.properties.length === 1 ? 'y' : 'ies'} checked`;
  h.push(`<section class="orderings" id="${id}">`, `<h2>Orderings of ${esc(r.sequence)} for ${esc(r.design)} on ${esc(r.config)}</h2>`);
  const bounds = Object.entries(r.bounds).map(([k, v]) => `${k}=${v}`);
  h.push(
    `<p>${r.orderings.length} orderings of ${esc(r.steps.join(', '))}${r.keep.length ? ` keeping ${esc(r.keep.map(([a, b]) => `${a} < ${b}`).join(', '))}` : ''}, checked by one family search (${r.stats.distinctStates.toLocaleString('en-US')} distinct states, ${r.stats.expansions.toLocaleString('en-US')} expansions, depth ${r.stats.depth}); ${r.exhaustive ? 'exhaustive' : `<b>NOT exhaustive</b>: ${esc(r.boundHit ?? 'a bound was hit')}`}; bounds: ${esc(bounds.length ? bounds.join(', ') : 'none')}.</p>`,
  );
  h.push(`<p><b>Safe</b> here means that no property of the selected set fails in the ordering: the ${esc(checked)} (${esc(r.properties.map((p) => shortNameOf(p)).join(', '))}), within the bounds. An ordering safe for these may still break a property not in the set.</p>`);
  if (s.changes) h.push(`<div class="verdict ${s.changes.length ? 'changed' : 'ok'}">${(s.changes.length ? s.changes : ['matches the recorded outcome']).map((l) => `<p>${esc(l)}</p>`).join('')}</div>`);

  // Each constraint once, then which derivation needs it.
  const table = constraintTable(r);
  const num = new Map(table.map((c, k) => [c.text, k + 1]));
  const refs = (cs: readonly Constraint[]) => cs.map((c) => `C${num.get(formatConstraint(c))}`).join(', ');
  h.push('<h3>Constraints</h3>');
  if (table.length === 0) h.push('<p>No constraint was derived.</p>');
  else {
    h.push('<table class="grid constraints"><tr><th>#</th><th>constraint</th><th>necessary for</th><th>sufficient (beyond the necessary) for</th></tr>');
    table.forEach((c, k) => h.push(`<tr><td>C${k + 1}</td><td class="mono">${esc(c.text)}</td><td>${esc(c.necessaryFor.join(', ') || '-')}</td><td>${esc(c.sufficientFor.join(', ') || '-')}</td></tr>`));
    h.push('</table>');
  }
  const line = (who: string, d: Derivation) => {
    const suff = d.sufficient ? (d.sufficient.exact ? (d.necessary.length ? 'the necessary ones together are sufficient' : 'no constraint is needed') : `sufficient: ${refs(d.sufficient.constraints)}`) : 'no small sufficient set';
    return `<tr><th>${esc(who)}</th><td>${esc(safe(d.safe, d.orderings))}</td><td>${esc(d.necessary.length ? refs(d.necessary) : 'none')}</td><td>${esc(d.safe === d.orderings ? '-' : d.safe === 0 ? 'no ordering is safe' : suff)}</td></tr>`;
  };
  h.push('<table class="grid derivations"><tr><th>for</th><th>safe orderings</th><th>necessary</th><th>sufficient</th></tr>', line(`every property (${checked})`, r.overall), ...r.perProperty.map((p) => line(shortNameOf(p.property), p.derivation)), '</table>');
  if ('svg' in s.constraints) h.push(`<figure>${inlineSvg(s.constraints.svg, `${id}-c-`)}</figure>`);
  else h.push(`<p class="note">Constraint graph ${esc(s.constraints.note)}.</p>`);
  const unreached = r.orderings.filter((o) => !o.reached).length;
  if (unreached) h.push(`<p class="warn">${unreached} orderings never ran in full within the bounds (marked *): what they hold, they hold vacuously.</p>`);
  const cxIds = new Map<string, { id: string; order: readonly string[] }>();
  s.counterexamples.forEach(({ staged, order }, i) => {
    for (const v of staged.cx.violations) cxIds.set(v.property, { id: `${id}-cx${i + 1}`, order });
  });
  const link = (order: readonly string[], property: string) => {
    const c = cxIds.get(property);
    if (!c) return undefined;
    const same = c.order.join(',') === order.join(',');
    return { href: `#${c.id}`, title: same ? 'Click: its counterexample.' : `Click: the shortest ${shortNameOf(property)} counterexample over every ordering, in the ordering ${formatOrder(c.order)}.` };
  };
  h.push(`<details open><summary>Every ordering (matrix)</summary>${matrixLegend(r)}<figure>${inlineSvg(orderingsMatrixSvg(r, link), `${id}-m-`)}</figure></details>`);
  s.counterexamples.forEach(({ staged: w, order }, i) => {
    h.push(counterexampleHtml(w, `${id}-cx${i + 1}`, `Counterexample ${i + 1}`, s.href, `in the ordering <span class="mono">${esc(formatOrder(order))}</span>; `));
  });
  h.push('</section>');
  return h.join('\n');
}
