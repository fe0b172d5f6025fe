/**
 * `grantcheck compare` (`npm start`): every design on its default configuration, exhaustively. Prints
 * the designs × properties table, writes every counterexample (DOT, SVG, ITF, text) and
 * out/report.html, and compares each run with its recorded outcome (cli/expected.ts): exit 0 when
 * every outcome matches, 1 when any changed (or a design has no recorded outcome).
 */
import { configByName, designByName, designs, modelOf, shortNameOf } from '../catalog.js';
import { counterexamplesOf } from '../counterexamples/index.js';
import { formatConstraint, type CheckResult } from '../explorer/index.js';
import type { Action, Design, State } from '../model/index.js';
import { propertyDocs } from '../properties/index.js';
import { text } from './args.js';
import { omitOf, packageVersion, Renderer, runDir, stageCounterexamples } from './artifacts.js';
import { boundOptions, boundsOf, interruptedStatus, outputOptions, resourceOptions, workersOf, type RunOptions } from './check.js';
import { defineCommand, EXIT, type Io } from './command.js';
import { checkJson } from './json.js';
import { RECORDED, RECORDED_EXTRA, RECORDED_ORDERINGS, recordedRun, type RecordedOrderings } from './expected.js';
import { stageOrderings, supervisedOrderings } from './orderings.js';
import { orderingsSectionHtml } from './orderingsReport.js';
import type { OrderingsResult } from '../orderings.js';
import { Staging, validateOutDir } from './outdir.js';
import { progress } from './progress.js';
import type { Profile } from './profile.js';
import { interrupted, supervisedCheck } from './supervised.js';
import { checkReportText } from './textReport.js';
import { reportHtml, type ReportRun } from './report.js';
import { cellsOf, columnsOf, differences, markdownTable, textTable, type OutcomeRow } from './table.js';

interface CompareOptions extends Pick<RunOptions, 'maxStates' | 'maxDepth' | 'timeLimit' | 'maxMemory' | 'workers' | 'json' | 'out' | 'quiet' | 'svg' | 'renderBudget' | 'profile'> {
  design: string[];
  config: string;
}

/** How an orderings run differs from its recorded outcome (empty: it does not). */
export function orderingDifferences(r: OrderingsResult, rec: RecordedOrderings): string[] {
  const out: string[] = [];
  if (!r.exhaustive) out.push(`not exhaustive (${r.boundHit ?? 'a bound was hit'})`);
  if (r.orderings.length !== rec.orderings) out.push(`${r.orderings.length} orderings, recorded ${rec.orderings}`);
  if (r.overall.safe !== rec.safe) out.push(`${r.overall.safe} safe, recorded ${rec.safe}`);
  const list = (cs: readonly string[]) => (cs.length ? cs.join('; ') : 'none');
  const now = r.overall.necessary.map(formatConstraint);
  if (list(now) !== list(rec.necessary)) out.push(`necessary: ${list(now)}; recorded: ${list(rec.necessary)}`);
  const per = new Map(r.perProperty.map((p) => [shortNameOf(p.property), p.derivation.necessary.map(formatConstraint)]));
  for (const p of [...new Set([...Object.keys(rec.perProperty), ...per.keys()])]) {
    const a = per.get(p);
    const b = rec.perProperty[p];
    if (a === undefined) out.push(`${p}: no ordering breaks it now; recorded necessary: ${list(b!)}`);
    else if (b === undefined) out.push(`${p}: now broken by some ordering (necessary: ${list(a)}); not recorded`);
    else if (list(a) !== list(b)) out.push(`${p}: necessary: ${list(a)}; recorded: ${list(b)}`);
  }
  return out;
}

/** The first line of the table and the report. */
function intro(config: string | undefined, bounded: boolean): string {
  return `Every design on ${config === undefined ? 'its default configuration' : `configuration ${config}`}, explored ${bounded ? 'breadth-first within the bounds given' : 'exhaustively'}: holds = no violation in any reachable state; CE n = the shortest counterexample has n steps; n/a = the property does not apply to the design${bounded ? '; unknown = a bound stopped the search first' : ''}.`;
}

/** What a compare a signal stopped prints: the runs done, the one stopped, and that nothing was written. */
function interruptedCompare(staging: Staging, runs: readonly ReportRun[], at: { readonly label: string; readonly detail: string; readonly left: number }, o: Partial<CompareOptions>, io: Io): number {
  staging.discard();
  const stopped = interruptedStatus()!;
  const outDir = o.out ?? 'out';
  const rows = runs.map((r) => r.row);
  const line = `Interrupted during ${at.label}: ${at.detail}${at.left ? `; ${at.left} run${at.left === 1 ? '' : 's'} not started` : ''}; nothing was written under ${outDir}, and no outcome was compared.`;
  if (o.json) {
    io.out(`${JSON.stringify({ status: stopped.status, ok: false, interrupted: { during: at.label, detail: at.detail, notStarted: at.left }, runs: runs.map((r) => ({ ...checkJson(r.result, { design: r.design.name, config: r.config }, () => null), outcomes: r.row.outcomes })) }, null, 2)}\n`);
  } else {
    const out: string[] = [];
    if (rows.length) out.push(textTable(rows, columnsOf(rows), [{ title: 'states', value: (r) => String(r.states) }]));
    out.push(line);
    io.out(`${out.join('\n')}\n`);
  }
  return stopped.code;
}

