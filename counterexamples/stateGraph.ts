/**
 * The whole state graph of a small model, for the cases where the neighbourhood of a counterexample
 * matters: every reachable state (breadth-first, identified by the explorer's fingerprint), every
 * transition, ranks per BFS depth, and the counterexample path highlighted. TLC's `-dump dot`
 * becomes unreadable past about a hundred states, so this refuses beyond a stated size.
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
  type ActionPrintOptions,
  type Field,
} from './dot.js';
import { defaultGrouping, groupChanges, type Grouping } from './groups.js';
import { fullFields } from './traceDot.js';
import { wrap } from './value.js';
import type { ViolationInfo } from './violation.js';

/** The default cap on the states of a whole graph. */
export const MAX_GRAPH_STATES = 500;

/** A reachable state. */
export interface GraphNode<S> {
  /** Discovery order (BFS): 0 is the first initial state. */
  readonly id: number;
  readonly state: S;
  /** Steps from an initial state. */
  readonly depth: number;
  /** The node it was first reached from (none for initial states). */
  readonly parent?: number;
  readonly fingerprint: string;
}

/** A transition. */
export interface GraphEdge<A> {
  readonly from: number;
  readonly to: number;
  readonly action: A;
}

/** Every reachable state and transition of a model, in BFS order. */
export interface StateGraph<S, A> {
  readonly nodes: readonly GraphNode<S>[];
  readonly edges: readonly GraphEdge<A>[];
}

/** Raised when a graph is larger than the stated limit; the message names the limit and the fix. */
export class GraphLimitError extends Error {
  override readonly name = 'GraphLimitError';
}

/** Options of `exploreStateGraph`. */
export interface ExploreGraphOptions {
  /** Refuse (GraphLimitError) when the model has more reachable states. @defaultValue MAX_GRAPH_STATES (500) */
  readonly maxStates?: number;
}

/** Explores every reachable state of a small model, breadth-first; throws GraphLimitError past `maxStates`. */
export function exploreStateGraph<S, A>(model: Model<S, A>, options: ExploreGraphOptions = {}): StateGraph<S, A> {
  const max = options.maxStates ?? MAX_GRAPH_STATES;
  const nodes: GraphNode<S>[] = [];
  const edges: GraphEdge<A>[] = [];
  const ids = new Map<string, number>();
  const add = (state: S, depth: number, parent?: number): number => {
    const fp = fingerprint(state);
    const known = ids.get(fp);
    if (known !== undefined) return known;
    if (nodes.length >= max) {
      throw new GraphLimitError(
        `state graph: more than ${max} reachable states (reached depth ${depth}); a whole-graph drawing is for small configurations: use a smaller configuration, draw the counterexample's trace graph instead, or raise maxStates`,
      );
    }
    const id = nodes.length;
    ids.set(fp, id);
    nodes.push({ id, state, depth, fingerprint: fp, ...(parent !== undefined ? { parent } : {}) });
    return id;
  };
  for (const s of model.initStates()) add(s, 0);
  for (let i = 0; i < nodes.length; i++) {
    const { state, depth } = nodes[i]!;
    for (const a of model.actions(state)) {
      const next = model.nextState(state, a);
      if (next === undefined) continue;
      edges.push({ from: i, to: add(next, depth + 1, i), action: a });
    }
  }
  return { nodes, edges };
}

/** Options of `stateGraphToDot`. */
export interface StateGraphDotOptions<S, A> extends ActionPrintOptions<S, A> {
  readonly title?: string;
  readonly notes?: readonly string[];
  /** `changes`: what changed from the BFS parent (initial states in full); `full`; `none`: numbers only. @defaultValue 'changes' */
  readonly labels?: 'changes' | 'full' | 'none';
  /** Label edges with their actions (colour alone identifies the kind). @defaultValue true */
  readonly edgeLabels?: boolean;
  /** The counterexample to highlight: its states must be in the graph. */
  readonly highlight?: readonly Step<S, A>[];
  /** The properties the highlighted trace violates (named on its last state). */
  readonly violations?: readonly ViolationInfo[];
  readonly grouping?: Grouping;
  /** Longest label line. @defaultValue 48 */
  readonly width?: number;
  /** Refuse graphs with more nodes. @defaultValue MAX_GRAPH_STATES (500) */
  readonly maxNodes?: number;
}

