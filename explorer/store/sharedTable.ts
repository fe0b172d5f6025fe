/**
 * The visited set of the parallel search: one open-addressing table of 64-bit fingerprints in
 * shared memory (`SharedArrayBuffer`), probed and filled by every worker thread at once, lock-free.
 *
 * A slot is three int32 words: the fingerprint's high and low words, and a tag. The tag is 0 in an
 * empty slot, BUSY while a thread is writing the slot (claimed by compare-and-swap on the tag),
 * and otherwise `parent + 2`, where `parent` is the index of the state by whose successor the
 * fingerprint was first stored (-1 for initial states, so tag 1). Breadth-first search numbers
 * states level by level, so an entry belongs to the level being expanded exactly when its parent
 * is in that level (`tag - 2 >= levelStart`); older entries are simply visited.
 *
 * Within a level, several threads may reach the same new state from different parents. Each
 * lowers the tag to its parent by compare-and-swap (an atomic minimum), so at the end of the level
 * the tag names the smallest parent: the transition by which the sequential search discovers the
 * state first (with the smallest action index among that parent's transitions, which the single
 * thread expanding that parent sees first). That is what makes the parallel numbering equal the
 * sequential one.
 *
 * Capacity is a power of two (home slot: the fingerprint's high bits, then linear probing). The
 * table never grows while threads use it: when it passes its load limit, the workers pause between
 * two states and the coordinating thread copies it into a table twice as large (`rebuilt`, tags
 * included), so a level goes on where it paused. (One thread copies: two threads copying into the
 * same fresh table at once took 4.5 times as long per entry, 210 ns against 47, on this machine.)
 */

/** Tag of a slot being written. */
const BUSY = -1;

export class SharedTable {
  readonly words: Int32Array;
  readonly capacity: number;
  private readonly shift: number;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.capacity = this.words.length / 3;
    const bits = Math.round(Math.log2(this.capacity));
    if (2 ** bits !== this.capacity || bits < 4 || bits > 30) throw new RangeError(`SharedTable: capacity ${this.capacity} is not a power of two in 2^4..2^30`);
    this.shift = 32 - bits;
    this.mask = this.capacity - 1;
  }

  /** A fresh empty table of `capacity` slots (a power of two). */
  static create(capacity: number): SharedTable {
    return new SharedTable(new SharedArrayBuffer(capacity * 12));
  }

  get bytes(): number {
    return this.buffer.byteLength;
  }

  /** Reads the home slot's tag: a software prefetch, changes nothing. */
  touch(hi: number): number {
    return this.words[(hi >>> this.shift) * 3 + 2]!;
  }

  /** Entries this thread stored through `offer` (new fingerprints). */
  inserted = 0;

  /**
   * Offers fingerprint (hi, lo) as a successor of state `parent` (of the level starting at
   * `levelStart`). Returns the slot when this call made `parent` the fingerprint's smallest parent
   * so far (a new entry, or a lower parent for an entry of this level): a candidate. Returns -1
   * when it was stored before this level, or this level already has it from a parent at or below
   * `parent`. The caller keeps the table below full (see `parallel.ts`): on a full table this
   * would not return.
   */
  offer(hi: number, lo: number, parent: number, levelStart: number): number {
    const w = this.words;
    const tag = parent + 2;
    let i = hi >>> this.shift;
    for (;;) {
      const b = i * 3;
      let t = Atomics.load(w, b + 2);
      if (t === 0) {
        t = Atomics.compareExchange(w, b + 2, 0, BUSY);
        if (t === 0) {
          w[b] = hi;
          w[b + 1] = lo;
          Atomics.store(w, b + 2, tag);
          this.inserted++;
          return i;
        }
      }
      while (t === BUSY) t = Atomics.load(w, b + 2);
      if (w[b] === hi && w[b + 1] === lo) {
        if (t - 2 < levelStart) return -1;
        while (t > tag) {
          const seen = Atomics.compareExchange(w, b + 2, t, tag);
          if (seen === t) return i;
          t = seen;
        }
        return -1;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** The slot of (hi, lo), or -1 when it is not stored. */
  slotOf(hi: number, lo: number): number {
    const w = this.words;
    let i = hi >>> this.shift;
    for (;;) {
      const b = i * 3;
      let t = Atomics.load(w, b + 2);
      if (t === 0) return -1;
      while (t === BUSY) t = Atomics.load(w, b + 2);
      if (w[b] === hi && w[b + 1] === lo) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The tag of slot `i` (parent + 2). */
  tagAt(i: number): number {
    return Atomics.load(this.words, i * 3 + 2);
  }

  /** Stores an entry from this thread alone (the initial states, a rebuild); false if present. */
  insertAlone(hi: number, lo: number, tag: number): boolean {
    const w = this.words;
    let i = hi >>> this.shift;
    for (;;) {
      const b = i * 3;
      if (w[b + 2] === 0) {
        w[b] = hi;
        w[b + 1] = lo;
        w[b + 2] = tag;
        return true;
      }
      if (w[b] === hi && w[b + 1] === lo) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** A table of `capacity` slots holding this table's entries, tags included (no thread may be using this one). */
  rebuilt(capacity: number): { table: SharedTable; entries: number } {
    const t = SharedTable.create(capacity);
    const w = this.words;
    let entries = 0;
    for (let b = 0; b < w.length; b += 3) {
      const tag = w[b + 2]!;
      if (tag === 0) continue;
      t.insertAlone(w[b]!, w[b + 1]!, tag);
      entries++;
    }
    return { table: t, entries };
  }
}
