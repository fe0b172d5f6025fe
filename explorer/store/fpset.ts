/**
 * The visited set: 64-bit fingerprints in open-addressing tables of typed arrays (no JS Set: V8's
 * Set stops at 2^24 entries and costs ~50 bytes an entry).
 *
 * Layout: 2^shardBits independent shards chosen by the low word's top bits; inside a shard, slots
 * are (high, low) pairs in one Uint32Array, indexed from the high word by multiply-shift (so shard
 * sizes need not be powers of two) and probed linearly. A shard grows on its own by `growth` when
 * its load passes `maxLoad`, so a resize copies one shard, never the whole set (no spike of twice
 * the table), and memory per entry stays between 8/maxLoad and 8·growth/maxLoad bytes.
 *
 * The all-zero fingerprint marks an empty slot; a real fingerprint (0, 0) is stored as (0, 1),
 * which merges it with (0, 1): one more collision in 2^64, noted here rather than handled.
 */
export interface FingerprintSetOptions {
  /** log2 of the number of shards. @defaultValue 6 */
  readonly shardBits?: number;
  /** Slots per shard at the start. @defaultValue 256 */
  readonly initialShardSlots?: number;
  /** Load factor that triggers a shard's growth. @defaultValue 0.85 */
  readonly maxLoad?: number;
  /** Growth factor of a shard. @defaultValue 1.5 */
  readonly growth?: number;
}

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * The tables both classes share: 2^shardBits shards of `stride`-word slots (the fingerprint's
 * high and low words first), the shard choice, the home slot, and a shard's growth. The probes
 * stay in the subclasses, each with its stride as a constant.
 */
abstract class ShardedSlots {
  protected readonly shardShift: number;
  protected readonly tables: Uint32Array[] = [];
  protected readonly slots: Float64Array;
  protected readonly counts: Float64Array;
  protected readonly limits: Float64Array;
  protected total = 0;
  private readonly shardBits: number;
  private readonly maxLoad: number;
  private readonly growth: number;

  constructor(
    private readonly stride: number,
    what: string,
    options: FingerprintSetOptions,
  ) {
    this.shardBits = options.shardBits ?? 6;
    this.maxLoad = options.maxLoad ?? 0.85;
    this.growth = options.growth ?? 1.5;
    if (!(this.shardBits >= 0 && this.shardBits <= 16)) throw new RangeError(`${what}: shardBits must be in 0..16`);
    if (!(this.maxLoad > 0.1 && this.maxLoad < 0.99)) throw new RangeError(`${what}: maxLoad must be in (0.1, 0.99)`);
    if (!(this.growth > 1.05)) throw new RangeError(`${what}: growth must exceed 1.05`);
    this.shardShift = 32 - this.shardBits;
    const n = 1 << this.shardBits;
    const initial = Math.max(16, options.initialShardSlots ?? 256);
    this.slots = new Float64Array(n);
    this.counts = new Float64Array(n);
    this.limits = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      this.tables.push(new Uint32Array(initial * stride));
      this.slots[k] = initial;
      this.limits[k] = Math.floor(initial * this.maxLoad);
    }
  }

  /** Number of fingerprints stored. */
  get size(): number {
    return this.total;
  }

  /** Bytes held by the slot arrays (what the table costs, excluding a few small header arrays). */
  get bytes(): number {
    let b = 0;
    for (const t of this.tables) b += t.byteLength;
    return b;
  }

  protected shardOf(lo: number): number {
    return this.shardBits === 0 ? 0 : lo >>> this.shardShift;
  }

  /**
   * Reads the fingerprint's home slot and returns its first word. Called for every successor of a
   * state before any of them is added, so that their (independent) cache misses overlap: a
   * software prefetch. It changes nothing.
   */
  touch(hi: number, lo: number): number {
    const s = this.shardOf(lo >>> 0);
    return this.tables[s]![Math.floor((hi >>> 0) * this.slots[s]! * TWO_POW_MINUS_32) * this.stride]!;
  }

  /** Counts one more entry in shard `s`, growing it past its load limit. */
  protected added(s: number): void {
    this.total++;
    if (++this.counts[s]! > this.limits[s]!) this.grow(s);
  }

  private grow(s: number): void {
    const w = this.stride;
    const old = this.tables[s]!;
    const oldCap = this.slots[s]!;
    const cap = Math.ceil(oldCap * this.growth);
    const t = new Uint32Array(cap * w);
    for (let k = 0; k < oldCap; k++) {
      const a = old[w * k]!;
      const b = old[w * k + 1]!;
      if (a === 0 && b === 0) continue;
      let i = Math.floor(a * cap * TWO_POW_MINUS_32);
      while (t[w * i] !== 0 || t[w * i + 1] !== 0) if (++i === cap) i = 0;
      for (let x = 0; x < w; x++) t[w * i + x] = old[w * k + x]!;
    }
    this.tables[s] = t;
    this.slots[s] = cap;
    this.limits[s] = Math.floor(cap * this.maxLoad);
  }
}

