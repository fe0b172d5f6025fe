/**
 * `grantcheck replay TRACE.itf.json`: re-runs a trace written by check, compare or simulate on its
 * design and configuration (from the trace's #meta), or on another (--design, --design-file,
 * --config: does my patch still fail this way?). Exit 1 when the recorded property still fails on
 * the trace, 0 when every step replays and the property holds along it, 2 when the trace is
 * malformed or does not replay (the first differing step is named).
 */
import { readFileSync } from 'node:fs';
import { configByName, designByName, entityLabelsOf, modelOf } from '../catalog.js';
import { fromItf, formatTrace, labelGrouping, replayItf, type DecodedTrace } from '../counterexamples/index.js';
import { configs, validateConfig, type Design, type ModelConfig } from '../model/index.js';
import { oneOf, UsageError } from './args.js';
import { defineCommand, EXIT } from './command.js';
import { configWith, constantOptions, designFrom, overridesOf, targetOptions, type ConfigOverrides, type TargetOptions } from './config.js';
import { jsonTrace } from './json.js';
import { withOrder } from '../orderings.js';

interface ReplayOptions extends TargetOptions, ConfigOverrides {
  states: 'check' | 'ignore';
  json: boolean;
}

/** The configuration a trace was made on: its recorded constants, else its configuration's name. */
function configOfTrace(trace: DecodedTrace): ModelConfig | undefined {
  const c = trace.meta.configConstants;
  if (c !== undefined) {
    if (c === null || typeof c !== 'object' || typeof (c as ModelConfig).name !== 'string') throw new UsageError('the trace\'s #meta.configConstants is not a configuration; give --config');
    try {
      validateConfig(c as ModelConfig);
    } catch (e) {
      throw new UsageError(`the trace's #meta.configConstants: ${(e as Error).message}; give --config`);
    }
    return c as ModelConfig;
  }
  if (trace.meta.config !== undefined && configs[trace.meta.config]) return configByName(trace.meta.config);
  return undefined;
}

export const replayCommand = defineCommand<ReplayOptions>({
  name: 'replay',
  summary: 'replay a trace (.itf.json) on its design, or on another one',
  usage: ['grantcheck replay TRACE.itf.json [--design NAME | --design-file FILE] [--config NAME] [constants]'],
  description: `Re-runs each step of the trace: the recorded action must be a candidate action of the model in
the current state, enabled, and lead to the recorded state (--states ignore: actions only). Then the
property the trace records is looked for along it. By default the design and configuration are the
trace's own (#meta.design, #meta.configConstants); a trace made from a design file needs
--design-file again.`,
  options: {
    ...targetOptions,
    states: { argument: 'check|ignore', description: 'compare every state with the recorded one, or replay the actions only', parse: oneOf(['check', 'ignore'] as const), defaultText: 'check' },
    json: { description: 'print one JSON object' },
    ...constantOptions,
  },
  positionals: { name: 'TRACE', description: 'a .itf.json file written by grantcheck', min: 1, max: 1 },
  exitCodes: ['0  every step replays, and the recorded property holds along the trace', '1  the recorded property still fails on the trace', '2  bad input: the file is missing or malformed, or the trace does not replay on this design (the first differing step is named)'],
  examples: ['grantcheck replay out/early-unpin/standard/cx1-inv-1+inv-5.itf.json', 'grantcheck replay docs/case17.itf.json --design has-foreign-mappings --states ignore'],
  async run(o, positionals, io) {
    const file = positionals[0]!;
    let textIn: string;
    try {
      textIn = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new UsageError(code === 'ENOENT' ? `trace file '${file}' does not exist; give the path of a .itf.json written by grantcheck` : `cannot read trace file '${file}' (${code ?? (e as Error).message})`);
    }
    const trace = fromItf(textIn);
    let design: Design | undefined = await designFrom(o, false);
    if (!design) {
      if (typeof trace.meta.designFile === 'string') {
        throw new UsageError(`the trace was made with design file ${trace.meta.designFile}; replay it with --design-file ${trace.meta.designFile}`);
      }
      if (trace.meta.design === undefined) throw new UsageError('the trace names no design (#meta.design); give --design NAME or --design-file FILE');
      design = designByName(trace.meta.design);
    }
    // a trace of `grantcheck orderings` runs in one ordering of a sequence: replay it in that ordering
    const seq = trace.meta.orderSequence;
    const order = trace.meta.order;
    if (seq !== undefined || order !== undefined) {
      if ((seq !== 'exit_mmap' && seq !== 'munmap' && seq !== 'del_gref') || typeof order !== 'string') throw new UsageError("the trace's #meta.orderSequence and #meta.order must name a sequence (exit_mmap, munmap, del_gref) and its steps; regenerate the trace with grantcheck orderings");
      design = withOrder(design, seq, order.split(','));
    }
    const overrides = overridesOf(o);
    let config: ModelConfig;
    if (o.config !== undefined) config = configWith(configByName(o.config), overrides);
    else {
      const recorded = configOfTrace(trace);
      if (!recorded) throw new UsageError(`the trace's configuration '${trace.meta.config ?? '?'}' is unknown and it records no constants; give --config NAME`);
      config = configWith(recorded, overrides);
    }
    const model = modelOf(design, config);
    const r = replayItf(model, trace, { states: o.states ?? 'check' });
    const where = `${design.name}${typeof order === 'string' ? ` (${String(seq)} in the order ${order.split(',').join(' < ')})` : ''} on ${config.name}`;
    if (o.json) {
      io.out(
        `${JSON.stringify(
          {
            file,
            design: design.name,
            config: config.name,
            status: r.status,
            path: r.path,
            steps: r.steps.length - 1,
            ...(r.status === 'reproduced' && r.violation ? { violation: r.violation } : {}),
            ...(r.status === 'not-reproduced' ? { message: r.message } : {}),
            ...(r.status === 'mismatch' ? { step: r.step, reason: r.reason, message: r.message, details: r.details, ...(r.action !== undefined ? { action: r.action } : {}) } : {}),
            trace: jsonTrace(r.steps),
          },
          null,
          2,
        )}\n`,
      );
    }
    if (r.status === 'mismatch') {
      if (!o.json) io.out([`Replay of ${file} on ${where}: the trace does not replay (${r.steps.length - 1} of ${trace.steps.length - 1} steps matched).`, ...r.details.map((d) => `  ${d}`)].join('\n') + '\n');
      throw new UsageError(`${r.message.replace(/^replay: /, '')}; replay on the trace's own design (${trace.meta.design ?? '?'}), use --states ignore to replay the actions only, or regenerate the trace`);
    }
    if (o.json) return r.status === 'reproduced' && r.violation ? EXIT.violation : EXIT.ok;
    const out: string[] = [];
    if (r.status === 'reproduced') {
      const v = r.violation;
      out.push(
        v
          ? `Reproduced on ${where}: ${v.property} fails at step ${v.step} of ${r.steps.length - 1}${v.clause ? `: ${v.clause}` : ''}.`
          : `Replayed on ${where}: every step matches (the trace records no property).`,
      );
      out.push(formatTrace(r.steps, { model, grouping: labelGrouping(entityLabelsOf(design)), initial: 'summary', path: r.path, ...(v ? { violations: [v] } : {}), notes: [`design ${design.name}, configuration ${config.name}`] }).trimEnd());
      io.out(`${out.join('\n')}\n`);
      return v ? EXIT.violation : EXIT.ok;
    }
    out.push(`Not reproduced on ${where}: ${r.message.replace(/^replay: /, '')}.`);
    io.out(`${out.join('\n')}\n`);
    return EXIT.ok;
  },
});
