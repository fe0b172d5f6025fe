// Why this test? A label that breaks out of its quotes, or that Graphviz reads as an escape or an
// entity, corrupts the whole graph or silently prints something else. States and clauses are
// user data, so every character has to come through: quotes, backslashes, newlines, < > &, { | }.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotString, exploreStateGraph, recordText, stateGraphToDot, traceToDot } from '../../counterexamples/index.js';
import type { Model, Step } from '../../explorer/index.js';
import { always } from '../../explorer/index.js';
import { decodeLabel, labelsOf, lexQuoted } from './dotParse.js';

const NASTY = ['say "hi"', 'back\\slash', 'a\\"b', 'two\nlines', 'crlf\r\nend', '<b>&amp;</b>', '{x|y}', '  lead', 'tab\there', '\\N \\G \\l', '&lt;', '&'];
// Control characters other than line breaks become spaces; line breaks stay line breaks.
const shown = (s: string) => s.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');

describe('escaping', () => {
  it('a DOT string carries any text, line breaks included', () => {
    for (const s of NASTY) {
      const { raw, rest } = lexQuoted(dotString(s));
      expect(rest).toBe('');
      expect(decodeLabel(raw)).toBe(shown(s));
    }
  });

  it('a record field carries any text, with { | } < > and leading spaces', () => {
    for (const s of NASTY.filter((x) => !/[\r\n]/.test(x))) {
      const { raw } = lexQuoted(`"{${recordText(s)}}"`);
      expect(decodeLabel(raw, true)).toBe(shown(s));
    }
  });

  it('round-trips arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', '\n', '<', '>', '&', ';', '{', '|', '}', 'l', 'N', 'é') }), (s) => {
        expect(decodeLabel(lexQuoted(dotString(s)).raw)).toBe(shown(s));
        const flat = s.replace(/\n/g, ' ');
        expect(decodeLabel(lexQuoted(`"{${recordText(flat)}}"`).raw, true)).toBe(flat);
      }),
    );
  });

  // A model whose states, actions and clause are made of the nasty strings.
  const nasty: Model<Record<string, string | number>, { kind: string; arg: string }> = {
    initStates: () => [{ 'key "q"': NASTY[0]!, n: 0 }],
    actions: () => NASTY.map((arg) => ({ kind: 'set<&>', arg })),
    nextState: (s, a) => (s.n === 0 ? { ...s, 'key "q"': a.arg, n: 1 } : undefined),
    properties: [always('no "bad" <state> & \\ more', (s: Record<string, string | number>) => (s.n === 0 ? true : `clause with "quotes" <tags> & \\ and\nnewline`))],
  };

  it('every label of a trace graph decodes to the text it was made from', () => {
    const trace: Step<Record<string, string | number>, { kind: string; arg: string }>[] = [
      { state: { 'key "q"': NASTY[0]!, n: 0 } },
      { action: { kind: 'set<&>', arg: 'two\nlines "q" \\' }, state: { 'key "q"': '{x|y} <b>', n: 1 } },
    ];
    const dot = traceToDot(trace, {
      model: nasty,
      title: 'title "q" <&> \\',
      notes: ['note\nwith newline'],
      violations: [{ property: 'no "bad" <state> & \\ more', clause: 'clause "q" <&> \\ end' }],
      siblings: { maxPerState: 2 },
    });
    const labels = labelsOf(dot); // throws on any malformed string or stray special character
    const all = labels.join('\n').replace(/\n+/g, '\n'); // record fields and their lines alike on one line each
    expect(all).toContain('title "q" <&> \\\nnote\nwith newline');
    expect(all).toContain('set<&>(arg=two\nlines "q" \\)');
    expect(all).toContain('"key \\"q\\""\n"say \\"hi\\"" -> "{x|y} <b>"');
    expect(all).toContain('clause: clause "q" <&> \\ end');
    expect(all).toContain('set<&>(arg=back\\slash)');
  });

  it('every label of a whole state graph decodes too', () => {
    const dot = stateGraphToDot(exploreStateGraph(nasty), { model: nasty });
    expect(labelsOf(dot).join('\n')).toContain('set<&>(arg=<b>&amp;</b>)');
  });
});
