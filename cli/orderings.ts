/**
 * `grantcheck orderings`: every ordering of a teardown sequence of a design (exit_mmap, munmap or
 * gntalloc's __del_gref; or the linear extensions of --keep precedences), checked exhaustively by
 * one family search, and the precedence constraints that separate the safe orderings from the
 * others. Writes, under --out, one counterexample per violated property (the shortest over every
 * ordering, replayable with `grantcheck replay`), the matrix and the constraint graph as SVG, and a
 * self-contained report.html.
 */
import { modelOf } from '../catalog.js';
import type { Counterexample } from '../counterexamples/index.js';
import { encodePath, formatConstraint, pathOfActions, replayPath } from '../explorer/index.js';
import type { Action, Design, ModelConfig, State } from '../model/index.js';
import { checkOrderings, formatOrder, formatOrderings, OrderingsError, orderingSpace, SEQUENCES, withOrder, type OrderingsResult, type SequenceName } from '../orderings.js';
import { oneOf, text, UsageError, type OptionTable } from './args.js';
import { counterexampleName, packageVersion, Renderer, runDir, stageCounterexample, type StagedCounterexample } from './artifacts.js';
import { boundOptions, boundsOf, interruptedStatus, outputOptions, resourceOptions, traceContext, type RunOptions } from './check.js';
import { designSourceOf } from '../extend.js';
import type { BoundHit, Progress } from '../explorer/index.js';
import { supervisedTask } from './supervised.js';
import { defineCommand, EXIT } from './command.js';
import { configFrom, constantOptions, designFrom, targetOptions, type ConfigOverrides, type TargetOptions } from './config.js';
import { constraintsDot, orderingsMatrixSvg, orderingsSectionHtml, type OrderingsSection } from './orderingsReport.js';
import { Staging, validateOutDir } from './outdir.js';
import { progress } from './progress.js';
import { reportPage } from './report.js';

interface OrderingsCliOptions extends TargetOptions, ConfigOverrides, Pick<RunOptions, 'maxStates' | 'maxDepth' | 'timeLimit' | 'maxMemory' | 'workers' | 'json' | 'out' | 'quiet' | 'svg' | 'renderBudget'> {
  sequence: SequenceName;
  keep: string[];
}

/** `--keep 'a<b'`: a before b. */
function keepPair(t: string, flag: string): [string, string] {
  const parts = t.split('<').map((x) => x.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`${flag} takes 'a<b' (step a before step b), got '${t}'; e.g. ${flag} 'unmap_vmas<free_pgtables'`);
  return [parts[0], parts[1]];
}

/**
 * The family search of the orderings in the search thread (tasks.ts), under the supervisor's clock,
 * signals and memory budget; `{ ended }` when its thread had to be ended (model code that did not
 * return, or out of memory), with the bound its last progress report gave.
 */
export async function supervisedOrderings(
  args: { readonly design: Design; readonly config: ModelConfig; readonly sequence: SequenceName; readonly keep: readonly (readonly [string, string])[]; readonly bounds: ReturnType<typeof boundsOf> },
  progress: { readonly onProgress?: (p: Progress) => void; readonly progressIntervalMs?: number },
): Promise<OrderingsResult | { readonly ended: BoundHit }> {
  const { maxMemoryBytes, ...bounds } = args.bounds;
  const source = designSourceOf(args.design);
  if (source === undefined) return checkOrderings({ design: args.design, config: args.config, sequence: args.sequence, keep: args.keep, bounds, ...progress });
  const out = await supervisedTask<OrderingsResult>(
    'orderingsTask',
    { design: source, config: args.config, sequence: args.sequence, keep: args.keep, bounds, progressIntervalMs: progress.progressIntervalMs ?? 500 },
    { ...bounds, ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}), ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) },
  );
  return out.kind === 'result' ? out.result : { ended: out.boundHit };
}

/**
 * The counterexample of each violated property (the shortest over every ordering), rebuilt on the
 * design with that ordering fixed; properties whose counterexamples are one trace share it.
 */
