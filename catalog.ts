/**
 * The catalog: joins the model's designs and configurations with the properties. What the CLI,
 * the tests and users' design files build models from.
 */
import type { GuardedModel } from './explorer/index.js';
import { configs, designNamed, designs, grantModel, type Action, type Design, type ModelConfig, type State } from './model/index.js';
import { propertiesFor } from './properties/index.js';

/** The grant model of a design under a configuration, with the properties that apply to it. */
export function modelOf(design: Design, config: ModelConfig): GuardedModel<State, Action> {
  return grantModel(design, config, propertiesFor({ design, config }));
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

export { designs, configs };
