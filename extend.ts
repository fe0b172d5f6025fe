/**
 * Designs of your own: `defineDesign` patches a named design the way a kernel patch changes the
 * kernel. A patch changes variation points (`points`: model/design.ts lists them), replaces or adds
 * rules by action kind (`rules`: each gets the design's context and the rule it replaces), adds
 * candidate actions (`actions`: new kinds, or new parameter choices of existing ones: each is one
 * more nondeterministic choice the checker explores), declares ghost variables (`ghost`: state of
 * its own for its rules and properties), replaces kernel internals (`kernel`: every action that
 * calls one uses the replacement) and adds properties (`properties`). Rules are written like the
 * model's own (model/actions/): a guard that answers `true` or why the action is disabled, then an
 * immer recipe, with the model's state types and kernel helpers.
 *
 * The result is a `Design` (every variation point filled in) that carries its patch; `modelOf`,
 * the CLI (`grantcheck check --design-file`) and `expectDesign` build its model. Whatever a patch
 * changes either takes effect or is refused here with a message naming the point that governs it.
 */
import { ModelError, type Property, type Rule } from './explorer/index.js';
import { isLayout, misfit, type AnyLayout, type Layout } from './explorer/layout/schema.js';
import {
  ACTION_KINDS,
  DESIGN_NAMES,
  designNamed,
  designs,
  formatAction,
  GNTALLOC_POINTS,
  gntallocOf,
  KERNEL,
  KERNEL_HOOKS,
  validateDesign,
  VARIATION_POINTS,
  type Action,
  type Ctx,
  type Design,
  type GhostVariable,
  type GntallocChoices,
  type Kernel,
  type ModelExtension,
  type PointName,
  type State,
} from './model/index.js';

/** A design's variation points: every field of `Design` but its names. */
export type DesignPoints = Omit<Design, (typeof DESIGN_NAMES)[number]>;

/**
 * The variation points a patch may change: any point, and gntalloc's choices in part (the rest
 * stays the base's). `dynamicOrder` is the orderings tool's own marker, not a kernel choice: check
 * every ordering with `grantcheck orderings --design-file` or `checkOrderings` instead.
 */
export type PointChanges = Partial<Omit<DesignPoints, 'gntalloc' | 'dynamicOrder'>> & { readonly gntalloc?: Partial<GntallocChoices> };

/** An action of a kind the model does not have: a record with a string `kind` and plain-data parameters. */
export interface NewAction {
  readonly kind: string;
}

/** A ghost variable's declaration: its layout (`bool()`, `int(min, max)`, `oneOf(...)`, `record`, `list`, `tuple`, `optional`) and its initial value. */
export interface GhostDeclaration<T = unknown> {
  readonly layout: Layout<T>;
  readonly initial: T;
}

/** A design's ghost variables by name. */
export type GhostDeclarations = Readonly<Record<string, { readonly layout: AnyLayout; readonly initial: unknown }>>;

/** The values of ghost variables `G`, by name, each of the type its layout describes. */
export type GhostValues<G extends GhostDeclarations> = { readonly [K in keyof G]: G[K]['layout'] extends Layout<infer T> ? T : never };

/**
 * The state a design's rules, actions and properties see: the model's `State`, and with ghost
 * variables `G` its `ghost` record typed (`s.ghost.unmaps` is a number for `int(0, 7)`).
 */
export type DesignState<G extends GhostDeclarations = {}> = keyof G extends never ? State : State & { readonly ghost: GhostValues<G> };

/** The action of kind `K` among the model's actions and the design's own (`X`). */
export type ActionOf<X extends NewAction, K extends string> = Extract<Action | X, { readonly kind: K }>;

/** The rule of the action kind `K` among the model's actions and the design's own (`X`), on the design's state. */
export type RuleFor<X extends NewAction, K extends string, G extends GhostDeclarations = {}> = Rule<DesignState<G>, ActionOf<X, K>>;

/**
 * Rules replaced or added, by action kind. Each builder gets the context (the design, with its
 * points applied, the configuration and the kernel internals) and the rule it replaces (`undefined`
 * for a new kind).
 */
