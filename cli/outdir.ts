/**
 * Writing under `--out` without ever leaving half-written files there: everything is written to a
 * staging directory next to the output directory (same filesystem), and only when the run is
 * complete is each unit it owns (a file, or a design/config directory) moved into place with one
 * rename, replacing the old one. If the run fails or is interrupted, the staging directory is removed.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './args.js';

const live = new Set<string>();
let hooked = false;

function cleanupAll(): void {
  for (const d of live) rmSync(d, { recursive: true, force: true });
  live.clear();
}

/** Stops a Ctrl-C from leaving a staging directory behind. */
function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanupAll();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Throws a UsageError when `dir` cannot be an output directory (it is a file, or its parent is). */
export function validateOutDir(dir: string): void {
  const abs = resolve(dir);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new UsageError(`--out ${dir} is a file; give a directory (it is created if missing)`);
  let p = dirname(abs);
  while (!existsSync(p)) p = dirname(p);
  if (!statSync(p).isDirectory()) throw new UsageError(`--out ${dir}: ${p} is a file, not a directory; give another --out`);
}

/** A staging directory for one output directory. */
export class Staging {
  readonly root: string;
  readonly final: string;
  private readonly written = new Set<string>();

  constructor(outDir: string) {
    validateOutDir(outDir);
    this.final = resolve(outDir);
    const parent = dirname(this.final);
    mkdirSync(parent, { recursive: true });
    this.root = join(parent, `.${basename(this.final)}.staging-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(this.root, { recursive: true });
    live.add(this.root);
    hookSignals();
  }

  /** Writes a file at `rel` (a path under the output directory). */
  write(rel: string, content: string): void {
    const p = join(this.root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    this.written.add(rel);
  }

  /** Moves each unit (relative path) into the output directory, replacing what was there. */
  commit(units: readonly string[]): void {
    mkdirSync(this.final, { recursive: true });
    for (const u of units) {
      const from = join(this.root, u);
      if (!existsSync(from)) continue;
      const to = join(this.final, u);
      mkdirSync(dirname(to), { recursive: true });
      rmSync(to, { recursive: true, force: true });
      renameSync(from, to);
    }
    this.discard();
  }

  /** Removes the staging directory. */
  discard(): void {
    rmSync(this.root, { recursive: true, force: true });
    live.delete(this.root);
  }
}
