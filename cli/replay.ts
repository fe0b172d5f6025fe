/**
 * `grantcheck replay TRACE.itf.json`: re-runs a trace written by check, compare or simulate on its
 * design and configuration (from the trace's #meta), or on another (--design, --design-file,
 * --config: does my patch still fail this way?). Exit 1 when the recorded property still fails on
 * the trace, 0 when every step replays and the property holds along it, 4 when a step of the trace
 * is impossible on the design (its action is not one the design has there, or is disabled: a
 * gntalloc trace on a gntdev design cannot even start), 2 when the trace is malformed or its
 * states differ from the design's (the first differing step is named).
 */
import { readFileSync, statSync } from 'node:fs';
import { configByName, configOfTrace, designByName, entityLabelsOf, modelOf } from '../catalog.js';
import { fromItf, formatTrace, labelGrouping, replayItf, type DecodedTrace } from '../counterexamples/index.js';
import { configs, type Design, type ModelConfig } from '../model/index.js';
import { oneOf, UsageError } from './args.js';
import { defineCommand, EXIT } from './command.js';
import { omitOf } from './artifacts.js';
import { configWith, constantOptions, designFrom, overridesOf, targetOptions, type ConfigOverrides, type TargetOptions } from './config.js';
import { jsonTrace } from './json.js';
import { withOrder } from '../orderings.js';

interface ReplayOptions extends TargetOptions, ConfigOverrides {
  states: 'check' | 'ignore';
  json: boolean;
}

/** The configuration a trace was made on: its recorded constants (params), else its configuration's name. */
function configOf(trace: DecodedTrace): ModelConfig | undefined {
  let recorded: ModelConfig | undefined;
  try {
    recorded = configOfTrace(trace);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; give --config`);
  }
  if (recorded) return recorded;
  if (trace.meta.config !== undefined && configs[trace.meta.config]) return configByName(trace.meta.config);
  return undefined;
}

/** The design, configuration and model a trace replays on: the command line's, else the trace's own. */
export async function replayTarget(o: Partial<TargetOptions & ConfigOverrides>, trace: DecodedTrace, verb = 'replay'): Promise<{ design: Design; config: ModelConfig; where: string }> {
  let design: Design | undefined = await designFrom(o, false);
  if (!design) {
    if (typeof trace.meta.designFile === 'string') {
      throw new UsageError(`the trace was made with design file ${trace.meta.designFile}; ${verb} it with --design-file ${trace.meta.designFile}`);
    }
    if (trace.meta.design === undefined) {
      const by = trace.meta.source !== undefined && trace.meta.source !== 'grantcheck' ? `was written by ${trace.meta.source}, not grantcheck, and ` : '';
      throw new UsageError(`the trace ${by}names no design (#meta.design); give --design NAME or --design-file FILE`);
    }
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
    const recorded = configOf(trace);
    if (!recorded) throw new UsageError(`the trace's configuration '${trace.meta.config ?? '?'}' is unknown and it records no constants; give --config NAME`);
    config = configWith(recorded, overrides);
  }
  const where = `${design.name}${typeof order === 'string' ? ` (${String(seq)} in the order ${order.split(',').join(' < ')})` : ''} on ${config.name}`;
  return { design, config, where };
}

/** Reads a trace file, or says why not. */
export function readTrace(file: string): DecodedTrace {
  let textIn: string;
  try {
    // a FIFO, a device or a directory would block or never end: only a regular file is read
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`trace file '${file}' is ${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO (named pipe)' : 'not a regular file'}; give the path of a .itf.json file (to read a pipe, save it to a file first)`);
    if (st.size > MAX_TRACE_BYTES) throw new UsageError(`trace file '${file}' has ${st.size} bytes, more than the ${MAX_TRACE_BYTES / 2 ** 20} MiB a trace may have; give a trace written by grantcheck`);
    textIn = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: string }).code;
    throw new UsageError(code === 'ENOENT' ? `trace file '${file}' does not exist; give the path of a .itf.json written by grantcheck` : `cannot read trace file '${file}' (${code ?? (e as Error).message})`);
  }
  // a UTF-8 byte order mark (some editors write one) is not part of the JSON
  return fromItf(textIn.charCodeAt(0) === 0xfeff ? textIn.slice(1) : textIn);
}

/** The largest trace file read (a trace of thousands of steps is a few MiB). */
const MAX_TRACE_BYTES = 256 * 2 ** 20;

