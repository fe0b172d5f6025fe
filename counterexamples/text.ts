/**
 * The text trace, in the manner of TLC's error trace (`-difftrace`): a header naming the property,
 * the clause, the length and the path; then `State N: <action>` for each step with what the step
 * changed, one line per entity (as the trace graph's boxes show it), or one line per changed path
 * under each entity (`layout: 'block'`). The initial state is printed in full (one compact line per
 * entity) or as a one-line summary; parts the caller leaves out (`omit`) are not printed there.
 */
import type { Step } from '../explorer/index.js';
import { diffStates } from './diff.js';
import { actionPrinter, type ActionPrintOptions } from './dot.js';
import { changeLines, defaultGrouping, entitiesOf, entityLine, groupChanges, pruneChange, summaryOf, type Grouping, type OmitPath } from './groups.js';
import { formatValue } from './value.js';
import type { ViolationInfo } from './violation.js';

/** Options of `formatTrace`. */
export interface TextTraceOptions<S, A> extends ActionPrintOptions<S, A> {
  /** First line. @defaultValue `Counterexample to <properties>`, or `Trace` */
  readonly title?: string;
  /** Lines under the title (design, configuration). */
  readonly notes?: readonly string[];
  /** The properties the last state (or step) violates. */
  readonly violations?: readonly ViolationInfo[];
  /** The encoded path, when the violations do not carry it. */
  readonly path?: string;
  /** The initial state in full (one line per entity) or as a summary line. @defaultValue 'full' */
  readonly initial?: 'full' | 'summary';
  readonly grouping?: Grouping;
  /** What a step changed: one line per entity, or a line per changed path under each entity. @defaultValue 'line' */
  readonly layout?: 'line' | 'block';
  /** Parts of the state not printed where values are printed whole (see `OmitPath`). */
  readonly omit?: OmitPath;
}

/** Formats a trace as text; ends with a newline. Deterministic. */
export function formatTrace<S, A>(trace: readonly Step<S, A>[], options: TextTraceOptions<S, A> = {}): string {
  if (trace.length === 0) throw new Error('formatTrace: the trace is empty; a trace has at least its initial state');
  const fmt = actionPrinter(options).format;
  const grouping = options.grouping ?? defaultGrouping;
  const violations = options.violations ?? [];
  const path = options.path ?? violations.find((v) => v.path !== undefined)?.path;
  const out: string[] = [];
  out.push(options.title ?? (violations.length > 0 ? `Counterexample to ${violations.map((v) => v.property).join(', ')}` : 'Trace'));
  for (const n of options.notes ?? []) out.push(n);
  for (const v of violations) out.push(`  ${v.property}${v.clause ? `: ${v.clause}` : ''}`);
  out.push(`Length: ${trace.length - 1} step${trace.length === 2 ? '' : 's'}${path !== undefined ? `; path ${path}` : ''}`);
  trace.forEach((step, i) => {
    if (i === 0) {
      out.push('State 0: initial state');
      if ((options.initial ?? 'full') === 'summary') out.push(`  ${summaryOf(step.state, options.omit)}`);
      else for (const e of entitiesOf(step.state, grouping, options.omit)) out.push(`  ${e.label}: ${formatValue(e.value)}`);
      return;
    }
    out.push(`State ${i}: ${fmt(step.action as A)}`);
    const changes = diffStates(trace[i - 1]!.state, step.state);
    if ((options.layout ?? 'line') === 'line') {
      const entities = groupChanges(changes, grouping);
      if (entities.length === 0) out.push('  (no change)');
      for (const { group, changes: cs } of entities) out.push(`  ${group.label}: ${entityLine(cs, group.depth, options.omit)}`);
      return;
    }
    const groups = changeLines(changes.map((c) => pruneChange(c, options.omit)), grouping);
    if (groups.length === 0) out.push('  (no change)');
    for (const g of groups) {
      if (g.inline) out.push(`  ${g.label}: ${g.lines[0]!}`);
      else {
        out.push(`  ${g.label}`);
        for (const l of g.lines) out.push(`    ${l}`);
      }
    }
  });
  for (const v of violations) out.push(`State ${trace.length - 1} violates ${v.property}`);
  return `${out.join('\n')}\n`;
}
