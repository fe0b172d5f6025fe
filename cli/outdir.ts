/**
 * Writing under `--out` without ever leaving half-written files there: everything is written to a
 * staging directory next to the output directory (same filesystem), and only when the run is
 * complete is each unit it owns (a file, or a design/config directory) moved into place with one
 * rename, replacing the old one. If the run fails or is interrupted, the staging directory is
 * removed (signals.ts); one left by a run that was killed (kill -9) is removed by the next run into
 * the same directory.
 *
 * The output directory is checked before any search starts: it is a directory or can be created
 * as one (its nearest existing ancestor is a directory this process can write in, shown by creating
 * and removing an entry there), it is not on a pseudo-filesystem (/proc, /sys, ...), and its path
 * fits the system's limits. Directories are created one component at a time (a bounded loop).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from './args.js';
import { registerStaging, unregisterStaging } from './signals.js';

/** Filesystems that hold no files of ours: the kernel's views and interfaces. */
const PSEUDO_FILESYSTEMS = new Set(['proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'configfs', 'fusectl', 'mqueue', 'binfmt_misc', 'efivarfs', 'selinuxfs', 'autofs', 'hugetlbfs', 'nsfs', 'rpc_pipefs']);

/** Linux's limits on a path and on one of its names, in bytes. */
const PATH_MAX = 4095;
const NAME_MAX = 255;

/** The filesystem type of the mount that holds `path` (a real path), from /proc/self/mountinfo; undefined elsewhere. */
function filesystemOf(path: string): { type: string; mount: string } | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  let best: { type: string; mount: string } | undefined;
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const mount = left.split(' ')[4]?.replace(/\\040/g, ' ');
    const type = right.split(' ')[0];
    if (mount === undefined || type === undefined) continue;
    const inside = mount === '/' || path === mount || path.startsWith(mount + sep);
    if (inside && (best === undefined || mount.length >= best.mount.length)) best = { type, mount };
  }
  return best;
}

/** The nearest existing ancestor of an absolute path (itself if it exists); at most one step per component. */
function nearestExisting(abs: string): string {
  let p = abs;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** Creates `abs` and its missing ancestors, one component at a time. */
function makeDirs(abs: string): void {
  const missing: string[] = [];
  let p = abs;
  while (!existsSync(p) && dirname(p) !== p) {
    missing.push(p);
    p = dirname(p);
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

/** Whether a process with this id is alive (EPERM: alive, another user's). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Removes the staging directories of `final` left by runs that are no longer alive. */
export function removeStaleStaging(final: string): string[] {
  const parent = dirname(final);
  const prefix = `.${basename(final)}.staging-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-z]+$/.exec(name.slice(prefix.length));
    if (!m || alive(Number(m[1]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Throws a UsageError (one line: the problem and the fix) when `dir` cannot be an output directory;
 * then removes the staging directories that dead runs left next to it.
 */
export function validateOutDir(dir: string): void {
  const abs = resolve(dir);
  const fix = 'give another --out';
  if (Buffer.byteLength(abs) > PATH_MAX) throw new UsageError(`--out ${dir.slice(0, 60)}...: the path is longer than ${PATH_MAX} bytes; ${fix}`);
  const long = abs.split(sep).find((c) => Buffer.byteLength(c) > NAME_MAX);
  if (long !== undefined) throw new UsageError(`--out: the name '${long.slice(0, 40)}...' is longer than ${NAME_MAX} bytes; ${fix}`);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new UsageError(`--out ${dir} is a file; give a directory (it is created if missing)`);
  const base = nearestExisting(abs);
  if (!statSync(base).isDirectory()) throw new UsageError(`--out ${dir}: ${base} is a file, not a directory; ${fix}`);
  const real = realpathSync(base);
  const fs = filesystemOf(real);
  if (fs !== undefined && PSEUDO_FILESYSTEMS.has(fs.type)) {
    throw new UsageError(`--out ${dir} is on ${fs.mount}, a ${fs.type} pseudo-filesystem that holds no files; give a directory on a disk (e.g. --out out)`);
  }
  // writable: show it by creating and removing an entry where the staging directory will go
  const probe = join(base, `.grantcheck-probe-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    throw new UsageError(`--out ${dir}: cannot write in ${base} (${code}); give a directory you can write to`);
  }
  removeStaleStaging(abs);
}

/** A staging directory for one output directory. */
export class Staging {
  readonly root: string;
  readonly final: string;

  constructor(outDir: string) {
    validateOutDir(outDir);
    this.final = resolve(outDir);
    const parent = dirname(this.final);
    makeDirs(parent);
    this.root = join(parent, `.${basename(this.final)}.staging-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(this.root);
    registerStaging(this.root);
  }

  /** Writes a file at `rel` (a path under the output directory). */
  write(rel: string, content: string): void {
    const p = join(this.root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }

  /** Moves each unit (relative path) into the output directory, replacing what was there. */
  commit(units: readonly string[]): void {
    makeDirs(this.final);
    for (const u of units) {
      const from = join(this.root, u);
      if (!existsSync(from)) continue;
      const to = join(this.final, u);
      makeDirs(dirname(to));
      rmSync(to, { recursive: true, force: true });
      renameSync(from, to);
    }
    this.discard();
  }

  /** Removes the staging directory. */
  discard(): void {
    rmSync(this.root, { recursive: true, force: true });
    unregisterStaging(this.root);
  }
}