export type RuleBuilders<X extends NewAction, G extends GhostDeclarations = {}> = {
  readonly [K in (Action | X)['kind']]?: (ctx: Ctx, original: RuleFor<X, K, G> | undefined) => RuleFor<X, K, G>;
};

/** Kernel internals replaced, by name (model/internal/kernel.ts): each builder gets the function it replaces. */
export type KernelBuilders<G extends GhostDeclarations = {}> = {
  readonly [K in keyof Kernel]?: (original: Kernel<DesignState<G>>[K]) => Kernel<DesignState<G>>[K];
};

/**
 * What `defineDesign` takes. `X` is the union of the action types the design adds (none by
 * default); `G` its ghost variables, inferred from `ghost` (give it as `typeof ghost` when you
 * also give `X`: TypeScript infers all type arguments or none).
 */
export interface DesignDefinition<X extends NewAction = never, G extends GhostDeclarations = {}> {
  /** The design this one patches: a name from `grantcheck designs`, or a design object (another patch included). */
  readonly base: string | Design;
  /** The new design's name (not one of the built-in names). */
  readonly name: string;
  /** One line: what the patch changes. */
  readonly summary: string;
  /** Where it comes from. @defaultValue `patch of <base>` */
  readonly origin?: string;
  /** The configuration used by default. @defaultValue the base design's */
  readonly defaultConfig?: string;
  /** Variation points changed (model/design.ts documents each). */
  readonly points?: PointChanges;
  /** Rules replaced (action kinds of the model) or added (the design's own kinds). */
  readonly rules?: RuleBuilders<X, NoInfer<G>>;
  /** Candidate actions added after the model's own, in a fixed order (enabled or not: the rules decide). */
  readonly actions?: (state: DesignState<NoInfer<G>>, ctx: Ctx) => readonly (Action | X)[];
  /** Ghost variables: state of the design's own (counters, history flags), each with its layout and initial value. */
  readonly ghost?: G;
  /** Kernel internals replaced: every action of the model that calls one calls the replacement. */
  readonly kernel?: KernelBuilders<NoInfer<G>>;
  /** Properties added after the model's own (`always`, `actionProperty`, `atQuiescence`, `sometimes`). */
  readonly properties?: (ctx: Ctx) => readonly Property<DesignState<NoInfer<G>>, Action | X>[];
}

/** What a patch changes against its base, by part (names only; `describePatch` prints them). */
export interface PatchChanges {
  /** Variation points whose value differs from the base's (`gntalloc.delGref` for gntalloc's). */
  readonly points: readonly string[];
  /** Rules of the model's action kinds replaced. */
  readonly rulesReplaced: readonly string[];
  /** Rules of new action kinds. */
  readonly rulesAdded: readonly string[];
  /** Whether the patch adds candidate actions. */
  readonly actions: boolean;
  /** Ghost variables declared. */
  readonly ghost: readonly string[];
  /** Kernel internals replaced. */
  readonly kernel: readonly string[];
  /** Whether the patch adds properties. */
  readonly properties: boolean;
}

/** What a design carries beyond its points: its base, its own changes, and its patch with those of the designs it extends. */
export interface DesignPatch {
  /** The design it patches (a built-in one or another patch). */
  readonly base: Design;
  /** What this patch itself changes against `base`. */
  readonly changes: PatchChanges;
  readonly rules?: (ctx: Ctx, table: Readonly<Record<string, Rule<State, Action>>>) => Readonly<Record<string, Rule<State, Action>>>;
  readonly actions?: (state: State, ctx: Ctx) => readonly Action[];
  readonly properties?: (ctx: Ctx) => readonly Property<State, Action>[];
  readonly ghost?: Readonly<Record<string, GhostVariable>>;
  readonly kernel?: Partial<Kernel>;
}

/**
 * Where a design keeps its patch: a non-enumerable property under a registered symbol, so that the
 * design stays plain data for fingerprints and JSON, and a design made by another copy of this
 * package is still recognised.
 */
const PATCH = Symbol.for('grantcheck.designPatch');

/** Raised for a design definition that cannot be built; the message names the problem and the fix. */
export class DesignError extends Error {
  override readonly name = 'DesignError';
}

