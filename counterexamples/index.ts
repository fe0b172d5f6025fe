/**
 * Counterexamples people can read: structural diffs, the trace graph (DOT) and its SVG, the whole
 * state graph of a small model, ITF traces and their replay, the text trace, and regression tests
 * emitted from a trace. Generic: works for any model whose states and actions are plain data; this
 * folder imports only the explorer.
 */
export { diffStates, formatChange, formatPath } from './diff.js';
export type { Change, PathSegment, FormatChangeOptions } from './diff.js';
export { defaultGrouping, labelGrouping, groupChanges, changeLines, entitiesOf, summaryOf, entityLine, omitPaths, genericPath, prune, pruneChange } from './groups.js';
export type { Group, Grouping, ChangeGroup, Entity, GroupLines, OmitPath } from './groups.js';
export { deepEqual, formatValue } from './value.js';
export { dotString, recordText, PALETTE } from './dot.js';
export type { ActionPrintOptions } from './dot.js';
export { traceToDot } from './traceDot.js';
export type { TraceDotOptions, SiblingOptions } from './traceDot.js';
export { exploreStateGraph, stateGraphToDot, GraphLimitError, MAX_GRAPH_STATES } from './stateGraph.js';
export type { StateGraph, GraphNode, GraphEdge, ExploreGraphOptions, StateGraphDotOptions } from './stateGraph.js';
export { counterexamplesOf } from './violation.js';
export type { ViolationInfo, Counterexample } from './violation.js';
export { renderSvg, countNodes, RenderError, MAX_RENDER_NODES } from './render.js';
export type { RenderOptions } from './render.js';
export { toItf, fromItf, itfToJson, ItfError, ItfUnserializable, ITF_FORMAT_VERSION, ACTION_TAKEN, NONDET_PICKS } from './itf.js';
export type { ItfTrace, ItfState, ItfMeta, ItfValue, ItfKind, ItfTypes, ToItfOptions, DecodedTrace, DecodedStep, DecodedMeta } from './itf.js';
export { replayItf, findViolation } from './replay.js';
export type { ReplayResult, ReplayReproduced, ReplayNotReproduced, ReplayMismatch, ReplayOptions, TraceViolation } from './replay.js';
export { formatTrace } from './text.js';
export type { TextTraceOptions } from './text.js';
export { emitRegressionTest } from './regression.js';
export type { RegressionTestSpec } from './regression.js';
export { traceSteps } from './steps.js';
export type { TraceStep, TraceStepOptions, StepChange, StepEntity, StepAlternative } from './steps.js';
