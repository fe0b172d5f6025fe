/**
 * `grantcheck check`: one design (built-in or a design file) on one configuration, exhaustively
 * within the bounds given. Prints the report (or one JSON object): each counterexample as a text
 * trace in the model's terms, and with --profile where the states come from. Writes under --out
 * each counterexample's files and the run's report.html (the compare report for this one run, with
 * the trace viewer), and exits 0 (all hold), 1 (violation), 3 (a bound was hit first).
 */
import { modelOf, reachOf, resolveProperty, sameReach, sameTransitions, type Reach } from '../catalog.js';
import { behaviourChanges, describePatch, designSourceOf, patchChangesOf } from '../extend.js';
import { counterexamplesOf } from '../counterexamples/index.js';
import type { CheckOptions, CheckResult } from '../explorer/index.js';
import type { Action, Design, ModelConfig, State } from '../model/index.js';
import type { Profile } from './profile.js';
import { seconds, text, UsageError, wholeNumber, type OptionTable } from './args.js';
import { omitOf, packageVersion, Renderer, runDir, stageCounterexamples, type StagedCounterexample, type WrittenFiles } from './artifacts.js';
import { CHECK_EXIT_CODES, defineCommand, EXIT, type Io } from './command.js';
import { configFrom, constantOptions, designFrom, modelFor, targetOptions, type ConfigOverrides, type TargetOptions } from './config.js';
import { recordedStates } from './expected.js';
import { checkJson } from './json.js';
import { Staging, validateOutDir } from './outdir.js';
import { progress } from './progress.js';
import { SIGNAL_EXIT } from './signals.js';
import { interrupted, supervisedCheck, supervisedTask } from './supervised.js';
import { reportHtml } from './report.js';
import { cellsOf, columnsOf } from './table.js';
import { checkReportText } from './textReport.js';
import { shortNameOf } from '../catalog.js';
import { coordinateCheck, distributedOptions, distributedRole, serveAsWorker, type DistributedCliOptions } from './distributed.js';

/** Bounds, output and property selection shared by check-like commands. */
export interface RunOptions {
  property: string[];
  maxStates: number;
  maxDepth: number;
  timeLimit: number;
  json: boolean;
  out: string;
  quiet: boolean;
  svg: boolean;
  renderBudget: number;
  coverage: boolean;
  profile: boolean;
  maxMemory: number;
  workers: number;
  symmetry: boolean;
}

/** `8g`, `512m`, `4GiB`, `1000000000` → bytes (at least 64 MiB: less cannot even start a search thread). */
export function memorySize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(text.trim());
  const unit = m ? { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'] : NaN;
  const n = m ? Math.round(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(n) || n < 64 * 2 ** 20) throw new UsageError(`${flag} must be a size of at least 64m (a number of bytes, or with k, m, g, t), got '${text}'; e.g. ${flag} 4g`);
  return n;
}

/** The search's resources: the memory budget and the threads (check-like commands). */
export const resourceOptions: OptionTable<Pick<RunOptions, 'maxMemory' | 'workers'>> = {
  maxMemory: { argument: '<SIZE>', description: 'memory budget (e.g. 4g, 512m): the search stops cleanly before it, reporting incomplete (bound maxMemoryBytes); a ulimit -v is honoured too', parse: memorySize, defaultText: 'none (ulimit -v if set)' },
  workers: { argument: '<N>', description: 'search threads (N > 1: the parallel search; same results)', parse: wholeNumber(1, 64, 2), defaultText: '1' },
};

export const boundOptions: OptionTable<Pick<RunOptions, 'maxStates' | 'maxDepth' | 'timeLimit'>> = {
  maxStates: { argument: '<N>', description: 'stop after N distinct states (the result is then incomplete unless a violation was found)', parse: wholeNumber(1, Number.MAX_SAFE_INTEGER, 100000) },
  maxDepth: { argument: '<N>', description: 'do not explore deeper than N steps', parse: wholeNumber(0, Number.MAX_SAFE_INTEGER, 20) },
  timeLimit: { argument: '<S>', description: 'stop after S seconds', parse: seconds(600) },
};

