/**
 * A canonical binary encoding of plain-data states, compiled for the shapes it meets: how the fast
 * path stores, copies and identifies the states of guard+recipe models without a JS object per
 * stored state.
 *
 * Canonical: equal values (in the fingerprint's sense: key order ignored, `-0` is `0`, one NaN)
 * encode to equal bytes, and different values to different bytes, so the hash of the encoding
 * identifies a state as well as `fingerprint` does. Objects are written as a shape tag and their
 * values in sorted-key order; strings as ids in a string table; small integers as zigzag varints.
 *
 * Compiled: the codec keeps a schema of *positions* (the root; each key of each object shape seen
 * at a position; the elements of the arrays at a position), and generates (with `new Function`)
 * one encoder and one decoder function per position, with the known shapes' keys as literal
 * property accesses and object literals. Meeting a new shape extends the schema, regenerates the
 * code and starts that encoding again; tags already given never change, so encodings stay
 * canonical across regenerations. A position that has met `MAX_SHAPES` shapes encodes further
 * shapes generically (sorted keys, each with its value), still canonically.
 *
 * The schema, string ids and tags belong to one codec: encodings are meaningful only to the codec
 * that wrote them (one search).
 */

const MAX_SHAPES = 32;
const T_UNDEF = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT = 4;
const T_FLOAT = 5;
const T_STR = 6;
const T_ARR = 7;
const T_BYTES = 8;
const T_GOBJ = 9;
const T_SHAPE = 16;

/** A growable output buffer: the codec writes at `pos` and may replace `buf` with a larger copy. */
export interface ByteWriter {
  buf: Uint8Array;
  pos: number;
}

/** Raised for values the codec cannot represent (not plain data). */
export class CodecError extends TypeError {
  override readonly name = 'CodecError';
}

interface Shape {
  /** Keys in first-seen (insertion) order: decoded objects get this order. */
  readonly keys: readonly string[];
  /** Keys sorted: the encoding order. */
  readonly sorted: readonly string[];
  /** Child position of each sorted key. */
  readonly children: readonly Position[];
}

interface Position {
  readonly id: number;
  readonly shapes: Shape[];
  /** Shapes by key set (sorted keys joined), for lookups on a miss. */
  readonly byKeys: Map<string, number>;
  elem: Position | undefined;
  /** Kinds of value met here (K_* bits): the generated code tests them first. */
  kinds: number;
  /** Strings met here (up to MAX_INLINE_STRINGS), compiled into a switch. */
  readonly strs: string[];
}

const K_INT = 1;
const K_STR = 2;
const K_BOOL = 4;
const K_OBJ = 8;
const K_ARR = 16;
const MAX_INLINE_STRINGS = 12;
/** Regenerations for kinds and strings alone (shapes always regenerate). */
const MAX_TUNING_GENERATIONS = 200;

/** Thrown inside generated code when the schema had to grow: the encoding restarts. */
const RESTART = { restart: true };

interface Compiled {
  encode(value: unknown, w: ByteWriter): void;
  decode(buf: Uint8Array, off: number): unknown;
}

/** The encoder/decoder of one search's states. */
export class StateCodec {
  private readonly positions: Position[] = [];
  private readonly root: Position;
  private readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  private compiled: Compiled;
  /** Times the code was generated (the schema grew). */
  generations = 0;

  constructor() {
    this.root = this.newPosition();
    this.compiled = this.compile();
  }

  /** The generated code's fast paths are stale (a position met a new kind or string). */
  private dirty = false;
  private tunings = 0;

  /** Appends the encoding of `value` to `w` (at `w.pos`). */
  encode(value: unknown, w: ByteWriter): void {
    if (this.dirty) {
      this.dirty = false;
      if (this.tunings++ < MAX_TUNING_GENERATIONS) this.compiled = this.compile();
    }
    const start = w.pos;
    for (;;) {
      try {
        this.compiled.encode(value, w);
        return;
      } catch (e) {
        if (e !== RESTART) throw e;
        w.pos = start;
        this.compiled = this.compile();
      }
    }
  }

  /** The value encoded at `buf[off ..]`: fresh, mutable objects and arrays. */
  decode(buf: Uint8Array, off: number): unknown {
    return this.compiled.decode(buf, off);
  }

  private newPosition(): Position {
    const p: Position = { id: this.positions.length, shapes: [], byKeys: new Map(), elem: undefined, kinds: 0, strs: [] };
    this.positions.push(p);
    return p;
  }

