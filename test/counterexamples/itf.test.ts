import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual, findViolation, fromItf, ItfError, itfToJson, replayItf, toItf, type Counterexample } from '../../counterexamples/index.js';
import type { Model } from '../../explorer/index.js';
import { decodeValue, encodeValue, ItfUnserializable } from '../../counterexamples/itf.js';
import { abbaLocks, counters } from '../fixtures/models.js';
import { abba, countersBad } from './fixtures.js';

describe('ITF', () => {
  it('writes vars, states with #meta.index, ITF values, and the action taken with its parameters', () => {
    const { model, cx } = abba();
    const itf = toItf(cx.trace, { model, design: 'abba', config: 'two locks', modelVersion: 'test 1', violation: cx.violations[0]! });
    expect(itf.vars).toEqual(['owner', 'pc', 'mbt::actionTaken', 'mbt::nondetPicks']);
    expect(itf['#meta']).toMatchObject({
      format: 'ITF',
      source: 'grantcheck',
      'grantcheck-format': 2,
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
      'mbt::nondetPicks': { p: { tag: 'None', value: { '#tup': [] } } },
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
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string().filter((k) => !k.startsWith('#')), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.constantFrom('map', 'set', 'tuple', 'list'), (v, kind) => {
        // deepEqual tells a key holding undefined from a missing key, and null from undefined
        expect(deepEqual(decodeValue(JSON.parse(JSON.stringify(encodeValue(v, 'v'))), 'v'), v)).toBe(true);
        // a list declared a map, a set (of distinct elements) or a tuple reads back as the same list
        if (Array.isArray(v) && (kind !== 'set' || new Set(v.map((x) => JSON.stringify(encodeValue(x, 'x')))).size === v.length)) {
          expect(deepEqual(decodeValue(JSON.parse(JSON.stringify(encodeValue(v, 'v', { root: kind }, 'root'))), 'v'), v)).toBe(true);
        }
      }),
    );
  });

  it('reads keys such as __proto__ and valueOf as plain keys, and declared types only where declared', () => {
    const state = JSON.parse('{"__proto__": [1], "valueOf": [2], "constructor": {"__proto__": 3}}') as Record<string, unknown>;
    const text = itfToJson(toItf([{ state }], { types: { valueOf: 'set' as const } }));
    expect(JSON.parse(text).states[0].valueOf).toEqual({ '#set': [{ '#bigint': '2' }] });
    const back = fromItf(text).steps[0]!.state as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'valueOf', 'constructor']);
    expect(deepEqual(back, state)).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('is byte-identical across runs (snapshot), with short lists and records kept on one line', async () => {
    const { model, cx } = abba();
    const text = itfToJson(toItf(cx.trace, { model, design: 'abba', violation: cx.violations[0]! }));
    expect(itfToJson(toItf(cx.trace, { model, design: 'abba', violation: cx.violations[0]! }))).toBe(text);
    expect(text).toContain('"owner": [{"#bigint":"-1"},{"#bigint":"-1"}]');
    await expect(text).toMatchFileSnapshot('./__snapshots__/abba.itf.json');
  });

  it('writes the declared sets, maps keyed by position, and tuples, and reads them back as lists', () => {
    const state = { byId: [{ x: 1 }, { x: 2 }], members: [3, 1], pair: ['a', 7], plain: [5], nested: [{ ids: [0, 2] }] };
    const types = { byId: 'map', members: 'set', pair: 'tuple', plain: 'list', 'nested[].ids': 'set' } as const;
    const itf = toItf([{ state }], { types });
    expect(itf.states[0]).toMatchObject({
      byId: { '#map': [[{ '#bigint': '0' }, { x: { '#bigint': '1' } }], [{ '#bigint': '1' }, { x: { '#bigint': '2' } }]] },
      members: { '#set': [{ '#bigint': '3' }, { '#bigint': '1' }] },
      pair: { '#tup': ['a', { '#bigint': '7' }] },
      plain: [{ '#bigint': '5' }],
      nested: [{ ids: { '#set': [{ '#bigint': '0' }, { '#bigint': '2' }] } }],
    });
    expect(itf['#meta'].types).toEqual({ byId: 'map', members: 'set', pair: 'tuple', 'nested[].ids': 'set' });
    const back = fromItf(itfToJson(itf));
    expect(back.steps[0]!.state).toEqual(state);
    expect(itfToJson(toItf(back))).toBe(itfToJson(itf));
    // a #map keyed by the positions in another order is the same list
    expect(decodeValue({ '#map': [[1, 'b'], [0, 'a']] }, 'v')).toEqual(['a', 'b']);
  });

  it('writes the constants as ITF params: their names in params, their values in the first state', () => {
    const { model, cx } = abba();
    const itf = toItf(cx.trace, { model, params: { locks: 2, names: ['a', 'b'], opts: { fair: false } } });
    expect(itf.params).toEqual(['locks', 'names', 'opts']);
    expect(itf.states[0]).toMatchObject({ locks: { '#bigint': '2' }, names: ['a', 'b'], opts: { fair: false } });
    expect(itf.states[1]!).not.toHaveProperty('locks');
    const back = fromItf(itfToJson(itf));
    expect(back.paramNames).toEqual(['locks', 'names', 'opts']);
    expect(back.params).toEqual({ locks: 2, names: ['a', 'b'], opts: { fair: false } });
    expect(back.steps[0]!.state).toEqual(cx.trace[0]!.state);
    expect(() => toItf(cx.trace, { params: { owner: 1 } })).toThrow(/constant 'owner' has the name of a state variable/);
    expect(() => toItf(cx.trace, { params: { 'mbt::actionTaken': 1 } })).toThrow(/constant 'mbt::actionTaken' has a name ITF reserves/);
  });

  it('gives every state the same picks record: every declared parameter, None where the action has none', () => {
    const { model, cx } = abba();
    const none = { tag: 'None', value: { '#tup': [] } };
    const itf = toItf(cx.trace, { model, parameters: ['p', 'q', 'lock'] });
    expect(itf.states.map((s) => Object.keys(s['mbt::nondetPicks'] as object))).toEqual([['p', 'q', 'lock'], ['p', 'q', 'lock'], ['p', 'q', 'lock']]);
    expect(itf.states[0]!['mbt::nondetPicks']).toEqual({ p: none, q: none, lock: none });
    expect(itf.states[1]!['mbt::nondetPicks']).toEqual({ p: { tag: 'Some', value: { '#bigint': '0' } }, q: none, lock: none });
    const back = fromItf(itfToJson(itf));
    expect(back.parameters).toEqual(['p', 'q', 'lock']);
    expect(back.steps.map((s) => s.action)).toEqual(cx.trace.map((s) => s.action));
    expect(() => toItf(cx.trace, { model, parameters: ['q'] })).toThrow(/states\[1\]: the action's parameter 'p' is not among the declared parameters \(q\); add it/);
  });

  it('rewrites a decoded trace byte for byte: meta, constants, types, picks and printed actions', () => {
    const { model, cx } = abba();
    const text = itfToJson(
      toItf(cx.trace, { model, design: 'abba', config: 'two locks', modelVersion: 'v', violation: cx.violations[0]!, params: { locks: 2 }, types: { pc: 'map' }, parameters: ['p', 'q'], meta: { seed: 7, alsoViolates: ['deadlock'] } }),
    );
    const back = fromItf(text);
    expect(back.meta).toMatchObject({ design: 'abba', config: 'two locks', seed: 7, alsoViolates: ['deadlock'], types: { pc: 'map' } });
    expect(itfToJson(toItf(back))).toBe(text); // no model: the printed actions come from the trace
    expect(itfToJson(toItf(back, { config: 'other' }))).toContain('"config": "other"');
    expect(() => toItf(cx.trace, { meta: { design: 'x' } })).toThrow(/#meta\.design is written by toItf itself/);
  });

  it('reads what the ADR allows beyond what grantcheck writes: no #meta, plain integers, a loop, unserializables, big integers, maps by other keys', () => {
    const trace = {
      vars: ['a', 'b', 'c'],
      params: ['N'],
      loop: 1,
      states: [
        { N: 3, a: 1, b: { '#unserializable': 'Int' }, c: { '#bigint': '123456789012345678901234567890' } },
        { a: 2, b: { '#map': [['x', 1]] }, c: [] },
      ],
    };
    const t = fromItf(trace);
    expect(t.meta).toEqual({ stateForm: 'record' });
    expect(t.params).toEqual({ N: 3 });
    expect(t.loop).toBe(1);
    expect(t.steps[0]!.state).toEqual({ a: 1, b: new ItfUnserializable('Int'), c: 123456789012345678901234567890n });
    expect(t.steps[1]!.state).toEqual({ a: 2, b: new Map([['x', 1]]), c: [] });
    expect(t.steps[1]!.action).toBeUndefined();
    expect(t.unmappable).toBe('states[0].b is unserializable (Int)');
    const r = replayItf(abbaLocks(), trace);
    expect(r).toMatchObject({ status: 'mismatch', reason: 'unmappable', message: 'replay: the trace cannot be replayed on this model: states[0].b is unserializable (Int)' });
    // the first thing that does not map is named, and only that
    expect(fromItf({ vars: ['a'], states: [{ a: 1 }, { a: 2 }] }).unmappable).toBe('states[1] records no action (mbt::actionTaken): replay needs the action of every step (quint run writes them with --mbt)');
    expect(fromItf({ vars: [], states: [] }).unmappable).toBe('the trace has no states');
    // a pick that is not an option is ADR-valid (picks are just a variable) but not an action grantcheck can replay
    const g = good();
    g.states[1]['mbt::nondetPicks'] = { p: 1 };
    expect(fromItf(g).unmappable).toBe('states[1].mbt::nondetPicks.p is not an option ({"tag": "Some", "value": ...} or {"tag": "None", ...}), as Quint writes a pick');
  });

  it('refuses values ITF cannot carry, naming where they are', () => {
    const step = (state: unknown) => [{ state }];
    expect(() => toItf(step({ a: 1.5 }))).toThrow(/states\[0\]\.a is 1\.5; ITF carries integers only/);
    expect(() => toItf(step({ a: { '#x': 1 } }))).toThrow(/reserves keys that start with '#'/);
    expect(() => toItf(step({ '#meta': 1 }))).toThrow(ItfError);
    expect(() => toItf(step({ a: new Uint8Array([1]) }))).toThrow(/a Uint8Array/);
    expect(() => toItf([])).toThrow(/empty/);
  });

  it('writes null and undefined as ITF unserializables and reads them back', () => {
    const state = { a: { b: null, c: undefined }, d: [undefined, null, 1] };
    const itf = toItf([{ state }]);
    expect(itf.states[0]!.a).toEqual({ b: { '#unserializable': 'null' }, c: { '#unserializable': 'undefined' } });
    const back = fromItf(itfToJson(itf));
    expect(back.unmappable).toBeUndefined();
    expect(back.steps[0]!.state).toStrictEqual(state);
  });

  const good = () => JSON.parse(itfToJson(toItf(abba().cx.trace, { model: abbaLocks() }))) as Record<string, any>;
  const malformed: [string, (t: Record<string, any>) => unknown, RegExp][] = [
    ['not JSON', () => '{"#meta": ', /not JSON/],
    ['not an object', () => [1, 2], /must be a JSON object/],
    ['#meta not an object', (t) => ({ ...t, '#meta': [1] }), /#meta must be an object/],
    ['vars not names', (t) => ({ ...t, vars: [1] }), /vars must be a list of variable names/],
    ['params not names', (t) => ({ ...t, params: 'N' }), /params must be a list of parameter names/],
    ['states not a list', (t) => ({ ...t, states: {} }), /states must be a list/],
    ['a loop beyond the states', (t) => ({ ...t, loop: 3 }), /loop must be the index of a state \(0\.\.2\)/],
    ['a newer format', (t) => ({ ...t, '#meta': { ...t['#meta'], 'grantcheck-format': 99 } }), /upgrade grantcheck/],
    ['a corrupt grantcheck field', (t) => ({ ...t, '#meta': { ...t['#meta'], path: 3 } }), /#meta\.path must be a string/],
    ['a missing variable', (t) => ({ ...t, states: [t.states[0], { ...t.states[1], owner: undefined }] }), /states\[1\] lacks variable 'owner'/],
    ['a missing action', (t) => ({ ...t, states: [t.states[0], { ...t.states[1], 'mbt::actionTaken': undefined }] }), /states\[1\] lacks variable 'mbt::actionTaken'/],
    ['a missing parameter', (t) => ({ ...t, params: ['N'] }), /states\[0\] lacks parameter 'N'/],
    ['a malformed integer', (t) => ({ ...t, states: [{ ...t.states[0], pc: [{ '#bigint': '1.5' }, 0] }] }), /states\[0\]\.pc\[0\] has a malformed #bigint/],
    ['a fraction', (t) => ({ ...t, states: [{ ...t.states[0], pc: [0.5, 0] }] }), /states\[0\]\.pc\[0\] is 0\.5; ITF integers are whole numbers/],
    ['a malformed map', (t) => ({ ...t, states: [{ ...t.states[0], pc: { '#map': [[1]] } }] }), /states\[0\]\.pc has a malformed #map/],
    ['a form ITF does not define', (t) => ({ ...t, states: [{ ...t.states[0], pc: { '#list': [] } }] }), /is a #list value, which ITF does not define/],
    ['a form with another key', (t) => ({ ...t, states: [{ ...t.states[0], pc: { '#set': [], x: 1 } }] }), /has #set beside other keys/],
    ['a null', (t) => ({ ...t, states: [{ ...t.states[0], pc: null }] }), /states\[0\]\.pc is null; ITF has no such value/],
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
