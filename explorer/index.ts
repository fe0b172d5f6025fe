/**
 * The explorer: a generic explicit-state model checker. It knows the `Model` contract and nothing
 * of the grant model (this folder never imports `model/`).
 */
export { check } from './check.js';
export { ModelError } from './errors.js';
export {
  always,
  actionProperty,
  sometimes,
  atQuiescence,
  defaultFormatAction,
  defaultActionKind,
} from './model.js';
export type {
  Model,
  Property,
  AlwaysProperty,
  StepProperty,
  SometimesProperty,
  AtQuiescenceProperty,
  Verdict,
  PropertyMeta,
} from './model.js';
export { guardedModel, ruleFromTable, Blocked, block, blockedBy } from './guarded.js';
export { packedModel, isPackedModel } from './packed.js';
export type { PackedModel, PackedSpec } from './packed.js';
export type { WorkerSource } from './parallel/source.js';
export type { Rule, RuleTable, GuardedModel, GuardedSpec } from './guarded.js';
export { encodePath, decodePath, replayPath, pathOfActions, PathError } from './path.js';
export type { Path, Step } from './path.js';
export { CheckOptionError } from './options.js';
export type { CheckOptions } from './options.js';
export type {
  CheckResult,
  CheckStatus,
  OkResult,
  ViolationResult,
  IncompleteResult,
  CheckStats,
  ActionCoverage,
  Violation,
  Deadlock,
  Witness,
  PropertyOutcome,
  Bounds,
  BoundHit,
  Progress,
  StoreStats,
  SymmetryStats,
} from './result.js';
export { fingerprint } from './fingerprint.js';
export { FingerprintSet } from './store/fpset.js';
export { ParentLinks } from './store/links.js';
export { formatReport } from './report.js';
export { simulate, validateSimulateOptions } from './simulate/simulate.js';
export { formatSimulationReport } from './simulate/report.js';
export type { SimulationReportOptions } from './simulate/report.js';
export type {
  ChooseBy,
  SimulateOptions,
  SimulationResult,
  NoViolationFoundResult,
  SimulationViolationResult,
  SimulationStats,
  SimulationCoverage,
  SimulationWitness,
  SimulationSettings,
} from './simulate/simulate.js';
export { checkFamily } from './family/family.js';
export type { FamilyOptions, FamilyResult, FamilyViolation, FamilyWitness } from './family/family.js';
export { permutations, linearExtensions, satisfies, formatConstraint, candidates, deriveConstraints } from './family/orderings.js';
export type { Constraint, Derivation } from './family/orderings.js';
export { Supervisor, SearchThreadError } from './supervise/supervisor.js';
export type { Supervised, SupervisedOptions, SupervisedTask, TaskOptions } from './supervise/supervisor.js';
export type { Observer, TaskContext } from './supervise/thread.js';
export { stopWord, STOP_INTERRUPT, STOP_TERMINATE, STOP_TIME, STOP_MEMORY } from './search/stop.js';