export const outputOptions: OptionTable<Pick<RunOptions, 'json' | 'out' | 'quiet' | 'svg' | 'renderBudget'>> = {
  json: { description: 'print one JSON object instead of the report' },
  out: { argument: '<DIR>', description: 'write each counterexample (.dot, .svg, .itf.json, .txt), the result and report.html (open it in a browser: the trace viewer) under DIR/<design>/<config>/', parse: text('a directory') },
  quiet: { description: 'no progress on stderr' },
  svg: { description: 'render each counterexample graph to SVG (WASM Graphviz, about 1 s each)', negatable: true, defaultText: 'on' },
  renderBudget: { argument: '<S>', description: 'seconds of SVG rendering for the whole run; later graphs keep their DOT only', parse: seconds(120), defaultText: '120' },
};

type CheckCliOptions = TargetOptions & ConfigOverrides & RunOptions & DistributedCliOptions;

/** The check options of the bound flags. */
export function boundsOf(o: Partial<RunOptions>): Pick<CheckOptions, 'maxStates' | 'maxDepth' | 'timeLimitMs' | 'maxMemoryBytes'> {
  return {
    ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
    ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
    ...(o.timeLimit !== undefined ? { timeLimitMs: Math.round(o.timeLimit * 1000) } : {}),
    ...(o.maxMemory !== undefined ? { maxMemoryBytes: o.maxMemory } : {}),
  };
}

/** `--workers N` as check options; refuses what cannot run with it (before any search). */
export function workersOf(o: Partial<RunOptions>): Pick<CheckOptions, 'workers'> {
  if (o.workers === undefined || o.workers === 1) return {};
  if (o.profile) throw new UsageError('--profile observes every state in one search thread: give it without --workers (or --workers 1)');
  return { workers: o.workers };
}

/** The exit code and the JSON status of a run a signal interrupted. */
export function interruptedStatus(): { readonly status: 'interrupted'; readonly code: number } | undefined {
  const sig = interrupted();
  return sig === undefined ? undefined : { status: 'interrupted', code: SIGNAL_EXIT[sig] };
}

/** `--property` names resolved against the model's (plus `deadlock`); the check options that select them. */
export function selectProperties(names: readonly string[], given: readonly string[] | undefined): Pick<CheckOptions, 'properties' | 'checkDeadlock'> {
  if (!given || given.length === 0) return {};
  const all = [...names, 'deadlock'];
  const chosen = [...new Set(given.map((p) => resolveProperty(p, all)))];
  return { properties: chosen.filter((p) => p !== 'deadlock'), checkDeadlock: chosen.includes('deadlock') };
}

/** Lines naming the files written, and how to replay them. */
export function fileLines(outDir: string, written: readonly StagedCounterexample[]): string[] {
  if (written.length === 0) return [];
  const out = [`Counterexamples written under ${outDir}/:`];
  for (const w of written) {
    const exts = ['dot', ...(w.files.svg ? ['svg'] : []), 'itf.json', 'txt'];
    out.push(`  ${w.files.dot.replace(/\.dot$/, '')}.{${exts.join(',')}}  ${w.cx.violations.map((v) => v.property).join(', ')}${w.note ? `  (SVG ${w.note})` : ''}`);
  }
  out.push(`Replay one with: grantcheck replay ${outDir}/${written[0]!.files.itf}`);
  return out;
}

