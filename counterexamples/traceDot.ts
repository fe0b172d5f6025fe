/**
 * The trace graph: a counterexample as DOT, in the manner of TLC's DotStateWriter but drawn for one
 * path. One node per state of the trace, labelled (by default) with only what the step changed,
 * one row per entity; edges labelled with the action and its parameters, one colour per action
 * kind, with a legend; the initial state filled, the violating state red with the property and the
 * clause that failed. Optionally the one-step siblings: at each state, the other actions that were
 * enabled there, as small dashed nodes ("what else could have happened here").
 */
import { fingerprint, type Model, type Step } from '../explorer/index.js';
import { diffStates, formatChange } from './diff.js';
import {
  INITIAL_FILL,
  KindColors,
  MUTED_COLOR,
  VIOLATION_COLOR,
  VIOLATION_FILL,
  actionPrinter,
  attrs,
  dotString,
  headerComment,
  leftLines,
  legendCluster,
  recordLabel,
  type ActionPrinter,
  type ActionPrintOptions,
  type Field,
} from './dot.js';
import { defaultGrouping, entitiesOf, groupChanges, pruneChange, summaryOf, type Grouping, type OmitPath } from './groups.js';
import { deepEqual, formatValue, wrap } from './value.js';
import type { ViolationInfo } from './violation.js';

/** How many siblings to draw. */
export interface SiblingOptions {
  /** Siblings drawn per trace state; the rest are counted in a `+N more` node. @defaultValue 3 */
  readonly maxPerState?: number;
  /** Siblings drawn in the whole graph. @defaultValue 30 */
  readonly maxTotal?: number;
  /** Change lines shown in a sibling's node. @defaultValue 2 */
  readonly lines?: number;
}

/** Options of `traceToDot`. */
export interface TraceDotOptions<S, A> extends ActionPrintOptions<S, A> {
  /** First line of the graph's heading. @defaultValue `Counterexample: <properties>`, or `Trace` */
  readonly title?: string;
  /** Further heading lines (design, configuration, path). */
  readonly notes?: readonly string[];
  /** The properties the last state (or step) violates. */
  readonly violations?: readonly ViolationInfo[];
  /** `changes`: each node shows what its step changed; `full`: each node shows the whole state. @defaultValue 'changes' */
  readonly states?: 'changes' | 'full';
  /** In `changes` mode, the initial state in full, or as a one-line summary. @defaultValue 'full' */
  readonly initial?: 'full' | 'summary';
  /** Which entity a path belongs to. @defaultValue defaultGrouping */
  readonly grouping?: Grouping;
  /** Draw the other enabled actions of each state (needs `model`). @defaultValue false */
  readonly siblings?: boolean | SiblingOptions;
  /** Longest label line, in characters; longer lines wrap. @defaultValue 60 */
  readonly width?: number;
  /** Lines one change may wrap to before it is cut with `...`. @defaultValue 3 */
  readonly maxLinesPerChange?: number;
  /** Parts of the state not drawn where values are shown whole (see `OmitPath`). */
  readonly omit?: OmitPath;
}

/** The arrow of a change in DOT labels (ASCII: see dot.ts). */
const ARROW = ' -> ';

