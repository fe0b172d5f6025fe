/**
 * Structural diff of two plain-data states: the list of changes, each at a path
 * (`procs[0].ptes[1].kind: grant → none`, `maps[0].users: 2 → 1`, `handles: -{map:0,slot:0,...}`).
 *
 * Records are compared key by key (a key present on one side only is added or removed). Arrays of
 * the same length are compared element by element, by index. When the length changed, the two
 * arrays are aligned on their equal elements (a longest common subsequence), and between two
 * aligned elements the unmatched ones are paired by position (and diffed inside) as far as both
 * sides have some; the rest are whole elements added or removed. The order of the changes follows
 * the states' own order (record keys as written, array indices ascending), so it is deterministic.
 */
import { deepEqual, formatKey, formatValue, isList, isRecord } from './value.js';

/** One step of a path into a state: a record key or an array index. */
export type PathSegment = string | number;

/** One difference between two states. */
export interface Change {
  /** `changed`: a value was replaced; `added` / `removed`: a record key or an array element appeared or went. */
  readonly op: 'changed' | 'added' | 'removed';
  /**
   * Where. For an array element that was added or removed the path ends with its index (in the
   * new array for `added`, in the old one for `removed`), and `element` is true.
   */
  readonly path: readonly PathSegment[];
  /** True when a whole array element was added or removed. */
  readonly element: boolean;
  /** The old value (`changed`, `removed`). */
  readonly before?: unknown;
  /** The new value (`changed`, `added`). */
  readonly after?: unknown;
}

/** Arrays whose two lengths multiply past this are not aligned: index by index, then the tail is added or removed. */
const ALIGN_LIMIT = 250_000;

/** Every change that turns `before` into `after`, in a deterministic order; `[]` when they are equal. */
export function diffStates(before: unknown, after: unknown): Change[] {
  const out: Change[] = [];
  walk(before, after, [], out);
  return out;
}

function walk(a: unknown, b: unknown, path: PathSegment[], out: Change[]): void {
  if (deepEqual(a, b)) return;
  if (isList(a) && isList(b) && Array.isArray(a) === Array.isArray(b)) {
    diffLists(Array.from(a as ArrayLike<unknown>), Array.from(b as ArrayLike<unknown>), path, out);
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const k of Object.keys(a)) {
      if (Object.prototype.hasOwnProperty.call(b, k)) walk(a[k], b[k], [...path, k], out);
      else out.push({ op: 'removed', path: [...path, k], element: false, before: a[k] });
    }
    for (const k of Object.keys(b)) {
      if (!Object.prototype.hasOwnProperty.call(a, k)) out.push({ op: 'added', path: [...path, k], element: false, after: b[k] });
    }
    return;
  }
  out.push({ op: 'changed', path, element: false, before: a, after: b });
}

function diffLists(a: readonly unknown[], b: readonly unknown[], path: PathSegment[], out: Change[]): void {
  if (a.length === b.length) {
    a.forEach((x, i) => walk(x, b[i], [...path, i], out));
    return;
  }
  const pairs = a.length * b.length <= ALIGN_LIMIT ? align(a, b) : [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as const]) {
    // The gap a[i..pi) / b[j..pj): pair by position, then whole elements.
    const paired = Math.min(pi - i, pj - j);
    for (let k = 0; k < paired; k++) walk(a[i + k], b[j + k], [...path, j + k], out);
    for (let k = i + paired; k < pi; k++) out.push({ op: 'removed', path: [...path, k], element: true, before: a[k] });
    for (let k = j + paired; k < pj; k++) out.push({ op: 'added', path: [...path, k], element: true, after: b[k] });
    i = pi + 1;
    j = pj + 1;
  }
}

/** Index pairs (i, j), increasing in both, of a longest common subsequence of equal elements. */
function align(a: readonly unknown[], b: readonly unknown[]): (readonly [number, number])[] {
  const n = a.length;
  const m = b.length;
  const eq = (i: number, j: number) => deepEqual(a[i], b[j]);
  // len[i][j] = LCS length of a[i..] and b[j..].
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i]![j] = eq(i, j) ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const pairs: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (eq(i, j) && len[i]![j] === len[i + 1]![j + 1]! + 1) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** A path as text: `procs[0].ptes[1].kind`; the empty path is `(state)`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(state)';
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? formatKey(s) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

/** Options for printing a change. */
export interface FormatChangeOptions {
  /** Leading path segments to leave out (the part a group heading already names). @defaultValue 0 */
  readonly drop?: number;
  /** Between the old and the new value. @defaultValue ' → ' */
  readonly arrow?: string;
}

/**
 * A change as one line: `ptes[1].kind: grant → none`, `handles: -{map:0,...}`, `vmas: +{id:1,...}`,
 * `notify.extra: +1`. An array element's index is not printed (the path names the array).
 */
export function formatChange(change: Change, options: FormatChangeOptions = {}): string {
  const shown = change.element ? change.path.slice(0, -1) : change.path;
  const rel = shown.slice(Math.min(options.drop ?? 0, shown.length));
  const head = rel.length === 0 ? '' : `${formatPath(rel)}: `;
  switch (change.op) {
    case 'changed':
      return `${head}${formatValue(change.before)}${options.arrow ?? ' → '}${formatValue(change.after)}`;
    case 'added':
      return `${head}+${formatValue(change.after)}`;
    case 'removed':
      return `${head}-${formatValue(change.before)}`;
  }
}
