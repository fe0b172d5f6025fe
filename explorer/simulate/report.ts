/**
 * A plain-text report of a simulation, in the manner of `formatReport`: the statement first (for
 * no violation, that it is not a proof), the budget and counters, the witnesses, the shrunk
 * counterexample with how to reproduce it, per-action coverage and warnings. Timing lines can be
 * left out (`timing: false`) so that reports compare byte for byte across runs.
 */
import { defaultFormatAction } from '../model.js';
import type { SimulationResult } from './simulate.js';

/** Options of `formatSimulationReport`. */
export interface SimulationReportOptions<A> {
  readonly title?: string;
  readonly formatAction?: (action: A) => string;
  /** Include the duration and the rate (they differ run to run). @defaultValue true */
  readonly timing?: boolean;
  /** Include per-action coverage. @defaultValue true */
  readonly coverage?: boolean;
}

const int = (n: number): string => n.toLocaleString('en-US');

/** Formats a simulation result as text. */
export function formatSimulationReport<S, A>(result: SimulationResult<S, A>, options: SimulationReportOptions<A> = {}): string {
  const fmt = options.formatAction ?? ((a: A) => defaultFormatAction(a));
  const { stats, settings } = result;
  const out: string[] = [];
  if (options.title) out.push(options.title);
  out.push(result.status === 'violation' ? `Violation: ${result.statement}.` : `Simulation: ${result.statement}.`);
  const weights = Object.entries(settings.weights).map(([k, w]) => `${k}=${w}`);
  out.push(
    `  seed ${result.seed}; ${int(settings.runs)} runs of at most ${settings.maxSteps} steps; choose by ${settings.choose}; weights: ${
      weights.length ? `${weights.join(', ')} (others ${settings.defaultWeight})` : `all ${settings.defaultWeight}`
    }`,
  );
  out.push(
    `  ${int(stats.runs)} walks, ${int(stats.steps)} steps, longest walk ${stats.longestWalk}; ${int(stats.terminalStates)} ended with nothing enabled, ${int(
      stats.zeroWeightStops,
    )} with only weight-0 actions enabled`,
  );
  if (options.timing ?? true) out.push(`  ${(stats.durationMs / 1000).toFixed(2)} s, ${int(stats.stepsPerSecond)} steps/s`);
  out.push('Witnesses:');
  for (const w of result.witnesses) {
    out.push(
      w.reached
        ? `  reached   ${w.name} (first in run ${w.run} at step ${w.step}, path ${w.path}; in ${int(w.walks)} walks)`
        : `  UNREACHED ${w.name}`,
    );
  }
  if (result.status === 'violation') {
    const v = result.violation;
    out.push(
      `Counterexample to ${v.property}${v.clause ? `: ${v.clause}` : ''} (${v.length} steps, path ${v.path}; found in run ${result.run} after ${
        result.originalLength
      } steps, ${int(stats.shrinks)} shrink runs):`,
    );
    v.trace.forEach((step, i) => out.push(`  ${String(i).padStart(3)}: ${step.action === undefined ? '<initial state>' : fmt(step.action)}`));
    if (result.deadlock) {
      out.push('  every action is disabled there:');
      for (const x of result.deadlock.disabled) out.push(`    ${x.action}: ${x.reason}`);
    }
    out.push(`Reproduce: seed ${result.seed}, path '${result.counterexamplePath}' (fast-check's counterexamplePath); replay the trace alone with path ${v.path}`);
  }
  if (options.coverage ?? true) {
    out.push('Coverage (steps at which enabled / times taken):');
    for (const c of result.coverage) out.push(`  ${c.action.padEnd(40)} ${int(c.enabled).padStart(10)} ${int(c.fired).padStart(10)}`);
  }
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
