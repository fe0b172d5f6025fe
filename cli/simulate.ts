/**
 * `grantcheck simulate`: seeded random walks over one design's model (explorer/simulate.ts), for
 * configurations too large for breadth-first search; a violation comes back shrunk, and is written
 * like any counterexample (its ITF records the seed and fast-check's path that reproduce it).
 * Finding nothing proves nothing, and the output says so.
 */
import { designSourceOf, patchChangesOf, suggest } from '../extend.js';
import { simulate, formatSimulationReport, validateSimulateOptions, type BoundHit, type GuardedModel, type SimulateOptions, type SimulationResult } from '../explorer/index.js';
import { honestSimulationWarnings } from './textReport.js';
import { ACTION_KINDS, formatAction, type Action, type Design, type ModelConfig, type State } from '../model/index.js';
import { integer, oneOf, text, UsageError, wholeNumber } from './args.js';
import { Renderer, runDir, stageCounterexamples, type StagedCounterexample } from './artifacts.js';
import { fileLines, interruptedStatus, outputOptions, resourceOptions, selectProperties, traceContext, type RunOptions } from './check.js';
import { defineCommand, EXIT } from './command.js';
import { configFrom, constantOptions, designFrom, modelFor, targetOptions, type ConfigOverrides, type TargetOptions } from './config.js';
import { simulationJson } from './json.js';
import { Staging, validateOutDir } from './outdir.js';
import { supervisedTask } from './supervised.js';
import { coordinateSwarm, distributedOptions, distributedRole, serveAsWorker, type DistributedCliOptions } from './distributed.js';

interface SimulateCliOptions extends TargetOptions, ConfigOverrides, DistributedCliOptions, Pick<RunOptions, 'property' | 'maxMemory' | 'workers' | 'json' | 'out' | 'quiet' | 'svg' | 'renderBudget'> {
  runs: number;
  maxSteps: number;
  seed: number;
  path: string;
  weights: string[];
  defaultWeight: number;
  choose: 'kind' | 'action';
  shrink: boolean;
  coverage: boolean;
}

/** `do_exit=0.2,gntdev_mmap=3` → weights by action kind. */
function parseWeights(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    for (const part of item.split(',')) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+(\.\d+)?)\s*$/.exec(part);
      if (!m) throw new UsageError(`--weights takes kind=weight pairs separated by commas, got '${part}'; e.g. --weights do_exit=0.2,gntdev_mmap=3`);
      out[m[1]!] = Number(m[2]);
    }
  }
  return out;
}

/** The action kinds of a design: the model's, and those its patch (and the patches under it) add. */
function actionKindsOf(design: Design): Set<string> {
  const kinds = new Set<string>(ACTION_KINDS);
  let d: Design | undefined = design;
  for (let depth = 0; d !== undefined && depth < 64; depth++) {
    const p = patchChangesOf(d);
    if (!p) break;
    for (const k of p.changes.rulesAdded) kinds.add(k);
    d = p.base === d ? undefined : p.base;
  }
  return kinds;
}

/** Throws a UsageError when --weights names a kind the design does not have. */
function checkWeightKinds(design: Design, weights: Readonly<Record<string, number>>): void {
  const kinds = actionKindsOf(design);
  for (const k of Object.keys(weights)) {
    if (!kinds.has(k)) throw new UsageError(`--weights names '${k}', which is not an action kind of ${design.name}${suggest(k, [...kinds])}; the kinds are ${[...kinds].join(', ')}`);
  }
}

