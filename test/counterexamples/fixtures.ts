/**
 * Traces the counterexample tests draw, replay and print: the explorer's fixtures (two locks taken
 * in opposite orders; counters with a planted bad state) and the grant model's regression cases.
 */
import { configByName, designByName, grantEntityLabels, modelOf } from '../../catalog.js';
import { counterexamplesOf, labelGrouping, type Counterexample } from '../../counterexamples/index.js';
import { abbaLocks, counters } from '../fixtures/models.js';
import { check, type Model } from '../../explorer/index.js';

/** The first counterexample of a model (every property violated on that trace). */
export function firstCounterexample<S, A>(model: Model<S, A>): Counterexample<S, A> {
  const r = check(model);
  const cx = counterexamplesOf(r.violations)[0];
  if (!cx) throw new Error('fixture: the model has no counterexample');
  return cx;
}

/** ABBA locks: a deadlock after two steps ('everyone done' at quiescence, and 'deadlock'). */
export function abba() {
  const model = abbaLocks();
  return { model, cx: firstCounterexample(model) };
}

/** Two counters to 2; the state [2, 1] is bad: a three-step trace of non-record states and actions. */
export function countersBad() {
  const model = counters(2, 2, { bad: (s) => s[0] === 2 && s[1] === 1 });
  return { model, cx: firstCounterexample(model) };
}

/** The grant model's entity names. */
export const grantGrouping = labelGrouping(grantEntityLabels);

/**
 * A regression case of domain/regressions.md: the design that shows the bug, the configuration,
 * the properties its shortest counterexample violates, and a design that fixes it.
 */
export interface RegressionCase {
  readonly id: number;
  readonly design: string;
  readonly config: string;
  /** Violated on the case's trace (the first is the one drawn, written and replayed). */
  readonly properties: readonly string[];
  /** A design on which the same actions no longer break the first property. */
  readonly fixedBy: string;
}

/** The cases whose counterexamples must draw, render, write and replay. */
export const regressionCases: readonly RegressionCase[] = [
  {
    id: 17,
    design: 'early-unpin',
    config: 'small',
    properties: ['INV-5 grant PTEs only in pinned L1s', 'INV-1 no implicit unmap'],
    fixedBy: 'has-foreign-mappings',
  },
  {
    id: 1,
    design: 'gntdev-2019',
    config: 'tiny',
    properties: ['INV-1 no implicit unmap'],
    fixedBy: 'gntdev-2022',
  },
  {
    id: 8,
    design: 'gntdev-2.6.38',
    config: 'tiny',
    properties: ['no use of a freed map or page'],
    fixedBy: 'gntdev-2011',
  },
];

/** The model of a case and the counterexample to its first property (with every property failing on the same trace). */
export function caseTrace(c: RegressionCase) {
  const model = modelOf(designByName(c.design), configByName(c.config));
  const result = check(model);
  const cx = counterexamplesOf(result.violations).find((x) => x.violations.some((v) => v.property === c.properties[0]));
  if (!cx) throw new Error(`case ${c.id}: ${c.design} on ${c.config} does not violate ${c.properties[0]}`);
  return { model, cx };
}