const NAMES: readonly string[] = DESIGN_NAMES;

/** The variation points of the model: every field of `Design` but its names, whichever design comes first. */
export function variationPoints(): readonly PointName[] {
  return Object.keys(VARIATION_POINTS) as PointName[];
}

/** The variation points every design must hold (`gntalloc` and `dynamicOrder` may be absent). */
export function requiredPoints(): readonly PointName[] {
  return variationPoints().filter((k) => k !== 'gntalloc' && k !== 'dynamicOrder');
}

/**
 * Where a design comes from, as plain data, so that another thread (a worker of the parallel
 * search, the supervised search thread) can build the same design: a built-in design's name, a
 * design file's path, or a design with some variation points changed.
 */
export type DesignSource =
  | { readonly builtin: string }
  | { readonly file: string }
  | { readonly base: DesignSource; readonly points: Partial<DesignPoints> };

const SOURCE = Symbol.for('grantcheck.designSource');

/** Records where `design` comes from (non-enumerable, like its patch); returns it. */
export function withDesignSource(design: Design, source: DesignSource): Design {
  Object.defineProperty(design, SOURCE, { value: source, enumerable: false });
  return design;
}

/** Where `design` comes from, when that is known (built-in designs are known by name). */
export function designSourceOf(design: Design): DesignSource | undefined {
  const own = (design as unknown as { [SOURCE]?: DesignSource })[SOURCE];
  if (own) return own;
  return designNamed(design.name) === design ? { builtin: design.name } : undefined;
}

/** The patch a design carries (rules, actions, properties, ghost variables, internals), or undefined for a plain design. */
export function patchOf(design: Design): DesignPatch | undefined {
  return (design as unknown as { [PATCH]?: DesignPatch })[PATCH];
}

/**
 * The design with some variation points changed, keeping its patch (a spread copy would drop it:
 * the patch is non-enumerable). What the orderings tool uses to fix or free a sequence's order.
 */
export function withPoints(design: Design, points: Partial<DesignPoints>): Design {
  const out = { ...design, ...points } as Design;
  const patch = patchOf(design);
  if (patch) Object.defineProperty(out, PATCH, { value: patch, enumerable: false });
  const source = designSourceOf(design);
  if (source) withDesignSource(out, { base: source, points });
  return out;
}

/** A value as a message shows it (cut to `max` characters). */
function show(v: unknown, max = 60): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint') return `${v}n`;
  try {
    const j = JSON.stringify(v);
    return j.length > max ? `${j.slice(0, max - 3)}...` : j;
  } catch {
    return String(v);
  }
}

/** A user's rule with its answers checked: a guard answers true or a string, an effect returns nothing. */
function checkedRule(design: string, kind: string, r: Rule<State, Action>): Rule<State, Action> {
  return {
    guard: (s, a) => {
      const v = r.guard(s, a) as unknown;
      if (v === true || typeof v === 'string') return v;
      throw new ModelError(`design '${design}': the guard of rules.${kind} answered ${show(v)} for ${formatAction(a)}; a guard answers true (enabled) or a string saying why the action is disabled`);
    },
    effect: (d, a) => {
      const v = r.effect(d, a) as unknown;
      if (v !== undefined) {
        throw new ModelError(
          `design '${design}': the effect of rules.${kind} returned ${show(v)} for ${formatAction(a)}; an effect changes the draft it is given and returns nothing (a returned value does not become the next state)`,
        );
      }
    },
  };
}

/** What each kernel internal answers (checked on a design's replacement). */
const HOOK_RESULTS: { readonly [K in keyof Kernel]: 'nothing' | 'count' | 'boolean' } = {
  unmapGrantPages: 'nothing',
  gnttabUnmapRefs: 'count',
  setForeignP2mMapping: 'boolean',
  clearForeignP2mMapping: 'count',
  gntdevPutMap: 'nothing',
};