export const checkCommand = defineCommand<CheckCliOptions>({
  name: 'check',
  summary: 'check one design (built-in or your own design file) exhaustively',
  usage: ['grantcheck check --design NAME [--config NAME] [constants] [options]', 'grantcheck check --design-file my-patch.ts [options]'],
  description: `Explores every reachable state of the design's model on the configuration, breadth-first, and
checks every property that applies (or those named with --property). A property that holds, holds
in every reachable state within the bounds; a violated one comes with its shortest counterexample.
The constants flags change single fields of the configuration (e.g. --pages 4 --processes 3).
With --design-file it also prints what the file changes against its base, and checks the base on
the same configuration within the same bounds (a second search) to warn when the patch reaches
nothing its base does not.`,
  options: {
    ...targetOptions,
    property: { argument: '<P>', description: "check only P: a full name, its short name (INV-5, users) or a unique prefix; 'deadlock' for deadlocks", repeatable: true, parse: text('a property name') },
    ...boundOptions,
    ...resourceOptions,
    ...outputOptions,
    coverage: { description: 'include per-action coverage in the report: transitions generated and new states found per action kind' },
    profile: { description: 'where the states come from: new states per level, distinct values per state variable (a table here, a chart in report.html)' },
    symmetry: { description: 'identify states that differ only by a renaming of processes, gntdev maps and files (maps are kept apart when a MADV_DONTNEED call can scan two of them; fewer states; the same verdicts and counterexample lengths; traces are real paths)' },
    ...constantOptions,
    ...distributedOptions,
  },
  exitCodes: CHECK_EXIT_CODES,
  examples: [
    'grantcheck check --design gntdev-2022 --config small',
    'grantcheck check --design early-unpin --config tiny --property INV-5 --out out   # then open out/early-unpin/tiny/report.html',
    'grantcheck check --design gntdev-2022 --config small --profile --coverage',
    'grantcheck check --design gntdev-2022 --pages 4 --maps 2 --map-counts 1,2 --time-limit 600',
    'grantcheck check --design gntdev-2022 --processes 3 --symmetry --workers 2',
    'grantcheck check --design-file my-patch.ts --json',
  ],
  async run(o, _positionals, io) {
    const role = distributedRole(o);
    if (role === 'worker') return serveAsWorker(o, io, o.quiet ?? false);
    // Everything that can be wrong with the input is found before the search starts.
    const design = (await designFrom(o))!;
    const config = configFrom(design, o);
    if (o.out !== undefined) validateOutDir(o.out);
    const model = modelFor(design, config, o.designFile, { symmetry: o.symmetry ?? false });
    const workers = workersOf(o);
    const selection = selectProperties(
      model.properties.filter((p) => p.kind !== 'sometimes').map((p) => p.name),
      o.property,
    );
    const bounds = boundsOf(o);
    const expected = o.designFile === undefined ? recordedStates(design.name, config.name) : undefined;
    const bar = progress(io, { label: `${design.name} on ${config.name}`, ...(expected !== undefined ? { expectedStates: expected } : {}), ...(bounds.maxStates !== undefined ? { maxStates: bounds.maxStates } : {}), ...(bounds.timeLimitMs !== undefined ? { timeLimitMs: bounds.timeLimitMs } : {}) }, o.quiet ?? false);
    let r: CheckResult<State, Action>;
    let profile: Profile | undefined;
    try {
      if (role === 'coordinator') {
        r = await coordinateCheck(model, o, { ...bounds, ...selection, ...bar.options }, io, o.quiet ?? false);
      } else {
        const out = await supervisedCheck(model, { ...bounds, ...workers, ...selection, ...bar.options, profile: o.profile ?? false });
        r = out.result;
        profile = out.observed as Profile | undefined;
      }
    } finally {
      bar.done();
    }
    const omit = omitOf(design, config);
    const title = `${design.name} on ${config.name}`;

    const patch = o.designFile !== undefined && !interrupted() ? await comparePatch(design, config, bounds, r, io, o.quiet ?? false) : undefined;
    const stopped = interruptedStatus();
    const withPatch = (j: Record<string, unknown>): Record<string, unknown> =>
      patch ? { ...j, patch: patch.json, warnings: [...(j.warnings as readonly string[]), ...patch.warnings] } : j;

    const head = { design: design.name, config, ...(o.designFile !== undefined ? { designFile: o.designFile } : {}) };
    let written: StagedCounterexample[] = [];
    let byProperty: ReadonlyMap<string, WrittenFiles> = new Map();
    // an interrupted run writes nothing under --out: only a run that completed (within its bounds) does
    if (o.out !== undefined && !stopped) {
      const staging = new Staging(o.out);
      try {
        const dir = runDir(design.name, config.name);
        const renderer = new Renderer(o.svg === false ? 0 : (o.renderBudget ?? 120) * 1000);
        ({ written, byProperty } = await stageCounterexamples(staging, dir, model, counterexamplesOf(r.violations), traceContext(design, config, o.designFile), renderer));
        staging.write(`${dir}/result.json`, `${JSON.stringify(withPatch(checkJson(r, head, (p) => byProperty.get(p) ?? null, false, profile)), null, 2)}\n`);
        staging.write(`${dir}/report.txt`, checkReportText(r, { title, model, timing: false, coverage: true, omit, ...(profile ? { profile } : {}) }));
        staging.write(`${dir}/report.html`, checkReportHtml(r, { design, config, designFile: o.designFile, written, profile, dir }));
        staging.commit([dir]);
      } catch (e) {
        staging.discard();
        throw e;
      }
    }

    if (o.json) {
      const j = withPatch(checkJson(r, head, (p) => byProperty.get(p) ?? null, true, profile));
      io.out(`${JSON.stringify(stopped ? { ...j, status: stopped.status } : j, null, 2)}\n`);
    } else {
      io.out(checkReportText(r, { title: `${title}${o.designFile !== undefined ? ` (design file ${o.designFile})` : ''}`, model, coverage: o.coverage ?? false, omit, ...(profile ? { profile } : {}) }));
      if (patch) io.out(`${patch.lines.join('\n')}\n`);
      const lines = fileLines(o.out ?? 'out', written);
      if (lines.length) io.out(`${lines.join('\n')}\n`);
      if (o.out !== undefined && !stopped) io.out(`Report (open it in a browser): ${o.out}/${runDir(design.name, config.name)}/report.html\n`);
      if (stopped) io.out(`Interrupted: ${'boundHit' in r && r.boundHit ? r.boundHit.detail : 'the run was interrupted'}${o.out !== undefined ? `; nothing was written under ${o.out}` : ''}.\n`);
    }
    if (stopped) return stopped.code;
    return r.status === 'ok' ? EXIT.ok : r.status === 'violation' ? EXIT.violation : EXIT.incomplete;
  },
});

