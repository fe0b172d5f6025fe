/**
 * Swarm simulation (SPIN's swarm, over Redis): the coordinator cuts `runs` random walks into a
 * fixed number of seeded tasks, workers run each as an ordinary `simulate` (with its shrinking),
 * and the coordinator merges them: coverage and witnesses summed in task order, and of the
 * violations found the shortest (shrunk) one, the earlier task on a tie, its trace replayed here.
 *
 * Task i runs `runs_i` walks (an even share) from seed `seed + i`: the cut depends only on the seed
 * and `runs`, never on how many workers joined, so the same seed gives the same merged result.
 * The violation's seed and counterexample path are its task's, and reproduce it alone
 * (`simulate --seed S --path P`).
 */
import { ModelError } from '../errors.js';
import type { Model, SometimesProperty } from '../model.js';
import { CheckOptionError } from '../options.js';
import { decodePath, replayPath, type Step } from '../path.js';
import type { BoundHit, Deadlock, Violation } from '../result.js';
import { validateSimulateOptions, type SimulateOptions, type SimulationCoverage, type SimulationResult, type SimulationSettings, type SimulationWitness } from '../simulate/simulate.js';
import { defaultFormatAction } from '../model.js';
import { jobSourceOf } from './source.js';
import type { WorkerSource } from '../parallel/source.js';
import { isPackedModel, type PackedModel } from '../packed.js';
import type { RedisTarget } from './redis.js';
import { RunControl, TaskFailure, type RunSettings } from './run.js';
import type { Task, Walked, WalkSummary } from './wire.js';

/** Tasks a swarm is cut into (fewer when there are fewer runs). */
export const SWARM_TASKS = 16;

/** A swarm's merged result, or how it was cut off. */
export type SwarmResult<S, A> =
  | { readonly kind: 'result'; readonly result: SimulationResult<S, A>; readonly tasks: number; readonly notes: readonly string[] }
  | { readonly kind: 'stopped'; readonly boundHit: BoundHit; readonly notes: readonly string[] };

function sourceOf<S, A>(model: Model<S, A>): WorkerSource | undefined {
  if (isPackedModel(model)) return (model as unknown as PackedModel<A>).packed.worker;
  return (model as { worker?: WorkerSource }).worker;
}

/** Runs `simulate(model, options)` as a swarm over the workers that join at `target`. */
export async function simulateDistributed<S, A>(model: Model<S, A>, target: RedisTarget, options: SimulateOptions = {}, settings: RunSettings & { readonly stopSignal?: Int32Array } = {}): Promise<SwarmResult<S, A>> {
  validateSimulateOptions(
    options,
    model.properties.map((p) => p.name),
  );
  if (options.path !== undefined) throw new CheckOptionError('path replays one walk: run it without --distributed (with the seed the swarm printed)');
  const source = sourceOf(model);
  if (!source) throw new CheckOptionError('a swarm needs the model to say how a worker builds it: worker: { module, exportName, args }');
  const t0 = performance.now();
  const runs = options.runs ?? 1000;
  const seed = options.seed ?? Date.now() | 0;
  const walkOptions = {
    ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
    ...(options.weights !== undefined ? { weights: options.weights } : {}),
    ...(options.defaultWeight !== undefined ? { defaultWeight: options.defaultWeight } : {}),
    ...(options.choose !== undefined ? { choose: options.choose } : {}),
    ...(options.shrink !== undefined ? { shrink: options.shrink } : {}),
    ...(options.properties !== undefined ? { properties: options.properties } : {}),
    ...(options.checkDeadlock !== undefined ? { checkDeadlock: options.checkDeadlock } : {}),
  };
  const jobSource = jobSourceOf(source);
  const ctl = await RunControl.start(target, settings, (run, shards, heartbeatTimeoutMs) => ({
    run,
    kind: 'simulate',
    source: jobSource,
    properties: options.properties,
    useSymmetry: true,
    checkDeadlock: options.checkDeadlock ?? true,
    maxReportedDeadlocks: 0,
    shards,
    heartbeatTimeoutMs,
    simulate: walkOptions,
  }));
  const T = Math.min(SWARM_TASKS, runs);
  const tasks: Extract<Task, { type: 'walks' }>[] = [];
  for (let i = 0; i < T; i++) {
    const firstRun = Math.floor((runs * i) / T);
    tasks.push({ type: 'walks', id: ctl.taskId(), seed: (seed + i) | 0, runs: Math.floor((runs * (i + 1)) / T) - firstRun, firstRun });
  }
  let lost = false;
  let got: Map<number, Walked> | BoundHit;
  const tick = (): BoundHit | undefined => {
    const s = settings.stopSignal;
    if (s !== undefined && Atomics.load(s, 0) !== 0) return { bound: 'interrupted', limit: Atomics.load(s, 0), detail: 'interrupted during the swarm' };
    return undefined;
  };
  try {
    const early = await ctl.waitForWorkers(settings.minWorkers ?? 1, tick);
    if (early) got = early;
    else {
      await ctl.post(tasks);
      got = await ctl.gather<Walked>(new Set(tasks.map((t) => t.id)), 'during the swarm', tick);
    }
  } catch (e) {
    if (e instanceof TaskFailure) {
      await ctl.finish(false).catch(() => {});
      throw new ModelError(`a worker's simulation failed: ${e.message}`);
    }
    if (ctl.servers.lostReason === undefined) {
      await ctl.finish(false).catch(() => {});
      throw e;
    }
    lost = true;
    got = { bound: 'lost', limit: 0, detail: `lost Redis (${ctl.servers.lostReason.message}) during the swarm` };
  }
  await ctl.finish(lost).catch(() => {});
  if (!(got instanceof Map)) return { kind: 'stopped', boundHit: got, notes: ctl.notes };
  const results = tasks.map((t) => ({ task: t, r: got.get(t.id)!.result }));
  return { kind: 'result', result: merge(model, options, seed, runs, results, performance.now() - t0), tasks: T, notes: ctl.notes };
}