  /** Runtime helpers the generated code calls. */
  private runtime() {
    const strings = this.strings;
    const ids = this.ids;
    const positions = this.positions;
    const f64 = new Float64Array(1);
    const f8 = new Uint8Array(f64.buffer);
    const self = this;
    return {
      strings,
      ids,
      f64,
      f8,
      RESTART,
      hasOwn: Object.prototype.hasOwnProperty,
      addString(s: string): number {
        const id = strings.length;
        strings.push(s);
        ids.set(s, id);
        return id;
      },
      /** An array seen at a position for the first time: give it an element position. */
      needElem(pos: number): never {
        positions[pos]!.elem = self.newPosition();
        throw RESTART;
      },
      /** An object whose shape the position does not know: learn it (or go generic). Returns the generic marker. */
      miss(pos: number, v: object): boolean {
        const ctor = (v as { constructor?: unknown }).constructor;
        if (ctor !== Object && ctor !== undefined) throw new CodecError(`a state must be plain data (arrays, plain objects, numbers, strings, booleans, null, Uint8Array); found ${describe(v)}`);
        const p = positions[pos]!;
        const keys: string[] = [];
        for (const k in v) keys.push(k);
        if (keys.includes('__proto__')) throw new CodecError("a state object has a key named '__proto__', which the codec cannot store");
        const sorted = [...keys].sort();
        const sig = sorted.join('\u0000');
        if (p.byKeys.has(sig)) {
          // a known key set met where the generated check could not match it (inherited enumerable keys): generic
          return true;
        }
        if (p.shapes.length >= MAX_SHAPES) return true;
        p.byKeys.set(sig, p.shapes.length);
        p.shapes.push({ keys, sorted, children: sorted.map(() => self.newPosition()) });
        throw RESTART;
      },
      /** The slow path met a kind (or a string) this position's fast paths do not test yet. */
      learn(pos: number, v: unknown): void {
        const p = positions[pos]!;
        const k = typeof v === 'number' ? ((v | 0) === v ? K_INT : 0) : typeof v === 'string' ? K_STR : typeof v === 'boolean' ? K_BOOL : Array.isArray(v) ? K_ARR : typeof v === 'object' && v !== null ? K_OBJ : 0;
        if (k !== 0 && (p.kinds & k) === 0) {
          p.kinds |= k;
          self.dirty = true;
        }
        if (typeof v === 'string' && p.strs.length < MAX_INLINE_STRINGS && !p.strs.includes(v)) {
          p.strs.push(v);
          if (!ids.has(v)) this.addString(v);
          self.dirty = true;
        }
      },
      notPlain(v: unknown): never {
        throw new CodecError(`a state must be plain data; found ${typeof v === 'object' ? describe(v as object) : `a ${typeof v}`}`);
      },
    };
  }

