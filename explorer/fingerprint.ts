/**
 * The one definition of state identity: a 64-bit structural fingerprint.
 *
 * A value is walked as a prefix-free stream of 32-bit tokens (a tag, then the payload; arrays and
 * strings carry their length), fed into two coupled 32-bit lanes (a reduced MurmurHash3 x86_128).
 * Equal values give equal token streams, so equal fingerprints.
 *
 * Key order: a plain object's fingerprint does not depend on the order of its keys. Each key/value
 * pair is hashed on its own and the pair hashes are summed (a commutative combination), so
 * `{a: 1, b: 2}` and `{b: 2, a: 1}` are the same state. Arrays are ordered. A key whose value is
 * `undefined` still counts as a key, so `{a: undefined}` differs from `{}`.
 *
 * Accepted values: numbers (`-0` is `0`, NaN is one value), strings, booleans, `null`, `undefined`,
 * arrays, plain objects and `Uint8Array` (packed states). Anything else (Map, Set, Date, class
 * instances, functions, bigint) throws: a state must be plain data.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const T_INT = 0x1f3a_0001;
const T_FLOAT = 0x1f3a_0002;
const T_STR = 0x1f3a_0003;
const T_TRUE = 0x1f3a_0004;
const T_FALSE = 0x1f3a_0005;
const T_NULL = 0x1f3a_0006;
const T_UNDEF = 0x1f3a_0007;
const T_ARR = 0x1f3a_0008;
const T_OBJ = 0x1f3a_0009;
const T_BYTES = 0x1f3a_000a;

const SEED1 = 0x9747b28c;
const SEED2 = 0x85ebca6b;

// The two lanes live in a typed array: module-level `let`s cost a context-slot store with a hole
// check on every write (measured 2x slower on this hot path).
const L = new Int32Array(2);

/** The lanes after (seed, T_BYTES, n) for the last n seen: [n, lane 0, lane 1]. */
const prefixN = new Int32Array([-1, 0, 0]);

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function feed(w: number): void {
  let a = L[0]!;
  let b = L[1]!;
  let k1 = Math.imul(w, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, C2);
  a ^= k1;
  a = (a << 19) | (a >>> 13);
  a = (a + b) | 0;
  a = (Math.imul(a, 5) + 0x561ccd1b) | 0;
  let k2 = Math.imul(w, C3);
  k2 = (k2 << 16) | (k2 >>> 16);
  k2 = Math.imul(k2, C4);
  b ^= k2;
  b = (b << 17) | (b >>> 15);
  b = (b + a) | 0;
  b = (Math.imul(b, 5) + 0x0bcaa747) | 0;
  L[0] = a;
  L[1] = b;
}

/** feed(T_INT) then feed(v), with the lanes kept in registers. */
function feedInt(v: number): void {
  let a = L[0]!;
  let b = L[1]!;
  let k1 = Math.imul(T_INT, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, C2);
  a ^= k1;
  a = (a << 19) | (a >>> 13);
  a = (a + b) | 0;
  a = (Math.imul(a, 5) + 0x561ccd1b) | 0;
  let k2 = Math.imul(T_INT, C3);
  k2 = (k2 << 16) | (k2 >>> 16);
  k2 = Math.imul(k2, C4);
  b ^= k2;
  b = (b << 17) | (b >>> 15);
  b = (b + a) | 0;
  b = (Math.imul(b, 5) + 0x0bcaa747) | 0;
  k1 = Math.imul(v, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, C2);
  a ^= k1;
  a = (a << 19) | (a >>> 13);
  a = (a + b) | 0;
  a = (Math.imul(a, 5) + 0x561ccd1b) | 0;
  k2 = Math.imul(v, C3);
  k2 = (k2 << 16) | (k2 >>> 16);
  k2 = Math.imul(k2, C4);
  b ^= k2;
  b = (b << 17) | (b >>> 15);
  b = (b + a) | 0;
  b = (Math.imul(b, 5) + 0x0bcaa747) | 0;
  L[0] = a;
  L[1] = b;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Finalises the lanes in place (both lanes depend on every token). */
function finish(): void {
  let a = L[0]!;
  let b = L[1]!;
  a = (a + b) | 0;
  b = (b + a) | 0;
  a = fmix(a);
  b = fmix(b);
  a = (a + b) | 0;
  b = (b + a) | 0;
  L[0] = a;
  L[1] = b;
}

function feedString(s: string): void {
  const n = s.length;
  feed(T_STR);
  feed(n);
  let i = 0;
  for (; i + 1 < n; i += 2) feed((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1));
  if (i < n) feed(s.charCodeAt(i));
}

function feedBytes(b: Uint8Array): void {
  rangeInto(b, 0, b.length);
}

/**
 * feed(T_BYTES), feed(len), then the bytes as little-endian words (the last one zero-padded):
 * the packed-model hot path, with the full words read without a per-byte branch.
 */
function rangeInto(b: Uint8Array, off: number, n: number): void {
  feed(T_BYTES);
  feed(n);
  wordsInto(b, off, n);
}

/** The words of `rangeInto`, after its two header tokens. */
function wordsInto(b: Uint8Array, off: number, n: number): void {
  let a = L[0]!;
  let c = L[1]!;
  const end = off + (n & ~3);
  for (let p = off; p < end; p += 4) {
    const w = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
    let k1 = Math.imul(w, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, C2);
    a ^= k1;
    a = (a << 19) | (a >>> 13);
    a = (a + c) | 0;
    a = (Math.imul(a, 5) + 0x561ccd1b) | 0;
    let k2 = Math.imul(w, C3);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, C4);
    c ^= k2;
    c = (c << 17) | (c >>> 15);
    c = (c + a) | 0;
    c = (Math.imul(c, 5) + 0x0bcaa747) | 0;
  }
  L[0] = a;
  L[1] = c;
  if (n & 3) {
    let w = 0;
    for (let p = end, sh = 0; p < off + n; p++, sh += 8) w |= b[p]! << sh;
    feed(w);
  }
}