/** The swarm's tasks as one simulation result. */
function merge<S, A>(model: Model<S, A>, options: SimulateOptions, seed: number, runs: number, results: readonly { task: Extract<Task, { type: 'walks' }>; r: WalkSummary }[], durationMs: number): SimulationResult<S, A> {
  const coverage = new Map<string, { enabled: number; fired: number }>();
  const witnessNames = model.properties.filter((p): p is SometimesProperty<S> => p.kind === 'sometimes');
  const firstReach: (SimulationWitness | undefined)[] = witnessNames.map(() => undefined);
  const walksReaching = witnessNames.map(() => 0);
  let steps = 0;
  let walks = 0;
  let longest = 0;
  let terminal = 0;
  let zero = 0;
  let shrinks = 0;
  let best: { task: Extract<Task, { type: 'walks' }>; v: NonNullable<WalkSummary['violation']> } | undefined;
  for (const { task, r } of results) {
    steps += r.steps;
    walks += r.runs;
    longest = Math.max(longest, r.longestWalk);
    terminal += r.terminalStates;
    zero += r.zeroWeightStops;
    shrinks += r.shrinks;
    for (const c of r.coverage) {
      const e = coverage.get(c.action);
      if (e) {
        e.enabled += c.enabled;
        e.fired += c.fired;
      } else coverage.set(c.action, { enabled: c.enabled, fired: c.fired });
    }
    r.witnesses.forEach((w) => {
      const k = witnessNames.findIndex((p) => p.name === w.name);
      if (k < 0) return;
      walksReaching[k]! += w.walks;
      if (firstReach[k] === undefined && w.run !== undefined) {
        const p = witnessNames[k]!;
        firstReach[k] = { name: p.name, reached: true, witnessFor: p.witnessFor, walks: 0, run: task.firstRun + w.run, step: w.step!, path: w.path! };
      }
    });
    if (r.violation && (!best || r.violation.length < best.v.length)) best = { task, v: r.violation };
  }
  const settings: SimulationSettings = {
    runs,
    maxSteps: options.maxSteps ?? 100,
    seed,
    weights: options.weights ?? {},
    defaultWeight: options.defaultWeight ?? 1,
    choose: options.choose ?? 'kind',
    shrink: options.shrink ?? true,
  };
  const witnesses: SimulationWitness[] = witnessNames.map((p, k) => (firstReach[k] ? { ...firstReach[k]!, walks: walksReaching[k]! } : { name: p.name, reached: false, witnessFor: p.witnessFor, walks: 0 }));
  const warnings: string[] = [];
  for (const w of witnesses) {
    if (!w.reached) warnings.push(`witness '${w.name}' was never reached${w.witnessFor.length ? `; ${w.witnessFor.join(', ')} may hold vacuously in these runs` : ''}`);
  }
  for (const k of Object.keys(settings.weights)) if (!coverage.has(k)) warnings.push(`weights name the action kind '${k}', which no walk met as a candidate action (a typo?)`);
  const secs = durationMs / 1000;
  const stats = {
    runs: walks,
    steps,
    longestWalk: longest,
    terminalStates: terminal,
    zeroWeightStops: zero,
    shrinks,
    durationMs: Math.round(durationMs * 10) / 10,
    stepsPerSecond: secs > 0 ? Math.round(steps / secs) : 0,
  };
  const coverageList: SimulationCoverage[] = [...coverage.entries()].map(([action, c]) => ({ action, ...c }));
  const T = results.length;
  if (!best) {
    return {
      status: 'no-violation-found',
      seed,
      settings,
      stats,
      coverage: coverageList,
      witnesses,
      warnings,
      statement: `no violation found in ${walks} random run${walks === 1 ? '' : 's'} of at most ${settings.maxSteps} steps (a swarm of ${T} seeds from ${seed}); this is not a proof`,
    };
  }
  const v = best.v;
  const path = decodePath(v.path);
  const trace: Step<S, A>[] = replayPath(model, path);
  const violation: Violation<S, A> = { property: v.property, kind: v.kind, ...(v.clause !== undefined ? { clause: v.clause } : {}), trace, path: v.path, length: trace.length - 1 };
  const fmt = model.formatAction ? (a: A) => model.formatAction!(a) : (a: A) => defaultFormatAction(a);
  const last = trace[trace.length - 1]!.state;
  const deadlock: Deadlock<S, A> | undefined =
    v.kind === 'deadlock' ? { trace, path: v.path, length: violation.length, disabled: model.actions(last).map((a) => ({ action: fmt(a), reason: model.whyDisabled?.(last, a) ?? 'not enabled' })) } : undefined;
  const run = best.task.firstRun + v.run;
  return {
    status: 'violation',
    seed: best.task.seed,
    settings,
    stats,
    coverage: coverageList,
    witnesses,
    warnings,
    violation,
    ...(deadlock ? { deadlock } : {}),
    run,
    originalLength: v.originalLength,
    counterexamplePath: v.counterexamplePath,
    statement: `${v.property} violated in random run ${run} of ${walks} after ${v.originalLength} steps${settings.shrink ? `, shrunk to ${violation.length}` : ''} (path ${v.path}), the shortest the swarm of ${T} seeds from ${seed} found; seed ${best.task.seed} and counterexamplePath '${v.counterexamplePath}' reproduce it`,
  };
}
