/**
 * The trace viewer: a counterexample stepped through, forward and back (buttons, or the arrow
 * keys, Home and End), with the current step highlighted on its graph (zoom with the wheel or the
 * buttons, pan by dragging), and beside it the state at that step entity by entity (what the step
 * changed first, then the whole state with the changed entities marked), the other actions that
 * were enabled instead, and at the last step the properties it violates with their clauses. The
 * HTML is written here, deterministically; the page's one script (html.ts) makes it step.
 */
import { traceSteps, type Counterexample, type OmitPath, type TraceStep } from '../counterexamples/index.js';
import { grantEntityLabels } from '../catalog.js';
import { labelGrouping } from '../counterexamples/index.js';
import type { Model } from '../explorer/index.js';
import { esc } from './html.js';
import { inlineSvg } from './html.js';

/** What the viewer shows of one counterexample, computed once when the trace is written. */
export interface ViewerTrace {
  readonly steps: readonly TraceStep[];
}

/** The steps of a grant-model counterexample, with the model's entity names and the parts the design lacks left out. */
export function viewerTrace<S, A>(model: Model<S, A>, cx: Counterexample<S, A>, omit?: OmitPath): ViewerTrace {
  return { steps: traceSteps(cx.trace, { model, grouping: labelGrouping(grantEntityLabels), ...(omit ? { omit } : {}) }) };
}

/** Everything the viewer of one trace needs. */
export interface ViewerInput {
  /** Unique in the page: the viewer's element id, and the prefix of its graph's ids. */
  readonly id: string;
  readonly cx: Counterexample<unknown, unknown>;
  readonly trace: ViewerTrace;
  /** The trace graph as SVG, or why there is none. */
  readonly svg?: string;
  readonly note?: string;
}

function stepHtml(s: TraceStep, last: number, cx: Counterexample<unknown, unknown>): string {
  const h: string[] = [];
  h.push(`<section class="vstep" data-step="${s.index}"${s.index === 0 ? '' : ' hidden'}>`);
  h.push(s.index === 0 ? '<h4>State 0: the initial state</h4>' : `<h4>State ${s.index}, after <code class="act">${esc(s.action ?? '')}</code></h4>`);
  if (s.index > 0) {
    if (s.changes.length === 0) h.push('<p class="vnone">This step changed nothing.</p>');
    else {
      h.push('<table class="vchanges"><caption>What the step changed</caption>');
      for (const c of s.changes) h.push(`<tr><th>${esc(c.entity)}</th><td>${c.lines.map((l) => `<div>${esc(l)}</div>`).join('')}</td></tr>`);
      h.push('</table>');
    }
  }
  if (s.index === last && cx.violations.length) {
    h.push('<div class="vviolation">');
    for (const v of cx.violations) h.push(`<p><b>Violates ${esc(v.property)}</b>${v.clause ? `: ${esc(v.clause)}` : ''}</p>`);
    h.push('</div>');
  }
  if (s.index > 0) {
    const n = s.alternatives.length + s.moreAlternatives;
    h.push(`<details class="valts"${n ? ' open' : ''}><summary>${n === 0 ? `No other action was enabled at state ${s.index - 1}` : `${n} other action${n === 1 ? ' was' : 's were'} enabled at state ${s.index - 1}`}</summary>`);
    if (s.alternatives.length) {
      h.push('<ul>');
      for (const a of s.alternatives) {
        const back = a.toTraceState !== undefined ? ` <span class="vback">(leads to state ${a.toTraceState} of this trace)</span>` : '';
        h.push(`<li><code class="act">${esc(a.action)}</code>${back}${a.changes.map((c) => `<div class="valt">${esc(c)}</div>`).join('')}</li>`);
      }
      h.push('</ul>');
    }
    if (s.moreAlternatives) h.push(`<p class="vnone">and ${s.moreAlternatives} more.</p>`);
    h.push('</details>');
  }
  h.push(`<table class="vstate"><caption>The state${s.index > 0 ? ' (changed entities marked)' : ''}</caption>`);
  for (const e of s.state) h.push(`<tr${e.changed ? ' class="changed"' : ''}><th>${esc(e.entity)}</th><td><code>${esc(e.value)}</code></td></tr>`);
  h.push('</table>', '</section>');
  return h.join('\n');
}

/** The viewer of one counterexample. */
export function viewerHtml(v: ViewerInput): string {
  const steps = v.trace.steps;
  const last = steps.length - 1;
  const h: string[] = [];
  h.push(`<div class="viewer" id="${esc(v.id)}" tabindex="0" data-last="${last}" aria-label="trace viewer">`);
  h.push(
    '<div class="vbar">',
    '<button type="button" class="vfirst" title="first state (Home)">&#xAB; first</button>',
    '<button type="button" class="vprev" title="previous step (Left arrow)">&#x25C0; back</button>',
    `<span class="vpos">state <b class="vcur">0</b> of ${last}</span>`,
    '<button type="button" class="vnext" title="next step (Right arrow)">forward &#x25B6;</button>',
    '<button type="button" class="vlast" title="last state (End)">last &#xBB;</button>',
    `<span class="vhint">Left/Right arrows step, Home/End jump; click a state in the graph to go there.</span>`,
    '</div>',
  );
  h.push('<ul class="vlist">');
  for (const s of steps) h.push(`<li><a href="#" data-goto="${s.index}"${s.index === 0 ? ' class="current"' : ''}><b>${s.index}</b> ${s.index === 0 ? 'initial state' : esc(s.action ?? '')}</a></li>`);
  h.push('</ul>');
  h.push('<div class="vgrid">');
  if (v.svg) {
    h.push(
      '<div class="vgraph">',
      '<div class="vzoombar"><button type="button" class="zin" title="zoom in">+</button><button type="button" class="zout" title="zoom out">&#x2212;</button><button type="button" class="zfit" title="fit the whole graph">fit</button><button type="button" class="z100" title="actual size">100%</button><span class="vhint">wheel: zoom; drag: pan</span></div>',
      `<div class="vcanvas"><div class="vzoom">${inlineSvg(v.svg, `${v.id}-`)}</div></div>`,
      '</div>',
    );
  } else h.push(`<div class="vgraph"><p class="note">Graph ${esc(v.note ?? 'not rendered')}.</p></div>`);
  h.push('<div class="vsteps">', ...steps.map((s) => stepHtml(s, last, v.cx)), '</div>');
  h.push('</div>', '</div>');
  return h.join('\n');
}
