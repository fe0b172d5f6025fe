/**
 * `--json`: one JSON object per run, with the field names issue 8 fixes (design, config, status,
 * exhaustive, stats { distinctStates, generatedStates, depth, durationMs }, violations [{ property,
 * length, trace [{ action, params }], files { dot, svg, itf } }], witnesses [{ name, reached, depth }],
 * coverage { [action]: { generated, distinct } }) and more fields besides.
 */
import type { CheckResult, Deadlock, SimulationResult, Step } from '../explorer/index.js';
import { formatAction, type Action, type ModelConfig, type State } from '../model/index.js';
import type { WrittenFiles } from './artifacts.js';
import { profileJson, type Profile } from './profile.js';
import { honestSimulationWarnings, honestWarnings } from './textReport.js';

/** One step of a trace: the action's kind and parameters, and how it prints. */
export interface JsonStep {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly text: string;
}

/** The steps of a trace after its initial state. */
export function jsonTrace(trace: readonly Step<State, Action>[]): JsonStep[] {
  return trace.slice(1).map((s) => {
    const { kind, ...params } = s.action as Action & Record<string, unknown>;
    return { action: kind, params, text: formatAction(s.action!) };
  });
}

/**
 * The clause of a deadlock violation (the explorer names none: a deadlock is no property's
 * verdict): which processes of the last state have not exited, and what stops the first of them,
 * a wait if one of its actions would block, else its first disabled action, from the deadlock
 * report of the same state.
 */
export function deadlockClause(trace: readonly Step<State, Action>[], report: Pick<Deadlock<State, Action>, 'disabled'> | undefined): string {
  const last = trace[trace.length - 1]!.state;
  const stuck = last.procs.flatMap((p, i) => (p.state === 'unused' || p.state === 'dead' ? [] : [i]));
  const theirs = (report?.disabled ?? []).filter((x) => stuck.some((p) => x.action.includes(`(p=${p}`)));
  const pick = theirs.find((x) => /\bwaits?\b/.test(x.reason)) ?? theirs[0];
  const who = stuck.length === 0 ? 'no action is enabled in a state that is not final' : `no action is enabled while process${stuck.length > 1 ? 'es' : ''} ${stuck.join(', ')} ${stuck.length > 1 ? 'have' : 'has'} not exited`;
  return pick ? `${who}: ${pick.action}: ${pick.reason}` : who;
}

/** What the run was about. */
export interface JsonHead {
  readonly design: string;
  readonly designFile?: string;
  readonly config: ModelConfig;
}

/** The JSON object of a check. `timing: false` leaves out durations and rates (files that are compared byte for byte). */
export function checkJson(r: CheckResult<State, Action>, head: JsonHead, files: (property: string) => WrittenFiles | null, timing = true, profile?: Profile): Record<string, unknown> {
  const { durationMs, statesPerSecond, generatedPerSecond, ...untimed } = r.stats;
  return {
    design: head.design,
    ...(head.designFile !== undefined ? { designFile: head.designFile } : {}),
    config: head.config.name,
    status: r.status,
    exhaustive: r.exhaustive,
    stats: timing ? { ...untimed, durationMs, statesPerSecond, generatedPerSecond } : untimed,
    bounds: r.bounds,
    ...('boundHit' in r && r.boundHit ? { boundHit: r.boundHit } : {}),
    properties: r.properties.map((p) => ({ name: p.name, kind: p.kind, outcome: p.outcome, ...(p.length !== undefined ? { length: p.length } : {}) })),
    violations: r.violations.map((v) => ({
      property: v.property,
      kind: v.kind,
      ...(v.clause !== undefined ? { clause: v.clause } : v.kind === 'deadlock' ? { clause: deadlockClause(v.trace, r.deadlocks.find((d) => d.path === v.path)) } : {}),
      length: v.length,
      path: v.path,
      trace: jsonTrace(v.trace),
      files: files(v.property),
    })),
    deadlocks: r.deadlocks.map((d) => ({ length: d.length, path: d.path, trace: jsonTrace(d.trace), disabled: d.disabled })),
    witnesses: r.witnesses.map((w) => ({ name: w.name, reached: w.reached, ...(w.depth !== undefined ? { depth: w.depth } : {}), ...(w.path !== undefined ? { path: w.path } : {}), witnessFor: w.witnessFor })),
    coverage: Object.fromEntries(r.coverage.map((c) => [c.action, { generated: c.generated, distinct: c.distinct }])),
    ...(profile ? { profile: profileJson(profile) } : {}),
    warnings: honestWarnings(r),
    constants: head.config,
  };
}

/** The JSON object of a simulation. */
export function simulationJson(r: SimulationResult<State, Action>, head: JsonHead, files: WrittenFiles | null): Record<string, unknown> {
  return {
    design: head.design,
    ...(head.designFile !== undefined ? { designFile: head.designFile } : {}),
    config: head.config.name,
    status: r.status,
    exhaustive: false,
    seed: r.seed,
    statement: r.statement,
    settings: r.settings,
    stats: r.stats,
    violations:
      r.status === 'violation'
        ? [
            {
              property: r.violation.property,
              kind: r.violation.kind,
              ...(r.violation.clause !== undefined
                ? { clause: r.violation.clause }
                : r.violation.kind === 'deadlock'
                  ? { clause: deadlockClause(r.violation.trace, r.deadlock) }
                  : {}),
              length: r.violation.length,
              path: r.violation.path,
              trace: jsonTrace(r.violation.trace),
              files,
              run: r.run,
              originalLength: r.originalLength,
              counterexamplePath: r.counterexamplePath,
            },
          ]
        : [],
    witnesses: r.witnesses.map((w) => ({ name: w.name, reached: w.reached, ...(w.step !== undefined ? { depth: w.step, run: w.run, path: w.path } : {}), walks: w.walks })),
    coverage: Object.fromEntries(r.coverage.map((c) => [c.action, { enabled: c.enabled, fired: c.fired }])),
    warnings: honestSimulationWarnings(r),
    constants: head.config,
  };
}