  private compile(): Compiled {
    this.generations++;
    const src: string[] = [];
    const J = JSON.stringify;
    src.push(`'use strict';
var strings = rt.strings, ids = rt.ids, f64 = rt.f64, f8 = rt.f8, hasOwn = rt.hasOwn, RESTART = rt.RESTART;
var B = null, P = 0, E = 0;
function grow(n) { var nb = new Uint8Array(Math.max(B.length * 2, P + n + 64)); nb.set(B.subarray(0, P)); B = nb; E = nb.length; }
function vu(n) { while (n >= 128) { B[P++] = (n & 127) | 128; n = n >>> 7; } B[P++] = n; }
function rvu() { var x = B[P++], n = x & 127, s = 7; while (x >= 128) { x = B[P++]; n |= (x & 127) << s; s += 7; } return n >>> 0; }
function str(s) { var id = ids.get(s); if (id === undefined) id = rt.addString(s); if (P + 6 > E) grow(6); B[P++] = ${T_STR}; vu(id); }
function num(v) {
  if (P + 10 > E) grow(10);
  if ((v | 0) === v) { B[P++] = ${T_INT}; vu(((v << 1) ^ (v >> 31)) >>> 0); return; }
  B[P++] = ${T_FLOAT};
  if (v !== v) { B[P++] = 0; B[P++] = 0; B[P++] = 0; B[P++] = 0; B[P++] = 0; B[P++] = 0; B[P++] = 0xf8; B[P++] = 0x7f; return; }
  f64[0] = v; for (var i = 0; i < 8; i++) B[P++] = f8[i];
}
function rnum(t) { if (t === ${T_INT}) { var z = rvu(); return (z >>> 1) ^ -(z & 1); } for (var i = 0; i < 8; i++) f8[i] = B[P++]; return f64[0]; }
function bytes(v) { var n = v.length; if (P + n + 6 > E) grow(n + 6); B[P++] = ${T_BYTES}; vu(n); B.set(v, P); P += n; }
function rbytes() { var n = rvu(); var r = B.slice(P, P + n); P += n; return r; }
function gen(v) {
  switch (typeof v) {
    case 'number': num(v); return;
    case 'string': str(v); return;
    case 'boolean': if (P + 1 > E) grow(1); B[P++] = v ? ${T_TRUE} : ${T_FALSE}; return;
    case 'undefined': if (P + 1 > E) grow(1); B[P++] = ${T_UNDEF}; return;
    case 'object': {
      if (v === null) { if (P + 1 > E) grow(1); B[P++] = ${T_NULL}; return; }
      if (Array.isArray(v)) { if (P + 6 > E) grow(6); B[P++] = ${T_ARR}; vu(v.length); for (var i = 0; i < v.length; i++) gen(v[i]); return; }
      if (v instanceof Uint8Array) { bytes(v); return; }
      var c = v.constructor; if (c !== Object && c !== undefined) rt.notPlain(v);
      var ks = []; for (var k in v) ks.push(k); ks.sort();
      if (P + 6 > E) grow(6); B[P++] = ${T_GOBJ}; vu(ks.length);
      for (var j = 0; j < ks.length; j++) { str(ks[j]); gen(v[ks[j]]); }
      return;
    }
    default: rt.notPlain(v);
  }
}
function rgen() {
  var t = B[P++];
  switch (t) {
    case ${T_UNDEF}: return undefined;
    case ${T_NULL}: return null;
    case ${T_FALSE}: return false;
    case ${T_TRUE}: return true;
    case ${T_INT}: case ${T_FLOAT}: return rnum(t);
    case ${T_STR}: return strings[rvu()];
    case ${T_ARR}: { var n = rvu(), a = []; for (var i = 0; i < n; i++) a.push(rgen()); return a; }
    case ${T_BYTES}: return rbytes();
    case ${T_GOBJ}: { var m = rvu(), o = {}; for (var j = 0; j < m; j++) { P++; var key = strings[rvu()]; Object.defineProperty(o, key, { value: rgen(), writable: true, enumerable: true, configurable: true }); } return o; }
  }
  throw new Error('codec: corrupt encoding (tag ' + t + ')');
}
`);
    for (const p of this.positions) src.push(this.encoderOf(p, J), this.decoderOf(p, J));
    src.push(`return {
  encode: function (v, w) { B = w.buf; P = w.pos; E = B.length; try { e${this.root.id}(v); } finally { w.buf = B; w.pos = P; B = null; } },
  decode: function (buf, off) { B = buf; P = off; try { return d${this.root.id}(); } finally { B = null; } },
};`);
    const factory = new Function('rt', src.join('\n')) as (rt: unknown) => Compiled;
    return factory(this.runtime());
  }

