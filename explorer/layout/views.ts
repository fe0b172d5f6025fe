/**
 * Views: the model's own guards, recipes and properties run on a state kept as bytes, without
 * decoding it and without Proxy.
 *
 * A view set owns one buffer of one state's bytes and a view of every record position of the
 * layout, built once (nothing is allocated per state):
 * - a record is a view object whose fields are own accessor properties (generated getters and
 *   setters at fixed offsets). Spread (`{ ...v }`), `Object.keys` and JSON see its fields, as they
 *   would on a plain object or an immer draft. A scalar write goes straight to the bytes, checked
 *   against the layout (type and range).
 * - a list or tuple is a real JS array (V8 makes indexed accessors about 40 times slower than a
 *   real array's elements, so arrays are never views): on first access in a state it is filled
 *   with the views of its positions (or the decoded scalars), and model code uses every Array
 *   method on it natively.
 * - a nested record field (`proc.op`) returns its position's view; assigning it (`proc.op = {...}`)
 *   or assigning an array (`proc.vmas = ...`) records the new value, and reading the field gives it
 *   back.
 * At the end of a recipe, `finish` writes every array that changed and every assigned field into
 * the successor's bytes (the outermost change wins: a changed list rewrites its records whole),
 * reading every source from the parent's bytes. So, as with immer's drafts, a view keeps denoting
 * the record it was read as, whatever the recipe does to the arrays around it: an element spliced
 * out, moved or pushed elsewhere keeps its identity and its own writes until the recipe ends.
 *
 * Read-only sets (the state being expanded, a successor being checked) refuse scalar and field
 * writes at once (a ModelError), and `changed()` reports an array that model code mutated.
 */
import { ModelError } from '../errors.js';
import { misfitError, NODE_KEY, readExpr, show, writeStmt, type CompiledLayout, type Node } from './compile.js';

/** The hidden method of a root view that gives a writable copy of its state (see `draftOf`). */
export const DRAFT_KEY = '$draft';

/** A writable copy of a state that is a view (for a throw-away run of an effect), or undefined for any other value. */
export function draftOf<S>(state: S): S | undefined {
  const f = (state as { [DRAFT_KEY]?: unknown } | null | undefined)?.[DRAFT_KEY];
  return typeof f === 'function' ? (f as () => S)() : undefined;
}

/** The state of one view set's bookkeeping that its slots read. */
interface SetState {
  readonly buf: Uint8Array;
  readonly writable: boolean;
  epoch: number;
  readonly touched: Slot[];
}

type Encoder = (buf: Uint8Array, off: number, value: unknown, path: string) => void;
type Decoder = (buf: Uint8Array, off: number) => unknown;

/** A composite field at a fixed position (a nested record, an optional record, a list or a tuple). */
interface Slot {
  /** The epoch in which it was last touched (read or assigned). */
  e: number;
  /** The epoch in which it was found dirty by `finish`. */
  dirtyE: number;
  readonly ancestors: readonly Slot[];
  readonly path: string;
  isDirty(): boolean;
  write(out: Uint8Array, outOff: number): void;
}

// A value assigned into the state is kept as it is, as immer keeps a value assigned into a draft:
// reading the field back gives that very value, so changes made through it afterwards reach the
// state (and the value). Immer only drafts what came from the base state; views stand for that.

function readOnlyError(path: string): never {
  throw new ModelError(`model code wrote to ${path} of a state it may only read (guards, actions() and properties get read-only states; only a rule's effect writes)`);
}

/** A nested record field, or an optional record field. */
class RecordSlot implements Slot {
  e = -1;
  dirtyE = -1;
  ovE = -1;
  ov: unknown = undefined;
  view: object = {};
  constructor(
    readonly set: SetState,
    readonly off: number,
    readonly optional: boolean,
    readonly encode: Encoder,
    readonly path: string,
    readonly ancestors: readonly Slot[],
  ) {}
  get(): unknown {
    const s = this.set;
    if (this.ovE === s.epoch) return this.ov;
    if (this.optional && s.buf[this.off] === 0) return undefined;
    return this.view;
  }
  assign(v: unknown): void {
    const s = this.set;
    if (!s.writable) readOnlyError(this.path);
    this.ov = v;
    this.ovE = s.epoch;
    if (this.e !== s.epoch) {
      this.e = s.epoch;
      s.touched.push(this);
    }
  }
  isDirty(): boolean {
    return this.ovE === this.set.epoch;
  }
  write(out: Uint8Array, outOff: number): void {
    this.encode(out, outOff + this.off, this.ov, this.path);
  }
}