/** Writes a trace as a DOT digraph (deterministic: equal inputs give equal bytes). */
export function traceToDot<S, A>(trace: readonly Step<S, A>[], options: TraceDotOptions<S, A> = {}): string {
  if (trace.length === 0) throw new Error('traceToDot: the trace is empty; a trace has at least its initial state');
  const printer = actionPrinter(options);
  const violations = options.violations ?? [];
  const colors = new KindColors();
  const last = trace.length - 1;
  const look: Look = {
    grouping: options.grouping ?? defaultGrouping,
    width: options.width ?? 60,
    perChange: options.maxLinesPerChange ?? 3,
    ...(options.omit ? { omit: options.omit } : {}),
  };

  const nodes: string[] = [];
  const edges: string[] = [];
  const ranks: string[] = [];

  trace.forEach((step, i) => {
    const fields: Field[] = [{ lines: [i === 0 ? 'State 0 (initial)' : `State ${i}`] }];
    const full = options.states === 'full' || (i === 0 && (options.initial ?? 'full') === 'full');
    if (full) fields.push(...fullFields(step.state, look));
    else if (i === 0) fields.push({ lines: wrap(summaryOf(step.state, look.omit), look.width) });
    else fields.push(...changeFields(trace[i - 1]!.state, step.state, look));
    const bad = i === last && violations.length > 0;
    if (bad) fields.push(...violationFields(violations, look.width));
    nodes.push(
      `  s${i} ${attrs([
        ['label', recordLabel(fields)],
        ['group', 'trace'],
        ['style', i === 0 || bad ? '"rounded,filled"' : undefined],
        ['fillcolor', bad ? `"${VIOLATION_FILL}"` : i === 0 ? `"${INITIAL_FILL}"` : undefined],
        ['color', bad ? `"${VIOLATION_COLOR}"` : undefined],
        ['penwidth', bad ? 2 : undefined],
      ])};`,
    );
    if (i > 0) {
      const a = step.action as A;
      const c = colors.of(printer.kind(a));
      edges.push(`  s${i - 1} -> s${i} ${attrs([['label', dotString(printer.format(a))], ['color', `"${c}"`], ['fontcolor', `"${c}"`], ['penwidth', 1.5]])};`);
    }
  });

  let alternatives = 0;
  if (options.siblings) {
    if (!options.model) throw new Error('traceToDot: siblings need the model; pass options.model');
    const r = siblings(trace, options.model, options.siblings === true ? {} : options.siblings, printer, colors, look);
    nodes.push(...r.nodes);
    edges.push(...r.edges);
    ranks.push(...r.ranks);
    alternatives = r.count;
  }

  const title = options.title ?? (violations.length > 0 ? `Counterexample: ${violations.map((v) => v.property).join(', ')}` : 'Trace');
  return [
    headerComment('trace graph', `${trace.length} states, ${trace.length - 1} steps, ${alternatives} alternative nodes`),
    'digraph counterexample {',
    `  graph ${attrs([['fontname', '"Helvetica"'], ['fontsize', 14], ['labelloc', 't'], ['labeljust', 'l'], ['label', leftLines([title, ...(options.notes ?? [])])], ['nodesep', 0.3], ['ranksep', 0.45]])};`,
    `  node ${attrs([['shape', 'Mrecord'], ['fontname', '"Courier"'], ['fontsize', 10]])};`,
    `  edge ${attrs([['fontname', '"Courier"'], ['fontsize', 10]])};`,
    ...nodes,
    ...edges,
    ...ranks,
    legendCluster(colors, { below: `s${last}`, violation: violations.length > 0, ...(options.siblings ? { dashed: 'other enabled actions' } : {}) }),
    '}',
    '',
  ].join('\n');
}

/** Layout choices shared by the label builders. */
interface Look {
  readonly grouping: Grouping;
  readonly width: number;
  readonly perChange: number;
  readonly omit?: OmitPath;
}

/** One row per entity: `process 0 | {state:running,...}` (wrapped). */
export function fullFields(state: unknown, look: Pick<Look, 'grouping' | 'width' | 'omit'>): Field[] {
  return entitiesOf(state, look.grouping, look.omit).map((e) => ({ head: e.label, lines: wrap(formatValue(e.value), look.width) }));
}

/** One row per entity that changed: `process 0 | ptes[0].kind: none -> grant`. */
function changeFields(before: unknown, after: unknown, look: Look): Field[] {
  const groups = groupChanges(diffStates(before, after), look.grouping);
  if (groups.length === 0) return [{ lines: ['(no change)'] }];
  return groups.map(({ group, changes }) => ({
    head: group.label,
    lines: changes.flatMap((c) => clip(wrap(formatChange(pruneChange(c, look.omit), { drop: group.depth, arrow: ARROW }), look.width), look.perChange)),
  }));
}

