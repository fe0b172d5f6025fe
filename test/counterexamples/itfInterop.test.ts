// Why this test? ITF is how grantcheck's traces reach Quint, Apalache and their tools, and how
// theirs reach grantcheck. "It writes ITF" means: what it writes validates against a JSON schema of
// ITF written from Apalache ADR-015 (checked by ajv, not by our own reader), a trace Quint itself
// wrote is read, and every counterexample `compare` writes survives the public API's rewrite
// byte for byte, with everything replay needs (the constants of a configuration that has no name).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configOfTrace, configs, designByName, grantActionParameters, modelOf } from '../../catalog.js';
import { findViolation, fromItf, itfToJson, replayItf, toItf } from '../../counterexamples/index.js';
import type { Model } from '../../explorer/index.js';
import { always } from '../../explorer/model.js';
import { runHere, tempDir } from '../cli/helpers.js';
import { abba } from './fixtures.js';
import { itfSchemaErrors } from './itfSchema.js';

const QUINT = new URL('../fixtures/quint/grantSlots.itf.json', import.meta.url);
const quintText = () => readFileSync(QUINT, 'utf8');

/** Every file under `dir` whose name ends with `suffix`, sorted. */
function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? filesUnder(p, suffix) : p.endsWith(suffix) ? [p] : [];
    })
    .sort();
}

describe('the ITF schema', () => {
  it('accepts the forms ADR-015 defines and refuses what it does not (so that a pass means something)', () => {
    const trace = (value: unknown, extra: Record<string, unknown> = {}) => ({ vars: ['x'], states: [{ '#meta': { index: 0 }, x: value }], ...extra });
    const good = [true, 'a', -3, { '#bigint': '-12345678901234567890' }, [1, [2]], { f: { g: 1 } }, { '#tup': [1, 'a'] }, { '#set': [] }, { '#map': [[{ '#set': [1] }, 'v']] }, { '#unserializable': 'Int' }];
    for (const v of good) expect(itfSchemaErrors(trace(v)), JSON.stringify(v)).toBeUndefined();
    expect(itfSchemaErrors(trace(1, { params: ['N'], loop: 0, '#meta': { any: 'thing' } }))).toBeUndefined();
    const bad: unknown[] = [null, 1.5, 2 ** 60, { '#bigint': 5 }, { '#bigint': '1e3' }, { '#map': [[1]] }, { '#set': 1 }, { '#tup': [], x: 1 }, { '#list': [] }, { '#unserializable': 3 }];
    for (const v of bad) expect(itfSchemaErrors(trace(v)), JSON.stringify(v)).toBeDefined();
    expect(itfSchemaErrors({ states: [] })).toMatch(/vars/);
    expect(itfSchemaErrors({ vars: [], states: [], extra: 1 })).toBeDefined();
    expect(itfSchemaErrors({ vars: [], states: [], loop: -1 })).toBeDefined();
    expect(itfSchemaErrors({ vars: ['x'], states: [{ '#other': 1, x: 1 }] })).toBeDefined();
  });

  it('accepts the traces of the explorer fixtures as grantcheck writes them', () => {
    const { model, cx } = abba();
    expect(itfSchemaErrors(JSON.parse(itfToJson(toItf(cx.trace, { model, violation: cx.violations[0]!, params: { N: 2, names: ['a'] } }))))).toBeUndefined();
  });
});

/** grantSlots.qnt as a grantcheck model: the Quint spec's variables but slotOf (a map keyed by strings). */
interface SlotsState {
  readonly st: readonly { readonly tag: string; readonly value: readonly never[] }[];
  readonly mapped: readonly (readonly [string, number])[];
  readonly lastMap: { readonly tag: string; readonly value: number | readonly never[] };
  readonly history: readonly string[];
}
type SlotsAction = { readonly kind: 'grant' | 'revoke' | 'reclaim'; readonly g: number } | { readonly kind: 'mapSlot'; readonly m: string; readonly g: number };