/** The report.html of one check: the compare report with one row, its links relative to the run's directory. */
function checkReportHtml(
  r: CheckResult<State, Action>,
  o: { design: Design; config: ModelConfig; designFile: string | undefined; written: readonly StagedCounterexample[]; profile: Profile | undefined; dir: string },
): string {
  const row = { design: o.design.name, config: o.config.name, states: r.stats.distinctStates, outcomes: cellsOf(r) };
  const fullNames: Record<string, string> = {};
  for (const p of r.properties) fullNames[shortNameOf(p.name)] = p.name;
  const lines =
    r.status === 'ok'
      ? [`Every property checked holds in every reachable state (${r.exhaustive ? 'exhaustive' : 'NOT exhaustive'} within the bounds).`]
      : r.status === 'violation'
        ? [`${r.violations.length} propert${r.violations.length === 1 ? 'y' : 'ies'} violated; ${o.written.length} counterexample${o.written.length === 1 ? '' : 's'} below, each in the trace viewer.`]
        : [`Incomplete: ${r.boundHit.detail}. No violation was found before the bound; nothing is claimed beyond it.`];
  const prefix = `${o.dir}/`;
  return reportHtml({
    title: `grantcheck check: ${o.design.name} on ${o.config.name}`,
    version: packageVersion(),
    intro: `One design on one configuration${o.designFile !== undefined ? ` (design file ${o.designFile})` : ''}, explored breadth-first: holds = no violation in any reachable state; CE n = the shortest counterexample has n steps.`,
    columns: columnsOf([row]),
    runs: [{ design: o.design, config: o.config, result: r, row, counterexamples: o.written, ...(o.profile ? { profile: o.profile } : {}), ...(o.designFile !== undefined ? { designFile: o.designFile } : {}) }],
    verdict: { ok: r.status === 'ok', lines },
    fullNames,
    href: (f) => (f.startsWith(prefix) ? f.slice(prefix.length) : f),
  });
}

/** What a design file's patch changes, and whether that changed what is reachable: text lines, warnings, and its JSON. */
interface PatchReport {
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
  readonly json: Record<string, unknown>;
}

/**
 * What the design changes against its base, and (when it changes behaviour) a second search of the
 * base on the same configuration within the same bounds: a change that leaves the same states
 * (ghost variables aside) and the same transitions by kind took no effect, and a warning says so.
 * When the counts match, or the patch has ghost variables, a third search compares the states.
 */
