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

// The test helpers, through the "./vitest" export, and a design of one's own.
import { expectDesign, type DesignExpectation } from 'grantcheck/vitest';
import { defineDesign, EXIT_MMAP_STEPS, type Design } from 'grantcheck';

const mine: Design = defineDesign({ base: 'gntdev-2022', name: 'consumer-patch', summary: 'unpin first', points: { exitSteps: ['arch_exit_mmap', ...EXIT_MMAP_STEPS.filter((s) => s !== 'arch_exit_mmap')] } });
export const expectation: () => DesignExpectation = () => expectDesign(mine, { config: 'tiny' });
