/**
 * The report of `check` on the terminal (and in report.txt): what was explored and under which
 * bounds, each property's outcome, then each counterexample as a text trace whose steps say what
 * they did entity by entity in the model's kernel terms (one trace per distinct path, naming every
 * property it breaks), deadlocks, coverage, the profile, and the warnings.
 */
import { grantEntityLabels } from '../catalog.js';
import { counterexamplesOf, formatTrace, labelGrouping, type OmitPath } from '../counterexamples/index.js';
import type { CheckResult, GuardedModel, SimulationResult } from '../explorer/index.js';
import type { Action, State } from '../model/index.js';
import { formatProfile, type Profile } from './profile.js';

const int = (n: number): string => n.toLocaleString('en-US');

/**
 * The run's warnings, with each unreached witness naming only the properties that hold: a property
 * that was violated, or not checked, or left unknown by a bound cannot "hold vacuously".
 */
export function honestWarnings<S, A>(r: CheckResult<S, A>): string[] {
  const holding = new Set(r.properties.filter((p) => p.outcome === 'holds').map((p) => p.name));
  return r.warnings.map((w) => {
    const witness = r.witnesses.find((x) => !x.reached && w.startsWith(`witness '${x.name}' was never reached`));
    if (!witness) return w;
    const guarded = witness.witnessFor.filter((p) => holding.has(p));
    return `witness '${witness.name}' was never reached${guarded.length ? `; ${guarded.join(', ')} may hold vacuously` : ''}`;
  });
}

/** The same for a simulation: an unreached witness never names the property the simulation violated. */
export function honestSimulationWarnings<S, A>(r: SimulationResult<S, A>): string[] {
  const violated = r.status === 'violation' ? r.violation.property : undefined;
  return r.warnings.map((w) => {
    const witness = r.witnesses.find((x) => !x.reached && w.startsWith(`witness '${x.name}' was never reached`));
    if (!witness || violated === undefined || !witness.witnessFor.includes(violated)) return w;
    const guarded = witness.witnessFor.filter((p) => p !== violated);
    return `witness '${witness.name}' was never reached${guarded.length ? `; ${guarded.join(', ')} may hold vacuously in these runs` : ''}`;
  });
}

/** Options of `checkReportText`. */
export interface CheckReportOptions {
  readonly title: string;
  /** The model, for the traces' action names and entity labels. */
  readonly model: GuardedModel<State, Action>;
  /** Durations and rates (they differ run to run). @defaultValue true */
  readonly timing?: boolean;
  /** Per-action coverage. @defaultValue false */
  readonly coverage?: boolean;
  readonly profile?: Profile;
  /** Parts of the state the design does not have, left out of whole values. */
  readonly omit?: OmitPath;
  /** Lines under each trace's title (design, configuration). */
  readonly notes?: readonly string[];
}

/** The text report of a check. */
export function checkReportText(r: CheckResult<State, Action>, o: CheckReportOptions): string {
  const s = r.stats;
  const out: string[] = [o.title];
  out.push(
    r.status === 'ok'
      ? 'No violation: every property holds in every reachable state.'
      : r.status === 'violation'
        ? `${r.violations.length} propert${r.violations.length === 1 ? 'y' : 'ies'} violated.`
        : `Incomplete: ${r.boundHit.detail}. No violation was found before the bound; nothing is claimed beyond it.`,
  );
  const bounds = Object.entries(r.bounds).map(([k, v]) => `${k}=${v}`);
  out.push(`  ${r.exhaustive ? 'exhaustive' : 'NOT exhaustive'}; bounds: ${bounds.length ? bounds.join(', ') : 'none'}${r.status !== 'incomplete' && 'boundHit' in r && r.boundHit ? ` (hit: ${r.boundHit.bound})` : ''}`);
  out.push(`  ${int(s.distinctStates)} distinct states, ${int(s.generatedStates)} generated, depth ${s.depth}, ${int(s.terminalStates)} terminal (${int(s.deadlockStates)} deadlocked)`);
  if (o.timing ?? true) out.push(`  ${(s.durationMs / 1000).toFixed(2)} s, ${int(s.statesPerSecond)} distinct states/s, peak queue ${int(s.peakQueue)}`);
  if (s.symmetry) out.push(`  symmetry: states identified up to the model's declared renamings (${int(s.symmetry.canonicalized)} successors were renamed to their canonical form)`);
  out.push(`  fingerprint collision probability (optimistic): ${s.collisionProbability.toExponential(1)}`);
  out.push('Properties:');
  for (const p of r.properties) {
    const tag = { holds: 'holds', violated: 'VIOLATED', reached: 'reached', unreached: 'UNREACHED', unknown: 'unknown' }[p.outcome];
    const extra = p.outcome === 'violated' ? ` (counterexample of ${p.length} steps)` : p.outcome === 'reached' ? ` (depth ${p.length})` : '';
    out.push(`  ${tag.padEnd(9)} ${p.name}${extra}`);
  }
  const text = out.join('\n') + '\n';
  const more: string[] = [];
  const cxs = counterexamplesOf(r.violations);
  const grouping = labelGrouping(grantEntityLabels);
  cxs.forEach((cx, i) => {
    const title = `Counterexample ${i + 1} of ${cxs.length}: ${cx.violations.map((v) => v.property).join(', ')}`;
    more.push(formatTrace(cx.trace, { model: o.model, violations: cx.violations, grouping, initial: 'summary', title, ...(o.notes ? { notes: o.notes } : {}), ...(o.omit ? { omit: o.omit } : {}) }).trimEnd());
  });
  for (const d of r.deadlocks) {
    more.push(`Deadlock after ${d.length} steps (path ${d.path}); every action is disabled:`);
    for (const x of d.disabled) more.push(`  ${x.action}: ${x.reason}`);
  }
  if (o.coverage ?? false) {
    more.push('Coverage (transitions generated / new states found):');
    for (const c of r.coverage) more.push(`  ${c.action.padEnd(40)} ${int(c.generated).padStart(12)} ${int(c.distinct).padStart(12)}`);
  }
  if (o.profile) more.push(formatProfile(o.profile).trimEnd());
  for (const w of honestWarnings(r)) more.push(`warning: ${w}`);
  return more.length ? `${text}${more.join('\n')}\n` : text;
}
