/**
 * Symmetry as data (Stateright's RewritePlan on bytes): a model declares which kinds of id are
 * interchangeable (`{ kind: 'proc', from: 1 }`: processes 1, 2, ... are alike; 0 is not), and its
 * layout says where ids of each kind live (`int(..., { id })`) and which sequences are indexed by
 * them (`indexes`). From that, a canonicalizer is generated: the interchangeable entities are
 * sorted by their records' bytes, every sequence indexed by the kind is permuted the same way,
 * every id of the kind is rewritten through the permutation, and the lists whose order follows
 * from their contents (`sorted`) are sorted again. Kinds refer to each other (a map record names a
 * process), so this runs until nothing moves (at most three rounds).
 *
 * The canonical form is only a fingerprint's input: the search stores and expands the states it
 * actually reached, so traces replay on the model as it is. Soundness needs each canonical form to
 * be a permutation of its state (it is, by construction) and the model and its properties to be
 * symmetric under the declared permutations, which test/model/symmetry.test.ts checks on sampled
 * reachable states; an imperfect canonical form only reduces less.
 */
import { ModelError } from '../errors.js';
import type { CompiledLayout, Node } from './compile.js';

/** A kind of id whose values from `from` on are interchangeable. */
export interface IdSymmetry {
  readonly kind: string;
  /** The first interchangeable id (ids below it keep their identity). @defaultValue 0 */
  readonly from?: number;
}

/** Writes the canonical form of `src[srcOff .. + width)` into `out`; true when it differs from the state. */
export type ByteCanonicalizer = (src: Uint8Array, srcOff: number, out: Uint8Array) => boolean;

/** A sequence at a fixed offset. */
interface Seq {
  readonly off: number;
  readonly node: Node;
}

/** Where the layout keeps what a canonicalizer needs, for one kind. */
interface KindPlan {
  readonly kind: string;
  readonly from: number;
  /** Sequences indexed by the kind; the first is the one whose records order the ids. */
  readonly indexed: readonly Seq[];
  /** Rewrites every id of the kind in the live parts of the state. */
  readonly rewrite: (b: Uint8Array, perm: Int32Array) => void;
}

/** The sequences at fixed offsets (not inside a list or an optional) whose option matches. */
function fixedSequences(root: Node, match: (n: Node) => boolean, path: string): Seq[] {
  const out: Seq[] = [];
  const visit = (n: Node, off: number, p: string, fixed: boolean): void => {
    const l = n.layout;
    if ((l.kind === 'list' || l.kind === 'tuple') && match(n)) {
      if (!fixed) throw new ModelError(`symmetry: ${p} is declared ${l.options.indexes ? `indexed by ${l.options.indexes}` : 'sorted'} inside a list or an optional value; only sequences at fixed places are supported`);
      out.push({ off, node: n });
    }
    if (l.kind === 'record') for (const f of n.fields) visit(f.node, off + f.off, `${p}.${f.name}`, fixed);
    else if (l.kind === 'optional') visit(n.inner!, off + 1, p, false);
    else if (l.kind === 'tuple') for (let i = 0; i < n.count; i++) visit(n.inner!, off + i * n.inner!.size, `${p}[${i}]`, fixed);
    else if (l.kind === 'list') for (let i = 0; i < n.count; i++) visit(n.inner!, off + 1 + i * n.inner!.size, `${p}[${i}]`, false);
  };
  visit(root, 0, path, true);
  return out;
}

function holdsId(n: Node, kind: string, memo: Map<Node, boolean>): boolean {
  const known = memo.get(n);
  if (known !== undefined) return known;
  const l = n.layout;
  let r = false;
  if (l.kind === 'int') r = l.id === kind;
  else if (l.kind === 'record') r = n.fields.some((f) => holdsId(f.node, kind, memo));
  else if (l.kind === 'optional' || l.kind === 'list' || l.kind === 'tuple') r = holdsId(n.inner!, kind, memo);
  memo.set(n, r);
  return r;
}

