import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findViolation, fromItf, ItfError, itfToJson, replayItf, toItf, type Counterexample } from '../../counterexamples/index.js';
import type { Model } from '../../explorer/index.js';
import { decodeValue, encodeValue } from '../../counterexamples/itf.js';
import { abbaLocks, counters } from '../../explorer/fixtures.js';
import { abba, countersBad } from './fixtures.js';

describe('ITF', () => {
  it('writes vars, states with #meta.index, ITF values, and the action taken with its parameters', () => {
    const { model, cx } = abba();
    const itf = toItf(cx.trace, { model, design: 'abba', config: 'two locks', modelVersion: 'test 1', violation: cx.violations[0]! });
    expect(itf.vars).toEqual(['owner', 'pc', 'mbt::actionTaken', 'mbt::nondetPicks']);
    expect(itf['#meta']).toMatchObject({
      format: 'ITF',
      source: 'grantcheck',
      'grantcheck-format': 1,
      design: 'abba',
      config: 'two locks',
      modelVersion: 'test 1',
      property: 'everyone done',
      kind: 'atQuiescence',
      clause: 'stuck at pcs 1,1',
      path: '0/0/3',
      length: 2,
    });
    expect(itf.states[0]).toEqual({
      '#meta': { index: 0 },
      owner: [{ '#bigint': '-1' }, { '#bigint': '-1' }],
      pc: [{ '#bigint': '0' }, { '#bigint': '0' }],
      'mbt::actionTaken': 'init',
      'mbt::nondetPicks': {},
    });
    expect(itf.states[2]!['#meta']).toEqual({ index: 2, action: 'lock_first(p=1)' });
    expect(itf.states[2]!['mbt::actionTaken']).toBe('lock_first');
    expect(itf.states[2]!['mbt::nondetPicks']).toEqual({ p: { tag: 'Some', value: { '#bigint': '1' } } });
  });

  it('reads back exactly the states and actions it wrote (record states and actions; array states, number actions)', () => {
    const roundTrip = <S, A>({ model, cx }: { model: Model<S, A>; cx: Counterexample<S, A> }) => {
      const text = itfToJson(toItf(cx.trace, { model, violation: cx.violations[0]! }));
      const back = fromItf(text);
      expect(back.steps.map((s) => s.state)).toEqual(cx.trace.map((s) => s.state));
      expect(back.steps.map((s) => s.action)).toEqual(cx.trace.map((s) => s.action));
      expect(back.meta.property).toBe(cx.violations[0]!.property);
    };
    roundTrip(abba());
    roundTrip(countersBad());
    const c = countersBad();
    const itf = toItf(c.cx.trace, { model: c.model });
    expect(itf.vars).toEqual(['state', 'mbt::actionTaken', 'mbt::nondetPicks']);
    expect(itf.states[1]).toMatchObject({ '#meta': { index: 1, action: 'inc(0)', actionForm: 'value' }, 'mbt::actionTaken': 'inc(0)' });
  });

  it('round-trips any plain value ITF can carry (property)', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.maxSafeInteger(),
        fc.string(),
        fc.boolean(),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string().filter((k) => !k.startsWith('#') && k !== '__proto__'), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeValue(JSON.parse(JSON.stringify(encodeValue(v, 'v'))), 'v')).toEqual(v);
      }),
    );
  });

  it('is byte-identical across runs (snapshot), with short lists and records kept on one line', async () => {
    const { model, cx } = abba();
    const text = itfToJson(toItf(cx.trace, { model, design: 'abba', violation: cx.violations[0]! }));
    expect(itfToJson(toItf(cx.trace, { model, design: 'abba', violation: cx.violations[0]! }))).toBe(text);
    expect(text).toContain('"owner": [{"#bigint":"-1"},{"#bigint":"-1"}]');
    await expect(text).toMatchFileSnapshot('./__snapshots__/abba.itf.json');
  });

  it('refuses values ITF cannot carry, naming where they are', () => {
    const step = (state: unknown) => [{ state }];
    expect(() => toItf(step({ a: { b: null } }))).toThrow(/states\[0\]\.a\.b is null/);
    expect(() => toItf(step({ a: 1.5 }))).toThrow(/states\[0\]\.a is 1\.5; ITF carries integers only/);
    expect(() => toItf(step({ a: { '#x': 1 } }))).toThrow(/reserves keys that start with '#'/);
    expect(() => toItf(step({ '#meta': 1 }))).toThrow(ItfError);
    expect(() => toItf(step({ a: new Uint8Array([1]) }))).toThrow(/a Uint8Array/);
    expect(() => toItf([])).toThrow(/empty/);
  });

  const good = () => JSON.parse(itfToJson(toItf(abba().cx.trace, { model: abbaLocks() }))) as Record<string, any>;
  const malformed: [string, (t: Record<string, any>) => unknown, RegExp][] = [
    ['not JSON', () => '{"#meta": ', /not JSON/],
    ['not an object', () => [1, 2], /must be a JSON object/],
    ['no #meta', (t) => ({ ...t, '#meta': undefined }), /#meta is missing/],
    ['another tool', (t) => ({ ...t, '#meta': { ...t['#meta'], source: 'quint' } }), /only traces written by grantcheck/],
    ['a newer format', (t) => ({ ...t, '#meta': { ...t['#meta'], 'grantcheck-format': 99 } }), /upgrade grantcheck/],
    ['no states', (t) => ({ ...t, states: [] }), /non-empty list/],
    ['a state index out of order', (t) => ({ ...t, states: [t.states[1], t.states[0]] }), /states\[0\]\.#meta\.index must be 0/],
    ['a missing variable', (t) => ({ ...t, states: [t.states[0], { ...t.states[1], owner: undefined }] }), /states\[1\] lacks variable 'owner'/],
    ['a missing action', (t) => ({ ...t, states: [t.states[0], { ...t.states[1], 'mbt::actionTaken': undefined }] }), /has no mbt::actionTaken/],
    ['a malformed integer', (t) => ({ ...t, states: [{ ...t.states[0], pc: [{ '#bigint': '1.5' }, 0] }] }), /states\[0\]\.pc\[0\] has a malformed #bigint/],
    ['a map value', (t) => ({ ...t, states: [{ ...t.states[0], pc: { '#map': [] } }] }), /is a #map value/],
    ['a null', (t) => ({ ...t, states: [{ ...t.states[0], pc: null }] }), /states\[0\]\.pc is null/],
    ['a pick that is not an option', (t) => ({ ...t, states: [t.states[0], { ...t.states[1], 'mbt::nondetPicks': { p: 1 } }] }), /must be \{"tag": "Some"/],
  ];
  for (const [what, mutate, message] of malformed) {
    it(`refuses a malformed trace with one line: ${what}`, () => {
      const input = mutate(good());
      const parsed = typeof input === 'string' ? input : JSON.parse(JSON.stringify(input));
      let err: unknown;
      try {
        fromItf(parsed);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ItfError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});

describe('replayItf', () => {
  const recorded = () => {
    const { model, cx } = abba();
    return { model, json: JSON.parse(itfToJson(toItf(cx.trace, { model, violation: cx.violations[0]! }))) as Record<string, any> };
  };

  it('reproduces a trace: every state matches and the property fails where it did', () => {
    const { model, json } = recorded();
    const r = replayItf(model, json);
    expect(r.status).toBe('reproduced');
    if (r.status !== 'reproduced') return;
    expect(r.violation).toEqual({ property: 'everyone done', step: 2, clause: 'stuck at pcs 1,1' });
    expect(r.path).toBe('0/0/3');
    expect(replayItf(model, JSON.stringify(json)).status).toBe('reproduced'); // text works too
  });

  it('reports the first state that differs, with its step, action and paths', () => {
    const { model, json } = recorded();
    json.states[1].pc = [{ '#bigint': '2' }, { '#bigint': '0' }];
    json.states[2].pc = [{ '#bigint': '9' }, { '#bigint': '9' }];
    const r = replayItf(model, json);
    expect(r.status).toBe('mismatch');
    if (r.status !== 'mismatch') return;
    expect(r.step).toBe(1);
    expect(r.reason).toBe('state');
    expect(r.action).toBe('lock_first(p=0)');
    expect(r.message).toBe("replay: step 1: after lock_first(p=0) the model's state differs from the trace's at 1 path (trace → model): pc[0]");
    expect(r.details).toEqual(['pc[0]: 2 → 1']);
    expect(r.steps).toHaveLength(1);
    expect(replayItf(model, json, { states: 'ignore' }).status).toBe('reproduced');
  });

  it('reports an action the model does not have, and one that is not enabled', () => {
    const { model, json } = recorded();
    const unknown = structuredClone(json);
    unknown.states[1]['mbt::nondetPicks'] = { p: { tag: 'Some', value: { '#bigint': '7' } } };
    unknown.states[1]['#meta'].action = 'lock_first(p=7)';
    expect(replayItf(model, unknown)).toMatchObject({ status: 'mismatch', step: 1, reason: 'no-such-action', action: 'lock_first(p=7)' });
    const disabled = structuredClone(json);
    disabled.states[1]['mbt::actionTaken'] = 'unlock_all';
    disabled.states[1]['#meta'].action = 'unlock_all(p=0)';
    const r = replayItf(model, disabled);
    expect(r).toMatchObject({ status: 'mismatch', step: 1, reason: 'not-enabled' });
    expect(r.status === 'mismatch' && r.message).toBe('replay: step 1: unlock_all(p=0) is not enabled: process 0 does not hold both locks');
  });

  it('reports an initial state the model does not start from', () => {
    const { model, json } = recorded();
    json.states[0].owner = [{ '#bigint': '0' }, { '#bigint': '-1' }];
    expect(replayItf(model, json)).toMatchObject({ status: 'mismatch', step: 0, reason: 'initial-state', details: ['owner[0]: 0 → -1'] });
  });

  it('says so when the trace replays but the property no longer fails, or is unknown', () => {
    const { cx } = countersBad();
    const json = toItf(cx.trace, { violation: cx.violations[0]! });
    const fixed = counters(2, 2); // no planted bad state
    expect(replayItf(fixed, json)).toMatchObject({ status: 'not-reproduced', message: expect.stringContaining("no property 'no bad state'") });
    const other = counters(2, 2, { bad: (s) => s[0] === 2 && s[1] === 2 });
    expect(replayItf(other, json)).toMatchObject({ status: 'not-reproduced', message: expect.stringContaining('no bad state holds along the whole trace') });
  });

  it('throws ItfError for a malformed file (the CLI maps it to exit 2)', () => {
    expect(() => replayItf(abbaLocks(), '{')).toThrow(ItfError);
  });
});

describe('findViolation', () => {
  it('checks each kind of property along a trace', () => {
    const { model, cx } = abba();
    expect(findViolation(model, cx.trace, 'mutual exclusion')).toBeUndefined();
    expect(findViolation(model, cx.trace, 'everyone done')).toEqual({ property: 'everyone done', step: 2, clause: 'stuck at pcs 1,1' });
    expect(findViolation(model, cx.trace, 'deadlock')).toEqual({ property: 'deadlock', step: 2 });
    expect(findViolation(model, cx.trace.slice(0, 2), 'deadlock')).toBeUndefined();
    expect(() => findViolation(model, cx.trace, 'a process finishes')).toThrow(/witness/);
    expect(() => findViolation(model, cx.trace, 'nope')).toThrow(/no property 'nope'/);
  });
});
