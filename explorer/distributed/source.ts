/**
 * Where a worker on another host finds the model's code: the coordinator names the module by URL
 * and by its path inside the package, and a worker whose package sits elsewhere uses the second.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtModuleUrl, type WorkerSource } from '../parallel/source.js';
import type { JobSource } from './wire.js';

/** The directory holding the package.json above `file`, if any. */
function packageRoot(file: string): string | undefined {
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** A model's worker source as a job names it (built JavaScript; throws WorkerSetupError when there is none). */
export function jobSourceOf(source: WorkerSource): JobSource {
  const url = builtModuleUrl(source.module);
  const file = fileURLToPath(url);
  const root = packageRoot(file);
  return { url: url.href, packagePath: root ? relative(root, file) : undefined, exportName: source.exportName, args: source.args ?? [] };
}

/** The module URL this host loads for a job's source: the same file, or the same path in this host's package. */
export function localModuleUrl(source: JobSource): string {
  const file = fileURLToPath(source.url);
  if (existsSync(file)) return source.url;
  const root = packageRoot(fileURLToPath(import.meta.url));
  if (root && source.packagePath !== undefined) {
    const here = join(root, source.packagePath);
    if (existsSync(here)) return pathToFileURL(here).href;
  }
  throw new Error(`this host has neither ${file} nor ${source.packagePath ?? 'the same package'}: install the same grantcheck (and design file, at the same path) on every host`);
}
