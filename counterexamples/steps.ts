/**
 * A trace step by step, for a viewer that walks through it: at each state, the action that led
 * there, what it changed entity by entity, the whole state entity by entity (with the changed
 * entities marked), and the other actions that were enabled at the state before, each with the
 * first things it would have changed. Plain strings only, deterministic: the HTML viewer renders
 * them as they are.
 */
import { fingerprint, type Model, type Step } from '../explorer/index.js';
import { diffStates, formatChange } from './diff.js';
import { actionPrinter, type ActionPrintOptions } from './dot.js';
import { defaultGrouping, entitiesOf, entityLine, groupChanges, pruneChange, type Grouping, type OmitPath } from './groups.js';
import { deepEqual, formatValue } from './value.js';

/** What a step changed in one entity. */
export interface StepChange {
  readonly entity: string;
  /** One line per changed path, relative to the entity (`ptes[0].kind: none → grant`). */
  readonly lines: readonly string[];
}

/** One entity of the whole state. */
export interface StepEntity {
  readonly entity: string;
  readonly value: string;
  /** The step changed it. */
  readonly changed: boolean;
}

/** Another action enabled where the trace took its step. */
export interface StepAlternative {
  readonly action: string;
  readonly kind: string;
  /** What it would have changed, one line per entity (`process 0: fds[0] false → true`). */
  readonly changes: readonly string[];
  /** When its successor is a state of the trace: that state's index. */
  readonly toTraceState?: number;
}

/** One state of the trace and the step into it. */
export interface TraceStep {
  readonly index: number;
  /** The action into this state, printed (absent for the initial state). */
  readonly action?: string;
  readonly kind?: string;
  readonly changes: readonly StepChange[];
  readonly state: readonly StepEntity[];
  /** The other actions enabled at the previous state (none for the initial state). */
  readonly alternatives: readonly StepAlternative[];
  /** Enabled alternatives beyond `maxAlternatives`, not listed. */
  readonly moreAlternatives: number;
}

/** Options of `traceSteps`. */
export interface TraceStepOptions<S, A> extends ActionPrintOptions<S, A> {
  readonly grouping?: Grouping;
  readonly omit?: OmitPath;
  /** Alternatives listed per step (needs `model`). @defaultValue 24 */
  readonly maxAlternatives?: number;
  /** Change lines listed per alternative. @defaultValue 3 */
  readonly alternativeLines?: number;
}

/** The trace as steps for a viewer. Alternatives need `options.model`. */
export function traceSteps<S, A>(trace: readonly Step<S, A>[], options: TraceStepOptions<S, A> = {}): TraceStep[] {
  const printer = actionPrinter(options);
  const grouping = options.grouping ?? defaultGrouping;
  const omit = options.omit;
  const maxAlt = options.maxAlternatives ?? 24;
  const altLines = options.alternativeLines ?? 3;
  const onTrace = new Map<string, number>();
  trace.forEach((s, i) => {
    const fp = fingerprint(s.state);
    if (!onTrace.has(fp)) onTrace.set(fp, i);
  });
  return trace.map((step, i): TraceStep => {
    const before = i > 0 ? trace[i - 1]!.state : undefined;
    const groups = before === undefined ? [] : groupChanges(diffStates(before, step.state), grouping);
    const changes = groups.map(({ group, changes: cs }) => ({ entity: group.label, lines: cs.map((c) => formatChange(pruneChange(c, omit), { drop: group.depth })) }));
    const changed = new Set(changes.map((c) => c.entity));
    const state = entitiesOf(step.state, grouping, omit).map((e) => ({ entity: e.label, value: formatValue(e.value), changed: changed.has(e.label) }));
    const alternatives: StepAlternative[] = [];
    let more = 0;
    if (before !== undefined && options.model) {
      const taken = step.action as A;
      for (const a of options.model.actions(before)) {
        if (deepEqual(a, taken)) continue;
        const next = options.model.nextState(before, a);
        if (next === undefined) continue;
        if (alternatives.length >= maxAlt) {
          more++;
          continue;
        }
        const lines = groupChanges(diffStates(before, next), grouping).map(({ group, changes: cs }) => `${group.label}: ${entityLine(cs, group.depth, omit)}`);
        const shown = lines.length > altLines ? [...lines.slice(0, altLines), `(${lines.length - altLines} more entit${lines.length - altLines === 1 ? 'y' : 'ies'})`] : lines;
        const j = onTrace.get(fingerprint(next));
        alternatives.push({ action: printer.format(a), kind: printer.kind(a), changes: shown.length ? shown : ['(no change)'], ...(j !== undefined ? { toTraceState: j } : {}) });
      }
    }
    return {
      index: i,
      ...(i > 0 ? { action: printer.format(step.action as A), kind: printer.kind(step.action as A) } : {}),
      changes,
      state,
      alternatives,
      moreAlternatives: more,
    };
  });
}