export const replayCommand = defineCommand<ReplayOptions>({
  name: 'replay',
  summary: 'replay a trace (.itf.json) on its design, or on another one',
  usage: ['grantcheck replay TRACE.itf.json [--design NAME | --design-file FILE] [--config NAME] [constants]'],
  description: `Re-runs each step of the trace: the recorded action must be a candidate action of the model in
the current state, enabled, and lead to the recorded state (--states ignore: actions only). Then the
property the trace records is looked for along it. By default the design and configuration are the
trace's own (#meta.design, and the constants in its params); a trace made from a design file
needs --design-file again. A trace written by another tool (Quint, Apalache) is read too, and
what it holds that this model cannot (other variables, maps keyed by other than positions, steps
without their action) is named in one line.`,
  options: {
    ...targetOptions,
    states: { argument: 'check|ignore', description: 'compare every state with the recorded one, or replay the actions only', parse: oneOf(['check', 'ignore'] as const), defaultText: 'check' },
    json: { description: 'print one JSON object' },
    ...constantOptions,
  },
  positionals: { name: 'TRACE', description: 'an ITF trace (.itf.json) written by grantcheck, or by Quint or Apalache', min: 1, max: 1 },
  exitCodes: [
    '0  every step replays, and the recorded property holds along the trace',
    '1  the recorded property still fails on the trace',
    '2  bad input: the file is missing or malformed, or the states differ from the design\'s (the first differing step is named; --states ignore replays the actions only)',
    '4  impossible: a step of the trace cannot happen on this design (its action is not one the design has there, or is disabled); the step is named',
  ],
  examples: ['grantcheck replay out/early-unpin/standard/cx1-inv-1+inv-5.itf.json', 'grantcheck replay docs/case17.itf.json --design has-foreign-mappings --states ignore'],
  async run(o, positionals, io) {
    const file = positionals[0]!;
    const trace = readTrace(file);
    const { design, config, where } = await replayTarget(o, trace);
    const model = modelOf(design, config);
    const r = replayItf(model, trace, { states: o.states ?? 'check' });
    // A step whose action the design does not have there, or has disabled: the trace cannot run on this design.
    const impossible = r.status === 'mismatch' && (r.reason === 'no-such-action' || r.reason === 'not-enabled');
    if (o.json) {
      io.out(
        `${JSON.stringify(
          {
            file,
            design: design.name,
            config: config.name,
            status: r.status,
            path: r.path,
            steps: Math.max(0, r.steps.length - 1),
            ...(r.status === 'reproduced' && r.violation ? { violation: r.violation } : {}),
            ...(r.status === 'not-reproduced' ? { message: r.message } : {}),
            ...(r.status === 'mismatch' ? { step: r.step, reason: r.reason, message: r.message, details: r.details, ...(r.action !== undefined ? { action: r.action } : {}) } : {}),
            ...(impossible ? { outcome: 'impossible' } : {}),
            trace: jsonTrace(r.steps),
          },
          null,
          2,
        )}\n`,
      );
    }
    if (r.status === 'mismatch' && impossible) {
      if (!o.json) {
        const head = r.step === 1 ? `the trace cannot start on this design: its first step, ${r.action ?? '?'}, is impossible here` : `the trace cannot run on this design past state ${r.step - 1}: step ${r.step}, ${r.action ?? '?'}, is impossible there`;
        const out = [`Impossible on ${where}: ${head}.`, `  ${r.message.replace(/^replay: /, '')}`];
        if (r.steps.length > 1) out.push(formatTrace(r.steps, { model, grouping: labelGrouping(entityLabelsOf(design)), initial: 'summary', path: r.path, omit: omitOf(design, config), title: `The steps that did run (${r.steps.length - 1} of ${trace.steps.length - 1})`, notes: [`design ${design.name}, configuration ${config.name}`] }).trimEnd());
        io.out(`${out.join('\n')}\n`);
      }
      return EXIT.impossible;
    }
    if (r.status === 'mismatch') {
      if (!o.json) io.out([`Replay of ${file} on ${where}: the trace does not replay (${Math.max(0, r.steps.length - 1)} of ${Math.max(0, trace.steps.length - 1)} steps matched).`, ...r.details.map((d) => `  ${d}`)].join('\n') + '\n');
      if (r.reason === 'unmappable') throw new UsageError(`${r.message.replace(/^replay: /, '')}; grantcheck replays traces of its own model`);
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
      out.push(formatTrace(r.steps, { model, grouping: labelGrouping(entityLabelsOf(design)), initial: 'summary', path: r.path, omit: omitOf(design, config), ...(v ? { violations: [v] } : {}), notes: [`design ${design.name}, configuration ${config.name}`] }).trimEnd());
      io.out(`${out.join('\n')}\n`);
      return v ? EXIT.violation : EXIT.ok;
    }
    out.push(`Not reproduced on ${where}: ${r.message.replace(/^replay: /, '')}.`);
    io.out(`${out.join('\n')}\n`);
    return EXIT.ok;
  },
});