/**
 * A list or tuple field: a real JS array, filled from the bytes on first access in a state. A list
 * keeps one array per length (built once), so that moving from state to state does not make V8
 * grow and trim the array's backing store (which made a third of the search's garbage).
 */
class ArraySlot implements Slot {
  e = -1;
  dirtyE = -1;
  ovE = -1;
  ov: unknown = undefined;
  /** The array model code sees in the current epoch. */
  arr: unknown[];
  /** Lists: the array used for each length. */
  readonly byLength: unknown[][];
  /** Record elements: the view of each position. */
  pos: readonly object[] | undefined;
  constructor(
    readonly set: SetState,
    readonly off: number,
    /** list: capacity; tuple: length. */
    readonly count: number,
    readonly isList: boolean,
    readonly elemSize: number,
    /** Scalar elements: their decoder. */
    readonly decodeElem: Decoder | undefined,
    readonly encode: Encoder,
    readonly path: string,
    readonly ancestors: readonly Slot[],
  ) {
    // tuples: a sealed array of their fixed length (push, pop and splice throw), without holes
    this.byLength = isList ? Array.from({ length: count + 1 }, (_, n) => Array.from({ length: n }, () => null)) : [Object.seal(Array.from({ length: count }, () => null))];
    this.arr = this.byLength[isList ? 0 : 0]!;
  }
  get(): unknown {
    const s = this.set;
    if (this.e !== s.epoch) {
      this.e = s.epoch;
      s.touched.push(this);
      this.sync();
      return this.arr;
    }
    return this.ovE === s.epoch ? this.ov : this.arr;
  }
  assign(v: unknown): void {
    const s = this.set;
    if (!s.writable) readOnlyError(this.path);
    if (!Array.isArray(v)) misfitError(this.path, `is assigned ${show(v)}, not a list`);
    this.ov = v;
    this.ovE = s.epoch;
    if (this.e !== s.epoch) {
      this.e = s.epoch;
      s.touched.push(this);
      this.sync();
    }
  }
  /** Makes the array say what the bytes say. */
  sync(): void {
    const b = this.set.buf;
    const len = this.isList ? b[this.off]! : this.count;
    const a = this.isList ? this.byLength[len]! : this.byLength[0]!;
    this.arr = a;
    // the previous recipe may have changed this array: put it back
    if (a.length !== len) a.length = len;
    const pos = this.pos;
    if (pos !== undefined) {
      for (let i = 0; i < len; i++) if (a[i] !== pos[i]) a[i] = pos[i];
    } else {
      const dec = this.decodeElem!;
      const base = this.off + (this.isList ? 1 : 0);
      const size = this.elemSize;
      for (let i = 0; i < len; i++) a[i] = dec(b, base + i * size);
    }
  }
  isDirty(): boolean {
    if (this.ovE === this.set.epoch) return true;
    const b = this.set.buf;
    const len = this.isList ? b[this.off]! : this.count;
    const a = this.arr;
    if (a.length !== len) return true;
    const pos = this.pos;
    if (pos !== undefined) {
      for (let i = 0; i < len; i++) if (a[i] !== pos[i]) return true;
      return false;
    }
    const dec = this.decodeElem!;
    const base = this.off + (this.isList ? 1 : 0);
    const size = this.elemSize;
    for (let i = 0; i < len; i++) if (a[i] !== dec(b, base + i * size)) return true;
    return false;
  }
  write(out: Uint8Array, outOff: number): void {
    this.encode(out, outOff + this.off, this.ovE === this.set.epoch ? this.ov : this.arr, this.path);
  }
}

/** One state's bytes and the views over them. */
export interface ViewSet<S> {
  /** The bytes the views read (and, in a writable set, scalar writes change). Exactly `size` long. */
  readonly buf: Uint8Array;
  /** The state as model code sees it. */
  readonly root: S;
  /** Starts a new state: the bytes in `buf` are the state now (arrays are refilled on first access). */
  begin(): void;
  /** Writable sets: writes the state the recipe produced at `out[outOff .. outOff + size)`. */
  finish(out: Uint8Array, outOff: number): void;
  /** Read-only sets: the path of an array that model code changed since `begin`, or undefined. */
  changed(): string | undefined;
}