/** A design's kernel internal with its answer checked against what its callers expect. */
function checkedHook<K extends keyof Kernel>(design: string, name: K, f: Kernel[K]): Kernel[K] {
  const want = HOOK_RESULTS[name];
  const wrapped = (...args: unknown[]) => {
    const v = (f as (...a: unknown[]) => unknown)(...args);
    const ok = want === 'nothing' ? v === undefined : want === 'boolean' ? typeof v === 'boolean' : typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (!ok) {
      const what = want === 'nothing' ? 'nothing (it changes the draft)' : want === 'boolean' ? 'true or false' : 'a whole number of handles';
      throw new ModelError(`design '${design}': kernel.${name} returned ${show(v)}; its callers expect ${what}`);
    }
    return v;
  };
  return wrapped as unknown as Kernel[K];
}

/** The points of a definition applied to its base's, checked; throws DesignError naming what is wrong. */
function applyPoints(name: string, base: Design, points: unknown): Partial<DesignPoints> {
  if (points === undefined) return {};
  if (points === null || typeof points !== 'object' || Array.isArray(points)) throw new DesignError(`defineDesign: points must be an object of variation points, e.g. { exitSteps: [...] }`);
  const known = variationPoints() as readonly string[];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(points)) {
    if (NAMES.includes(k)) throw new DesignError(`defineDesign: '${k}' is not a variation point; set it as ${k}: on the definition itself`);
    if (!known.includes(k)) throw new DesignError(`defineDesign: unknown variation point '${k}'${suggest(k, known)}; the points are ${known.join(', ')}`);
    if (k === 'dynamicOrder') {
      throw new DesignError(
        `defineDesign: design '${name}': dynamicOrder is the orderings tool's own marker (every order at once, one variant per order), not a kernel choice; check every order of your design with 'grantcheck orderings --design-file FILE' or checkOrderings({ design }), or fix one order with exitSteps, munmapSteps or gntalloc.delGrefOrder`,
      );
    }
    if (k === 'gntalloc') {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DesignError(`defineDesign: points.gntalloc must be an object of gntalloc choices (${Object.keys(GNTALLOC_POINTS).join(', ')})`);
      const sub = Object.keys(GNTALLOC_POINTS);
      for (const s of Object.keys(v)) if (!sub.includes(s)) throw new DesignError(`defineDesign: unknown gntalloc choice '${s}'${suggest(s, sub)}; gntalloc's choices are ${sub.join(', ')}`);
      out.gntalloc = { ...gntallocOf(base), ...(v as Partial<GntallocChoices>) };
      continue;
    }
    out[k] = v;
  }
  return out as Partial<DesignPoints>;
}

/** The points whose value differs between two designs (gntalloc's choice by choice). */
function changedPoints(design: Design, base: Design): string[] {
  const out: string[] = [];
  for (const k of variationPoints()) {
    if (k === 'gntalloc') {
      const a = gntallocOf(design);
      const b = gntallocOf(base);
      for (const s of Object.keys(GNTALLOC_POINTS) as (keyof GntallocChoices)[]) if (JSON.stringify(a[s]) !== JSON.stringify(b[s])) out.push(`gntalloc.${s}`);
      continue;
    }
    if (JSON.stringify(design[k]) !== JSON.stringify(base[k])) out.push(k);
  }
  return out;
}

/** The ghost declarations of a definition, checked; throws DesignError naming the variable. */
function checkGhost(name: string, ghost: unknown, inner: Readonly<Record<string, GhostVariable>> | undefined): Record<string, GhostVariable> {
  if (ghost === undefined) return {};
  if (ghost === null || typeof ghost !== 'object' || Array.isArray(ghost)) throw new DesignError(`defineDesign: ghost must be an object of ghost variables, e.g. { unmaps: { layout: int(0, 7), initial: 0 } }`);
  const out: Record<string, GhostVariable> = {};
  for (const [v, decl] of Object.entries(ghost)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new DesignError(`defineDesign: ghost variable name ${JSON.stringify(v)} must be an identifier (letters, digits, _)`);
    if (inner?.[v] !== undefined) throw new DesignError(`defineDesign: design '${name}': ghost variable '${v}' is declared by its base already; give yours another name`);
    const d = decl as { layout?: unknown; initial?: unknown } | null;
    if (d === null || typeof d !== 'object' || !isLayout(d.layout)) {
      throw new DesignError(`defineDesign: ghost variable '${v}' needs { layout, initial }, its layout one of bool(), int(min, max), oneOf(...), record({...}), list(of, capacity), tuple(of, n), optional(of)`);
    }
    const why = misfit(d.layout, d.initial, `ghost.${v}`);
    if (why) throw new DesignError(`defineDesign: ghost variable '${v}': its initial value does not fit its layout (${why}); give an initial value inside the layout`);
    out[v] = { layout: d.layout, initial: d.initial };
  }
  return out;
}

