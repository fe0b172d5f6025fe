/**
 * Grouping by entity: which part of the state a path belongs to, so that a reader sees where
 * things live ("process 0", "map 0", "Xen maptrack") instead of a flat list of paths. The default is
 * generic (the top-level key, plus the index when the key holds an array); a model passes nicer
 * names with `labelGrouping`.
 */
import { formatChange, formatPath, type Change, type PathSegment } from './diff.js';
import { formatKey, formatValue, isRecord } from './value.js';

/** The entity a path belongs to. */
export interface Group {
  /** Identity of the group (changes with equal keys are listed together). */
  readonly key: string;
  /** Heading shown to the reader: `process 0`, `Xen maptrack`. */
  readonly label: string;
  /** How many leading path segments the heading stands for (they are not repeated under it). */
  readonly depth: number;
}

/** Maps a path into the state to its entity. */
export type Grouping = (path: readonly PathSegment[]) => Group;

/**
 * The generic grouping: `procs[0]` for paths under `procs[0]`, `handles` for a top-level key that
 * holds no array, `[3]` for a state that is itself an array, `state` for the root.
 */
export const defaultGrouping: Grouping = (path) => {
  const [a, b] = path;
  if (a === undefined) return { key: '', label: 'state', depth: 0 };
  if (typeof a === 'number' || typeof b !== 'number') {
    const k = formatPath([a]);
    return { key: k, label: k, depth: 1 };
  }
  const k = formatPath([a, b]);
  return { key: k, label: k, depth: 2 };
};

/**
 * A grouping from a table of top-level keys: a label with `#` names one entity per array element
 * (`{ procs: 'process #' }` gives `process 0`, `process 1`); a label without `#` names the whole
 * key as one entity (`{ handles: 'Xen maptrack' }`). Keys not in the table fall back to `fallback`.
 */
export function labelGrouping(labels: Readonly<Record<string, string>>, fallback: Grouping = defaultGrouping): Grouping {
  return (path) => {
    const [a, b] = path;
    if (typeof a !== 'string' || !Object.prototype.hasOwnProperty.call(labels, a)) return fallback(path);
    const label = labels[a]!;
    if (!label.includes('#')) return { key: a, label, depth: 1 };
    if (typeof b !== 'number') return { key: a, label: formatPath([a]), depth: 1 };
    return { key: `${a}[${b}]`, label: label.replace('#', String(b)), depth: 2 };
  };
}

/** Changes of one entity, in their order. */
export interface ChangeGroup {
  readonly group: Group;
  readonly changes: readonly Change[];
}

/** Sorts changes into their entities; groups come in the order of their first change. */
export function groupChanges(changes: readonly Change[], grouping: Grouping = defaultGrouping): ChangeGroup[] {
  const byKey = new Map<string, { group: Group; changes: Change[] }>();
  for (const c of changes) {
    const g = grouping(c.path);
    const slot = byKey.get(g.key);
    if (slot) slot.changes.push(c);
    else byKey.set(g.key, { group: g, changes: [c] });
  }
  return [...byKey.values()];
}

/**
 * Parts of a state to leave out where values are printed whole (the initial state, an element that
 * appeared or went): a model's parts that a design or configuration does not have, such as
 * gntalloc's fields in a gntdev design. Changes at such a path are still printed: leaving out is
 * for what stays as it was, never for what a step did.
 */
export type OmitPath = (path: readonly PathSegment[]) => boolean;

/** A path with every index as `*`: `procs[*].smmu`. */
export function genericPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? '[*]' : i === 0 ? formatKey(s) : `.${formatKey(s)}`)).join('');
}

/** An `OmitPath` from generic paths: `['alloc', 'procs[*].smmu']` leaves out `alloc` and every process's `smmu`. */
export function omitPaths(paths: readonly string[]): OmitPath {
  const set = new Set(paths);
  return (path) => set.size > 0 && set.has(genericPath(path));
}