function grantSlotsModel(): Model<SlotsState, SlotsAction> {
  const v = (tag: string) => ({ tag, value: [] as never[] });
  const mappers = ['A', 'B'];
  const slots = [0, 1];
  const set = (s: SlotsState, g: number, tag: string) => s.st.map((x, i) => (i === g ? v(tag) : x));
  return {
    initStates: () => [{ st: slots.map(() => v('Free')), mapped: [], lastMap: v('None'), history: [] }],
    actions: () => [
      ...slots.map((g) => ({ kind: 'grant' as const, g })),
      ...mappers.flatMap((m) => slots.map((g) => ({ kind: 'mapSlot' as const, m, g }))),
      ...slots.map((g) => ({ kind: 'revoke' as const, g })),
      ...slots.map((g) => ({ kind: 'reclaim' as const, g })),
    ],
    nextState(s, a) {
      const tag = s.st[a.g]!.tag;
      switch (a.kind) {
        case 'grant':
          return tag === 'Free' ? { ...s, st: set(s, a.g, 'Granted'), history: [...s.history, 'grant'] } : undefined;
        case 'mapSlot': {
          if (tag !== 'Granted' || s.mapped.some(([m]) => m === a.m)) return undefined;
          const mapped = [...s.mapped, [a.m, a.g] as const].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1]));
          return { ...s, mapped, lastMap: { tag: 'Some', value: a.g }, history: [...s.history, 'map'] };
        }
        case 'revoke':
          return tag === 'Granted' ? { ...s, st: set(s, a.g, 'Revoking'), history: [...s.history, 'revoke'] } : undefined;
        case 'reclaim':
          return tag === 'Revoking' ? { ...s, st: set(s, a.g, 'Free'), history: [...s.history, 'reclaim'] } : undefined;
      }
    },
    properties: [always('mappedNotFree', (s: SlotsState) => s.mapped.every(([, g]) => s.st[g]!.tag !== 'Free') || 'a mapped slot is Free')],
  };
}