/** The generated property descriptors of each record node (shared by every view of the node). */
type Descriptors = Record<string, PropertyDescriptor>;

function recordDescriptors(node: Node): Descriptors {
  const src: string[] = ['const d = {};'];
  node.fields.forEach((f, j) => {
    const K = f.off;
    const name = JSON.stringify(f.name);
    const fail = (why: string) => `fail(this.$p + ${JSON.stringify('.' + f.name)}, ${why})`;
    const l = f.node.layout;
    if (!f.node.composite) {
      src.push(
        `d[${name}] = { enumerable: true, get: function () { const B = this.$b, O = this.$o + ${K}; return ${readExpr(f.node, 'B', 'O')}; },`,
        `  set: function (v) { if (this.$w !== true) readOnly(this.$p + ${JSON.stringify('.' + f.name)}); const B = this.$b, O = this.$o + ${K}; ${writeStmt(f.node, 'B', 'O', 'v', fail)} } };`,
      );
    } else if (l.kind === 'optional' && !f.node.inner!.composite) {
      const inner = f.node.inner!;
      src.push(
        `d[${name}] = { enumerable: true, get: function () { const B = this.$b, O = this.$o + ${K}; return B[O] === 0 ? undefined : ${readExpr(inner, 'B', 'O + 1')}; },`,
        `  set: function (v) { if (this.$w !== true) readOnly(this.$p + ${JSON.stringify('.' + f.name)}); const B = this.$b, O = this.$o + ${K}; if (v === undefined) { for (let i = 0; i < ${f.node.size}; i++) B[O + i] = 0; } else { B[O] = 1; ${writeStmt(inner, 'B', 'O + 1', 'v', fail)} } } };`,
      );
    } else {
      src.push(`d[${name}] = { enumerable: true, get: function () { return this.$k[${j}].get(); }, set: function (v) { this.$k[${j}].assign(v); } };`);
    }
  });
  src.push('return d;');
  const enums: Record<string, readonly unknown[]> = {};
  const collect = (n: Node): void => {
    if (n.layout.kind === 'enum') enums[`E${n.id}`] = n.layout.values;
    if (n.inner) collect(n.inner);
  };
  for (const f of node.fields) collect(f.node);
  const names = Object.keys(enums);
  const make = new Function('fail', 'readOnly', 'show', ...names, src.join('\n')) as (...a: unknown[]) => Descriptors;
  return make(misfitError, readOnlyError, show, ...names.map((n) => enums[n]));
}

/**
 * Generated descriptors by record structure (its fields' names, offsets, types and ranges), for the
 * whole process: records of equal structure in different layouts (a Vma under two configurations)
 * share their accessors, hence their hidden class. Each structure also gets its own first property
 * name (`$t<n>`), which keeps each structure's views on one transition tree.
 */
const descriptorsByStructure = new Map<string, { readonly tag: string; readonly descriptors: Descriptors }>();

function structureOf(node: Node): string {
  return JSON.stringify(node.fields.map((f) => [f.name, f.off, f.node.composite ? f.node.layout.kind : f.node.layout, f.node.layout.kind === 'optional' && !f.node.inner!.composite ? f.node.inner!.layout : null]));
}

