/**
 * Assertions on designs for a test suite (`import { expectDesign } from 'grantcheck/vitest'`): a
 * downstream repository keeps its own expectations ("our patch holds INV-1", "the old driver
 * violates INV-5 within 6 steps") as ordinary tests. Each design and configuration is checked once
 * per test file and the result reused. Works with vitest (and any runner that reports thrown
 * errors); nothing here imports vitest.
 *
 * ```ts
 * import { expectDesign } from 'grantcheck/vitest';
 * import myPatch from "./my-patch.js";
 * it('gntdev-2022 holds INV-1', () => expectDesign('gntdev-2022', { config: 'small' }).toHold('INV-1'));
 * it('my patch breaks INV-5', () => expectDesign(myPatch, { config: 'tiny' }).toViolate('INV-5', { maxLength: 8 }));
 * ```
 */
import { CatalogError, configByName, designByName, modelOf, resolveProperty, shortNameOf } from './catalog.js';
import { check, type CheckResult } from './explorer/index.js';
import { formatAction, validateConfig, type Action, type Design, type ModelConfig, type State } from './model/index.js';

/** Where and how far a design is checked. */
export interface ExpectDesignOptions {
  /** A configuration name or object. @defaultValue the design's default configuration */
  readonly config?: string | ModelConfig;
  /** Constants changed on top of the configuration (`{ processes: 1 }`). */
  readonly overrides?: Partial<Omit<ModelConfig, 'name'>>;
  /** Bounds: a property is claimed to hold only when the search is exhaustive within them. */
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeLimitMs?: number;
}

/** A property's outcome, as `grantcheck compare` tables show it. */
export type Outcome = 'holds' | 'violated' | 'n/a' | 'unknown';

/** Raised by a failed expectation; `actual` and `expected` let the runner show the difference. */
export class DesignAssertionError extends Error {
  override readonly name = 'AssertionError';
  constructor(
    message: string,
    readonly actual?: unknown,
    readonly expected?: unknown,
  ) {
    super(message);
  }
}

/** What can be asserted of one design on one configuration. */
export interface DesignExpectation {
  /** The check result (computed on first use, then cached). */
  readonly result: CheckResult<State, Action>;
  /** The design's property names on this configuration (the explorer's `deadlock` included). */
  readonly properties: readonly string[];
  /** Each property holds: no violation, and the search was exhaustive within the bounds. */
  toHold(...properties: string[]): void;
  /** The property is violated; `length`/`maxLength` pin the shortest counterexample's length. */
  toViolate(property: string, options?: { readonly length?: number; readonly maxLength?: number }): void;
  /** The property's outcome is `outcome` (`n/a`: the property does not apply to this design). */
  toHaveOutcome(property: string, outcome: Outcome): void;
  /** Every `sometimes` witness was reached (so no property holds vacuously). */
  toReachEveryWitness(): void;
  /** The outcome of a property (`n/a` when it does not apply). */
  outcomeOf(property: string): Outcome;
}

const cache = new Map<string, CheckResult<State, Action>>();

/** Starts an expectation on a design (a name, or a design object such as a design file's default export). */
export function expectDesign(design: string | Design, options: ExpectDesignOptions = {}): DesignExpectation {
  const d = typeof design === 'string' ? designByName(design) : design;
  const base = options.config === undefined ? configByName(d.defaultConfig) : typeof options.config === 'string' ? configByName(options.config) : options.config;
  const over = options.overrides ?? {};
  const config: ModelConfig = Object.keys(over).length
    ? { ...base, ...over, name: `${base.name}+${Object.entries(over).map(([k, v]) => `${k}=${String(v)}`).join('+')}` }
    : base;
  validateConfig(config);
  const model = modelOf(d, config);
  const bounds = {
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
  };
  const key = JSON.stringify([d.name, config, bounds, typeof design === 'string' ? 'builtin' : 'object']);
  const where = `${d.name} on ${config.name}`;
  const names = [...model.properties.filter((p) => p.kind !== 'sometimes').map((p) => p.name), 'deadlock'];
  let result: CheckResult<State, Action> | undefined = typeof design === 'string' ? cache.get(key) : undefined;
  const get = (): CheckResult<State, Action> => {
    if (!result) {
      result = check(model, bounds);
      if (typeof design === 'string') cache.set(key, result);
    }
    return result;
  };
  const resolve = (p: string): string | undefined => {
    try {
      return resolveProperty(p, names);
    } catch (e) {
      if (e instanceof CatalogError && /^unknown property/.test(e.message)) return undefined;
      throw e;
    }
  };
  const outcomeOf = (p: string): Outcome => {
    const name = resolve(p);
    if (name === undefined) return 'n/a';
    const o = get().properties.find((x) => x.name === name);
    if (!o) return 'n/a';
    return o.outcome === 'violated' ? 'violated' : o.outcome === 'holds' ? 'holds' : 'unknown';
  };
  const mustResolve = (p: string): string => {
    const name = resolve(p);
    if (name === undefined) throw new DesignAssertionError(`${where}: no property '${p}' applies (its properties: ${names.map(shortNameOf).join(', ')})`);
    return name;
  };
  const why = (name: string): string => {
    const r = get();
    const v = r.violations.find((x) => x.property === name);
    if (v) {
      const steps = v.trace.slice(1).map((s) => formatAction(s.action!)).join('; ');
      return `violated after ${v.length} steps (path ${v.path})${v.clause ? `: ${v.clause}` : ''}\n  trace: ${steps}`;
    }
    if (r.status === 'incomplete') return `unknown: the search stopped first (${r.boundHit.detail})`;
    return 'holds';
  };
  return {
    get result() {
      return get();
    },
    properties: names,
    outcomeOf,
    toHold(...properties: string[]) {
      if (properties.length === 0) throw new DesignAssertionError('toHold: name at least one property');
      for (const p of properties) {
        const name = mustResolve(p);
        const o = outcomeOf(name);
        if (o !== 'holds') throw new DesignAssertionError(`expected ${where} to hold ${name}, but it is ${why(name)}`, o, 'holds');
      }
    },
    toViolate(property, opts = {}) {
      const name = mustResolve(property);
      const o = outcomeOf(name);
      if (o !== 'violated') throw new DesignAssertionError(`expected ${where} to violate ${name}, but it ${o === 'holds' ? 'holds in every reachable state' : why(name)}`, o, 'violated');
      const v = get().violations.find((x) => x.property === name)!;
      if (opts.length !== undefined && v.length !== opts.length) {
        throw new DesignAssertionError(`expected ${where} to violate ${name} in ${opts.length} steps, but the shortest counterexample has ${v.length} (path ${v.path})`, v.length, opts.length);
      }
      if (opts.maxLength !== undefined && v.length > opts.maxLength) {
        throw new DesignAssertionError(`expected ${where} to violate ${name} within ${opts.maxLength} steps, but the shortest counterexample has ${v.length} (path ${v.path})`, v.length, opts.maxLength);
      }
    },
    toHaveOutcome(property, outcome) {
      const name = resolve(property);
      const o = outcomeOf(property);
      if (o !== outcome) {
        throw new DesignAssertionError(`expected ${property} to be ${outcome} on ${where}, but it is ${name === undefined ? 'n/a (not a property of this design)' : why(name)}`, o, outcome);
      }
    },
    toReachEveryWitness() {
      const missing = get().witnesses.filter((w) => !w.reached);
      if (missing.length > 0) {
        throw new DesignAssertionError(`expected ${where} to reach every witness, but these were never reached: ${missing.map((w) => `'${w.name}'`).join(', ')}`, missing.map((w) => w.name), []);
      }
    },
  };
}