/** The violation rows: `violates | INV-5 ...` and the clause. */
function violationFields(violations: readonly ViolationInfo[], width: number): Field[] {
  return violations.map((v) => ({ head: 'violates', lines: [...wrap(v.property, width), ...(v.clause ? wrap(`clause: ${v.clause}`, width) : [])] }));
}

/** At most `max` lines, the last one ending in `...` when some were cut. */
function clip(lines: readonly string[], max: number): string[] {
  if (lines.length <= max) return [...lines];
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]!}...`;
  return kept;
}

interface SiblingResult {
  readonly nodes: string[];
  readonly edges: string[];
  readonly ranks: string[];
  readonly count: number;
}

/** The dashed alternatives of each step: other enabled actions, their successors, and a `+N more` when capped. */
function siblings<S, A>(
  trace: readonly Step<S, A>[],
  model: Model<S, A>,
  so: SiblingOptions,
  printer: ActionPrinter<A>,
  colors: KindColors,
  look: Look,
): SiblingResult {
  const perState = so.maxPerState ?? 3;
  let budget = so.maxTotal ?? 30;
  const lineCap = so.lines ?? 2;
  const onTrace = new Map<string, number>();
  trace.forEach((s, i) => {
    const fp = fingerprint(s.state);
    if (!onTrace.has(fp)) onTrace.set(fp, i);
  });
  const nodes: string[] = [];
  const edges: string[] = [];
  const ranks: string[] = [];
  let count = 0;
  for (let i = 0; i + 1 < trace.length; i++) {
    const state = trace[i]!.state;
    const taken = trace[i + 1]!.action as A;
    const alts: { action: A; next: S }[] = [];
    for (const a of model.actions(state)) {
      if (deepEqual(a, taken)) continue;
      const next = model.nextState(state, a);
      if (next !== undefined) alts.push({ action: a, next });
    }
    const same: string[] = [];
    const shown = Math.max(0, Math.min(alts.length, perState, budget));
    for (let k = 0; k < shown; k++) {
      const { action, next } = alts[k]!;
      const c = colors.of(printer.kind(action));
      const edge = (to: string) =>
        `  s${i} -> ${to} ${attrs([['label', dotString(printer.format(action))], ['style', 'dashed'], ['color', `"${c}"`], ['fontcolor', `"${c}"`], ['fontsize', 8]])};`;
      const j = onTrace.get(fingerprint(next));
      if (j !== undefined) {
        edges.push(edge(`s${j}`));
        continue;
      }
      const id = `a${i}_${k}`;
      const flat = groupChanges(diffStates(state, next), look.grouping).flatMap(({ group, changes }) =>
        changes.map((ch) => `${group.label}: ${formatChange(pruneChange(ch, look.omit), { drop: group.depth, arrow: ARROW })}`),
      );
      const lines = flat.slice(0, lineCap).map((l) => (l.length > look.width ? `${l.slice(0, look.width - 3)}...` : l));
      if (flat.length > lineCap) lines.push(`(${flat.length - lineCap} more change${flat.length - lineCap === 1 ? '' : 's'})`);
      if (flat.length === 0) lines.push('(no change)');
      nodes.push(`  ${id} ${attrs([['label', leftLines(lines)], ['shape', 'box'], ['style', '"rounded,dashed"'], ['color', `"${MUTED_COLOR}"`], ['fontcolor', '"#555555"'], ['fontsize', 8]])};`);
      edges.push(edge(id));
      same.push(id);
      count++;
    }
    budget -= shown;
    if (alts.length > shown) {
      const id = `a${i}_more`;
      nodes.push(`  ${id} ${attrs([['label', dotString(`+${alts.length - shown} more`)], ['shape', 'plaintext'], ['fontcolor', `"${MUTED_COLOR}"`], ['fontsize', 8]])};`);
      edges.push(`  s${i} -> ${id} ${attrs([['style', 'dashed'], ['color', `"${MUTED_COLOR}"`], ['arrowhead', 'none']])};`);
      same.push(id);
      count++;
    }
    if (same.length > 0) ranks.push(`  { rank=same; s${i + 1}; ${same.join('; ')}; }`);
  }
  return { nodes, edges, ranks, count };
}