export function orderingCounterexamples(design: Design, config: ModelConfig, r: OrderingsResult): { readonly cx: Counterexample<State, Action>; readonly order: readonly string[]; readonly design: Design }[] {
  const groups = new Map<string, { cx: { path: string; trace: Counterexample<State, Action>['trace']; violations: Counterexample<State, Action>['violations'][number][] }; order: readonly string[]; design: Design }>();
  for (const item of r.shortest) {
    const fixed = withOrder(design, r.sequence, item.order);
    const model = modelOf(fixed, config);
    const path = pathOfActions(model, 0, item.actions);
    const trace = replayPath(model, path);
    const last = trace[trace.length - 1]!;
    const prev = trace[trace.length - 2];
    const p = model.properties.find((x) => x.name === item.property);
    let kind: 'always' | 'step' | 'atQuiescence' | 'deadlock' = 'deadlock';
    let verdict: boolean | string = false;
    if (p && p.kind !== 'sometimes') {
      kind = p.kind;
      verdict = p.kind === 'step' ? p.holds(prev!.state, last.action!, last.state) : p.holds(last.state);
      if (verdict === true) throw new Error(`orderings: the counterexample of ${item.property} in ${formatOrder(item.order)} does not end in a violation`);
    }
    const key = `${item.order.join(',')}|${encodePath(path)}`;
    const violation = { property: item.property, kind, path: encodePath(path), ...(typeof verdict === 'string' ? { clause: verdict } : {}) };
    const g = groups.get(key);
    if (g) g.cx.violations.push(violation);
    else groups.set(key, { cx: { path: encodePath(path), trace, violations: [violation] }, order: item.order, design: fixed });
  }
  return [...groups.values()];
}

/** The result as JSON (no times: the files written are deterministic). */
export function orderingsJson(r: OrderingsResult, files: readonly { readonly properties: readonly string[]; readonly order: readonly string[]; readonly itf: string }[] = []): unknown {
  const derivation = (d: OrderingsResult['overall']) => ({
    orderings: d.orderings,
    safe: d.safe,
    necessary: d.necessary.map(formatConstraint),
    sufficient: d.sufficient ? { constraints: d.sufficient.constraints.map(formatConstraint), exact: d.sufficient.exact } : null,
    summary: d.summary,
  });
  return {
    design: r.design,
    config: r.config,
    sequence: r.sequence,
    steps: r.steps,
    keep: r.keep.map(([a, b]) => `${a}<${b}`),
    exhaustive: r.exhaustive,
    ...(r.boundHit ? { boundHit: r.boundHit } : {}),
    bounds: r.bounds,
    properties: r.properties,
    orderings: r.orderings.map((o) => ({ order: o.order, status: o.status, reached: o.reached, counterexamples: o.counterexamples.map((c) => ({ property: c.property, length: c.length })), unreachedWitnesses: o.unreachedWitnesses })),
    overall: derivation(r.overall),
    perProperty: r.perProperty.map((p) => ({ property: p.property, ...derivation(p.derivation) })),
    counterexamples: files,
    stats: { distinctStates: r.stats.distinctStates, expansions: r.stats.expansions, generatedStates: r.stats.generatedStates, depth: r.stats.depth },
  };
}

/**
 * Writes an orderings result under `dir` of the staging directory: each counterexample (DOT, SVG,
 * ITF, text), matrix.svg, constraints.dot and .svg, orderings.txt and orderings.json. Answers what
 * the HTML section needs.
 */
