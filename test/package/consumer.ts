// Type-checked by `npm test` (tsc): a TypeScript user of the published package, resolved through
// package.json's "exports" to the built declarations.
import { always, atQuiescence, check, simulate, sometimes, type CheckResult, type Model, type SimulationResult } from 'grantcheck';

const model: Model<number, 'inc'> = {
  initStates: () => [0],
  actions: () => ['inc'],
  nextState: (s) => (s < 3 ? s + 1 : undefined),
  isFinal: (s) => s === 3,
  properties: [always('small', (s: number) => s <= 3), sometimes('three', (s: number) => s === 3), atQuiescence('done', (s: number) => s === 3)],
};
const result: CheckResult<number, 'inc'> = check(model);
export const distinct: number = result.stats.distinctStates;
const simulated: SimulationResult<number, 'inc'> = simulate(model, { seed: 1, runs: 10, maxSteps: 5, weights: { inc: 2 } });
export const seed: number = simulated.seed;
export const proved: string = simulated.status === 'violation' ? simulated.violation.path : simulated.statement;
