/**
 * The files of a counterexample, as `check`, `simulate` and `compare` write them under
 * `<out>/<design>/<config>/`: `cxN-<properties>.dot` (the trace graph with the other enabled
 * actions), `.itf.json` (replayable with `grantcheck replay`), `.txt` (the text trace) and `.svg`
 * (rendered from the DOT within a time budget). All but the SVG are pure functions of the trace;
 * the SVG is Graphviz's, pinned by version. Nothing here carries a time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { absentStateParts, entityLabelsOf, grantItfOptions, shortNameOf } from '../catalog.js';
import { formatTrace, itfToJson, labelGrouping, omitPaths, renderSvg, toItf, traceToDot, type Counterexample, type OmitPath } from '../counterexamples/index.js';
import { fingerprint, type Model } from '../explorer/index.js';
import type { Action, Design, ModelConfig, State } from '../model/index.js';
import { viewerTrace, type ViewerTrace } from './viewer.js';

/** This package's version (package.json), found from this file in the sources or in dist/. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'grantcheck') return pkg.version ?? '0.0.0';
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

/** `cx1-inv-1+inv-5`: a file name from the properties a trace violates. */
export function counterexampleName(index: number, properties: readonly string[]): string {
  const names = properties.map((p) => shortNameOf(p).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, ''));
  const joined = names.slice(0, 4).join('+') + (names.length > 4 ? `+${names.length - 4}-more` : '');
  return `cx${index}-${joined || 'trace'}`;
}

/** What a trace is about, for the files' headings and the ITF `#meta`. */
export interface TraceContext {
  readonly design: Design;
  readonly config: ModelConfig;
  /** The design file the design came from, as given on the command line. */
  readonly designFile?: string;
  /** More `#meta` fields (simulate: seed and fast-check path; orderings: the order). */
  readonly meta?: Readonly<Record<string, string | number>>;
  /** One more line for the headings (orderings: which order the trace runs in). */
  readonly note?: string;
}

/** The text contents of a counterexample's files (the SVG comes from `Renderer`). */
export interface CounterexampleTexts {
  readonly dot: string;
  readonly itf: string;
  readonly txt: string;
}

/** The parts of the state a trace of this design and configuration leaves out where it prints values whole. */
export function omitOf(design: Design, config: ModelConfig): OmitPath {
  return omitPaths(absentStateParts(design, config));
}

/** The DOT, ITF and text of a counterexample; deterministic. */
export function counterexampleTexts(model: Model<State, Action>, cx: Counterexample<State, Action>, ctx: TraceContext): CounterexampleTexts {
  const { design, config } = ctx;
  const grouping = labelGrouping(entityLabelsOf(design));
  const omit = omitOf(design, config);
  const where = `design ${design.name}${ctx.designFile ? ` (${ctx.designFile})` : ''}, configuration ${config.name}`;
  const notes = [where, ...(ctx.note !== undefined ? [ctx.note] : []), `path ${cx.path} (${cx.trace.length - 1} steps)`];
  const dot = traceToDot(cx.trace, { model, violations: cx.violations, grouping, notes, siblings: { maxPerState: 3 }, omit });
  const itf = toItf(cx.trace, {
    model,
    ...grantItfOptions(design, config),
    modelVersion: `grantcheck ${packageVersion()}; design+config ${fingerprint({ design, config })}`,
    violation: cx.violations[0]!,
    meta: {
      ...(cx.violations.length > 1 ? { alsoViolates: cx.violations.slice(1).map((v) => v.property) } : {}),
      ...(ctx.designFile !== undefined ? { designFile: ctx.designFile } : {}),
      ...(ctx.meta ?? {}),
    },
  });
  const txt = formatTrace(cx.trace, { model, violations: cx.violations, grouping, omit, notes: [where, ...(ctx.note !== undefined ? [ctx.note] : [])] });
  return { dot, itf: itfToJson(itf), txt };
}

/** An SVG, or why there is none. */
export type SvgOutcome = { readonly svg: string } | { readonly note: string };