function walk(v: unknown): void {
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v) {
        feedInt(v);
      } else {
        f64[0] = v;
        feed(T_FLOAT);
        feed(u32[0]!);
        feed(u32[1]!);
      }
      return;
    case 'string':
      feedString(v);
      return;
    case 'boolean':
      feed(v ? T_TRUE : T_FALSE);
      return;
    case 'undefined':
      feed(T_UNDEF);
      return;
    case 'object': {
      if (v === null) {
        feed(T_NULL);
        return;
      }
      if (Array.isArray(v)) {
        const n = v.length;
        feed(T_ARR);
        feed(n);
        for (let i = 0; i < n; i++) {
          const e = v[i];
          // the common leaf, inline: a small integer
          if (typeof e === 'number' && (e | 0) === e) feedInt(e);
          else walk(e);
        }
        return;
      }
      const ctor = (v as { constructor?: unknown }).constructor;
      if (ctor === Object || ctor === undefined) {
        walkObject(v as Record<string, unknown>);
        return;
      }
      if (v instanceof Uint8Array) {
        feedBytes(v);
        return;
      }
      throw new TypeError(
        `fingerprint: a state must be plain data (arrays, plain objects, numbers, strings, booleans, null); found ${describe(v)}`,
      );
    }
    default:
      throw new TypeError(`fingerprint: a state must be plain data; found a ${typeof v}`);
  }
}

function walkObject(o: Record<string, unknown>): void {
  const s1 = L[0]!;
  const s2 = L[1]!;
  let sum1 = 0;
  let sum2 = 0;
  let n = 0;
  for (const k in o) {
    L[0] = SEED1;
    L[1] = SEED2;
    feedString(k);
    walk(o[k]);
    finish();
    sum1 = (sum1 + L[0]!) | 0;
    sum2 = (sum2 + L[1]!) | 0;
    n++;
  }
  L[0] = s1;
  L[1] = s2;
  feed(T_OBJ);
  feed(n);
  feed(sum1);
  feed(sum2);
}

function describe(v: object): string {
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : 'an object with a custom prototype';
}

/**
 * Writes the 64-bit fingerprint of `value` into `out[0]` (high word) and `out[1]` (low word), both
 * unsigned. The hot-path form: no allocation.
 */
export function fingerprintInto(value: unknown, out: Uint32Array): void {
  L[0] = SEED1;
  L[1] = SEED2;
  walk(value);
  finish();
  out[0] = L[0]!;
  out[1] = L[1]!;
}

/** Fingerprints a packed state (bytes) without the type dispatch: the packed-model hot path. */
export function fingerprintBytesInto(bytes: Uint8Array, out: Uint32Array): void {
  fingerprintRangeInto(bytes, 0, bytes.length, out);
}

/**
 * The fingerprint of the bytes `buf[off .. off + len)`, equal to `fingerprint` of a Uint8Array
 * holding them: how the byte engine identifies packed and encoded states without a copy.
 */
export function fingerprintRangeInto(buf: Uint8Array, off: number, len: number, out: Uint32Array): void {
  // the lanes after (seed, T_BYTES, len) depend on len only: packed states all have one length
  if (len !== prefixN[0]) {
    L[0] = SEED1;
    L[1] = SEED2;
    feed(T_BYTES);
    feed(len);
    prefixN[0] = len;
    prefixN[1] = L[0]!;
    prefixN[2] = L[1]!;
  } else {
    L[0] = prefixN[1]!;
    L[1] = prefixN[2]!;
  }
  wordsInto(buf, off, len);
  finish();
  out[0] = L[0]!;
  out[1] = L[1]!;
}

const scratch = new Uint32Array(2);

/** The fingerprint of a value as 16 lowercase hex digits: a stable, content-addressed state id. */
export function fingerprint(value: unknown): string {
  fingerprintInto(value, scratch);
  return scratch[0]!.toString(16).padStart(8, '0') + scratch[1]!.toString(16).padStart(8, '0');
}
