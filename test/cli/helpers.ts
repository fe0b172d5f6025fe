// Running the CLI in tests: the built bin in a child process (what users run), or runCli in-process
// (fast, same code) with stdout and stderr captured.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/run.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(root, 'dist/cli/main.js');

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli/main.js ...args` from the repository root. */
export function runBuilt(args: readonly string[], cwd = root): Ran {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GRANTCHECK_DEBUG: '' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in this process (stderr is not a terminal). */
export async function runHere(args: readonly string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), errIsTTY: false });
  return { code, stdout, stderr };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'grantcheck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