/** Generates the walker that rewrites every id of `kind` through `perm` (NONE, i.e. negative, stays). */
function rewriter(root: Node, kind: string): (b: Uint8Array, perm: Int32Array) => void {
  const memo = new Map<Node, boolean>();
  let v = 0;
  const fresh = (): string => `v${v++}`;
  const emit = (n: Node, off: string): string => {
    if (!holdsId(n, kind, memo)) return '';
    const l = n.layout;
    switch (l.kind) {
      case 'int': {
        // stored as value - min, little-endian
        const min = l.min;
        if (n.width === 1) return `{ const x = b[${off}] + ${min}; if (x >= 0) b[${off}] = perm[x] - ${min}; }`;
        if (n.width === 2) return `{ const x = (b[${off}] | (b[${off} + 1] << 8)) + ${min}; if (x >= 0) { const u = perm[x] - ${min}; b[${off}] = u & 255; b[${off} + 1] = u >>> 8; } }`;
        return `{ const x = ((b[${off}] | (b[${off} + 1] << 8) | (b[${off} + 2] << 16) | (b[${off} + 3] << 24)) >>> 0) + ${min}; if (x >= 0) { const u = perm[x] - ${min}; b[${off}] = u & 255; b[${off} + 1] = (u >>> 8) & 255; b[${off} + 2] = (u >>> 16) & 255; b[${off} + 3] = u >>> 24; } }`;
      }
      case 'record':
        return n.fields.map((f) => emit(f.node, `${off} + ${f.off}`)).join('\n');
      case 'optional':
        return `if (b[${off}] !== 0) { ${emit(n.inner!, `${off} + 1`)} }`;
      case 'tuple':
      case 'list': {
        const i = fresh();
        const o = fresh();
        const len = l.kind === 'list' ? `b[${off}]` : String(n.count);
        return `for (let ${i} = 0, ${o} = ${off} + ${n.elemOff}; ${i} < ${len}; ${i}++, ${o} += ${n.inner!.size}) { ${emit(n.inner!, o)} }`;
      }
      default:
        return '';
    }
  };
  return new Function('b', 'perm', emit(root, '0')) as (b: Uint8Array, perm: Int32Array) => void;
}

