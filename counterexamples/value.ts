/**
 * Plain data, the only kind of state and action this folder handles: numbers, strings, booleans,
 * null, undefined, arrays, plain objects and Uint8Array (the values `fingerprint` accepts).
 * Structural equality and a compact one-line printing shared by the diff and the writers.
 */

/** True for a plain object (`{...}`, or one with a null prototype): a record of the state. */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for the list kinds: arrays and Uint8Array. */
export function isList(v: unknown): v is readonly unknown[] | Uint8Array {
  return Array.isArray(v) || v instanceof Uint8Array;
}

/**
 * Structural equality with the fingerprint's rules: record key order does not matter, array order
 * does, `-0` equals `0`, a key holding `undefined` differs from a missing key, and an array never
 * equals a Uint8Array.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const BARE = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const RESERVED = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);

/** A key or string printed bare when that cannot be misread, else as a JSON string. */
function word(s: string): string {
  return BARE.test(s) && !RESERVED.has(s) ? s : JSON.stringify(s);
}

/** A record key as it appears in a path or a compact value (`kind`, `"odd key"`). */
export function formatKey(k: string): string {
  return word(k);
}

/**
 * One-line compact printing: `{map:0,slot:0,kind:user}`, `[0,1]`, strings bare when they read
 * unambiguously (`grant`), else quoted (`"a b"`). Deterministic: record keys in their own order.
 */
export function formatValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return word(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return `Uint8Array[${Array.from(v).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .map((k) => `${word(k)}:${formatValue(v[k])}`)
      .join(',')}}`;
  }
  return String(v);
}

/** Splits text into lines of at most `width` characters, breaking at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r\n|\r|\n/)) {
    let line = '';
    for (const w of para.split(' ')) {
      if (line === '') line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
      while (line.length > width) {
        out.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
    out.push(line);
  }
  return out;
}
