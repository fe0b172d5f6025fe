/**
 * The designs × properties table: one cell per property, `holds` (no violation in any reachable
 * state), `CE n` (the shortest counterexample has n steps), `unknown` (a bound stopped the search
 * first) or `n/a` (the property does not apply to the design). As text for the terminal and as
 * markdown for docs/designs.md and out/table.md.
 */
import { propertyShortNames, shortNameOf } from '../catalog.js';
import type { CheckResult } from '../explorer/index.js';
import type { Action, State } from '../model/index.js';

/** One row: a design on a configuration, its cells by property short name. */
export interface OutcomeRow {
  readonly design: string;
  readonly config: string;
  readonly states: number;
  readonly outcomes: Readonly<Record<string, string>>;
}

/** The cells of a check result, by short name (witnesses left out: they are reached, not violated). */
export function cellsOf(r: CheckResult<State, Action>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of r.properties) {
    if (p.kind === 'sometimes') continue;
    out[shortNameOf(p.name)] = p.outcome === 'violated' ? `CE ${p.length}` : p.outcome === 'holds' ? 'holds' : 'unknown';
  }
  return out;
}

/** The columns of a set of rows: the known properties in their canonical order, then the others, `deadlock` last. */
export function columnsOf(rows: readonly OutcomeRow[]): string[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r.outcomes)));
  const canonical = Object.values(propertyShortNames).filter((c) => c !== 'deadlock');
  const cols = canonical.filter((c) => present.has(c));
  for (const r of rows) for (const c of Object.keys(r.outcomes)) if (!cols.includes(c) && c !== 'deadlock') cols.push(c);
  if (present.has('deadlock')) cols.push('deadlock');
  return cols;
}

/** A cell, `n/a` when the property does not apply. */
export function cell(row: OutcomeRow, column: string): string {
  return row.outcomes[column] ?? 'n/a';
}

/** The table as aligned text, with extra trailing columns (`states`, `s`). */
export function textTable(rows: readonly OutcomeRow[], columns: readonly string[], extra: readonly { readonly title: string; readonly value: (row: OutcomeRow, i: number) => string }[] = []): string {
  const header = ['design', 'config', ...columns, ...extra.map((e) => e.title)];
  const body = rows.map((r, i) => [r.design, r.config, ...columns.map((c) => cell(r, c)), ...extra.map((e) => e.value(r, i))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

/** The table as markdown (docs/designs.md, out/table.md). */
export function markdownTable(rows: readonly OutcomeRow[], columns: readonly string[] = columnsOf(rows)): string {
  const head = ['design', 'config', ...columns, 'states'];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : ':-:')).join('|')}|`];
  for (const r of rows) out.push(`| ${[`\`${r.design}\``, r.config, ...columns.map((c) => cell(r, c)), r.states.toLocaleString('en-US')].join(' | ')} |`);
  return `${out.join('\n')}\n`;
}

/** The cells where `row` differs from `recorded` (missing = n/a), as `INV-1: recorded CE 6, now holds`. */
export function differences(row: OutcomeRow, recorded: Readonly<Record<string, string>>): string[] {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(row.outcomes)])];
  const out: string[] = [];
  for (const k of keys) {
    const was = recorded[k] ?? 'n/a';
    const now = row.outcomes[k] ?? 'n/a';
    if (was !== now) out.push(`${k}: recorded ${was}, now ${now}`);
  }
  return out;
}
