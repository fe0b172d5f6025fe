// Why this test? The regression cases' counterexamples are the product's most important output:
// each must draw, print, write as ITF and replay. One row per case (fixtures.ts); cases 1 and 8
// join by appending rows when their designs land.
import { describe, expect, it } from 'vitest';
import { configByName, designByName, modelOf } from '../../catalog.js';
import {
  exploreStateGraph,
  formatTrace,
  itfToJson,
  RenderError,
  renderSvg,
  replayItf,
  stateGraphToDot,
  toItf,
  traceToDot,
} from '../../counterexamples/index.js';
import { caseTrace, grantGrouping, regressionCases } from './fixtures.js';
import { labelsOf } from './dotParse.js';

describe.each(regressionCases)('regression case $id ($design on $config)', (c) => {
  const { model, cx } = caseTrace(c);
  const primary = cx.violations.find((v) => v.property === c.properties[0])!;

  it('violates every property of the case on one shortest trace', () => {
    expect(cx.violations.map((v) => v.property)).toEqual(expect.arrayContaining([...c.properties]));
  });

  it('draws as a trace graph naming the properties and clauses on the red state (snapshot)', async () => {
    const dot = traceToDot(cx.trace, { model, violations: cx.violations, grouping: grantGrouping, notes: [`design ${c.design}, configuration ${c.config}`] });
    const nodes = dot.split('\n').filter((l) => /^ {2}s\d+ \[/.test(l));
    expect(nodes).toHaveLength(cx.trace.length);
    const red = labelsOf(nodes[nodes.length - 1]!)[0]!;
    for (const v of cx.violations) {
      expect(red).toContain(v.property);
      if (v.clause) expect(red.replace(/\n+/g, ' ')).toContain(v.clause);
    }
    await expect(dot).toMatchFileSnapshot(`./__snapshots__/case${c.id}.trace.dot`);
  });

  it('prints as a text trace (snapshot)', async () => {
    const text = formatTrace(cx.trace, { model, violations: cx.violations, grouping: grantGrouping });
    expect(text.split('\n').filter((l) => /^State \d+: /.test(l))).toHaveLength(cx.trace.length);
    await expect(text).toMatchFileSnapshot(`./__snapshots__/case${c.id}.trace.txt`);
  });

  it('writes ITF that replays on the design and still violates the property', async () => {
    const text = itfToJson(toItf(cx.trace, { model, design: c.design, config: c.config, modelVersion: 'test', violation: primary }));
    await expect(text).toMatchFileSnapshot(`./__snapshots__/case${c.id}.itf.json`);
    const fresh = modelOf(designByName(c.design), configByName(c.config));
    const r = replayItf(fresh, text);
    expect(r.status, r.status === 'reproduced' ? '' : r.message).toBe('reproduced');
    expect(r.status === 'reproduced' && r.violation).toMatchObject({ property: c.properties[0], step: cx.trace.length - 1 });
  });

  it(`does not reproduce on the design that fixes it (${c.fixedBy})`, () => {
    const text = itfToJson(toItf(cx.trace, { model, violation: primary }));
    const fixed = modelOf(designByName(c.fixedBy), configByName(c.config));
    const strict = replayItf(fixed, text);
    expect(strict.status).toBe('mismatch');
    expect(strict.status === 'mismatch' && strict.message).toMatch(/^replay: step \d+/);
    expect(replayItf(fixed, text, { states: 'ignore' }).status).not.toBe('reproduced');
  });
});

describe('whole state graph of case 17 on the tiny configuration', () => {
  it('highlights the counterexample, and is refused for rendering (over the node limit)', async () => {
    const model = modelOf(designByName('early-unpin'), configByName('tiny'));
    const [cx] = regressionCases.filter((c) => c.id === 17).map((c) => caseTrace({ ...c, config: 'tiny' }));
    const graph = exploreStateGraph(model);
    expect(graph.nodes.length).toBeGreaterThan(150);
    const dot = stateGraphToDot(graph, { model, highlight: cx!.cx.trace, violations: cx!.cx.violations, grouping: grantGrouping, labels: 'none', edgeLabels: false });
    expect(dot.split('\n').filter((l) => l.includes('penwidth=3'))).toHaveLength(cx!.cx.trace.length - 1);
    await expect(renderSvg(dot)).rejects.toThrow(RenderError);
    await expect(renderSvg(dot)).rejects.toThrow(/nodes, over the limit of 150 .*render the trace graph instead/);
  });
});