/** Builds a design from a named base and a patch; throws DesignError naming what is wrong. */
export function defineDesign<X extends NewAction = never, G extends GhostDeclarations = {}>(definition: DesignDefinition<X, G>): Design {
  const def = definition as unknown as DesignDefinition<NewAction, GhostDeclarations>;
  if (def === null || typeof def !== 'object') throw new DesignError('defineDesign: pass an object { base, name, summary, points?, rules?, actions?, ghost?, kernel?, properties? }');
  if (typeof def.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(def.name)) {
    throw new DesignError(`defineDesign: name must be a word of letters, digits and . _ + - (it names files), got ${JSON.stringify(def.name)}`);
  }
  if (designNamed(def.name)) throw new DesignError(`defineDesign: '${def.name}' is the name of a built-in design; give your design its own name`);
  if (typeof def.summary !== 'string' || def.summary.trim() === '') throw new DesignError(`defineDesign: design '${def.name}' needs a summary (one line: what it changes)`);
  let base: Design | undefined;
  if (typeof def.base === 'string') {
    base = designNamed(def.base);
    if (!base) {
      throw new DesignError(`defineDesign: unknown base design '${def.base}'; run 'grantcheck designs' to list them (${designs.map((d) => d.name).join(', ')})`);
    }
  } else if (def.base !== null && typeof def.base === 'object' && typeof (def.base as Design).name === 'string') {
    base = def.base;
  } else {
    throw new DesignError(`defineDesign: base must be a design name such as 'gntdev-2022' or a design object, got ${JSON.stringify(def.base)}`);
  }
  const points = applyPoints(def.name, base, def.points);
  for (const [k, f] of [
    ['rules', def.rules],
    ['kernel', def.kernel],
    ['actions', def.actions],
    ['properties', def.properties],
  ] as const) {
    if (f === undefined) continue;
    const table = k === 'rules' || k === 'kernel';
    if (table ? typeof f !== 'object' || f === null : typeof f !== 'function') {
      const what = k === 'rules' ? 'an object of rule builders by action kind' : k === 'kernel' ? `an object of builders by internal (${KERNEL_HOOKS.join(', ')})` : `a function of ${k === 'actions' ? '(state, ctx)' : '(ctx)'}`;
      throw new DesignError(`defineDesign: ${k} must be ${what}`);
    }
  }
  for (const [kind, build] of Object.entries(def.rules ?? {})) {
    if (typeof build !== 'function') throw new DesignError(`defineDesign: rules.${kind} must be a function (ctx, original) => ({ guard, effect })`);
  }
  for (const [hook, build] of Object.entries(def.kernel ?? {})) {
    if (!(KERNEL_HOOKS as readonly string[]).includes(hook)) throw new DesignError(`defineDesign: unknown kernel internal '${hook}'${suggest(hook, KERNEL_HOOKS)}; the replaceable internals are ${KERNEL_HOOKS.join(', ')}`);
    if (typeof build !== 'function') throw new DesignError(`defineDesign: kernel.${hook} must be a function (original) => replacement`);
  }

  const design: Design = {
    ...base,
    name: def.name,
    origin: def.origin ?? `patch of ${base.name}`,
    summary: def.summary,
    base: base.name,
    defaultConfig: def.defaultConfig ?? base.defaultConfig,
    ...points,
  };
  try {
    validateDesign(design);
  } catch (e) {
    throw new DesignError(`defineDesign: ${(e as Error).message}`);
  }

  const inner = patchOf(base);
  const ghost = checkGhost(def.name, def.ghost, inner?.ghost);
  const allGhost = { ...(inner?.ghost ?? {}), ...ghost };
  let kernel: Partial<Kernel> | undefined = inner?.kernel;
  if (def.kernel) {
    const below: Kernel = { ...KERNEL, ...(inner?.kernel ?? {}) };
    const mine: Record<string, unknown> = {};
    for (const [hook, build] of Object.entries(def.kernel)) {
      const name = hook as keyof Kernel;
      let f: unknown;
      try {
        f = (build as (original: unknown) => unknown)(below[name]);
      } catch (e) {
        throw new DesignError(`defineDesign: kernel.${hook} threw while building its replacement (${firstLineOf(e)}); a kernel builder returns the replacement function and does not throw`);
      }
      if (typeof f !== 'function') throw new DesignError(`defineDesign: kernel.${hook} must return the replacement function (${show(f)} given)`);
      mine[name] = checkedHook(def.name, name, f as Kernel[typeof name]);
    }
    kernel = { ...(inner?.kernel ?? {}), ...(mine as Partial<Kernel>) };
  }
  const own = def.rules as Readonly<Record<string, (ctx: Ctx, original: Rule<State, Action> | undefined) => Rule<State, Action>>> | undefined;
  const modelKinds: readonly string[] = ACTION_KINDS;
  const ownKinds = Object.keys(own ?? {});
  const patch: DesignPatch = {
    base,
    changes: {
      points: changedPoints(design, base),
      rulesReplaced: ownKinds.filter((k) => modelKinds.includes(k)),
      rulesAdded: ownKinds.filter((k) => !modelKinds.includes(k)),
      actions: def.actions !== undefined,
      ghost: Object.keys(ghost),
      kernel: Object.keys(def.kernel ?? {}),
      properties: def.properties !== undefined,
    },
    ...(own || inner?.rules
      ? {
          rules: (ctx, table) => {
            const below = inner?.rules?.(ctx, table) ?? {};
            const under: Readonly<Record<string, Rule<State, Action>>> = { ...table, ...below };
            const out: Record<string, Rule<State, Action>> = { ...below };
            for (const [kind, build] of Object.entries(own ?? {})) {
              let r: Rule<State, Action>;
              try {
                r = build(ctx, under[kind]);
              } catch (e) {
                throw new DesignError(`design '${def.name}': rules.${kind} threw while building its rule (${firstLineOf(e)}); a rule builder returns { guard, effect } and does not throw`);
              }
              if (!r || typeof r.guard !== 'function' || typeof r.effect !== 'function') {
                throw new DesignError(`design '${def.name}': rules.${kind} must return { guard(state, action), effect(draft, action) }`);
              }
              out[kind] = checkedRule(def.name, kind, r);
            }
            return out;
          },
        }
      : {}),
    ...(def.actions || inner?.actions
      ? {
          actions: (s: State, ctx: Ctx) => [...(inner?.actions?.(s, ctx) ?? []), ...((def.actions?.(s as never, ctx) ?? []) as readonly Action[])],
        }
      : {}),
    ...(def.properties || inner?.properties
      ? {
          properties: (ctx: Ctx) => {
            const below = inner?.properties?.(ctx) ?? [];
            const mine = def.properties ? ownProperties(def.name, () => def.properties!(ctx)) : [];
            const all = [...below, ...mine];
            const seen = new Set<string>();
            for (const p of all) {
              if (seen.has(p.name)) throw new DesignError(`design '${def.name}': properties() returns two properties named '${p.name}'${below.some((q) => q.name === p.name) ? ' (one of them its base design\'s)' : ''}; give each property its own name`);
              seen.add(p.name);
            }
            return all;
          },
        }
      : {}),
    ...(Object.keys(allGhost).length > 0 ? { ghost: allGhost } : {}),
    ...(kernel ? { kernel } : {}),
  };
  Object.defineProperty(design, PATCH, { value: patch, enumerable: false });
  return Object.freeze(design);
}