  /** The encoder of position p: fast paths for the kinds met here, then the full dispatch. */
  private encoderOf(p: Position, J: (s: string) => string): string {
    const L: string[] = [];
    const id = p.id;
    L.push(`function e${id}(v) {`);
    L.push(`  if (P + 16 > E) grow(16);`);
    if (p.kinds & (K_OBJ | K_ARR)) {
      L.push(`  if (typeof v === 'object' && v !== null) {`);
      if (p.elem) L.push(`    if (Array.isArray(v)) { var n = v.length; B[P++] = ${T_ARR}; vu(n); for (var i = 0; i < n; i++) e${p.elem.id}(v[i]); return; }`);
      if (p.shapes.length > 0) L.push(`    if (!Array.isArray(v)) { o${id}(v); return; }`);
      L.push(`  }`);
    }
    if (p.kinds & K_INT) {
      L.push(`  if (typeof v === 'number' && (v | 0) === v) { var z = ((v << 1) ^ (v >> 31)) >>> 0; B[P++] = ${T_INT}; if (z < 128) B[P++] = z; else vu(z); return; }`);
    }
    if (p.kinds & K_STR && p.strs.length > 0) {
      L.push(`  if (typeof v === 'string') {`);
      L.push(`    switch (v) {`);
      for (const str of p.strs) {
        const sid = this.ids.get(str)!;
        L.push(`      case ${J(str)}: B[P++] = ${T_STR}; ${sid < 128 ? `B[P++] = ${sid};` : `vu(${sid});`} return;`);
      }
      L.push(`    }`);
      L.push(`  }`);
    }
    if (p.kinds & K_BOOL) {
      L.push(`  if (v === true) { B[P++] = ${T_TRUE}; return; }`);
      L.push(`  if (v === false) { B[P++] = ${T_FALSE}; return; }`);
    }
    L.push(`  s${id}(v);`);
    L.push(`}`);
    // the full dispatch: learns kinds and strings for the next generation
    L.push(`function s${id}(v) {`);
    L.push(`  rt.learn(${id}, v);`);
    L.push(`  switch (typeof v) {`);
    L.push(`    case 'number': num(v); return;`);
    L.push(`    case 'string': str(v); return;`);
    L.push(`    case 'boolean': if (P + 1 > E) grow(1); B[P++] = v ? ${T_TRUE} : ${T_FALSE}; return;`);
    L.push(`    case 'undefined': if (P + 1 > E) grow(1); B[P++] = ${T_UNDEF}; return;`);
    L.push(`    case 'object': break;`);
    L.push(`    default: rt.notPlain(v);`);
    L.push(`  }`);
    L.push(`  if (v === null) { if (P + 1 > E) grow(1); B[P++] = ${T_NULL}; return; }`);
    if (p.elem) {
      L.push(`  if (Array.isArray(v)) { var n = v.length; if (P + 6 > E) grow(6); B[P++] = ${T_ARR}; vu(n); for (var i = 0; i < n; i++) e${p.elem.id}(v[i]); return; }`);
    } else {
      L.push(`  if (Array.isArray(v)) rt.needElem(${id});`);
    }
    L.push(`  o${id}(v);`);
    L.push(`}`);
    // objects: the known shapes, else learn the shape (or encode generically)
    L.push(`function o${id}(v) {`);
    L.push(`  if (P + 16 > E) grow(16);`);
    if (p.shapes.length > 0) {
      L.push(`  var c = 0; for (var k in v) c++;`);
      const byCount = new Map<number, number[]>();
      p.shapes.forEach((sh, i) => {
        const l = byCount.get(sh.sorted.length) ?? [];
        l.push(i);
        byCount.set(sh.sorted.length, l);
      });
      L.push(`  switch (c) {`);
      for (const [count, idx] of byCount) {
        L.push(`    case ${count}: {`);
        for (const si of idx) {
          const sh = p.shapes[si]!;
          const vars = sh.sorted.map((_, i) => `x${i}`);
          if (sh.sorted.length > 0) L.push(`      var ${sh.sorted.map((k, i) => `${vars[i]} = v[${J(k)}]`).join(', ')};`);
          const conds = sh.sorted.map((k, i) => `(${vars[i]} !== undefined || hasOwn.call(v, ${J(k)}))`);
          L.push(`      if (${conds.length ? conds.join(' && ') : 'true'} && (v.constructor === Object || v.constructor === undefined)) {`);
          L.push(`        B[P++] = ${T_SHAPE + si};`);
          sh.sorted.forEach((_, i) => L.push(`        e${sh.children[i]!.id}(${vars[i]});`));
          L.push(`        return;`);
          L.push(`      }`);
        }
        L.push(`      break;`);
        L.push(`    }`);
      }
      L.push(`  }`);
    }
    L.push(`  if (v instanceof Uint8Array) { bytes(v); return; }`);
    L.push(`  if (rt.miss(${id}, v)) gen(v);`);
    L.push(`}`);
    return L.join('\n');
  }

  /** The decoder of position p. */
  private decoderOf(p: Position, J: (s: string) => string): string {
    const L: string[] = [];
    L.push(`function d${p.id}() {`);
    L.push(`  var t = B[P++];`);
    if (p.kinds & K_INT) L.push(`  if (t === ${T_INT}) { var x = B[P++]; if (x < 128) return (x >>> 1) ^ -(x & 1); P--; var z = rvu(); return (z >>> 1) ^ -(z & 1); }`);
    if (p.kinds & K_STR) L.push(`  if (t === ${T_STR}) { var y = B[P++]; if (y < 128) return strings[y]; P--; return strings[rvu()]; }`);
    L.push(`  switch (t) {`);
    p.shapes.forEach((sh, si) => {
      L.push(`    case ${T_SHAPE + si}: {`);
      sh.sorted.forEach((_, i) => L.push(`      var x${i} = d${sh.children[i]!.id}();`));
      const at = new Map(sh.sorted.map((k, i) => [k, i]));
      L.push(`      return { ${sh.keys.map((k) => `${J(k)}: x${at.get(k)!}`).join(', ')} };`);
      L.push(`    }`);
    });
    if (p.elem) L.push(`    case ${T_ARR}: { var n = rvu(), a = []; for (var i = 0; i < n; i++) a.push(d${p.elem.id}()); return a; }`);
    L.push(`    case ${T_FALSE}: return false;`);
    L.push(`    case ${T_TRUE}: return true;`);
    L.push(`    case ${T_NULL}: return null;`);
    L.push(`    case ${T_UNDEF}: return undefined;`);
    L.push(`  }`);
    L.push(`  P--; return rgen();`);
    L.push(`}`);
    return L.join('\n');
  }
}

function describe(v: object): string {
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : 'an object with a custom prototype';
}
