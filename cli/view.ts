/**
 * `grantcheck view TRACE.itf.json`: the trace viewer for one trace, as a self-contained HTML file
 * written next to it (`cx1-inv-5.itf.json` gives `cx1-inv-5.html`; `--out FILE` chooses another
 * path). The trace is first replayed on its design (or the one given), as `replay` does, so that
 * the viewer can show at every step the other actions the design enabled there; a trace that does
 * not replay is refused, naming the first step that differs. A file, not a server: it opens
 * offline, from anywhere, and is the same bytes every time.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { grantEntityLabels, modelOf } from '../catalog.js';
import { labelGrouping, replayItf, traceToDot, type Counterexample } from '../counterexamples/index.js';
import type { Action, State } from '../model/index.js';
import { text, UsageError } from './args.js';
import { counterexampleTexts, omitOf, packageVersion, Renderer } from './artifacts.js';
import { defineCommand, EXIT } from './command.js';
import { constantOptions, targetOptions, type ConfigOverrides, type TargetOptions } from './config.js';
import { esc, page } from './html.js';
import { readTrace, replayTarget } from './replay.js';
import { viewerHtml, viewerTrace } from './viewer.js';

interface ViewOptions extends TargetOptions, ConfigOverrides {
  out: string;
  svg: boolean;
}

/** Where the page goes by default: next to the trace, `.itf.json` (or `.json`) replaced by `.html`. */
export function viewPath(trace: string): string {
  return /\.itf\.json$/.test(trace) ? trace.replace(/\.itf\.json$/, '.html') : /\.json$/.test(trace) ? trace.replace(/\.json$/, '.html') : `${trace}.html`;
}

export const viewCommand = defineCommand<ViewOptions>({
  name: 'view',
  summary: 'write the step-through trace viewer of a trace (.itf.json) as an HTML file next to it',
  usage: ['grantcheck view TRACE.itf.json [--out FILE.html] [--design NAME | --design-file FILE] [--config NAME] [constants]'],
  description: `Replays the trace on its design (or the one given, as replay does) and writes one self-contained
HTML page: the trace's graph with the current step highlighted (wheel to zoom, drag to pan), and
beside it, step by step (buttons, or the Left/Right arrow keys), the state entity by entity with
what the step changed, the other actions that were enabled there, and at the end the property's
clause. Open the file in any browser; it needs no network.`,
  options: {
    ...targetOptions,
    out: { argument: '<FILE>', description: 'write the page here instead of next to the trace', parse: text('a file name') },
    svg: { description: 'draw the trace graph (WASM Graphviz, about a second)', negatable: true, defaultText: 'on' },
    ...constantOptions,
  },
  positionals: { name: 'TRACE', description: 'a .itf.json file written by grantcheck', min: 1, max: 1 },
  exitCodes: ['0  the page was written', '2  bad input: the file is missing or malformed, or the trace does not replay on the design (the first differing step is named), or the page cannot be written there'],
  examples: ['grantcheck view out/early-unpin/standard/cx1-inv-1+inv-5.itf.json', 'grantcheck view docs/case17.itf.json --out /tmp/case17.html'],
  async run(o, positionals, io) {
    const file = positionals[0]!;
    const target = o.out ?? viewPath(file);
    const abs = resolve(target);
    if (existsSync(abs) && statSync(abs).isDirectory()) throw new UsageError(`--out ${target} is a directory; give a file name such as ${target}/trace.html`);
    if (!existsSync(dirname(abs)) || !statSync(dirname(abs)).isDirectory()) throw new UsageError(`cannot write ${target}: ${dirname(abs)} is not a directory; give --out FILE in an existing directory`);
    const trace = readTrace(file);
    const { design, config, where } = await replayTarget(o, trace, 'view');
    const model = modelOf(design, config);
    const r = replayItf(model, trace);
    if (r.status === 'mismatch') throw new UsageError(`${r.message.replace(/^replay: /, '')}; view the trace on its own design (${trace.meta.design ?? '?'}), or regenerate it`);
    const violations =
      r.status === 'reproduced' && r.violation ? [{ property: r.violation.property, ...(r.violation.clause !== undefined ? { clause: r.violation.clause } : {}), path: r.path }] : [];
    const cx: Counterexample<State, Action> = { path: r.path, trace: r.steps, violations };
    const omit = omitOf(design, config);
    const ctx = { design, config, ...(typeof trace.meta.designFile === 'string' ? { designFile: trace.meta.designFile } : {}) };
    const texts = counterexampleTexts(model, cx, ctx);
    const dot = violations.length ? texts.dot : traceToDot(cx.trace, { model, grouping: labelGrouping(grantEntityLabels), notes: [`design ${design.name}, configuration ${config.name}`], siblings: { maxPerState: 3 }, omit });
    const rendered = await new Renderer(o.svg === false ? 0 : 120_000).render(dot);
    const title = violations.length ? `Counterexample to ${violations.map((v) => v.property).join(', ')}` : `Trace of ${trace.steps.length - 1} steps`;
    const status =
      r.status === 'reproduced'
        ? r.violation
          ? `Replayed on ${where}: ${r.violation.property} fails at state ${r.violation.step} of ${r.steps.length - 1}.`
          : `Replayed on ${where}: every step matches (the trace records no property).`
        : `Replayed on ${where}: every step matches, but ${r.message.replace(/^replay: every step matches, but /, '')}.`;
    const body = [
      `<h1>${esc(title)}</h1>`,
      `<p>${esc(status)} Trace <span class="mono">${esc(file)}</span>, path <span class="mono">${esc(r.path)}</span>. <span class="mono">grantcheck ${esc(packageVersion())}</span></p>`,
      ...(violations.length ? ['<ul>', ...violations.map((v) => `<li><b>${esc(v.property)}</b>${v.clause ? `: ${esc(v.clause)}` : ''}</li>`), '</ul>'] : []),
      viewerHtml({ id: 'trace', cx, trace: viewerTrace(model, cx, omit), ...('svg' in rendered ? { svg: rendered.svg } : { note: rendered.note }) }),
      `<details><summary>Text trace</summary><pre>${esc(texts.txt)}</pre></details>`,
    ];
    const html = page(`grantcheck view: ${title}`, [], body);
    const tmp = `${abs}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, html);
      renameSync(tmp, abs);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new UsageError(`cannot write ${target} (${(e as { code?: string }).code ?? (e as Error).message}); give --out FILE somewhere writable`);
    }
    io.out(`${status}\nWrote ${target}: open it in a browser (Left/Right arrows step through the trace).\n`);
    return EXIT.ok;
  },
});