/** `value` (found at `path`) without the record keys `omit` leaves out, at any depth; the value itself when nothing is left out. */
export function prune(value: unknown, omit: OmitPath | undefined, path: readonly PathSegment[] = []): unknown {
  if (!omit) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((x, i) => {
      const y = prune(x, omit, [...path, i]);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : value;
  }
  if (!isRecord(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const p = [...path, k];
    if (omit(p)) {
      changed = true;
      continue;
    }
    const y = prune(value[k], omit, p);
    if (y !== value[k]) changed = true;
    out[k] = y;
  }
  return changed ? out : value;
}

/** A change with the left-out parts of its whole values pruned. */
export function pruneChange(c: Change, omit: OmitPath | undefined): Change {
  if (!omit) return c;
  return {
    ...c,
    ...('before' in c ? { before: prune(c.before, omit, c.path) } : {}),
    ...('after' in c ? { after: prune(c.after, omit, c.path) } : {}),
  };
}

/**
 * The changes of one entity as one line, as the graph's boxes show them: changes under the same
 * record are listed after it (`ptes[0] kind none → grant, map -1 → 0`), records in the order of
 * their first change, separated by `; `. `process 0`'s step into mmap reads
 * `l1[0] present false → true, pinned false → true; ptes[0] kind none → grant, ...; vmas +{...}`.
 */
export function entityLine(changes: readonly Change[], depth: number, omit?: OmitPath): string {
  const byParent = new Map<string, string[]>();
  for (const raw of changes) {
    const c = pruneChange(raw, omit);
    const shown = (c.element ? c.path.slice(0, -1) : c.path).slice(Math.min(depth, c.path.length));
    // The last record key and what follows it name the change; what precedes it is the record.
    let cut = shown.length - 1;
    while (cut >= 0 && typeof shown[cut] === 'number') cut--;
    const parent = cut > 0 ? formatPath(shown.slice(0, cut)) : '';
    const label = cut >= 0 ? formatPath(shown.slice(cut)) : shown.length > 0 ? formatPath(shown) : '';
    const value = c.op === 'changed' ? `${formatValue(c.before)} → ${formatValue(c.after)}` : c.op === 'added' ? `+${formatValue(c.after)}` : `-${formatValue(c.before)}`;
    const text = label === '' || label === '(state)' ? value : `${label} ${value}`;
    const list = byParent.get(parent);
    if (list) list.push(text);
    else byParent.set(parent, [text]);
  }
  return [...byParent].map(([parent, items]) => (parent === '' ? items.join(', ') : `${parent} ${items.join(', ')}`)).join('; ');
}

/** One entity of a whole state, for full-state printing. */
export interface Entity {
  readonly label: string;
  readonly value: unknown;
}

/**
 * A state cut into its entities: one per array element for keys the grouping splits by index and
 * whose elements are records or arrays, one per other top-level key (an empty array or an array of
 * scalars shows whole, as `maps: []`, `owner: [0,-1]`). A state that is not a record is one
 * entity, `state`.
 */
export function entitiesOf(state: unknown, grouping: Grouping = defaultGrouping, omit?: OmitPath): Entity[] {
  if (!isRecord(state)) return [{ label: 'state', value: state }];
  const out: Entity[] = [];
  const pruned = prune(state, omit) as Readonly<Record<string, unknown>>;
  for (const k of Object.keys(pruned)) {
    const v = pruned[k];
    if (Array.isArray(v) && grouping([k, 0]).depth >= 2 && v.some((x) => isRecord(x) || Array.isArray(x))) {
      v.forEach((x, i) => out.push({ label: grouping([k, i]).label, value: x }));
    } else {
      const g = grouping([k]);
      out.push({ label: g.depth >= 1 && g.label !== '' ? g.label : formatPath([k]), value: v });
    }
  }
  return out;
}

/** One line naming a state's parts and their sizes: `grants: 2, handles: 0, procs: 1`. */
export function summaryOf(state: unknown, omit?: OmitPath): string {
  if (!isRecord(state)) return formatValue(state);
  return Object.keys(state)
    .filter((k) => !omit?.([k]))
    .map((k) => {
      const v = state[k];
      const size = Array.isArray(v) ? String(v.length) : isRecord(v) ? `{${Object.keys(v).length} fields}` : formatValue(v);
      return `${formatPath([k])}: ${size}`;
    })
    .join(', ');
}

/** The lines of one group under its heading: paths relative to the entity, values compact. */
export interface GroupLines {
  readonly label: string;
  /** The group is one change to the entity as a whole: it reads best on the heading's line. */
  readonly inline: boolean;
  readonly lines: readonly string[];
}

/** Changes grouped by entity and printed: `[{ label: 'process 0', lines: ['fds[0]: false → true'] }]`. */
export function changeLines(changes: readonly Change[], grouping: Grouping = defaultGrouping): GroupLines[] {
  return groupChanges(changes, grouping).map(({ group, changes: cs }) => {
    const lines = cs.map((c) => formatChange(c, { drop: group.depth }));
    const whole = cs.length === 1 && (cs[0]!.element ? cs[0]!.path.length - 1 : cs[0]!.path.length) <= group.depth;
    return { label: group.label, inline: whole, lines };
  });
}