function weight(t: string, flag: string): number {
  const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number ≥ 0, got '${t}'; e.g. ${flag} 1`);
  return n;
}

/** The simulation in the search thread (tasks.ts), under the supervisor's signals and memory budget. */
async function supervisedSimulation(model: GuardedModel<State, Action>, design: Design, config: ModelConfig, options: SimulateOptions, maxMemoryBytes: number | undefined): Promise<SimulationResult<State, Action> | { readonly ended: BoundHit }> {
  const source = designSourceOf(design);
  if (source === undefined) return simulate(model, options);
  const out = await supervisedTask<SimulationResult<State, Action>>('simulateTask', { design: source, config, options }, maxMemoryBytes !== undefined ? { maxMemoryBytes } : {});
  return out.kind === 'result' ? out.result : { ended: out.boundHit };
}

export const simulateCommand = defineCommand<SimulateCliOptions>({
  name: 'simulate',
  summary: 'seeded random walks with shrinking, past the exhaustive bound',
  usage: ['grantcheck simulate --design NAME [--config NAME] [--runs N] [--max-steps K] [--seed S] [--weights kind=w,...]'],
  description: `Runs random walks over the design's model (TLC's -simulate, Quint's run), checking every property
at every step; a violation is shrunk to a short trace (fewer steps, smaller choices) before it is
reported. The seed (printed) and --path reproduce a run exactly. Use a configuration too large for
check, such as sim-large, sim-pages or sim-smmu. No violation found is evidence, not proof.`,
  options: {
    ...targetOptions,
    runs: { argument: '<N>', description: 'random walks', parse: wholeNumber(1, Number.MAX_SAFE_INTEGER, 1000), defaultText: '1000' },
    maxSteps: { argument: '<K>', description: 'steps per walk at most', parse: wholeNumber(0, Number.MAX_SAFE_INTEGER, 100), defaultText: '100' },
    seed: { argument: '<S>', description: 'fast-check seed (32-bit integer)', parse: integer(-(2 ** 31), 2 ** 31 - 1, 42), defaultText: 'from the clock, printed' },
    path: { argument: '<P>', description: "fast-check's counterexamplePath of an earlier run (with its --seed): replay that walk only", parse: text('a replay path such as 12:0:3') },
    weights: { argument: '<kind=w,...>', description: 'weight of action kinds when a walk picks an enabled action (0 = never)', repeatable: true, parse: text('kind=weight pairs') },
    defaultWeight: { argument: '<W>', description: 'weight of the kinds --weights does not name', parse: weight, defaultText: '1' },
    choose: { argument: 'kind|action', description: 'pick a kind first, then one of its actions (kind); or among all enabled actions (action)', parse: oneOf(['kind', 'action'] as const), defaultText: 'kind' },
    shrink: { description: 'shrink a violation before reporting it', negatable: true, defaultText: 'on' },
    property: { argument: '<P>', description: 'check only P (full name, short name or unique prefix)', repeatable: true, parse: text('a property name') },
    coverage: { description: 'include per-action coverage in the report' },
    ...resourceOptions,
    workers: { ...resourceOptions.workers, description: 'search threads: the walks run in one (1 only)' },
    ...outputOptions,
    ...constantOptions,
    ...distributedOptions,
  },
  exitCodes: [
    '0  no violation found (this is not a proof)',
    '1  a property is violated (the shrunk counterexample is printed, and written with --out)',
    '2  bad input',
    '3  the walks were stopped before they were done (the memory budget; --distributed: Redis was lost): nothing is claimed for the walks not run',
    '130/143  interrupted by SIGINT/SIGTERM (the walks so far are reported; nothing is written under --out)',
  ],
  examples: ['grantcheck simulate --design early-unpin --config sim-large --runs 200 --seed 1', 'grantcheck simulate --design sync-unmap --config sim-pages --weights do_exit=0.2 --out out'],
  async run(o, _p, io) {
    const role = distributedRole(o);
    if (role === 'worker') return serveAsWorker(o, io, o.quiet ?? false);
    const design = (await designFrom(o))!;
    const config = configFrom(design, o);
    if (o.out !== undefined) validateOutDir(o.out);
    const model = modelFor(design, config, o.designFile);
    const selection = selectProperties(
      model.properties.filter((p) => p.kind !== 'sometimes').map((p) => p.name),
      o.property,
    );
    const weights = parseWeights(o.weights ?? []);
    checkWeightKinds(design, weights);
    if (o.workers !== undefined && o.workers > 1) throw new UsageError('--workers: the random walks run in one thread; give --workers 1 or leave it out');
    const options: SimulateOptions = {
      ...(o.runs !== undefined ? { runs: o.runs } : {}),
      ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.path !== undefined ? { path: o.path } : {}),
      ...(Object.keys(weights).length ? { weights } : {}),
      ...(o.defaultWeight !== undefined ? { defaultWeight: o.defaultWeight } : {}),
      ...(o.choose !== undefined ? { choose: o.choose } : {}),
      ...(o.shrink !== undefined ? { shrink: o.shrink } : {}),
      ...selection,
    };
    validateSimulateOptions(options, model.properties.map((p) => p.name));
    let stopped = interruptedStatus();
    let r;
    if (role === 'coordinator') {
      const swarm = await coordinateSwarm(model, o, options, io, o.quiet ?? false);
      if (swarm.kind === 'stopped') {
        io.err(`grantcheck simulate: incomplete: ${swarm.boundHit.detail}${swarm.notes.length ? `; ${swarm.notes.join('; ')}` : ''}\n`);
        return EXIT.incomplete;
      }
      r = swarm.notes.length ? { ...swarm.result, warnings: [...swarm.result.warnings, ...swarm.notes] } : swarm.result;
      stopped = interruptedStatus();
    } else {
      const out = await supervisedSimulation(model, design, config, options, o.maxMemory);
      stopped = interruptedStatus();
      if ('ended' in out) {
        if (o.json) io.out(`${JSON.stringify({ design: design.name, config: config.name, status: stopped?.status ?? 'incomplete', exhaustive: false, boundHit: out.ended }, null, 2)}\n`);
        else io.out(`${design.name} on ${config.name}: simulation ${stopped ? 'interrupted' : 'incomplete'}: ${out.ended.detail}. Nothing is known of its walks.\n`);
        return stopped?.code ?? EXIT.incomplete;
      }
      r = out;
    }
    const head = { design: design.name, config, ...(o.designFile !== undefined ? { designFile: o.designFile } : {}) };
    let written: StagedCounterexample[] = [];
    if (o.out !== undefined && r.status === 'violation' && !stopped) {
      const staging = new Staging(o.out);
      try {
        const dir = `${runDir(design.name, config.name)}/simulate-seed${r.seed}`;
        const ctx = { ...traceContext(design, config, o.designFile), meta: { seed: r.seed, counterexamplePath: r.counterexamplePath, runs: r.settings.runs, maxSteps: r.settings.maxSteps } };
        const cx = { path: r.violation.path, trace: r.violation.trace, violations: [{ property: r.violation.property, kind: r.violation.kind, path: r.violation.path, ...(r.violation.clause !== undefined ? { clause: r.violation.clause } : {}) }] };
        ({ written } = await stageCounterexamples(staging, dir, model, [cx], ctx, new Renderer(o.svg === false ? 0 : (o.renderBudget ?? 120) * 1000)));
        staging.write(`${dir}/report.txt`, formatSimulationReport({ ...r, warnings: honestSimulationWarnings(r) }, { title: `${design.name} on ${config.name}: simulation`, formatAction, timing: false }));
        staging.commit([dir]);
      } catch (e) {
        staging.discard();
        throw e;
      }
    }
    if (o.json) {
      const j = simulationJson(r, head, written[0]?.files ?? null);
      io.out(`${JSON.stringify({ ...j, ...(stopped ? { status: stopped.status } : {}), ...(r.stopped ? { stopped: r.stopped } : {}) }, null, 2)}\n`);
    } else {
      io.out(formatSimulationReport({ ...r, warnings: honestSimulationWarnings(r) }, { title: `${design.name} on ${config.name}: simulation`, formatAction, coverage: o.coverage ?? false }));
      const lines = fileLines(o.out ?? 'out', written);
      if (lines.length) io.out(`${lines.join('\n')}\n`);
      if (stopped) io.out(`Interrupted: ${r.stopped?.detail ?? 'by a signal'}${o.out !== undefined ? `; nothing was written under ${o.out}` : ''}.\n`);
    }
    if (stopped) return stopped.code;
    if (r.status === 'violation') return EXIT.violation;
    return r.stopped ? EXIT.incomplete : EXIT.ok;
  },
});