/**
 * Renders DOT to SVG one graph at a time, within a budget for the whole run: once the budget is
 * spent, the remaining graphs keep their DOT only (the note says how to render them).
 */
export class Renderer {
  private spentMs = 0;

  constructor(
    /** Total milliseconds of rendering for the run; 0 renders nothing. */
    readonly budgetMs: number,
  ) {}

  /** Milliseconds left. */
  get leftMs(): number {
    return Math.max(0, this.budgetMs - this.spentMs);
  }

  async render(dot: string): Promise<SvgOutcome> {
    if (this.budgetMs === 0) return { note: 'not rendered (--no-svg)' };
    const left = this.leftMs;
    if (left < 250) return { note: `not rendered: the run's render budget (${Math.round(this.budgetMs / 1000)} s) is spent; render the .dot with 'dot -Tsvg', or raise --render-budget` };
    const t0 = performance.now();
    try {
      return { svg: await renderSvg(dot, { timeoutMs: Math.min(left, 120_000) }) };
    } catch (e) {
      return { note: `not rendered: ${(e as Error).message.replace(/^render: /, '')}` };
    } finally {
      this.spentMs += performance.now() - t0;
    }
  }
}

/** A counterexample's files, relative to the output directory. */
export interface WrittenFiles {
  readonly dot: string;
  readonly svg: string | null;
  readonly itf: string;
  readonly txt: string;
}

/** The directory of a design and configuration under the output directory. */
export function runDir(design: string, config: string): string {
  return `${design}/${config}`;
}

/** A counterexample as written: its files, its SVG (or why not), its text trace. */
export interface StagedCounterexample {
  readonly name: string;
  readonly cx: Counterexample<State, Action>;
  readonly files: WrittenFiles;
  readonly svg?: string;
  readonly note?: string;
  readonly texts: CounterexampleTexts;
  /** The trace step by step, for the viewer. */
  readonly viewer: ViewerTrace;
}

/** Writes a counterexample's files under `base` (a path without extension) and renders its SVG. */
export async function stageCounterexample(
  staging: { write(rel: string, content: string): void },
  base: string,
  name: string,
  model: Model<State, Action>,
  cx: Counterexample<State, Action>,
  ctx: TraceContext,
  renderer: Renderer,
): Promise<StagedCounterexample> {
  const texts = counterexampleTexts(model, cx, ctx);
  staging.write(`${base}.dot`, texts.dot);
  staging.write(`${base}.itf.json`, texts.itf);
  staging.write(`${base}.txt`, texts.txt);
  const r = await renderer.render(texts.dot);
  if ('svg' in r) staging.write(`${base}.svg`, r.svg);
  const files: WrittenFiles = { dot: `${base}.dot`, svg: 'svg' in r ? `${base}.svg` : null, itf: `${base}.itf.json`, txt: `${base}.txt` };
  const viewer = viewerTrace(model, cx, omitOf(ctx.design, ctx.config));
  return { name, cx, files, texts, viewer, ...('svg' in r ? { svg: r.svg } : { note: r.note }) };
}

/**
 * Writes every counterexample of a run into `dir` of the staging directory, rendering SVGs with
 * `renderer`; answers them in order, and the files of each violated property.
 */
export async function stageCounterexamples(
  staging: { write(rel: string, content: string): void },
  dir: string,
  model: Model<State, Action>,
  cxs: readonly Counterexample<State, Action>[],
  ctx: TraceContext,
  renderer: Renderer,
): Promise<{ readonly written: StagedCounterexample[]; readonly byProperty: ReadonlyMap<string, WrittenFiles> }> {
  const written: StagedCounterexample[] = [];
  const byProperty = new Map<string, WrittenFiles>();
  for (const [i, cx] of cxs.entries()) {
    const name = counterexampleName(i + 1, cx.violations.map((v) => v.property));
    const w = await stageCounterexample(staging, `${dir}/${name}`, name, model, cx, ctx, renderer);
    for (const v of cx.violations) byProperty.set(v.property, w.files);
    written.push(w);
  }
  return { written, byProperty };
}
