/**
 * Designs of your own: `defineDesign` patches a named design the way a kernel patch changes the
 * kernel. A patch changes variation points (`points`: model/design.ts lists them), replaces or adds
 * rules by action kind (`rules`: each gets the design's context and the rule it replaces), adds
 * candidate actions (`actions`: new kinds, or new parameter choices of existing ones: each is one
 * more nondeterministic choice the checker explores) and adds properties (`properties`). Rules are
 * written like the model's own (model/actions/): a guard that answers `true` or why the action is
 * disabled, then an immer recipe, with the model's state types and kernel helpers.
 *
 * The result is a `Design` (every variation point filled in) that carries its patch; `modelOf`,
 * the CLI (`grantcheck check --design-file`) and `expectDesign` build its model.
 */
import type { Property, Rule } from './explorer/index.js';
import { designNamed, designs, validateDesign, type Action, type Ctx, type Design, type ModelExtension, type State } from './model/index.js';

/** A design's variation points: every field of `Design` but its names. */
export type DesignPoints = Omit<Design, 'name' | 'origin' | 'summary' | 'base' | 'defaultConfig'>;

/** An action of a kind the model does not have: a record with a string `kind` and plain-data parameters. */
export interface NewAction {
  readonly kind: string;
}

/** The rule of the action kind `K` among the model's actions and the design's own (`X`). */
export type RuleFor<X extends NewAction, K extends string> = Rule<State, Extract<Action | X, { readonly kind: K }>>;

/**
 * Rules replaced or added, by action kind. Each builder gets the context (the design, with its
 * points applied, and the configuration) and the rule it replaces (`undefined` for a new kind).
 */
export type RuleBuilders<X extends NewAction> = {
  readonly [K in (Action | X)['kind']]?: (ctx: Ctx, original: RuleFor<X, K> | undefined) => RuleFor<X, K>;
};

/** What `defineDesign` takes. `X` is the union of the action types the design adds (none by default). */
export interface DesignDefinition<X extends NewAction = never> {
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
  readonly points?: Partial<DesignPoints>;
  /** Rules replaced (action kinds of the model) or added (the design's own kinds). */
  readonly rules?: RuleBuilders<X>;
  /** Candidate actions added after the model's own, in a fixed order (enabled or not: the rules decide). */
  readonly actions?: (state: State, ctx: Ctx) => readonly (Action | X)[];
  /** Properties added after the model's own (`always`, `actionProperty`, `atQuiescence`, `sometimes`). */
  readonly properties?: (ctx: Ctx) => readonly Property<State, Action | X>[];
}

/** What a design carries beyond its points: its patch, and the patches of the designs it extends. */
export interface DesignPatch {
  readonly rules?: (ctx: Ctx, table: Readonly<Record<string, Rule<State, Action>>>) => Readonly<Record<string, Rule<State, Action>>>;
  readonly actions?: (state: State, ctx: Ctx) => readonly Action[];
  readonly properties?: (ctx: Ctx) => readonly Property<State, Action>[];
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

const NAMES: readonly (keyof Design)[] = ['name', 'origin', 'summary', 'base', 'defaultConfig'];

/** The variation points of the model (the fields of a built-in design other than its names). */
export function variationPoints(): readonly string[] {
  return Object.keys(designs[0]!).filter((k) => !(NAMES as readonly string[]).includes(k));
}

/** The patch a design carries (rules, actions, properties), or undefined for a plain design. */
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
  return out;
}

/** Builds a design from a named base and a patch; throws DesignError naming what is wrong. */
export function defineDesign<X extends NewAction = never>(definition: DesignDefinition<X>): Design {
  const def = definition as DesignDefinition<NewAction>;
  if (def === null || typeof def !== 'object') throw new DesignError('defineDesign: pass an object { base, name, summary, points?, rules?, actions?, properties? }');
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
  const points = def.points ?? {};
  const known = variationPoints();
  for (const k of Object.keys(points)) {
    if ((NAMES as readonly string[]).includes(k)) throw new DesignError(`defineDesign: '${k}' is not a variation point; set it as ${k}: on the definition itself`);
    if (!known.includes(k)) throw new DesignError(`defineDesign: unknown variation point '${k}'${suggest(k, known)}; the points are ${known.join(', ')}`);
  }
  for (const [k, f] of [
    ['rules', def.rules],
    ['actions', def.actions],
    ['properties', def.properties],
  ] as const) {
    if (f === undefined) continue;
    if (k === 'rules' ? typeof f !== 'object' || f === null : typeof f !== 'function') {
      throw new DesignError(`defineDesign: ${k} must be ${k === 'rules' ? 'an object of rule builders by action kind' : `a function of ${k === 'actions' ? '(state, ctx)' : '(ctx)'}`}`);
    }
  }
  for (const [kind, build] of Object.entries(def.rules ?? {})) {
    if (typeof build !== 'function') throw new DesignError(`defineDesign: rules.${kind} must be a function (ctx, original) => ({ guard, effect })`);
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
  const own = def.rules as Readonly<Record<string, (ctx: Ctx, original: Rule<State, Action> | undefined) => Rule<State, Action>>> | undefined;
  const patch: DesignPatch = {
    ...(own || inner?.rules
      ? {
          rules: (ctx, table) => {
            const below = inner?.rules?.(ctx, table) ?? {};
            const under: Readonly<Record<string, Rule<State, Action>>> = { ...table, ...below };
            const out: Record<string, Rule<State, Action>> = { ...below };
            for (const [kind, build] of Object.entries(own ?? {})) {
              const r = build(ctx, under[kind]);
              if (!r || typeof r.guard !== 'function' || typeof r.effect !== 'function') {
                throw new DesignError(`design '${def.name}': rules.${kind} must return { guard(state, action), effect(draft, action) }`);
              }
              out[kind] = r;
            }
            return out;
          },
        }
      : {}),
    ...(def.actions || inner?.actions
      ? {
          actions: (s, ctx) => [...(inner?.actions?.(s, ctx) ?? []), ...((def.actions?.(s, ctx) ?? []) as readonly Action[])],
        }
      : {}),
    ...(def.properties || inner?.properties
      ? {
          properties: (ctx) => [...(inner?.properties?.(ctx) ?? []), ...((def.properties?.(ctx) ?? []) as readonly Property<State, Action>[])],
        }
      : {}),
  };
  Object.defineProperty(design, PATCH, { value: patch, enumerable: false });
  return Object.freeze(design);
}

/** The model extension of a design's patch (for `grantModel`), or undefined. */
export function extensionOf(design: Design): ModelExtension | undefined {
  const p = patchOf(design);
  if (!p || (!p.rules && !p.actions)) return undefined;
  return {
    ...(p.rules ? { rules: p.rules } : {}),
    ...(p.actions ? { actions: p.actions } : {}),
  } as ModelExtension;
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