/** The first line of an error's message. */
function firstLineOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n').find((l) => l.trim() !== '')?.trim() ?? m;
}

/** A definition's own properties: `properties(ctx)` called, its answer checked (an array of properties, each with a name and a kind). */
function ownProperties(design: string, call: () => unknown): Property<State, Action>[] {
  let got: unknown;
  try {
    got = call();
  } catch (e) {
    throw new DesignError(`design '${design}': properties() threw (${firstLineOf(e)}); properties(ctx) returns an array of properties and does not throw`);
  }
  const how = 'built with always, actionProperty, atQuiescence or sometimes';
  if (!Array.isArray(got)) throw new DesignError(`design '${design}': properties() returned ${show(got)}, not an array; return an array of properties ${how}`);
  got.forEach((p: unknown, i) => {
    const q = p as { name?: unknown; kind?: unknown } | null;
    if (q === null || typeof q !== 'object' || typeof q.name !== 'string' || q.name === '' || !['always', 'step', 'atQuiescence', 'sometimes'].includes(q.kind as string)) {
      throw new DesignError(`design '${design}': properties()[${i}] is ${show(p)}, not a property; give properties ${how}`);
    }
  });
  return got as Property<State, Action>[];
}

/** The model extension of a design's patch (for `grantModel`), or undefined. */
export function extensionOf(design: Design): ModelExtension | undefined {
  const p = patchOf(design);
  if (!p || (!p.rules && !p.actions && !p.ghost && !p.kernel)) return undefined;
  return {
    ...(p.rules ? { rules: p.rules } : {}),
    ...(p.actions ? { actions: p.actions } : {}),
    ...(p.ghost ? { ghost: p.ghost } : {}),
    ...(p.kernel ? { kernel: p.kernel } : {}),
  } as ModelExtension;
}

