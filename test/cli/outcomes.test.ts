// Why these tests? The recorded outcomes (cli/expected.ts) are what `grantcheck compare` holds
// every design to, and docs/designs.md shows them to people: the two must say the same thing, and
// CI must notice when a design's behaviour changes. Each recorded verdict (holds / violated / n/a)
// is asserted on the row's CI configuration, chosen per design as the smallest on which the
// verdicts equal those of the default configuration (docs/designs.md, "What CI runs").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configByName, designs, modelOf, shortNameOf } from '../../catalog.js';
import { RECORDED, RECORDED_EXTRA } from '../../cli/expected.js';
import { markdownTable, type OutcomeRow } from '../../cli/table.js';
import { expectDesign, type Outcome } from '../../testing.js';
import { root } from './helpers.js';

const rows: OutcomeRow[] = [
  ...Object.entries(RECORDED).map(([design, r]) => ({ design, config: r.config, states: r.states, outcomes: r.outcomes })),
  ...RECORDED_EXTRA.map((r) => ({ design: r.design, config: r.config, states: r.states, outcomes: r.outcomes })),
];
const verdict = (cell: string | undefined): Outcome => (cell === undefined ? 'n/a' : cell === 'holds' ? 'holds' : 'violated');

describe('the recorded outcomes', () => {
  it('cover every design, in catalog order, each on its default configuration', () => {
    expect(Object.keys(RECORDED)).toEqual(designs.map((d) => d.name));
    for (const d of designs) expect(RECORDED[d.name]!.config, d.name).toBe(d.defaultConfig);
  });

  it('name exactly the properties that apply to each design on its default configuration', () => {
    for (const d of designs) {
      const m = modelOf(d, configByName(d.defaultConfig));
      const names = [...m.properties.filter((p) => p.kind !== 'sometimes').map((p) => shortNameOf(p.name)), 'deadlock'];
      expect(Object.keys(RECORDED[d.name]!.outcomes).sort(), d.name).toEqual(names.sort());
    }
  });

  it('the rows on further configurations each name a section of docs/findings.md', () => {
    const findings = readFileSync(join(root, 'docs/findings.md'), 'utf8');
    const anchors = [...findings.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9_ -]/g, '').replace(/ /g, '-'));
    expect(RECORDED_EXTRA.length).toBeGreaterThan(0);
    for (const x of RECORDED_EXTRA) expect(anchors, `${x.design} on ${x.config}`).toContain(x.findings);
  });

  it('are the table of docs/designs.md (grantcheck compare writes it as out/table.md)', () => {
    const doc = readFileSync(join(root, 'docs/designs.md'), 'utf8');
    const m = /<!-- outcomes:begin[^>]*-->\n([\s\S]*?)<!-- outcomes:end -->/.exec(doc);
    expect(m, 'docs/designs.md has the <!-- outcomes:begin --> ... <!-- outcomes:end --> block').not.toBeNull();
    expect(m![1], 'paste this table into docs/designs.md').toBe(markdownTable(rows));
  });
});

describe('every design × property verdict, on its CI configuration', () => {
  for (const [design, rec] of [...Object.entries(RECORDED), ...RECORDED_EXTRA.map((x) => [x.design, x] as const)]) {
    it(`${design} on ${rec.ci} (recorded on ${rec.config})`, () => {
      const e = expectDesign(design, { config: rec.ci });
      const names = new Set([...Object.keys(rec.outcomes), ...e.properties.map(shortNameOf)]);
      const got = Object.fromEntries([...names].map((p) => [p, e.outcomeOf(p)]));
      const want = Object.fromEntries([...names].map((p) => [p, verdict(rec.outcomes[p])]));
      expect(got).toEqual(want);
      e.toReachEveryWitness();
    });
  }
});
