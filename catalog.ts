/**
 * The catalog: joins the model's designs and configurations with the properties. What the CLI,
 * the tests and users' design files build models from.
 */
import type { GuardedModel, Property } from './explorer/index.js';
import { DesignError, extensionOf, patchOf } from './extend.js';
import { configs, designNamed, designs, grantModel, type Action, type Design, type ModelConfig, type State } from './model/index.js';
import { PROPERTIES, propertiesFor } from './properties/index.js';

/**
 * The grant model of a design under a configuration, with the properties that apply to it. A
 * design built with `defineDesign` brings its patch: rules and candidate actions, and properties
 * (its invariants after the model's, its witnesses after the model's witnesses).
 */
export function modelOf(design: Design, config: ModelConfig): GuardedModel<State, Action> {
  const ctx = { design, config };
  const patch = patchOf(design);
  const own = propertiesFor(ctx);
  let properties: Property<State, Action>[] = own;
  if (patch?.properties) {
    const extra = [...patch.properties(ctx)];
    for (const p of extra) {
      if (!p || typeof p !== 'object' || typeof p.name !== 'string') throw new DesignError(`design '${design.name}': properties() must return properties built with always, actionProperty, atQuiescence or sometimes`);
      if (own.some((q) => q.name === p.name)) throw new DesignError(`design '${design.name}': property '${p.name}' is already a property of the model; give yours another name`);
    }
    const witness = (p: Property<State, Action>) => p.kind === 'sometimes';
    properties = [...own.filter((p) => !witness(p)), ...extra.filter((p) => !witness(p)), ...own.filter(witness), ...extra.filter(witness)];
  }
  return grantModel(design, config, properties, extensionOf(design));
}

/** Raised for an unknown design or configuration name; the message names the choices. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** Looks up a design by name, or throws a CatalogError listing the names. */
export function designByName(name: string): Design {
  const d = designNamed(name);
  if (!d) throw new CatalogError(`unknown design '${name}'; run 'grantcheck designs' to list them (${designs.map((x) => x.name).join(', ')})`);
  return d;
}

/** Looks up a configuration by name, or throws a CatalogError listing the names. */
export function configByName(name: string): ModelConfig {
  const c = configs[name];
  if (!c) throw new CatalogError(`unknown configuration '${name}'; known: ${Object.keys(configs).join(', ')}`);
  return c;
}

/** The design's default configuration. */
export function defaultConfigOf(design: Design): ModelConfig {
  return configByName(design.defaultConfig);
}

/**
 * How the grant model's state reads entity by entity, for diffs, trace graphs and text traces
 * (`labelGrouping(grantEntityLabels)`): `#` stands for the array index.
 */
export const grantEntityLabels: Readonly<Record<string, string>> = {
  grants: 'grant #',
  handles: 'Xen maptrack',
  procs: 'process #',
  files: 'file #',
  maps: 'map #',
  inflight: 'async unmaps',
};

/**
 * Short names of the properties, for table columns and the command line (`--property INV-5`,
 * `grantcheck explain users`), from the property records; `deadlock` is the explorer's own check.
 * A property missing here (a design file's) is shown by the `INV-n` it starts with, or by its
 * full name.
 */
export const propertyShortNames: Readonly<Record<string, string>> = {
  ...Object.fromEntries(PROPERTIES.map((r) => [r.name, r.short])),
  deadlock: 'deadlock',
};

/** The short name of a property (`INV-2q`), for tables. */
export function shortNameOf(property: string): string {
  return propertyShortNames[property] ?? /^INV-\d+\b/.exec(property)?.[0] ?? property;
}

/**
 * The property `query` names among `names`: its full name, its short name (`INV-5`, `users`), or
 * the one name that starts with it (case-insensitive). Throws a CatalogError listing the choices.
 */
export function resolveProperty(query: string, names: readonly string[]): string {
  if (names.includes(query)) return query;
  const q = query.trim().toLowerCase();
  const byShort = names.filter((n) => shortNameOf(n).toLowerCase() === q);
  if (byShort.length === 1) return byShort[0]!;
  const byPrefix = names.filter((n) => n.toLowerCase().startsWith(q));
  if (byPrefix.length === 1) return byPrefix[0]!;
  const list = names.map(shortNameOf).join(', ');
  if (byPrefix.length > 1) throw new CatalogError(`property '${query}' is ambiguous: it could be ${byPrefix.map((n) => `'${n}'`).join(' or ')}; give its short name (${byPrefix.map(shortNameOf).join(', ')}) or full name`);
  throw new CatalogError(`unknown property '${query}'; give one of ${list} (full names: grantcheck explain --list)`);
}

export { designs, configs };
