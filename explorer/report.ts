/**
 * A plain-text report of a check, in TLC's manner: what was explored and under which bounds, then
 * each property's outcome, each counterexample as its actions, coverage and warnings. Timing lines
 * can be left out (`timing: false`) so that reports compare byte for byte across runs.
 */
import { defaultFormatAction } from './model.js';
import type { CheckResult } from './result.js';

/** Options of `formatReport`. */
export interface ReportOptions<A> {
  readonly title?: string;
  readonly formatAction?: (action: A) => string;
  /** Include durations and rates (they differ run to run). @defaultValue true */
  readonly timing?: boolean;
  /** Include per-action coverage. @defaultValue true */
  readonly coverage?: boolean;
}

const int = (n: number): string => n.toLocaleString('en-US');

/** Formats a check result as text. */
export function formatReport<S, A>(result: CheckResult<S, A>, options: ReportOptions<A> = {}): string {
  const fmt = options.formatAction ?? ((a: A) => defaultFormatAction(a));
  const timing = options.timing ?? true;
  const s = result.stats;
  const out: string[] = [];
  if (options.title) out.push(options.title);
  const verdict =
    result.status === 'ok'
      ? 'No violation: every property holds in every reachable state.'
      : result.status === 'violation'
        ? `${result.violations.length} propert${result.violations.length === 1 ? 'y' : 'ies'} violated.`
        : `Incomplete: ${result.boundHit.detail}. No violation was found before the bound; nothing is claimed beyond it.`;
  out.push(verdict);
  const bounds = Object.entries(result.bounds).map(([k, v]) => `${k}=${v}`);
  out.push(
    `  ${result.exhaustive ? 'exhaustive' : 'NOT exhaustive'}; bounds: ${bounds.length ? bounds.join(', ') : 'none'}${
      result.status !== 'incomplete' && 'boundHit' in result && result.boundHit ? ` (hit: ${result.boundHit.bound})` : ''
    }`,
  );
  out.push(
    `  ${int(s.distinctStates)} distinct states, ${int(s.generatedStates)} generated, depth ${s.depth}, ${int(s.terminalStates)} terminal (${int(
      s.deadlockStates,
    )} deadlocked)`,
  );
  if (timing) {
    out.push(`  ${(s.durationMs / 1000).toFixed(2)} s, ${int(s.statesPerSecond)} distinct states/s, peak queue ${int(s.peakQueue)}`);
  }
  if (s.symmetry) out.push(`  symmetry: states identified up to the model's declared renamings (${int(s.symmetry.canonicalized)} successors were renamed to their canonical form)`);
  out.push(`  fingerprint collision probability (optimistic): ${s.collisionProbability.toExponential(1)}`);
  out.push('Properties:');
  for (const p of result.properties) {
    const tag = { holds: 'holds', violated: 'VIOLATED', reached: 'reached', unreached: 'UNREACHED', unknown: 'unknown' }[p.outcome];
    const extra =
      p.outcome === 'violated' ? ` (counterexample of ${p.length} steps)` : p.outcome === 'reached' ? ` (depth ${p.length})` : '';
    out.push(`  ${tag.padEnd(9)} ${p.name}${extra}`);
  }
  for (const v of result.violations) {
    out.push(`Counterexample to ${v.property}${v.clause ? `: ${v.clause}` : ''} (${v.length} steps, path ${v.path}):`);
    v.trace.forEach((step, i) => out.push(`  ${String(i).padStart(3)}: ${step.action === undefined ? '<initial state>' : fmt(step.action)}`));
  }
  for (const d of result.deadlocks) {
    out.push(`Deadlock after ${d.length} steps (path ${d.path}); every action is disabled:`);
    for (const x of d.disabled) out.push(`  ${x.action}: ${x.reason}`);
  }
  if (options.coverage ?? true) {
    out.push('Coverage (transitions generated / new states found):');
    for (const c of result.coverage) out.push(`  ${c.action.padEnd(40)} ${int(c.generated).padStart(12)} ${int(c.distinct).padStart(12)}`);
  }
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
