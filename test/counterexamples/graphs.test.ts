import { describe, expect, it } from 'vitest';
import { exploreStateGraph, GraphLimitError, stateGraphToDot, traceToDot } from '../../counterexamples/index.js';
import { counters, graphModel } from '../fixtures/models.js';
import { abba, countersBad, firstCounterexample } from './fixtures.js';
import { labelsOf } from './dotParse.js';

/** Statement lines of a kind: node lines `  id [`, edge lines `  a -> b [`. */
const nodeLines = (dot: string, prefix: string) => dot.split('\n').filter((l) => new RegExp(`^  ${prefix}\\d+ \\[`).test(l));
const edgeLines = (dot: string) => dot.split('\n').filter((l) => / -> /.test(l) && !/style=invis/.test(l));

describe('the trace graph', () => {
  it('draws one node per state and one coloured, labelled edge per step (ABBA locks)', () => {
    const { model, cx } = abba();
    const dot = traceToDot(cx.trace, { model, violations: cx.violations });
    expect(nodeLines(dot, 's')).toHaveLength(cx.trace.length);
    const edges = edgeLines(dot);
    expect(edges).toEqual([
      '  s0 -> s1 [label="lock_first(p=0)", color="#1f77b4", fontcolor="#1f77b4", penwidth=1.5];',
      '  s1 -> s2 [label="lock_first(p=1)", color="#1f77b4", fontcolor="#1f77b4", penwidth=1.5];',
    ]);
    // The initial state is filled; the last is red and names each property and its clause.
    expect(nodeLines(dot, 's')[0]).toContain('style="rounded,filled", fillcolor="#e3ecf7"');
    const last = nodeLines(dot, 's')[2]!;
    expect(last).toContain('color="#c62828"');
    const label = labelsOf(last)[0]!;
    expect(label).toContain('everyone done');
    expect(label).toContain('clause: stuck at pcs 1,1');
    expect(label).toContain('deadlock');
    // Only what changed: the owner and the pc of process 1.
    expect(label).toMatch(/owner\[1\]\n*-1 -> 1\n/);
    expect(label).not.toContain('owner[0]');
  });

  it('has a legend with each action kind once, in its colour', () => {
    const { model, cx } = abba();
    const legend = traceToDot(cx.trace, { model }).split('subgraph cluster_legend')[1]!;
    expect(legend.match(/legend_k\d+ \[label="lock_first", shape=plaintext, fontcolor="#1f77b4"\]/g)).toHaveLength(1);
    expect(legend).not.toContain('violates the property'); // no violation was passed
  });

  it('shows whole states on request, and the initial state as a summary on request', () => {
    const { model, cx } = abba();
    const full = labelsOf(traceToDot(cx.trace, { model, states: 'full' })).join('\n').replace(/\n+/g, '\n');
    expect(full).toContain('State 2\nowner\n[0,1]\npc\n[1,1]\n'); // state 2 in full
    const summary = labelsOf(traceToDot(cx.trace, { model, initial: 'summary' }))[1]!;
    expect(summary).toContain('owner: 2, pc: 2');
  });

  it('draws the other enabled actions as dashed siblings, capped', () => {
    const { model, cx } = countersBad();
    // The trace is [0,0] -inc(0)-> [1,0] -inc(0)-> [2,0] -inc(1)-> [2,1]; at [2,0] inc(0) is disabled.
    const dot = traceToDot(cx.trace, { model, siblings: true });
    const dashed = edgeLines(dot).filter((l) => l.includes('style=dashed'));
    expect(dashed.map((l) => l.split(' [')[0])).toEqual(['  s0 -> a0_0', '  s1 -> a1_0']);
    expect(dashed[0]).toContain('label="inc(1)"');
    expect(labelsOf(nodeLines(dot, 'a0_')[0]!)[0]).toBe('[1]: 0 -> 1\n');
    expect(dot).toContain('{ rank=same; s1; a0_0; }');
    const capped = traceToDot(cx.trace, { model, siblings: { maxPerState: 0 } });
    expect(capped).toContain('a0_more [label="+1 more"');
    expect(capped).not.toContain('a0_0');
    expect(() => traceToDot(cx.trace, { siblings: true })).toThrow(/siblings need the model/);
  });

  it('points a sibling that lands on a state of the trace back at that state', () => {
    // 0 <-> 1 -> 2 (bad): the trace is 0 -> 1 -> 2, and at 1 the edge back to 0 is a sibling.
    const model = graphModel({ init: [0], edges: [[1], [0, 2], []], bad: [2] });
    const cx = firstCounterexample(model);
    const dot = traceToDot(cx.trace, { model, siblings: true });
    expect(edgeLines(dot).filter((l) => l.includes('style=dashed'))).toEqual([
      '  s1 -> s0 [label="1->0", style=dashed, color="#1f77b4", fontcolor="#1f77b4", fontsize=8];',
    ]);
  });

  it('is byte-identical across runs (snapshots)', async () => {
    const a = abba();
    const c = countersBad();
    const abbaDot = traceToDot(a.cx.trace, { model: a.model, violations: a.cx.violations, siblings: true, notes: [`path ${a.cx.path}`] });
    expect(traceToDot(a.cx.trace, { model: a.model, violations: a.cx.violations, siblings: true, notes: [`path ${a.cx.path}`] })).toBe(abbaDot);
    await expect(abbaDot).toMatchFileSnapshot('./__snapshots__/abba.trace.dot');
    await expect(traceToDot(c.cx.trace, { model: c.model, violations: c.cx.violations })).toMatchFileSnapshot('./__snapshots__/counters.trace.dot');
  });
});

