/**
 * DOT building blocks shared by the trace graph and the whole state graph: escaping (quoted
 * strings and record labels), the fixed colour palette, the legend, and the look TLC's
 * DotStateWriter set (rounded boxes, filled initial state, one colour per action kind).
 *
 * Labels are ASCII where this folder writes them (`->`, `...`): the WASM Graphviz sizes boxes
 * with built-in font metrics that give every non-ASCII character the width of a space. Nodes use
 * Courier, whose metrics match any monospace font a viewer substitutes, so text stays inside its
 * box whatever fonts the reader has.
 */
import { defaultActionKind, defaultFormatAction, type Model } from '../explorer/index.js';

/*
 * Escaping. Graphviz reads a label in three layers, and each needs its own escape:
 * 1. the DOT lexer: inside a quoted string only `\"` is special (a backslash is kept as it is);
 * 2. label escapes: `\\` is a backslash, `\n` `\l` `\r` break lines, `\N` `\G` `\E` `\T` `\H`
 *    insert names, and `&name;` entities are decoded (so `&lt;` would print `<`);
 * 3. in record labels, `{ } | < >` split fields and leading spaces are dropped.
 * HTML-like labels (`<...>`) are not used: the WASM Graphviz that renders our SVG ignores them
 * (aduh95/viz.js#29) and prints the node's name instead.
 */

/** Text made safe for an ordinary label: backslashes doubled, quotes escaped, `&` as `&amp;`, control characters as spaces. */
export function labelText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/&/g, '&amp;')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** A DOT quoted string whose lines are centred (`\n` between lines): for edge labels. */
export function dotString(s: string): string {
  return `"${s.split(/\r\n|\r|\n/).map(labelText).join('\\n')}"`;
}

/** A quoted label of left-justified lines (each ends with `\l`). */
export function leftLines(lines: readonly string[]): string {
  return `"${lines
    .flatMap((l) => l.split(/\r\n|\r|\n/))
    .map((l) => `${labelText(l)}\\l`)
    .join('')}"`;
}

/** Text for a field of a record label: like `labelText`, plus `{ } | < >` escaped and leading spaces kept. */
export function recordText(s: string): string {
  const t = labelText(s).replace(/[{}|<>]/g, (c) => `\\${c}`);
  const lead = /^ */.exec(t)![0].length;
  return '\\ '.repeat(lead) + t.slice(lead);
}

/** One field of a record label: lines, optionally with a heading cell to their left. */
export interface Field {
  /** A left cell (`process 0`); without it the lines fill the row. */
  readonly head?: string;
  readonly lines: readonly string[];
}

/** A quoted record label (for `shape=Mrecord`): fields stacked top to bottom, lines left-justified. */
export function recordLabel(fields: readonly Field[]): string {
  const lines = (ls: readonly string[]) => ls.map((l) => `${recordText(l)}\\l`).join('');
  const inner = fields.map((f) => (f.head !== undefined ? `{${lines([f.head])}|${lines(f.lines)}}` : lines(f.lines))).join('|');
  return `"{${inner}}"`;
}

/**
 * Edge colours, one per action kind in order of first appearance; dark enough for text on white.
 * Red is left out: it marks the violation.
 */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#7b4173',
  '#3182bd',
  '#31a354',
  '#756bb1',
];

/** Fill of the initial state. */
export const INITIAL_FILL = '#e3ecf7';
/** Outline and text colour of the violating state and of a highlighted path. */
export const VIOLATION_COLOR = '#c62828';
/** Fill of the violating state. */
export const VIOLATION_FILL = '#fde4e4';
/** Colour of dashed "what else could have happened" nodes and self-loops. */
export const MUTED_COLOR = '#9e9e9e';

/** Assigns palette colours to action kinds in order of first appearance (cycling past the palette's end). */
export class KindColors {
  private readonly colors = new Map<string, string>();
  /** The kind's colour, assigning the next free one on first sight. */
  of(kind: string): string {
    let c = this.colors.get(kind);
    if (c === undefined) {
      c = PALETTE[this.colors.size % PALETTE.length]!;
      this.colors.set(kind, c);
    }
    return c;
  }
  /** Every kind seen, with its colour, in order of first appearance. */
  entries(): (readonly [string, string])[] {
    return [...this.colors.entries()];
  }
}

