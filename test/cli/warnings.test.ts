// Why this test? "P may hold vacuously" is a warning about a property that holds; naming a property
// that was violated (or not checked at all) in it is wrong, and reads as if the checker doubted
// its own counterexample.
import { describe, expect, it } from 'vitest';
import { honestSimulationWarnings, honestWarnings } from '../../cli/textReport.js';
import { always, check, simulate, sometimes, type Model } from '../../explorer/index.js';
import { runHere } from './helpers.js';

/** A counter 0..4; 'small' fails at 3, 'in range' holds; the witness guarding both is never reached. */
function model(): Model<number, 'inc'> {
  return {
    initStates: () => [0],
    actions: () => ['inc'],
    nextState: (s) => (s < 4 ? s + 1 : undefined),
    isFinal: (s) => s === 4,
    properties: [always('small', (s: number) => s < 3), always('in range', (s: number) => s <= 4), always('unchecked', () => true), sometimes('reaches 99', (s: number) => s === 99, { witnessFor: ['small', 'in range', 'unchecked'] })],
  };
}

describe('vacuity warnings', () => {
  it('name only the properties that hold: never a violated one, never one not checked', () => {
    const r = check(model(), { properties: ['small', 'in range'] });
    expect(r.violations.map((v) => v.property)).toEqual(['small']);
    expect(honestWarnings(r)).toEqual(["witness 'reaches 99' was never reached; in range may hold vacuously"]);
  });

  it('say only that the witness was not reached when nothing it guards holds', () => {
    const r = check(model(), { properties: ['small'] });
    expect(honestWarnings(r)).toEqual(["witness 'reaches 99' was never reached"]);
  });

  it('in a simulation, never name the property it violated', () => {
    const r = simulate(model(), { seed: 1, runs: 5, maxSteps: 10 });
    expect(r.status).toBe('violation');
    expect(honestSimulationWarnings(r)).toEqual(["witness 'reaches 99' was never reached; in range, unchecked may hold vacuously in these runs"]);
  });

  it('on the command line: an incomplete run names no property as vacuous (none holds)', async () => {
    const r = await runHere(['check', '--design', 'gntdev-2022', '--config', 'small', '--max-states', '500', '--property', 'INV-1', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("warning: witness 'every process has exited' was never reached\n");
    expect(r.stdout).not.toContain('may hold vacuously');
  });
});