export const compareCommand = defineCommand<CompareOptions>({
  name: 'compare',
  summary: 'every design on its default configuration: table, counterexamples, out/report.html (npm start)',
  usage: ['grantcheck compare [--out DIR] [--design NAME ...] [--config NAME] [options]'],
  description: `Checks every design on its default configuration, prints the designs × properties table, and
writes under --out: each counterexample as DOT, SVG, ITF and text (DIR/<design>/<config>/), the
self-contained report.html (open it in a browser: the table with filters, each run's bounds,
statistics and state origins, each counterexample in the step-through trace viewer), summary.json,
table.md (the markdown of docs/designs.md) and timings.json (the only file that changes run to
run). Each run is compared with its recorded outcome (cli/expected.ts, docs/designs.md).
--design and --config narrow or change the runs; runs not on their recorded configuration are
shown but not compared.`,
  options: {
    design: { argument: '<NAME>', description: 'only this design', repeatable: true, parse: text('a design name') },
    config: { argument: '<NAME>', description: 'run every design on this configuration instead of its default', parse: text('a configuration name') },
    ...boundOptions,
    ...resourceOptions,
    ...outputOptions,
    out: { ...outputOptions.out, description: 'where the report and counterexamples go', defaultText: 'out' },
    renderBudget: { ...outputOptions.renderBudget, defaultText: '600' },
    profile: { description: "profile each run (new states per level, distinct values per state variable): a chart in each run's section of report.html" },
  },
  exitCodes: [
    '0  every outcome matches the recorded one (known-bad designs fail as recorded)',
    '1  an outcome changed, or a design has no recorded outcome',
    '2  bad input',
    '130/143  interrupted by SIGINT/SIGTERM: the runs done so far are printed, nothing is written under --out',
  ],
  examples: ['grantcheck compare', 'grantcheck compare --design early-unpin --design gntdev-2022 --config small --out /tmp/cmp'],
  async run(o, _p, io) {
    const chosen: Design[] = o.design?.length ? [...new Set(o.design)].map(designByName) : [...designs];
    const forced = o.config !== undefined ? configByName(o.config) : undefined;
    const outDir = o.out ?? 'out';
    validateOutDir(outDir);
    const bounds = boundsOf(o);
    const workers = workersOf(o);
    const plan = chosen.map((d) => ({ design: d, config: forced ?? configByName(d.defaultConfig) }));
    // the recorded rows on further configurations (docs/findings.md), for the designs chosen
    if (forced === undefined) for (const x of RECORDED_EXTRA) if (chosen.some((d) => d.name === x.design)) plan.push({ design: designByName(x.design), config: configByName(x.config) });
    for (const { design, config } of plan) modelOf(design, config); // a model that cannot be built is bad input: find it before any run

    const staging = new Staging(outDir);
    try {
      const renderer = new Renderer(o.svg === false ? 0 : (o.renderBudget ?? 600) * 1000);
      const runs: ReportRun[] = [];
      const timings: { design: string; config: string; checkMs: number; statesPerSecond: number }[] = [];
      const units: string[] = [];
      const summaries: unknown[] = [];
      let totalMs = 0;
      let stoppedAt: { label: string; detail: string; left: number } | undefined;
      for (const [i, { design, config }] of plan.entries()) {
        const recorded = recordedRun(design.name, config.name);
        const label = `[${i + 1}/${plan.length}] ${design.name} on ${config.name}`;
        const bar = progress(io, { label, ...(recorded ? { expectedStates: recorded.states } : {}), ...(bounds.maxStates !== undefined ? { maxStates: bounds.maxStates } : {}), ...(bounds.timeLimitMs !== undefined ? { timeLimitMs: bounds.timeLimitMs } : {}) }, o.quiet ?? false);
        const model = modelOf(design, config);
        let r: CheckResult<State, Action>;
        let profile: Profile | undefined;
        try {
          const out = await supervisedCheck(model, { ...bounds, ...workers, ...bar.options, profile: o.profile ?? false });
          r = out.result;
          profile = out.observed as Profile | undefined;
        } finally {
          bar.done();
        }
        if (interrupted()) {
          // the run a signal stopped is shown with what it reached; nothing is staged for it
          const row: OutcomeRow = { design: design.name, config: config.name, states: r.stats.distinctStates, outcomes: cellsOf(r) };
          runs.push({ design, config, result: r, row, counterexamples: [] });
          stoppedAt = { label, detail: 'boundHit' in r && r.boundHit ? r.boundHit.detail : 'interrupted', left: plan.length - i - 1 };
          break;
        }
        totalMs += r.stats.durationMs;
        timings.push({ design: design.name, config: config.name, checkMs: r.stats.durationMs, statesPerSecond: r.stats.statesPerSecond });
        const dir = runDir(design.name, config.name);
        units.push(dir);
        const { written, byProperty } = await stageCounterexamples(staging, dir, model, counterexamplesOf(r.violations), { design, config }, renderer);
        const head = { design: design.name, config };
        const json = checkJson(r, head, (p) => byProperty.get(p) ?? null, false);
        staging.write(`${dir}/result.json`, `${JSON.stringify(json, null, 2)}\n`);
        staging.write(`${dir}/report.txt`, checkReportText(r, { title: `${design.name} on ${config.name}`, model, timing: false, coverage: true, omit: omitOf(design, config), ...(profile ? { profile } : {}) }));
        const row: OutcomeRow = { design: design.name, config: config.name, states: r.stats.distinctStates, outcomes: cellsOf(r) };
        runs.push({ design, config, result: r, row, counterexamples: written, ...(recorded ? { recorded: recorded.outcomes } : {}), ...(profile ? { profile } : {}) });
        summaries.push({ design: design.name, config: config.name, status: r.status, exhaustive: r.exhaustive, distinctStates: r.stats.distinctStates, outcomes: row.outcomes, recorded: recorded?.outcomes ?? null, counterexamples: written.map((w) => ({ properties: w.cx.violations.map((v) => v.property), length: w.cx.trace.length - 1, path: w.cx.path, files: w.files })) });
        if (!(o.quiet ?? false)) io.err(`${label}: ${r.stats.distinctStates.toLocaleString('en-US')} states, ${(r.stats.durationMs / 1000).toFixed(1)} s, ${r.violations.length ? `${r.violations.length} violated` : r.status === 'ok' ? 'all hold' : 'incomplete'}${written.length ? `, ${written.length} counterexample${written.length === 1 ? '' : 's'}` : ''}\n`);
      }

      // The recorded orderings of the designs compared (on their recorded configurations only).
      const orderingChanges: string[] = [];
      const orderingSections: string[] = [];
      const orderingLines: string[] = [];
      const orderingSummaries: unknown[] = [];
      if (stoppedAt !== undefined) return interruptedCompare(staging, runs, stoppedAt, o, io);
      if (forced === undefined) {
        for (const rec of RECORDED_ORDERINGS.filter((x) => plan.some((p) => p.design.name === x.design))) {
          const design = designByName(rec.design);
          const config = configByName(rec.config);
          const label = `orderings of ${rec.sequence} for ${rec.design} on ${rec.config}`;
          const bar = progress(io, { label }, o.quiet ?? false);
          let r: OrderingsResult;
          try {
            const out = await supervisedOrderings({ design, config, sequence: rec.sequence, keep: [], bounds }, bar.options);
            if (interrupted()) return interruptedCompare(staging, runs, { label, detail: 'ended' in out ? out.ended.detail : (out.boundHit ?? 'interrupted'), left: 0 }, o, io);
            if ('ended' in out) {
              orderingChanges.push(`${rec.design}, orderings of ${rec.sequence}: not finished (${out.ended.detail})`);
              continue;
            }
            r = out;
          } finally {
            bar.done();
          }
          totalMs += r.stats.searchMs;
          timings.push({ design: design.name, config: `${config.name} (orderings of ${rec.sequence})`, checkMs: r.stats.searchMs, statesPerSecond: Math.round(r.stats.distinctStates / Math.max(r.stats.searchMs / 1000, 1e-3)) });
          const dir = `${runDir(design.name, config.name)}/orderings-${rec.sequence}`;
          units.push(dir);
          const section = await stageOrderings(staging, dir, design, config, r, renderer);
          const diffs = orderingDifferences(r, rec);
          orderingChanges.push(...diffs.map((d) => `${rec.design}, orderings of ${rec.sequence}: ${d}`));
          orderingSections.push(orderingsSectionHtml({ ...section, href: (f) => f, changes: diffs }, 'o-'));
          orderingLines.push(`  ${rec.design}, ${rec.sequence} on ${rec.config}: ${r.overall.summary}${diffs.length ? ' (CHANGED)' : ''}`);
          orderingSummaries.push({ design: rec.design, sequence: rec.sequence, config: rec.config, exhaustive: r.exhaustive, orderings: r.orderings.length, safe: r.overall.safe, necessary: r.overall.necessary.map(formatConstraint), changes: diffs, counterexamples: section.counterexamples.map((c) => ({ properties: c.staged.cx.violations.map((v) => v.property), order: c.order, files: c.staged.files })) });
          if (!(o.quiet ?? false)) io.err(`${label}: ${r.stats.distinctStates.toLocaleString('en-US')} states, ${(r.stats.searchMs / 1000).toFixed(1)} s, ${r.overall.safe} of ${r.orderings.length} safe\n`);
        }
      }

      // How the runs compare with the recorded outcomes.
      const changes: string[] = [];
      let compared = 0;
      for (const run of runs) {
        if (!RECORDED[run.design.name]) {
          changes.push(`${run.design.name}: no recorded outcome; record its row in cli/expected.ts and docs/designs.md`);
          continue;
        }
        const rec = recordedRun(run.design.name, run.config.name);
        if (!rec) continue;
        compared++;
        const name = rec === RECORDED[run.design.name] ? run.design.name : `${run.design.name} on ${run.config.name}`;
        for (const d of differences(run.row, rec.outcomes)) changes.push(`${name}: ${d}`);
      }
      changes.push(...orderingChanges);
      const skipped = runs.length - compared - runs.filter((r) => !RECORDED[r.design.name]).length;
      const ok = changes.length === 0;
      const verdictLines = ok
        ? [`Every outcome matches the recorded one (${compared} row${compared === 1 ? '' : 's'} compared${skipped ? `; ${skipped} not on their recorded configuration, not compared` : ''}).`]
        : [`${changes.length} outcome${changes.length === 1 ? '' : 's'} changed (against cli/expected.ts and docs/designs.md):`, ...changes];

      const rows = runs.map((r) => r.row);
      const columns = columnsOf(rows);
      const fullNames: Record<string, string> = {};
      for (const run of runs) for (const p of run.result.properties) fullNames[shortNameOf(p.name)] = p.name;
      const orderingNav = orderingSections.length ? [['#orderings', 'Orderings'] as const] : [];
      const orderingBlock = orderingSections.length ? ['<div id="orderings">', ...orderingSections, '</div>'] : [];
      const report = reportHtml({ title: 'grantcheck compare: every design, every property', version: packageVersion(), intro: intro(o.config, Object.keys(bounds).length > 0), columns, runs, verdict: { ok, lines: verdictLines }, fullNames, extraSections: orderingBlock, extraNav: orderingNav });
      staging.write('report.html', report);
      staging.write('table.md', markdownTable(rows, columns));
      staging.write('summary.json', `${JSON.stringify({ grantcheck: packageVersion(), ok, changes, runs: summaries, orderings: orderingSummaries }, null, 2)}\n`);
      staging.write('timings.json', `${JSON.stringify({ totalCheckMs: Math.round(totalMs), runs: timings }, null, 2)}\n`);
      staging.commit([...units, 'report.html', 'table.md', 'summary.json', 'timings.json']);

      const cxCount = runs.reduce((n, r) => n + r.counterexamples.length, 0);
      const rendered = runs.reduce((n, r) => n + r.counterexamples.filter((w) => w.svg).length, 0);
      if (o.json) {
        io.out(`${JSON.stringify({ ok, changes, columns, runs: runs.map((r) => ({ ...checkJson(r.result, { design: r.design.name, config: r.config }, () => null), outcomes: r.row.outcomes, recorded: r.recorded ?? null })) }, null, 2)}\n`);
      } else {
        const out: string[] = [intro(o.config, Object.keys(bounds).length > 0), ''];
        out.push(textTable(rows, columns, [{ title: 'states', value: (r) => String(r.states) }]));
        out.push('Properties:');
        for (const c of columns) {
          const full = fullNames[c] ?? c;
          out.push(`  ${c.padEnd(12)} ${full === c ? '' : `${full}: `}${c === 'deadlock' ? 'a terminal state in which a process is still alive' : (propertyDocs[full]?.meaning ?? '')}`);
        }
        if (orderingLines.length) out.push('', 'Orderings (grantcheck orderings; every ordering of a teardown sequence, one family search each):', ...orderingLines);
        out.push('', ...verdictLines);
        out.push('', `Wrote ${outDir}/report.html (${cxCount} counterexample${cxCount === 1 ? '' : 's'}, ${rendered} drawn as SVG), ${outDir}/table.md, ${outDir}/summary.json, ${outDir}/timings.json; counterexamples under ${outDir}/<design>/<config>/.`);
        out.push(`Checked in ${(totalMs / 1000).toFixed(1)} s.`);
        io.out(`${out.join('\n')}\n`);
      }
      return ok ? EXIT.ok : EXIT.violation;
    } catch (e) {
      staging.discard();
      throw e;
    }
  },
});
