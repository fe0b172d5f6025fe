/**
 * `--profile`: where the states come from. Fed through `CheckOptions.observe` (once per new distinct
 * state, with its depth), it counts per BFS level the new distinct states, and per field path of
 * the state (`procs[0].ptes[1].kind`, `maps`, `maps[0].users`) the distinct values that path took.
 * With the coverage the search already counts (per action kind, transitions generated and new
 * states found), a reader sees which action or which variable makes the state space grow.
 *
 * The walk is generic: records by key, arrays and byte arrays by index, anything else a leaf.
 * Values are not kept: each subtree is reduced to a 53-bit hash, and a path keeps the set of the
 * hashes it saw. Memory is bounded: at most `maxPaths` paths are followed (deeper or later ones are
 * counted as dropped) and each keeps at most `maxValues` hashes (beyond that it reports "at least
 * maxValues"), so the profile holds at most maxPaths × maxValues numbers whatever the run's length.
 * Two distinct values share a hash with probability about 2^-53 per pair: negligible at these caps.
 * Under a declared symmetry it sees, of each class, the state the search stored.
 */

/** Caps of the profiler. */
export interface ProfileLimits {
  /** Field paths followed; the rest are counted, not profiled. @defaultValue 1024 */
  readonly maxPaths?: number;
  /** Distinct values counted per path; beyond it the path reports "at least" this many. @defaultValue 1024 */
  readonly maxValues?: number;
}

/** One BFS level. */
export interface ProfileLevel {
  readonly depth: number;
  /** Distinct states first found at this depth. */
  readonly newStates: number;
  /** Distinct states found at this depth or before. */
  readonly states: number;
}

/** One field path of the state. */
export interface ProfilePath {
  /** `procs[0].ptes[1].kind`; the state itself is not listed. */
  readonly path: string;
  /** How many path segments deep (`procs` 1, `procs[0]` 2, `procs[0].ptes` 3). */
  readonly depth: number;
  /** Distinct values seen (at least this many when `capped`). */
  readonly distinct: number;
  /** The count stopped at the cap. */
  readonly capped: boolean;
  /** States in which the path existed (an element of a list exists only while the list is that long). */
  readonly present: number;
}

/** What a profiled run found. */
export interface Profile {
  readonly states: number;
  readonly levels: readonly ProfileLevel[];
  /** Every path followed, in the order of the state (a path before the paths under it). */
  readonly paths: readonly ProfilePath[];
  /** Paths not followed because `maxPaths` was reached (the paths under them are not counted). */
  readonly droppedPaths: number;
  readonly limits: Required<ProfileLimits>;
}

const TWO32 = 2 ** 32;

/** A node of the path tree: its distinct value hashes and its children. */
class PathNode {
  values: Set<number> | undefined = new Set();
  capped = false;
  present = 0;
  readonly keys = new Map<string, PathNode | null>();
  readonly items: (PathNode | null)[] = [];
  constructor(
    readonly path: string,
    readonly depth: number,
  ) {}
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** Mixes a 32-bit word into a 32-bit lane (murmur3's finaliser constants). */
function mix(h: number, w: number, m: number): number {
  h = Math.imul(h ^ w, m);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A 53-bit hash from two lanes. */
function join(a: number, b: number): number {
  return (a >>> 11) * TWO32 + (b >>> 0);
}

function hashString(s: string, seed: number): number {
  let a = mix(0x811c9dc5, seed, 0x85ebca6b);
  let b = mix(0x9747b28c, seed, 0xc2b2ae35);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = mix(a, c, 0x85ebca6b);
    b = mix(b, c, 0xc2b2ae35);
  }
  return join(a, b);
}

/** Hash of a leaf value, tagged by its type. */
function leafHash(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < TWO32 ? join(mix(0x1234567, v | 0, 0x85ebca6b), mix(0x7654321, v | 0, 0xc2b2ae35)) : hashString(String(v), 2);
    case 'string':
      return hashString(v, 3);
    case 'boolean':
      return v ? 5 : 4;
    case 'undefined':
      return 6;
    case 'bigint':
      return hashString(v.toString(), 7);
    default:
      return v === null ? 8 : hashString(String(v), 9);
  }
}

/** Collects a profile from `observe` calls. */
export class StateProfiler {
  private readonly maxPaths: number;
  private readonly maxValues: number;
  private readonly root: PathNode;
  private nodes = 0;
  private dropped = 0;
  private readonly perLevel: number[] = [];
  private total = 0;

  constructor(limits: ProfileLimits = {}) {
    this.maxPaths = limits.maxPaths ?? 1024;
    this.maxValues = limits.maxValues ?? 1024;
    this.root = new PathNode('', 0);
  }

  /** The `CheckOptions.observe` callback. */
  readonly observe = (state: unknown, depth: number): void => {
    this.total++;
    while (this.perLevel.length <= depth) this.perLevel.push(0);
    this.perLevel[depth]!++;
    this.walk(state, this.root, true);
  };