export async function stageOrderings(
  staging: { write(rel: string, content: string): void },
  dir: string,
  design: Design,
  config: ModelConfig,
  r: OrderingsResult,
  renderer: Renderer,
  designFile?: string,
): Promise<Omit<OrderingsSection, 'href'>> {
  const counterexamples: { staged: StagedCounterexample; order: readonly string[] }[] = [];
  for (const [i, g] of orderingCounterexamples(design, config, r).entries()) {
    const ctx = { ...traceContext(g.design, config, designFile), meta: { orderSequence: r.sequence, order: g.order.join(',') }, note: `${r.sequence} in the order ${formatOrder(g.order)}` };
    const name = counterexampleName(i + 1, g.cx.violations.map((v) => v.property));
    const staged = await stageCounterexample(staging, `${dir}/${name}`, name, modelOf(g.design, config), g.cx, ctx, renderer);
    counterexamples.push({ staged, order: g.order });
  }
  const matrixSvg = orderingsMatrixSvg(r);
  staging.write(`${dir}/matrix.svg`, matrixSvg);
  const dot = constraintsDot(r);
  staging.write(`${dir}/constraints.dot`, dot);
  const rendered = await renderer.render(dot);
  if ('svg' in rendered) staging.write(`${dir}/constraints.svg`, rendered.svg);
  staging.write(`${dir}/orderings.txt`, formatOrderings(r, { timing: false }));
  const files = counterexamples.map((c) => ({ properties: c.staged.cx.violations.map((v) => v.property), order: c.order, itf: c.staged.files.itf }));
  staging.write(`${dir}/orderings.json`, `${JSON.stringify(orderingsJson(r, files), null, 2)}\n`);
  return { result: r, matrixSvg, constraints: rendered, counterexamples };
}