/** `key=value` pairs of a DOT attribute list, in the given order. */
export function attrs(pairs: readonly (readonly [string, string | number | undefined])[]): string {
  return `[${pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}]`;
}

/** How actions are printed and grouped by kind: from the options, else from the model, else the explorer's defaults. */
export interface ActionPrinter<A> {
  readonly format: (a: A) => string;
  readonly kind: (a: A) => string;
}

/** Options naming how actions print. */
export interface ActionPrintOptions<S, A> {
  /** Supplies `formatAction` / `actionKind` when they are not given here. */
  readonly model?: Model<S, A>;
  /** How an action is printed (`gntdev_mmap(p=0, file=0, map=0)`). */
  readonly formatAction?: (action: A) => string;
  /** An action's kind: one colour per kind. */
  readonly actionKind?: (action: A) => string;
}

/** Resolves the action printer of a set of options. */
export function actionPrinter<S, A>(o: ActionPrintOptions<S, A>): ActionPrinter<A> {
  const m = o.model;
  const format = o.formatAction ?? (m?.formatAction ? (a: A) => m.formatAction!(a) : (a: A) => defaultFormatAction(a));
  const kind = o.actionKind ?? (m?.actionKind ? (a: A) => m.actionKind!(a) : (a: A) => defaultActionKind(a, (x) => format(x as A)));
  return { format, kind };
}

/** The first line of every graph this folder writes: what it is and its size, for people reading the file. */
export function headerComment(what: string, detail: string): string {
  return `// grantcheck ${what}: ${detail}`;
}

/** What the legend explains besides the action colours. */
export interface LegendOptions {
  /** A node the legend is drawn below (an invisible edge from it): the trace's last state, the deepest node. */
  readonly below?: string;
  readonly violation: boolean;
  /** What dashed edges mean here, when there are any. */
  readonly dashed?: string;
  readonly path?: boolean;
}

/**
 * The legend cluster (TLC's "Next State Actions"): one text node per action kind in its colour,
 * then samples of the node styles, side by side in one row under the graph.
 */
export function legendCluster(colors: KindColors, o: LegendOptions): string {
  const items: string[] = [];
  colors.entries().forEach(([kind, c], i) => items.push(`    legend_k${i} ${attrs([['label', dotString(kind)], ['shape', 'plaintext'], ['fontcolor', `"${c}"`]])};`));
  items.push(`    legend_init ${attrs([['label', dotString('initial state')], ['style', '"rounded,filled"'], ['fillcolor', `"${INITIAL_FILL}"`]])};`);
  if (o.violation) {
    items.push(
      `    legend_bad ${attrs([['label', dotString('violates the property')], ['style', '"rounded,filled"'], ['fillcolor', `"${VIOLATION_FILL}"`], ['color', `"${VIOLATION_COLOR}"`], ['penwidth', 2]])};`,
    );
  }
  if (o.path) items.push(`    legend_path ${attrs([['label', dotString('bold red edges: the counterexample')], ['shape', 'plaintext'], ['fontcolor', `"${VIOLATION_COLOR}"`]])};`);
  if (o.dashed !== undefined) items.push(`    legend_alt ${attrs([['label', dotString(`dashed: ${o.dashed}`)], ['style', '"rounded,dashed"'], ['color', `"${MUTED_COLOR}"`]])};`);
  const ids = items.map((l) => l.trim().split(' ')[0]!);
  const row = [`    { rank=same; ${ids.join('; ')}; }`, `    ${ids.join(' -> ')} [style=invis];`];
  return [
    '  subgraph cluster_legend {',
    `    graph ${attrs([['label', dotString('Actions')], ['fontname', '"Helvetica"'], ['fontsize', 10], ['style', 'rounded'], ['color', '"#bdbdbd"']])};`,
    `    node ${attrs([['shape', 'box'], ['style', 'rounded'], ['fontsize', 9], ['height', 0.2], ['margin', '"0.06,0.02"']])};`,
    ...items,
    ...row,
    '  }',
    // Outside the cluster: an edge written inside it would pull its tail into the cluster.
    ...(o.below !== undefined ? [`  ${o.below} -> ${ids[0]!} [style=invis];`] : []),
  ].join('\n');
}