/** Compares `size` bytes at `a` and `c` of `b`. */
function compareBytes(b: Uint8Array, a: number, c: number, size: number): number {
  for (let i = 0; i < size; i++) {
    const d = b[a + i]! - b[c + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Compiles the canonicalizer of the declared symmetries over a layout. A state whose interchangeable
 * records are already in order is its own canonical form (the model keeps its `sorted` lists
 * sorted, in the same order as their bytes); any other is copied, renamed and sorted.
 */
export function compileSymmetry(compiled: CompiledLayout<unknown>, declared: readonly IdSymmetry[]): ByteCanonicalizer {
  const W = compiled.size;
  const root = compiled.root;
  const plans: KindPlan[] = declared.map((d) => {
    const indexed = fixedSequences(root, (n) => (n.layout.kind === 'list' || n.layout.kind === 'tuple') && n.layout.options.indexes === d.kind, 'state');
    if (indexed.length === 0) throw new ModelError(`symmetry: no list or tuple of the layout is indexed by '${d.kind}' ids (declare it with { indexes: '${d.kind}' })`);
    return { kind: d.kind, from: d.from ?? 0, indexed, rewrite: rewriter(root, d.kind) };
  });
  const sorted = fixedSequences(root, (n) => n.layout.kind === 'list' && n.layout.options.sorted === true, 'state');
  const maxCount = Math.max(2, ...plans.flatMap((p) => p.indexed.map((s) => s.node.count)));
  const perm = new Int32Array(maxCount);
  const order: number[] = [];
  const tmp = new Uint8Array(W);
  const idx: number[] = [];

  /** The live ids of a kind: a tuple's length, a list's current length. */
  const liveCount = (b: Uint8Array, s: Seq): number => (s.node.layout.kind === 'list' ? b[s.off]! : s.node.count);

  const permuteSeq = (b: Uint8Array, s: Seq, from: number, n: number): void => {
    const size = s.node.inner!.size;
    const base = s.off + s.node.elemOff;
    // old element order[i] goes to position from + i
    for (let i = 0; i < n - from; i++) {
      const src = base + order[i]! * size;
      for (let k = 0; k < size; k++) tmp[i * size + k] = b[src + k]!;
    }
    for (let i = 0; i < (n - from) * size; i++) b[base + from * size + i] = tmp[i]!;
  };

  const sortList = (b: Uint8Array, s: Seq): void => {
    const n = b[s.off]!;
    if (n < 2) return;
    const size = s.node.inner!.size;
    const base = s.off + 1;
    idx.length = 0;
    for (let i = 0; i < n; i++) idx.push(i);
    idx.sort((x, y) => compareBytes(b, base + x * size, base + y * size, size) || x - y);
    let moved = false;
    for (let i = 0; i < n; i++) if (idx[i] !== i) moved = true;
    if (!moved) return;
    for (let i = 0; i < n; i++) for (let k = 0; k < size; k++) tmp[i * size + k] = b[base + idx[i]! * size + k]!;
    for (let i = 0; i < n * size; i++) b[base + i] = tmp[i]!;
  };

  /**
   * True when the interchangeable records of every kind are in strictly increasing order in `src`:
   * the state is its own canonical form. (Equal records may still be told apart by what refers to
   * them, so a tie takes the long way.)
   */
  const inOrder = (src: Uint8Array, srcOff: number): boolean => {
    for (const p of plans) {
      const primary = p.indexed[0]!;
      const at = srcOff + primary.off;
      const n = primary.node.layout.kind === 'list' ? src[at]! : primary.node.count;
      const size = primary.node.inner!.size;
      const base = at + primary.node.elemOff;
      for (let id = p.from; id + 1 < n; id++) if (compareBytes(src, base + id * size, base + (id + 1) * size, size) >= 0) return false;
    }
    return true;
  };

  const scratch = new Uint8Array(W);
  const best = new Uint8Array(W);
  const cand: number[] = [];

  /** Moves the kind's entities into `order` (old ids, for positions from, from + 1, ...) and renames their ids, in `b`. */
  const apply = (b: Uint8Array, p: KindPlan, n: number, ord: readonly number[]): void => {
    order.length = 0;
    for (const x of ord) order.push(x);
    for (let id = 0; id < perm.length; id++) perm[id] = id;
    for (let i = 0; i < ord.length; i++) perm[ord[i]!] = p.from + i;
    for (const s of p.indexed) permuteSeq(b, s, p.from, Math.min(n, liveCount(b, s)));
    p.rewrite(b, perm);
  };

  /** Every ordering of the tie groups' members, in `ord` (groups: [start, end) index ranges of `ord`). */
  const orderings = (ord: readonly number[], groups: readonly (readonly [number, number])[], visit: (o: readonly number[]) => void): void => {
    const cur = [...ord];
    const rec = (g: number): void => {
      if (g === groups.length) {
        visit(cur);
        return;
      }
      const [a, z] = groups[g]!;
      const permuteRange = (k: number): void => {
        if (k >= z) {
          rec(g + 1);
          return;
        }
        for (let i = k; i < z; i++) {
          [cur[k], cur[i]] = [cur[i]!, cur[k]!];
          permuteRange(k + 1);
          [cur[k], cur[i]] = [cur[i]!, cur[k]!];
        }
      };
      permuteRange(a);
    };
    rec(0);
  };

  return (src, srcOff, out) => {
    // most states are already in order: nothing to copy, and the fingerprint the search has is right
    if (inOrder(src, srcOff)) return false;
    for (let i = 0; i < W; i++) out[i] = src[srcOff + i]!;
    for (let round = 0; round < 3; round++) {
      let moved = false;
      for (const p of plans) {
        const primary = p.indexed[0]!;
        const n = liveCount(out, primary);
        const from = p.from;
        if (n - from < 2) continue;
        const size = primary.node.inner!.size;
        const base = primary.off + primary.node.elemOff;
        cand.length = 0;
        for (let id = from; id < n; id++) cand.push(id);
        cand.sort((x, y) => compareBytes(out, base + x * size, base + y * size, size) || x - y);
        // tie groups: equal records, which only what refers to them can order
        const groups: [number, number][] = [];
        for (let i = 0; i < cand.length; ) {
          let j = i + 1;
          while (j < cand.length && compareBytes(out, base + cand[i]! * size, base + cand[j]! * size, size) === 0) j++;
          if (j - i > 1) groups.push([i, j]);
          i = j;
        }
        if (groups.length === 0) {
          let identity = true;
          for (let i = 0; i < cand.length; i++) if (cand[i] !== from + i) identity = false;
          if (identity) continue;
          apply(out, p, n, cand);
          moved = true;
          continue;
        }
        // the smallest state over the orderings of the ties (lists sorted, so that they compare fairly)
        let have = false;
        orderings(cand, groups, (o) => {
          for (let i = 0; i < W; i++) scratch[i] = out[i]!;
          apply(scratch, p, n, o);
          for (const s of sorted) sortList(scratch, s);
          if (!have || compareBytes2(scratch, best, W) < 0) {
            best.set(scratch);
            have = true;
          }
        });
        if (compareBytes2(best, out, W) !== 0) {
          out.set(best);
          moved = true;
        }
      }
      if (!moved) break;
    }
    for (const s of sorted) sortList(out, s);
    for (let i = 0; i < W; i++) if (out[i] !== src[srcOff + i]) return true;
    return false;
  };
}

/** Compares two buffers' first `n` bytes. */
function compareBytes2(a: Uint8Array, b: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Applies given permutations to a state's bytes (for tests of a declared symmetry): `perms[kind]`
 * maps each old id to its new id (identity outside the interchangeable range); sequences indexed
 * by the kind move with it, ids are rewritten, and `sorted` lists are sorted again.
 */
export function compilePermuter(compiled: CompiledLayout<unknown>, declared: readonly IdSymmetry[]): (src: Uint8Array, out: Uint8Array, perms: Readonly<Record<string, Int32Array>>) => void {
  const W = compiled.size;
  const root = compiled.root;
  const plans = declared.map((d) => ({
    kind: d.kind,
    indexed: fixedSequences(root, (n) => (n.layout.kind === 'list' || n.layout.kind === 'tuple') && n.layout.options.indexes === d.kind, 'state'),
    rewrite: rewriter(root, d.kind),
  }));
  const sorted = fixedSequences(root, (n) => n.layout.kind === 'list' && n.layout.options.sorted === true, 'state');
  return (src, out, perms) => {
    for (let i = 0; i < W; i++) out[i] = src[i]!;
    for (const p of plans) {
      const perm = perms[p.kind];
      if (!perm) continue;
      for (const s of p.indexed) {
        const size = s.node.inner!.size;
        const base = s.off + s.node.elemOff;
        const n = s.node.layout.kind === 'list' ? out[s.off]! : s.node.count;
        const copy = out.slice(base, base + n * size);
        for (let old = 0; old < n; old++) {
          const to = perm[old]!;
          if (to >= n) throw new ModelError(`permute: ${p.kind} ${old} would move to ${to}, past the ${n} alive`);
          for (let k = 0; k < size; k++) out[base + to * size + k] = copy[old * size + k]!;
        }
      }
      p.rewrite(out, perm);
    }
    for (const s of sorted) {
      const n = out[s.off]!;
      const size = s.node.inner!.size;
      const base = s.off + 1;
      const items: Uint8Array[] = [];
      for (let i = 0; i < n; i++) items.push(out.slice(base + i * size, base + (i + 1) * size));
      items.sort((x, y) => {
        for (let k = 0; k < size; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
        return 0;
      });
      items.forEach((it, i) => out.set(it, base + i * size));
    }
  };
}