  /** A child node, created while the path budget lasts (null: dropped for good). */
  private child(parent: PathNode, key: string | number): PathNode | null {
    const slot = typeof key === 'number' ? parent.items[key] : parent.keys.get(key);
    if (slot !== undefined) return slot;
    let node: PathNode | null = null;
    if (this.nodes < this.maxPaths) {
      const path = typeof key === 'number' ? `${parent.path}[${key}]` : parent.path === '' ? key : /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent.path}.${key}` : `${parent.path}[${JSON.stringify(key)}]`;
      node = new PathNode(path, parent.depth + 1);
      this.nodes++;
    } else this.dropped++;
    if (typeof key === 'number') {
      while (parent.items.length < key) parent.items.push(undefined as unknown as null);
      parent.items[key] = node;
    } else parent.keys.set(key, node);
    return node;
  }

  /** Hashes `v`, recording the hash of every followed path under `node`. */
  private walk(v: unknown, node: PathNode | null, isRoot = false): number {
    let h: number;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const list = v as ArrayLike<unknown>;
      let a = mix(0x2545f491, list.length, 0x85ebca6b);
      let b = mix(0x9e3779b9, list.length, 0xc2b2ae35);
      for (let i = 0; i < list.length; i++) {
        const c = this.walk(list[i], node ? this.child(node, i) : null);
        a = mix(a, c >>> 0, 0x85ebca6b);
        b = mix(b, Math.floor(c / TWO32), 0xc2b2ae35);
      }
      h = join(a, b);
    } else if (isRecord(v)) {
      let a = 0x3c6ef372;
      let b = 0xa54ff53a;
      for (const k of Object.keys(v)) {
        // an optional field that is absent: the same state whether the key is missing or undefined
        // (a state kept as bytes shows every field of its layout)
        if (v[k] === undefined) continue;
        const kh = hashString(k, 1);
        const c = this.walk(v[k], node ? this.child(node, k) : null);
        a = mix(mix(a, kh >>> 0, 0x85ebca6b), c >>> 0, 0x85ebca6b);
        b = mix(mix(b, Math.floor(kh / TWO32), 0xc2b2ae35), Math.floor(c / TWO32), 0xc2b2ae35);
      }
      h = join(a, b);
    } else h = leafHash(v);
    if (node && !isRoot) {
      node.present++;
      const values = node.values;
      if (values) {
        values.add(h);
        if (values.size >= this.maxValues && !node.capped) {
          node.capped = true;
          node.values = undefined;
        }
      }
    }
    return h;
  }

  /** The profile so far. */
  result(): Profile {
    const paths: ProfilePath[] = [];
    const visit = (n: PathNode) => {
      const children = [...n.keys.values(), ...n.items].filter((c): c is PathNode => c instanceof PathNode);
      for (const c of children) {
        paths.push({ path: c.path, depth: c.depth, distinct: c.capped ? this.maxValues : c.values!.size, capped: c.capped, present: c.present });
        visit(c);
      }
    };
    visit(this.root);
    let states = 0;
    const levels = this.perLevel.map((n, depth) => ({ depth, newStates: n, states: (states += n) }));
    return { states: this.total, levels, paths, droppedPaths: this.dropped, limits: { maxPaths: this.maxPaths, maxValues: this.maxValues } };
  }
}

const int = (n: number): string => n.toLocaleString('en-US');

/** A bar of `width` characters for `n` of `max`. */
function bar(n: number, max: number, width: number): string {
  return '#'.repeat(max > 0 ? Math.max(n > 0 ? 1 : 0, Math.round((n / max) * width)) : 0);
}

/**
 * The profile as terminal tables: per level, the new distinct states and the running total; per
 * field path that took more than one value, its distinct values (indented by depth). Paths that
 * kept one value are counted, not listed.
 */
export function formatProfile(p: Profile): string {
  const out: string[] = [`Profile (${int(p.states)} distinct states):`];
  const maxNew = Math.max(0, ...p.levels.map((l) => l.newStates));
  const w = Math.max(9, int(p.states).length);
  out.push(`  ${'level'.padStart(5)}  ${'new states'.padStart(w + 1)}  ${'states'.padStart(w)}`);
  for (const l of p.levels) out.push(`  ${String(l.depth).padStart(5)}  ${int(l.newStates).padStart(w + 1)}  ${int(l.states).padStart(w)}  ${bar(l.newStates, maxNew, 30)}`);
  const varying = p.paths.filter((x) => x.distinct > 1);
  const constant = p.paths.length - varying.length;
  out.push(`  distinct values per state variable (${varying.length} of ${p.paths.length} field paths took more than one value; the other ${constant} kept one):`);
  const shown = varying.map((x) => ({ name: `${'  '.repeat(x.depth - 1)}${x.path}`, value: `${x.capped ? '>=' : ''}${int(x.distinct)}`, x }));
  const nameW = Math.min(60, Math.max(14, ...shown.map((s) => s.name.length)));
  const valW = Math.max(6, ...shown.map((s) => s.value.length));
  const maxDistinct = Math.max(0, ...varying.map((x) => x.distinct));
  for (const s of shown) out.push(`    ${s.name.padEnd(nameW)}  ${s.value.padStart(valW)}  ${bar(s.x.distinct, maxDistinct, 30)}`);
  if (p.droppedPaths > 0) out.push(`  ${int(p.droppedPaths)} more field paths were not followed (the profile follows at most ${int(p.limits.maxPaths)}).`);
  if (varying.some((x) => x.capped)) out.push(`  >= : the count stopped at ${int(p.limits.maxValues)} distinct values (the profile keeps at most that many per path).`);
  return `${out.join('\n')}\n`;
}

/** The profile as JSON (the same figures). */
export function profileJson(p: Profile): Record<string, unknown> {
  return { states: p.states, levels: p.levels, paths: p.paths, droppedPaths: p.droppedPaths, limits: p.limits };
}