describe('the whole state graph', () => {
  it('has every reachable state once, ranks per BFS depth, and the counterexample bold and red', async () => {
    const { model, cx } = countersBad();
    const g = exploreStateGraph(model);
    expect(g.nodes).toHaveLength(9);
    expect(g.edges).toHaveLength(12);
    expect(g.nodes.map((n) => n.depth)).toEqual([0, 1, 1, 2, 2, 2, 3, 3, 4]);
    const dot = stateGraphToDot(g, { model, highlight: cx.trace, violations: cx.violations });
    expect(dot.match(/\{ rank=same; [^}]*\}/g)!.filter((r) => /n\d/.test(r))).toEqual([
      '{ rank=same; n0; }',
      '{ rank=same; n1; n2; }',
      '{ rank=same; n3; n4; n5; }',
      '{ rank=same; n6; n7; }',
      '{ rank=same; n8; }',
    ]);
    const hot = edgeLines(dot).filter((l) => l.includes('penwidth=3'));
    expect(hot).toHaveLength(cx.trace.length - 1);
    expect(hot.every((l) => l.includes('color="#c62828"') && l.includes('style=bold'))).toBe(true);
    const bad = nodeLines(dot, 'n').find((l) => l.includes('fillcolor="#fde4e4"'))!;
    expect(labelsOf(bad)[0]).toContain('no bad state');
    await expectSnapshot(dot);
  });

  it('refuses a graph beyond the cap, naming the limit and the fix', () => {
    expect(() => exploreStateGraph(counters(4, 4), { maxStates: 100 })).toThrow(GraphLimitError);
    expect(() => exploreStateGraph(counters(4, 4), { maxStates: 100 })).toThrow(/more than 100 reachable states.*trace graph instead/);
    const g = exploreStateGraph(counters(3, 3));
    expect(() => stateGraphToDot(g, { maxNodes: 10 })).toThrow(/64 states is over the limit of 10/);
  });

  it('refuses to highlight a trace that is not in the graph', () => {
    const { cx } = countersBad();
    const other = exploreStateGraph(counters(2, 1));
    expect(() => stateGraphToDot(other, { highlight: cx.trace })).toThrow(/state 2 of the highlighted trace is not in the graph/);
  });
});

async function expectSnapshot(dot: string): Promise<void> {
  await expect(dot).toMatchFileSnapshot('./__snapshots__/counters.graph.dot');
}
