/**
 * How worker threads find their code. A worker cannot receive a model (functions do not cross
 * threads): it builds the same model itself from a `WorkerSource`, a module and an exported
 * factory with structured-cloneable arguments. Workers run built JavaScript: a source path inside
 * this repository (`explorer/fixtures.ts`, as vitest runs it) maps to its build in `dist/`
 * (`npm run build`, which `npm ci` and `npm test` run).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How a worker thread builds the same model: `(await import(module))[exportName](...args)`. */
export interface WorkerSource {
  /** A module URL or absolute path (a `.ts` source inside this repository maps to its build in `dist/`). */
  readonly module: string;
  /** The exported factory's name. */
  readonly exportName: string;
  /** Arguments for the factory: structured-cloneable data. */
  readonly args?: readonly unknown[];
}

/** Raised when a worker's code cannot be found (the package is not built). */
export class WorkerSetupError extends Error {
  override readonly name = 'WorkerSetupError';
}

/**
 * The URL of the built JavaScript of `module` (a URL or path): itself when it is JavaScript that
 * exists, else `<package root>/dist/<path relative to the root>.js`.
 */
export function builtModuleUrl(module: string): URL {
  const url = module.startsWith('file:') ? new URL(module) : pathToFileURL(module);
  const file = fileURLToPath(url);
  if (file.endsWith('.js') && existsSync(file)) return url;
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist'))) {
      const rel = relative(dir, file).replace(/\.[cm]?ts$/, '.js');
      const built = join(dir, 'dist', rel);
      if (existsSync(built)) return pathToFileURL(built);
      break;
    }
    dir = dirname(dir);
  }
  throw new WorkerSetupError(`worker threads run built JavaScript, and there is none for ${file}: run 'npm run build' first`);
}