/** The visited set: 64-bit fingerprints in sharded open-addressing typed arrays. */
export class FingerprintSet extends ShardedSlots {
  constructor(options: FingerprintSetOptions = {}) {
    super(2, 'FingerprintSet', options);
  }

  /** Adds a fingerprint; true when it was not there before. */
  add(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const s = this.shardOf(lo);
    const t = this.tables[s]!;
    const cap = this.slots[s]!;
    let i = Math.floor(hi * cap * TWO_POW_MINUS_32);
    for (;;) {
      const j = i << 1;
      const a = t[j]!;
      const b = t[j + 1]!;
      if (a === 0 && b === 0) {
        t[j] = hi;
        t[j + 1] = lo;
        this.added(s);
        return true;
      }
      if (a === hi && b === lo) return false;
      if (++i === cap) i = 0;
    }
  }

  /** True when the fingerprint is in the set. */
  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const s = this.shardOf(lo);
    const t = this.tables[s]!;
    const cap = this.slots[s]!;
    let i = Math.floor(hi * cap * TWO_POW_MINUS_32);
    for (;;) {
      const j = i << 1;
      const a = t[j]!;
      const b = t[j + 1]!;
      if (a === 0 && b === 0) return false;
      if (a === hi && b === lo) return true;
      if (++i === cap) i = 0;
    }
  }
}

/**
 * A fingerprint set with a 32-bit value per entry (the family search keeps, with each fingerprint,
 * its node number). Same layout and growth as `FingerprintSet`, with (high, low, value) triples.
 */
export class FingerprintMap extends ShardedSlots {
  constructor(options: FingerprintSetOptions = {}) {
    super(3, 'FingerprintMap', options);
  }

  /** The value stored with the fingerprint, or -1 when absent. */
  get(hi: number, lo: number): number {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const s = this.shardOf(lo);
    const t = this.tables[s]!;
    const cap = this.slots[s]!;
    let i = Math.floor(hi * cap * TWO_POW_MINUS_32);
    for (;;) {
      const j = i * 3;
      const a = t[j]!;
      const b = t[j + 1]!;
      if (a === 0 && b === 0) return -1;
      if (a === hi && b === lo) return t[j + 2]!;
      if (++i === cap) i = 0;
    }
  }

  /** Returns the value stored with the fingerprint; when absent, stores `value` (≥ 0) and returns -1. */
  getOrAdd(hi: number, lo: number, value: number): number {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const s = this.shardOf(lo);
    const t = this.tables[s]!;
    const cap = this.slots[s]!;
    let i = Math.floor(hi * cap * TWO_POW_MINUS_32);
    for (;;) {
      const j = i * 3;
      const a = t[j]!;
      const b = t[j + 1]!;
      if (a === 0 && b === 0) {
        t[j] = hi;
        t[j + 1] = lo;
        t[j + 2] = value;
        this.added(s);
        return -1;
      }
      if (a === hi && b === lo) return t[j + 2]!;
      if (++i === cap) i = 0;
    }
  }
}