async function comparePatch(design: Design, config: ModelConfig, bounds: ReturnType<typeof boundsOf>, r: CheckResult<State, Action>, io: Io, quiet: boolean): Promise<PatchReport | undefined> {
  const p = patchChangesOf(design);
  if (!p) return undefined;
  const base = p.base.name;
  const lines = [`What ${design.name} changes against ${base}:`, ...describePatch(design).map((l) => `  ${l}`)];
  const changed = behaviourChanges(p.changes);
  const json: Record<string, unknown> = { base, changes: describePatch(design), behaviourChanges: changed };
  if (changed.length === 0) {
    lines.push(`Nothing it changes acts on the model (properties${p.changes.ghost.length ? ' and ghost variables' : ''} only): what it reaches is ${base}'s.`);
    return { lines, warnings: [], json };
  }
  const search = async (d: Design, label: string): Promise<Reach | undefined> => {
    const bar = progress(io, { label, ...(bounds.maxStates !== undefined ? { maxStates: bounds.maxStates } : {}), ...(bounds.timeLimitMs !== undefined ? { timeLimitMs: bounds.timeLimitMs } : {}) }, quiet);
    const source = designSourceOf(d);
    try {
      if (source === undefined) return reachOf(d, config, { ...bounds, ...bar.options });
      const { maxMemoryBytes, ...limits } = bounds;
      const out = await supervisedTask<Reach>('reachTask', { design: source, config, bounds: { ...limits, ...(bar.options.progressIntervalMs !== undefined ? { progressIntervalMs: bar.options.progressIntervalMs } : {}) } }, { ...limits, ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}), ...(bar.options.onProgress ? { onProgress: bar.options.onProgress } : {}) });
      return out.kind === 'result' && !interrupted() ? out.result : undefined;
    } finally {
      bar.done();
    }
  };
  const theirs = await search(p.base, `${base} on ${config.name} (the base, to compare)`);
  if (theirs === undefined) {
    lines.push(`The comparison with ${base} was not made: its search was ${interrupted() ? 'interrupted' : 'ended (it ran out of time or memory without answering)'}.`);
    return { lines, warnings: [], json: { ...json, comparison: null } };
  }
  const mine: Reach['transitions'] = Object.fromEntries(r.coverage.filter((c) => c.generated > 0).map((c) => [c.action, { generated: c.generated, distinct: c.distinct }]));
  const sameCounts = theirs.states === r.stats.distinctStates && sameTransitions(mine, theirs.transitions);
  let searches = 2;
  let same = false;
  if (sameCounts || p.changes.ghost.length > 0) {
    searches = 3;
    const mineAgain = await search(design, `${design.name} on ${config.name} (its states, to compare)`);
    if (mineAgain === undefined) {
      lines.push(`The comparison with ${base} was not finished: the second search of ${design.name} was ${interrupted() ? 'interrupted' : 'ended'}.`);
      return { lines, warnings: [], json: { ...json, comparison: null } };
    }
    same = sameReach(mineAgain, theirs);
  }
  const bounded = !r.exhaustive || !theirs.exhaustive;
  const within = bounded ? ' within the bounds only (a bound was hit: nothing is claimed beyond it)' : '';
  const int = (n: number) => n.toLocaleString('en-US');
  lines.push(
    `Compared with ${base} on ${config.name} in ${searches === 2 ? 'a second search (the base)' : 'two more searches (the base, then these states again)'} within the same bounds: ${int(r.stats.distinctStates)} distinct states against ${int(theirs.states)}${same ? ', the same states and transitions' : sameCounts ? ', as many, but not the same states' : ''}${within}.`,
  );
  const aside = p.changes.ghost.length > 0 ? ' (ghost variables aside)' : '';
  const warnings = same
    ? [`your change to ${changed.join(', ')} changed nothing reachable: ${design.name} reaches the same ${int(theirs.states)} states${aside} by the same transitions, kind by kind, as ${base} on ${config.name}${within}`]
    : [];
  for (const w of warnings) lines.push(`warning: ${w}`);
  json.comparison = { config: config.name, searches, base: { distinctStates: theirs.states, exhaustive: theirs.exhaustive }, sameReachable: same };
  return { lines, warnings, json };
}

/** The context of a run's traces. */
export function traceContext(design: Design, config: ModelConfig, designFile: string | undefined) {
  return { design, config, ...(designFile !== undefined ? { designFile } : {}) };
}