/** Writes a whole state graph as DOT: ranks per BFS depth, the highlighted path bold and red, a legend. */
export function stateGraphToDot<S, A>(graph: StateGraph<S, A>, options: StateGraphDotOptions<S, A> = {}): string {
  const max = options.maxNodes ?? MAX_GRAPH_STATES;
  if (graph.nodes.length > max) {
    throw new GraphLimitError(`state graph: ${graph.nodes.length} states is over the limit of ${max} for a whole-graph drawing; draw the counterexample's trace graph instead, or raise maxNodes`);
  }
  const printer = actionPrinter(options);
  const grouping = options.grouping ?? defaultGrouping;
  const width = options.width ?? 48;
  const labels = options.labels ?? 'changes';
  const colors = new KindColors();

  // The highlighted path: node ids of its states, and one edge per step.
  const byFp = new Map(graph.nodes.map((n) => [n.fingerprint, n.id] as const));
  const pathNodes: number[] = (options.highlight ?? []).map((s, i) => {
    const id = byFp.get(fingerprint(s.state));
    if (id === undefined) throw new Error(`stateGraphToDot: state ${i} of the highlighted trace is not in the graph (was the graph explored from the same model?)`);
    return id;
  });
  const pathEdges = new Set<number>();
  for (let i = 1; i < pathNodes.length; i++) {
    const want = printer.format(options.highlight![i]!.action as A);
    const e = graph.edges.findIndex((x, k) => !pathEdges.has(k) && x.from === pathNodes[i - 1] && x.to === pathNodes[i] && printer.format(x.action) === want);
    if (e < 0) throw new Error(`stateGraphToDot: step ${i} of the highlighted trace (${want}) is not an edge of the graph`);
    pathEdges.add(e);
  }
  const bad = options.violations && options.violations.length > 0 && pathNodes.length > 0 ? pathNodes[pathNodes.length - 1] : undefined;
  const onPath = new Set(pathNodes);

  const lines: string[] = [];
  for (const n of graph.nodes) {
    const fields: Field[] = [{ lines: [n.parent === undefined ? `State ${n.id} (initial)` : `State ${n.id} (from ${n.parent})`] }];
    if (labels === 'full' || (labels === 'changes' && n.parent === undefined)) fields.push(...fullFields(n.state, { grouping, width }));
    else if (labels === 'changes') {
      const groups = groupChanges(diffStates(graph.nodes[n.parent!]!.state, n.state), grouping);
      for (const { group, changes } of groups) {
        fields.push({ head: group.label, lines: changes.flatMap((c) => wrap(formatChange(c, { drop: group.depth, arrow: ' -> ' }), width)) });
      }
    }
    if (n.id === bad) for (const v of options.violations!) fields.push({ head: 'violates', lines: [...wrap(v.property, width), ...(v.clause ? wrap(`clause: ${v.clause}`, width) : [])] });
    const label = labels === 'none' ? dotString(String(n.id)) : recordLabel(fields);
    const initial = n.parent === undefined;
    lines.push(
      `  n${n.id} ${attrs([
        ['label', label],
        ['shape', labels === 'none' ? 'box' : undefined],
        ['style', initial || n.id === bad ? '"rounded,filled"' : labels === 'none' ? 'rounded' : undefined],
        ['fillcolor', n.id === bad ? `"${VIOLATION_FILL}"` : initial ? `"${INITIAL_FILL}"` : undefined],
        ['color', n.id === bad || onPath.has(n.id) ? `"${VIOLATION_COLOR}"` : undefined],
        ['penwidth', n.id === bad || onPath.has(n.id) ? 2 : undefined],
      ])};`,
    );
  }
  const edgeLabels = options.edgeLabels ?? true;
  graph.edges.forEach((e, k) => {
    const hot = pathEdges.has(k);
    const loop = e.from === e.to;
    const c = loop ? MUTED_COLOR : colors.of(printer.kind(e.action));
    const color = hot ? VIOLATION_COLOR : c;
    lines.push(
      `  n${e.from} -> n${e.to} ${attrs([
        ['label', edgeLabels ? dotString(printer.format(e.action)) : undefined],
        ['color', `"${color}"`],
        ['fontcolor', edgeLabels ? `"${color}"` : undefined],
        ['style', hot ? 'bold' : loop ? 'dashed' : undefined],
        ['penwidth', hot ? 3 : undefined],
      ])};`,
    );
  });
  const depths = new Map<number, number[]>();
  for (const n of graph.nodes) depths.set(n.depth, [...(depths.get(n.depth) ?? []), n.id]);
  const ranks = [...depths.entries()].map(([, ids]) => `  { rank=same; ${ids.map((i) => `n${i}`).join('; ')}; }`);
  const deepest = graph.nodes.length > 0 ? `n${graph.nodes[graph.nodes.length - 1]!.id}` : undefined;
  const title = options.title ?? 'State graph';
  const maxDepth = graph.nodes.reduce((d, n) => Math.max(d, n.depth), 0);
  return [
    headerComment('state graph', `${graph.nodes.length} states, ${graph.edges.length} transitions, depth ${maxDepth}`),
    'digraph states {',
    `  graph ${attrs([['fontname', '"Helvetica"'], ['fontsize', 14], ['labelloc', 't'], ['labeljust', 'l'], ['label', leftLines([title, ...(options.notes ?? [])])], ['nodesep', 0.3], ['ranksep', 0.5]])};`,
    `  node ${attrs([['shape', 'Mrecord'], ['fontname', '"Courier"'], ['fontsize', 9]])};`,
    `  edge ${attrs([['fontname', '"Courier"'], ['fontsize', 8]])};`,
    ...lines,
    ...ranks,
    legendCluster(colors, { ...(deepest !== undefined ? { below: deepest } : {}), violation: bad !== undefined, ...(graph.edges.some((e) => e.from === e.to) ? { dashed: 'self-loop (nothing changes)' } : {}), path: pathEdges.size > 0 }),
    '}',
    '',
  ].join('\n');
}
