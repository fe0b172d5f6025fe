/**
 * Loading a design file: a TypeScript or JavaScript module whose default export is a design built
 * with `defineDesign` (or a plain `Design`). TypeScript is stripped of its types on the way in
 * (designFileHooks.ts); `grantcheck` imports in the file resolve to this package. Every failure is
 * a DesignFileError with one line naming the problem and the fix.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { designByName, modelOf, type ModelOptions } from './catalog.js';
import type { GuardedModel } from './explorer/index.js';
import { DesignError, patchOf, requiredPoints, withDesignSource, withPoints, type DesignSource } from './extend.js';
import { configs, designNamed, validateDesign, type Action, type Design, type ModelConfig, type State } from './model/index.js';

/** Raised when a design file is missing, does not load, or does not export a design. */
export class DesignFileError extends Error {
  override readonly name = 'DesignFileError';
}

/** The extensions a design file may have. */
export const DESIGN_FILE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.js', '.mjs'];

let hooked = false;

/** Registers the module hooks once per process (module.register: Node 20.6 and later). */
async function hook(): Promise<void> {
  if (hooked) return;
  const { register } = (await import('node:module')) as { register?: typeof import('node:module').register };
  if (typeof register !== 'function') throw new DesignFileError(`design files need Node 20.6 or later (module.register); this is Node ${process.versions.node}`);
  hooked = true;
  const url = (p: string) => new URL(p, import.meta.url).href;
  register(url('./designFileHooks.js'), {
    parentURL: import.meta.url,
    data: { self: { grantcheck: url('./index.js'), 'grantcheck/vitest': url('./testing.js') } },
  });
}

/** The first line of an error's message, without Node's stack or code frame. */
function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n').find((l) => l.trim() !== '')?.trim() ?? String(e);
}

/**
 * How long a design file may take to load (its top-level code and awaits), unless told otherwise:
 * a top-level await that never settles would otherwise end the process with nothing said.
 */
export const DESIGN_FILE_LOAD_TIMEOUT_MS = 20_000;

/** The message of a design file that did not finish loading in time. */
export function notLoadedIn(file: string, timeoutMs: number): string {
  return `design file '${file}': the module did not finish loading within ${timeoutMs / 1000} s (a top-level await that never settles, or code that never returns); fix the file, or give --load-timeout S if it needs longer`;
}

/** Loads the design a file exports by default; throws DesignFileError naming the problem and the fix. */
export async function loadDesignFile(file: string, options: { readonly timeoutMs?: number } = {}): Promise<Design> {
  const timeoutMs = options.timeoutMs ?? DESIGN_FILE_LOAD_TIMEOUT_MS;
  const abs = resolvePath(file);
  if (!existsSync(abs)) throw new DesignFileError(`design file '${file}' does not exist; give the path of a .ts or .js file whose default export is defineDesign({...})`);
  if (!statSync(abs).isFile()) throw new DesignFileError(`design file '${file}' is not a file; give the path of a .ts or .js module`);
  const ext = extname(abs);
  if (!DESIGN_FILE_EXTENSIONS.includes(ext)) {
    throw new DesignFileError(`design file '${file}' has extension '${ext}'; a design file is an ES module: ${DESIGN_FILE_EXTENSIONS.join(', ')}`);
  }
  await hook();
  let mod: { default?: unknown };
  let timer: NodeJS.Timeout | undefined;
  try {
    // the timer also keeps the process alive while the module waits (a pending import alone does not)
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DesignFileError(notLoadedIn(file, timeoutMs))), timeoutMs);
    });
    mod = (await Promise.race([import(pathToFileURL(abs).href), late])) as { default?: unknown };
  } catch (e) {
    if (e instanceof DesignFileError) throw e;
    const hint =
      e instanceof DesignError
        ? ''
        : (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND'
          ? '; check the import paths (grantcheck itself is always found)'
          : e instanceof SyntaxError
            ? ext === '.js' || ext === '.mjs'
              ? '; fix the syntax (a design file is an ES module: import/export, not require/module.exports)'
              : '; fix the syntax'
            : '';
    throw new DesignFileError(`design file '${file}' does not load: ${firstLine(e)}${hint}`);
  } finally {
    clearTimeout(timer);
  }
  const design = designOf(mod, file);
  if (typeof design.defaultConfig !== 'string' || configs[design.defaultConfig] === undefined) {
    throw new DesignFileError(`design file '${file}': defaultConfig ${JSON.stringify(design.defaultConfig) ?? String(design.defaultConfig)} is not a configuration; give one of ${Object.keys(configs).join(', ')} (or leave it out: the base's)`);
  }
  // Object.isFrozen: defineDesign freezes its result; a copy carries the file's path for other threads
  return withDesignSource(Object.isFrozen(design) ? copyDesign(design) : design, { file: abs });
}

/** A mutable copy of a design that keeps its patch. */
function copyDesign(design: Design): Design {
  return withPoints(design, {});
}

/**
 * The design another thread describes (`designSourceOf`): a built-in design, a design file loaded
 * here, or either with some variation points changed.
 */
export async function designFromSource(source: DesignSource): Promise<Design> {
  if ('builtin' in source) return designByName(source.builtin);
  if ('file' in source) return loadDesignFile(source.file);
  return withPoints(await designFromSource(source.base), source.points);
}

/**
 * The grant model a worker thread builds (catalog's `modelOf` names this function as the model's
 * `worker` source): the same design, configuration and properties as the thread that asked.
 */
export async function modelFromSource(source: DesignSource, config: ModelConfig, options: ModelOptions = {}): Promise<GuardedModel<State, Action>> {
  return modelOf(await designFromSource(source), config, options);
}

/** The design a loaded module exports by default, validated. */
export function designOf(mod: { default?: unknown }, file: string): Design {
  const d = mod.default;
  const how = "export default defineDesign({ base: 'gntdev-2022', name, summary, ... }) (import { defineDesign } from 'grantcheck')";
  if (d === undefined) throw new DesignFileError(`design file '${file}' has no default export; end it with ${how}`);
  if (d === null || typeof d !== 'object' || typeof (d as Design).name !== 'string') {
    throw new DesignFileError(`design file '${file}' exports ${describe(d)} by default, not a design; ${how}`);
  }
  const design = d as Design;
  if (!patchOf(design)) {
    const missing = requiredPoints().filter((k) => !(k in design));
    if (missing.length > 0 || typeof design.summary !== 'string') {
      throw new DesignFileError(`design file '${file}' exports an object that is not a complete design (missing ${missing.slice(0, 4).join(', ') || 'summary'}${missing.length > 4 ? ', ...' : ''}); build it with ${how}`);
    }
    if (designNamed(design.name)) throw new DesignFileError(`design file '${file}' exports a design named '${design.name}', a built-in name; give it its own name`);
    try {
      validateDesign(design);
    } catch (e) {
      throw new DesignFileError(`design file '${file}': ${firstLine(e)}`);
    }
  }
  return design;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object without a name';
  return `a ${typeof v}`;
}