describe("a trace Quint wrote (quint run --mbt on test/fixtures/quint/grantSlots.qnt)", () => {
  it('validates against the ITF schema', () => {
    expect(itfSchemaErrors(JSON.parse(quintText()))).toBeUndefined();
  });

  it('is read by fromItf: maps keyed by position become lists, sets and tuples lists, picks the actions', () => {
    const t = fromItf(quintText());
    expect(t.meta.source).toBe('grantSlots.qnt');
    expect(t.vars).toEqual(['st', 'mapped', 'slotOf', 'lastMap', 'history']);
    expect(t.steps).toHaveLength(10);
    expect(t.parameters).toEqual(['g', 'm']);
    expect(t.steps[1]!.action).toEqual({ kind: 'grant', g: 0 });
    expect(t.steps[2]!.action).toEqual({ kind: 'mapSlot', g: 0, m: 'B' });
    const s3 = t.steps[3]!.state as Record<string, unknown>;
    expect(s3.st).toEqual([{ tag: 'Granted', value: [] }, { tag: 'Free', value: [] }]);
    expect(s3.mapped).toEqual([['A', 0], ['B', 0]]);
    expect(s3.lastMap).toEqual({ tag: 'Some', value: 0 });
    expect(s3.slotOf).toEqual(new Map([['A', 0], ['B', 0]]));
    // slotOf is a map keyed by strings: read, and named in one line as what a grantcheck state cannot hold
    expect(t.unmappable).toBe('states[0].slotOf is a #map keyed by "A", "B", not by the positions 0..1: grantcheck states hold maps keyed by position only');
  });

  it('replays on a grantcheck model of the same spec, and the violation Quint found is found again', () => {
    const json = JSON.parse(quintText()) as { vars: string[]; states: Record<string, unknown>[] };
    json.vars = json.vars.filter((v) => v !== 'slotOf');
    for (const s of json.states) delete s.slotOf;
    const model = grantSlotsModel();
    const r = replayItf(model, json);
    expect(r.status).toBe('reproduced');
    expect(r.steps).toHaveLength(10);
    expect(findViolation(model, r.steps, 'mappedNotFree')).toEqual({ property: 'mappedNotFree', step: 9, clause: 'a mapped slot is Free' });
  });

  it('says in one line what it cannot map onto the grant model', () => {
    const model = modelOf(designByName('gntdev-2022'), configs.small!);
    const r = replayItf(model, quintText());
    expect(r).toMatchObject({ status: 'mismatch', step: 0, reason: 'unmappable' });
    expect(r.status === 'mismatch' && r.message).toMatch(/^replay: the trace cannot be replayed on this model: states\[0\]\.slotOf is a #map keyed by "A", "B"/);
    const json = JSON.parse(quintText()) as { vars: string[]; states: Record<string, unknown>[] };
    json.vars = json.vars.filter((v) => v !== 'slotOf');
    for (const s of json.states) delete s.slotOf;
    const r2 = replayItf(model, json);
    expect(r2.status === 'mismatch' && r2.message).toBe(
      "replay: the trace's variables are not the model's: the trace has st, mapped, lastMap, history, which the model does not; the model has grants, handles, procs, files, and 5 more, which the trace does not",
    );
    for (const x of [r, r2]) expect(x.status === 'mismatch' && x.message).not.toContain('\n');
  });

  it('grantcheck replay: exit 2 with one line, naming the writer when no design is given', async () => {
    const file = QUINT.pathname;
    const noDesign = await runHere(['replay', file]);
    expect(noDesign.code).toBe(2);
    expect(noDesign.stderr.trim()).toMatch(/the trace was written by grantSlots\.qnt, not grantcheck, and names no design \(#meta\.design\); give --design NAME/);
    const onGrant = await runHere(['replay', file, '--design', 'gntdev-2022', '--config', 'small']);
    expect(onGrant.code).toBe(2);
    expect(onGrant.stderr.trim().split('\n')).toHaveLength(1);
    expect(onGrant.stderr).toMatch(/states\[0\]\.slotOf is a #map keyed by "A", "B".*; grantcheck replays traces of its own model/);
  });
});

describe('every counterexample `grantcheck compare --config small` writes', () => {
  let dir = '';
  let files: string[] = [];
  beforeAll(async () => {
    dir = tempDir('grantcheck-itf-');
    const r = await runHere(['compare', '--config', 'small', '--out', dir, '--no-svg', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    files = filesUnder(dir, '.itf.json');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('there are counterexamples of many designs', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(new Set(files.map((f) => f.split('/').slice(-3, -2)[0])).size).toBeGreaterThanOrEqual(8);
  });

  it('validates against the ITF schema', () => {
    for (const f of files) expect(itfSchemaErrors(JSON.parse(readFileSync(f, 'utf8'))), f).toBeUndefined();
  });

  it('is rewritten byte for byte by the public API: toItf(fromItf(text)) = text', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const once = itfToJson(toItf(fromItf(text)));
      expect(once, f).toBe(text);
      expect(itfToJson(toItf(fromItf(once))), f).toBe(text);
    }
  });

  it('writes the constants as params, the declared sets and maps, and one picks record with every parameter', () => {
    for (const f of files) {
      const t = JSON.parse(readFileSync(f, 'utf8')) as { params: string[]; states: Record<string, any>[]; '#meta': Record<string, unknown> };
      expect(t.params, f).toEqual(Object.keys(configs.small!).filter((k) => k !== 'name'));
      expect(t['#meta'], f).toMatchObject({ config: 'small', 'grantcheck-format': 2, types: expect.objectContaining({ grants: 'map', handles: 'set' }) });
      expect(t['#meta'].configConstants, f).toBeUndefined();
      const s0 = t.states[0]!;
      expect(s0.refs, f).toEqual({ '#bigint': '2' });
      expect(Object.keys(s0.grants)).toEqual(['#map']);
      expect(Object.keys(s0.handles)).toEqual(['#set']);
      for (const s of t.states) {
        expect(Object.keys(s['mbt::nondetPicks']), f).toEqual(grantActionParameters);
        for (const p of Object.values(s['mbt::nondetPicks']) as { tag: string }[]) expect(['Some', 'None']).toContain(p.tag);
      }
    }
  });

  it('keeps everything replay needs: the params rebuild the configuration, and the trace reproduces its violation', () => {
    for (const f of files) {
      const t = fromItf(readFileSync(f, 'utf8'));
      expect(t.unmappable, f).toBeUndefined();
      expect(configOfTrace(t), f).toEqual(configs.small);
      const r = replayItf(modelOf(designByName(t.meta.design!), configOfTrace(t)!), t);
      expect(r.status, f).toBe('reproduced');
      expect(r.status === 'reproduced' && r.violation?.property, f).toBe(t.meta.property);
    }
  });
});

describe('a trace of a configuration that has no name, rewritten through the public API', () => {
  it('still replays with grantcheck replay (its constants travel in params)', async () => {
    const out = tempDir('grantcheck-itf-');
    const r = await runHere(['check', '--design', 'early-unpin', '--config', 'tiny', '--map-counts', '1', '--property', 'INV-5', '--out', out, '--no-svg', '--quiet']);
    expect(r.code).toBe(1);
    const [file] = filesUnder(out, '.itf.json');
    const decoded = fromItf(readFileSync(file!, 'utf8'));
    expect(decoded.meta.config).toBe('tiny+map-counts=1');
    const rewritten = join(out, 'rewritten.itf.json');
    writeFileSync(rewritten, itfToJson(toItf(decoded)));
    const replay = await runHere(['replay', rewritten]);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^Reproduced on early-unpin on tiny\+map-counts=1: INV-5/);
    // constants that are not a configuration: one line, exit 2, naming the constant
    const json = JSON.parse(readFileSync(rewritten, 'utf8')) as { states: Record<string, unknown>[] };
    json.states[0]!.refs = 'two';
    writeFileSync(rewritten, JSON.stringify(json));
    const bad = await runHere(['replay', rewritten]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`grantcheck replay: the trace's params: refs is "two"; give --config\n`);
    rmSync(out, { recursive: true, force: true });
  });
});