/** Builds a view set over `compiled` (once per model and use: expanded state, recipe, successor). */
export function createViewSet<S>(compiled: CompiledLayout<S>, writable: boolean): ViewSet<S> {
  const buf = new Uint8Array(compiled.size);
  const state: SetState = { buf, writable, epoch: 0, touched: [] };
  // shared by every view set of the layout: views of one record type then have one hidden class
  const descOf = (n: Node): { readonly tag: string; readonly descriptors: Descriptors } => {
    const key = structureOf(n);
    let d = descriptorsByStructure.get(key);
    if (!d) descriptorsByStructure.set(key, (d = { tag: `$t${descriptorsByStructure.size}`, descriptors: recordDescriptors(n) }));
    return d;
  };
  const { encode, decode } = compiled.codecs;

  const recordView = (node: Node, off: number, path: string, ancestors: readonly Slot[]): object => {
    if (node.layout.kind !== 'record') throw new ModelError(`layout: ${path} must be a record to have a view`);
    const slots: (Slot | undefined)[] = node.fields.map((f) => (f.node.composite && !(f.node.layout.kind === 'optional' && !f.node.inner!.composite) ? slotOf(f.node, off + f.off, `${path}.${f.name}`, ancestors) : undefined));
    const view = {};
    const d = descOf(node);
    // A first property of its own per record structure keeps each structure's views on one
    // transition tree of V8 hidden classes: two structures whose fields share a name (`state`) but
    // not an accessor would otherwise send each other's views to slow dictionary mode.
    Object.defineProperty(view, d.tag, { value: true });
    Object.defineProperties(view, {
      [NODE_KEY]: { value: node.id },
      $b: { value: buf },
      $o: { value: off },
      $w: { value: writable },
      $k: { value: slots },
      $p: { value: path },
    });
    Object.defineProperties(view, d.descriptors);
    // the root also gets `$draft` (below) before it is closed
    return node === compiled.root && path === 'state' ? view : Object.preventExtensions(view);
  };

  const slotOf = (node: Node, off: number, path: string, ancestors: readonly Slot[]): Slot => {
    const l = node.layout;
    if (l.kind === 'record' || l.kind === 'optional') {
      const optional = l.kind === 'optional';
      const rec = optional ? node.inner! : node;
      if (rec.layout.kind !== 'record') throw new ModelError(`layout: ${path}: optional(...) may hold a scalar or a record, not a ${rec.layout.kind}`);
      const slot = new RecordSlot(state, off, optional, encode[node.id]!, path, ancestors);
      slot.view = recordView(rec, optional ? off + 1 : off, path, [...ancestors, slot]);
      return slot;
    }
    if (l.kind === 'list' || l.kind === 'tuple') {
      const e = node.inner!;
      if (e.composite && e.layout.kind !== 'record') throw new ModelError(`layout: ${path}: a list or tuple may hold scalars or records, not a ${e.layout.kind} (wrap it in a record)`);
      const slot = new ArraySlot(state, off, node.count, l.kind === 'list', e.size, e.composite ? undefined : decode[e.id], encode[node.id]!, path, ancestors);
      if (e.composite) {
        const inner = [...ancestors, slot];
        slot.pos = Array.from({ length: node.count }, (_, i) => recordView(e, off + node.elemOff + i * e.size, `${path}[${i}]`, inner));
      }
      return slot;
    }
    throw new ModelError(`layout: ${path}: a ${l.kind} is not a composite field`);
  };

  const root = recordView(compiled.root, 0, 'state', []) as S;
  let scratch: ViewSet<S> | undefined;
  // `$draft()` on the root: a writable copy of this state, for model code that runs a rule's effect
  // to see whether it would block (explorer `blockedBy`) without writing to the state itself
  Object.defineProperty(root, DRAFT_KEY, {
    value: () => {
      scratch ??= createViewSet(compiled, true);
      scratch.buf.set(buf);
      scratch.begin();
      return scratch.root;
    },
  });
  Object.preventExtensions(root);
  return {
    buf,
    root,
    begin() {
      state.epoch++;
      state.touched.length = 0;
    },
    finish(out, outOff) {
      out.set(buf, outOff);
      const t = state.touched;
      const ep = state.epoch;
      const n = t.length;
      let dirty = 0;
      for (let i = 0; i < n; i++) {
        const s = t[i]!;
        if (s.isDirty()) {
          s.dirtyE = ep;
          dirty++;
        }
      }
      if (dirty > 0) {
        for (let i = 0; i < n; i++) {
          const s = t[i]!;
          if (s.dirtyE !== ep) continue;
          let covered = false;
          for (const a of s.ancestors) {
            if (a.dirtyE === ep) {
              covered = true;
              break;
            }
          }
          if (!covered) s.write(out, outOff);
        }
      }
      // a new epoch: the next recipe (or the next read) starts from the bytes again
      state.epoch++;
      t.length = 0;
    },
    changed() {
      const t = state.touched;
      for (let i = 0; i < t.length; i++) if (t[i]!.isDirty()) return t[i]!.path;
      return undefined;
    },
  };
}