/** The names of what a patch changes that can change the reachable behaviour (`munmapSteps`, `rules.unmap_vmas`, `kernel.gnttabUnmapRefs`, `actions`). */
export function behaviourChanges(c: PatchChanges): string[] {
  return [...c.points, ...c.rulesReplaced.map((k) => `rules.${k}`), ...c.rulesAdded.map((k) => `rules.${k}`), ...(c.actions ? ['actions'] : []), ...c.kernel.map((k) => `kernel.${k}`)];
}

/**
 * The base a design patches and what it changes against it: a `defineDesign` patch's own record,
 * or for a plain design whose `base` names a built-in design, the points that differ. Undefined
 * for a design with no known base.
 */
export function patchChangesOf(design: Design): { readonly base: Design; readonly changes: PatchChanges } | undefined {
  const p = patchOf(design);
  if (p) return { base: p.base, changes: p.changes };
  const base = design.base === undefined ? undefined : designNamed(design.base);
  if (!base || base === design) return undefined;
  return { base, changes: { points: changedPoints(design, base), rulesReplaced: [], rulesAdded: [], actions: false, ghost: [], kernel: [], properties: false } };
}

/**
 * What a design changes against its base, one line per part: each point with its base value and
 * its own, the rules replaced and added, the actions, ghost variables, kernel internals and
 * properties. Empty for a design with no known base.
 */
export function describePatch(design: Design): string[] {
  const p = patchChangesOf(design);
  if (!p) return [];
  const c = p.changes;
  const out: string[] = [];
  const value = (d: Design, k: string): string => {
    if (k.startsWith('gntalloc.')) return show((gntallocOf(d) as unknown as Record<string, unknown>)[k.slice('gntalloc.'.length)], Infinity);
    return show((d as unknown as Record<string, unknown>)[k], Infinity);
  };
  for (const k of c.points) out.push(`point ${k}: ${value(p.base, k)} -> ${value(design, k)}`);
  if (c.rulesReplaced.length) out.push(`rules replaced: ${c.rulesReplaced.join(', ')}`);
  if (c.rulesAdded.length) out.push(`rules added (new action kinds): ${c.rulesAdded.join(', ')}`);
  if (c.actions) out.push('candidate actions added');
  if (c.ghost.length) out.push(`ghost variables: ${c.ghost.join(', ')}`);
  if (c.kernel.length) out.push(`kernel internals replaced: ${c.kernel.join(', ')}`);
  if (c.properties) out.push('properties added');
  if (out.length === 0) out.push('nothing: the same points, rules and properties as its base');
  return out;
}

/** ` (did you mean 'x'?)` when a known word is one or two edits away. */
export function suggest(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