export const orderingsCommand = defineCommand<OrderingsCliOptions>({
  name: 'orderings',
  summary: 'check every ordering of a teardown sequence and derive the constraints that matter',
  usage: ["grantcheck orderings --design NAME --sequence exit_mmap|munmap|del_gref [--keep 'a<b' ...] [--config NAME] [constants] [options]"],
  description: `Checks the design once per ordering of the sequence's steps (every permutation, or every
linear extension of the --keep precedences), each exhaustively on the configuration, all in one
family search that explores what the orderings share once. Prints every ordering with its outcome
(holds, or each property it breaks with the length of its shortest counterexample), then the
precedence constraints that separate the safe orderings from the others: a constraint is called
necessary only when every safe ordering satisfies it, sufficient only when every ordering that
satisfies it is safe. Sequences:
  exit_mmap  ${SEQUENCES.exit_mmap}
  munmap     ${SEQUENCES.munmap}
  del_gref   ${SEQUENCES.del_gref}`,
  options: {
    ...targetOptions,
    sequence: { argument: '<NAME>', description: 'the sequence whose steps are permuted: exit_mmap, munmap or del_gref', parse: oneOf(['exit_mmap', 'munmap', 'del_gref'] as const) },
    keep: { argument: "'a<b'", description: 'keep step a before step b: only the orderings that do are checked', repeatable: true, parse: text("a precedence such as 'unmap_vmas<free_pgtables'") },
    ...boundOptions,
    ...resourceOptions,
    workers: { ...resourceOptions.workers, description: 'search threads: the family search runs in one (1 only)' },
    ...outputOptions,
    out: { ...outputOptions.out, description: 'write each counterexample, matrix.svg, constraints.svg, orderings.json and report.html under DIR/<design>/<config>/orderings-<sequence>/' },
    ...constantOptions,
  } as OptionTable<OrderingsCliOptions>,
  exitCodes: [
    '0  every ordering holds every property (exhaustive within the bounds)',
    '1  some ordering breaks a property: the outcomes and the derived constraints are printed',
    '2  bad input (unknown design, sequence or step, contradictory --keep, a sequence the design lacks)',
    '3  incomplete: a bound was hit before any violation',
    '130/143  interrupted by SIGINT/SIGTERM (the outcomes so far are printed; nothing is written under --out)',
  ],
  examples: [
    'grantcheck orderings --design gntdev-2022 --sequence exit_mmap',
    'grantcheck orderings --design gntalloc-2022 --sequence del_gref --out out',
    "grantcheck orderings --design gntdev-2022 --sequence munmap --config small --keep 'unmap_vmas<free_pgtables'",
  ],
  async run(o, _p, io) {
    if (o.sequence === undefined) throw new UsageError(`which sequence? give --sequence ${Object.keys(SEQUENCES).join('|')}`);
    const design = (await designFrom(o))!;
    const config = configFrom(design, o);
    if (o.out !== undefined) validateOutDir(o.out);
    const keep = (o.keep ?? []).map((k) => keepPair(k, '--keep'));
    if (o.workers !== undefined && o.workers > 1) throw new UsageError('--workers: the family search of the orderings runs in one thread; give --workers 1 or leave it out');
    const bounds = boundsOf(o);
    // what is wrong with the sequence or --keep is said before the search
    try {
      orderingSpace(design, config, o.sequence, keep);
    } catch (e) {
      if (e instanceof OrderingsError) throw new UsageError(e.message);
      throw e;
    }
    const bar = progress(io, { label: `orderings of ${o.sequence} for ${design.name} on ${config.name}`, ...(bounds.maxStates !== undefined ? { maxStates: bounds.maxStates } : {}), ...(bounds.timeLimitMs !== undefined ? { timeLimitMs: bounds.timeLimitMs } : {}) }, o.quiet ?? false);
    let out: OrderingsResult | { readonly ended: BoundHit };
    try {
      out = await supervisedOrderings({ design, config, sequence: o.sequence, keep, bounds }, bar.options);
    } catch (e) {
      if ((e as Error).name === 'OrderingsError') throw new UsageError((e as Error).message);
      throw e;
    } finally {
      bar.done();
    }
    const stopped = interruptedStatus();
    if ('ended' in out) {
      // the thread was ended: no outcome of any ordering is known
      if (o.json) io.out(`${JSON.stringify({ design: design.name, config: config.name, sequence: o.sequence, status: stopped?.status ?? 'incomplete', exhaustive: false, boundHit: out.ended }, null, 2)}\n`);
      else io.out(`Orderings of ${o.sequence} for ${design.name} on ${config.name}: ${stopped ? 'interrupted' : 'incomplete'}: ${out.ended.detail}. No ordering's outcome is known.\n`);
      return stopped?.code ?? EXIT.incomplete;
    }
    const r = out;
    if (stopped) {
      if (o.json) io.out(`${JSON.stringify({ ...(orderingsJson(r) as object), status: stopped.status, durationMs: r.stats.durationMs }, null, 2)}\n`);
      else io.out(`${formatOrderings(r)}Interrupted: ${r.boundHit ?? 'by a signal'}${o.out !== undefined ? `; nothing was written under ${o.out}` : ''}.\n`);
      return stopped.code;
    }

    let files: { properties: readonly string[]; order: readonly string[]; itf: string }[] = [];
    let dir: string | undefined;
    if (o.out !== undefined) {
      const staging = new Staging(o.out);
      try {
        dir = `${runDir(design.name, config.name)}/orderings-${r.sequence}`;
        const renderer = new Renderer(o.svg === false ? 0 : (o.renderBudget ?? 120) * 1000);
        const section = await stageOrderings(staging, dir, design, config, r, renderer, o.designFile);
        const prefix = `${dir}/`;
        const html = orderingsSectionHtml({ ...section, href: (f) => (f.startsWith(prefix) ? f.slice(prefix.length) : f) }, 'o-');
        staging.write(`${dir}/report.html`, reportPage(`grantcheck orderings: ${r.sequence} for ${r.design} on ${r.config}`, packageVersion(), [html]));
        staging.commit([dir]);
        files = section.counterexamples.map((c) => ({ properties: c.staged.cx.violations.map((v) => v.property), order: c.order, itf: c.staged.files.itf }));
      } catch (e) {
        staging.discard();
        throw e;
      }
    }
    if (o.json) io.out(`${JSON.stringify({ ...(orderingsJson(r, files) as object), durationMs: r.stats.durationMs }, null, 2)}\n`);
    else {
      io.out(formatOrderings(r));
      if (dir !== undefined) {
        const out = [`Wrote ${o.out}/${dir}/: report.html, matrix.svg, constraints.dot (and .svg when rendered), orderings.txt, orderings.json${files.length ? `, and ${files.length} counterexample${files.length === 1 ? '' : 's'}:` : ''}`];
        for (const f of files) out.push(`  ${f.itf.replace(/\.itf\.json$/, '')}.{dot,svg,itf.json,txt}  ${f.properties.join(', ')}  (in the ordering ${formatOrder(f.order)})`);
        if (files[0]) out.push(`Replay one with: grantcheck replay ${o.out}/${files[0].itf}`);
        io.out(`${out.join('\n')}\n`);
      }
    }
    const violated = r.orderings.some((x) => x.status === 'violated');
    return violated ? EXIT.violation : r.exhaustive ? EXIT.ok : EXIT.incomplete;
  },
});

