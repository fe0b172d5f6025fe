// Why these tests? The checker trusts the model's contract: guards decide, a disabled action
// changes nothing, the same path always gives the same states, and states stay well typed. BFS
// only exercises the small configurations; these model-based tests (fast-check commands) drive
// random action sequences on several designs and configurations, large ones included, and check
// the contract at every step.
import fc from 'fast-check';
import { produce, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { configByName, designByName, modelOf } from '../../catalog.js';
import { fingerprint, replayPath, type AlwaysProperty, type GuardedModel } from '../../explorer/index.js';
import { formatAction, type Action, type State } from '../../model/index.js';

/** The commands' model: the state reached, and how (the path and every state on it). */
interface Walked {
  state: State;
  readonly path: number[];
  readonly states: State[];
}

/** Takes an enabled action and checks everything the contract says about it. */
function takeEnabled(model: GuardedModel<State, Action>, typeOk: AlwaysProperty<State>, w: Walked, ai: number, action: Action): void {
  const before = fingerprint(w.state);
  const next = model.nextState(w.state, action);
  expect(next, `${formatAction(action)} is enabled (whyDisabled says so) but nextState is undefined`).toBeDefined();
  const rule = model.rule(action);
  expect(rule.guard(w.state, action)).toBe(true);
  // The rule's guard and recipe, applied by hand, give the same state as nextState.
  const byHand = produce(w.state, (d: Draft<State>) => {
    rule.effect(d, action);
  });
  expect(fingerprint(byHand)).toBe(fingerprint(next));
  expect(fingerprint(w.state)).toBe(before);
  expect(typeOk.holds(next!), `TypeOK after ${formatAction(action)}`).toBe(true);
  w.state = next!;
  w.path.push(ai);
  w.states.push(next!);
}

/** Picks the n-th enabled action (modulo): random sequences that go deep. */
class TakeEnabled implements fc.Command<Walked, null> {
  constructor(
    private readonly model: GuardedModel<State, Action>,
    private readonly typeOk: AlwaysProperty<State>,
    private readonly n: number,
  ) {}
  check(w: Readonly<Walked>): boolean {
    return this.model.actions(w.state).some((a) => this.model.whyDisabled(w.state, a) === undefined);
  }
  run(w: Walked): void {
    const acts = this.model.actions(w.state);
    const enabled = acts.flatMap((a, i) => (this.model.whyDisabled(w.state, a) === undefined ? [i] : []));
    const ai = enabled[this.n % enabled.length]!;
    takeEnabled(this.model, this.typeOk, w, ai, acts[ai]!);
  }
  toString(): string {
    return `enabled#${this.n}`;
  }
}

/** Tries the n-th candidate action (modulo), enabled or not: a disabled one must change nothing. */
class TryCandidate implements fc.Command<Walked, null> {
  constructor(
    private readonly model: GuardedModel<State, Action>,
    private readonly typeOk: AlwaysProperty<State>,
    private readonly n: number,
  ) {}
  check(w: Readonly<Walked>): boolean {
    return this.model.actions(w.state).length > 0;
  }
  run(w: Walked): void {
    const acts = this.model.actions(w.state);
    const ai = this.n % acts.length;
    const action = acts[ai]!;
    const why = this.model.whyDisabled(w.state, action);
    if (why === undefined) {
      takeEnabled(this.model, this.typeOk, w, ai, action);
      return;
    }
    const before = fingerprint(w.state);
    expect(typeof why === 'string' && why.length > 0, `${formatAction(action)}: a disabled action names its reason`).toBe(true);
    expect(this.model.nextState(w.state, action), `${formatAction(action)} is disabled (${why}) but nextState gives a state`).toBeUndefined();
    expect(this.model.rule(action).guard(w.state, action)).toBe(why);
    expect(fingerprint(w.state)).toBe(before);
  }
  toString(): string {
    return `candidate#${this.n}`;
  }
}

/** Designs and configurations to drive (the large ones are reached only this way and by simulate). */
const cases: readonly { readonly design: string; readonly config: string }[] = [
  { design: 'gntdev-2022', config: 'small' },
  { design: 'gntdev-2022', config: 'sim-large' },
  { design: 'gntdev-2022-hvm', config: 'twomaps' },
  { design: 'early-unpin', config: 'small' },
  { design: 'has-foreign-mappings', config: 'fork' },
  { design: 'shadow-handle-page-no-restore', config: 'sim-large' },
  { design: 'notifier-release', config: 'sim-large' },
];

describe('model-based tests of the model (fast-check commands)', () => {
  for (const { design, config } of cases) {
    it(`${design} on ${config}: TypeOK holds, disabled actions change nothing, guard+recipe agree, paths replay`, () => {
      const model = modelOf(designByName(design), configByName(config));
      const typeOk = model.properties.find((p): p is AlwaysProperty<State> => p.name === 'TypeOK' && p.kind === 'always')!;
      expect(typeOk).toBeDefined();
      const take = fc.nat().map((n) => new TakeEnabled(model, typeOk, n));
      const attempt = fc.nat().map((n) => new TryCandidate(model, typeOk, n));
      // Three takes for one attempt, so that sequences go deep.
      const commands = fc.commands([take, take, take, attempt], { maxCommands: 100, size: 'max' });
      fc.assert(
        fc.property(commands, (cmds) => {
          const init = model.initStates()[0]!;
          const walked: Walked = { state: init, path: [], states: [init] };
          fc.modelRun(() => ({ model: walked, real: null }), cmds);
          // Replaying the path through the explorer gives the same states.
          const replayed = replayPath(model, { init: 0, actions: walked.path });
          expect(replayed.map((s) => fingerprint(s.state))).toEqual(walked.states.map(fingerprint));
          expect(replayed[replayed.length - 1]!.state).toEqual(walked.state);
        }),
        { seed: 20240611, numRuns: 100 },
      );
    });
  }
});
