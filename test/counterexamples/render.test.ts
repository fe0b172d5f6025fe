import { describe, expect, it } from 'vitest';
import { countNodes, RenderError, renderSvg, traceToDot } from '../../counterexamples/index.js';
import { caseTrace, grantGrouping, regressionCases } from './fixtures.js';

describe('renderSvg', () => {
  it('counts the node statements of a DOT text (not edges, not defaults)', () => {
    const dot = ['digraph g {', '  node [shape=box];', '  a [label="x"];', '  "b c" [label="y"];', '  a -> b [label="e"];', '  graph [label="t"];', '}'].join('\n');
    expect(countNodes(dot)).toBe(2);
  });

  it('refuses a graph over the limit before starting Graphviz, naming the limit and the fix', async () => {
    const dot = `digraph g {\n${Array.from({ length: 151 }, (_, i) => `  n${i} [label="${i}"];`).join('\n')}\n}\n`;
    await expect(renderSvg(dot)).rejects.toThrow(RenderError);
    await expect(renderSvg(dot)).rejects.toThrow('render: the graph has 151 nodes, over the limit of 150');
    await expect(renderSvg(dot, { maxNodes: 10 })).rejects.toThrow(/over the limit of 10/);
  });

  // The one test that runs Graphviz: case 17's trace graph, with a heading full of characters that
  // need escaping, so that the escaping is checked against the real renderer too.
  it('renders case 17 to an SVG that contains the node labels (integration)', async () => {
    const c = regressionCases.find((x) => x.id === 17)!;
    const { model, cx } = caseTrace(c);
    const dot = traceToDot(cx.trace, { model, violations: cx.violations, grouping: grantGrouping, notes: ['quotes "q", <tags> & \\backslash'], siblings: true });
    const svg = await renderSvg(dot);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['State 0 (initial)', 'State 6', 'arch_exit_mmap(p=0)', 'gntdev_mmap(p=0, file=0, map=0)', 'process 0', 'Xen maptrack', 'INV&#45;5 grant PTEs only in pinned L1s', 'INV&#45;1 no implicit unmap', 'l1[0].pinned: true &#45;&gt; false']) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('quotes &quot;q&quot;, &lt;tags&gt; &amp; \\backslash');
    expect(svg.match(/<g id="node\d+" class="node">/g)!.length).toBeGreaterThan(cx.trace.length);
  });
});
