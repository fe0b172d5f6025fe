/**
 * The frontier of the parallel search: each worker writes the new states it numbered in a level as
 * one run of fixed-width records, in index order; the next level's frontier is the runs of all
 * workers in worker order, which is the sequential numbering. Any worker reads any range of it.
 *
 * A run's first records live in shared memory (`SharedArrayBuffer`, so that every thread reads
 * them without a copy); past the writer's share of the memory budget the rest go to a spill file,
 * which readers read back in blocks. The coordinating thread deletes a level's files once the
 * level has been expanded.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { sparseBound, sparseDecode, sparseEncode } from './sparse.js';

/** One worker's new states of one level. */
export interface FrontierRun {
  /** The first `memCount` records, `width` bytes each (compact runs: their compact forms, back to back). */
  readonly mem: SharedArrayBuffer | undefined;
  readonly memCount: number;
  /** The remaining `fileCount` records, in a spill file. */
  readonly file: string | undefined;
  readonly fileCount: number;
  /**
   * Compact runs (records kept in their compact form, store/sparse.ts): where each record starts,
   * in memory (`memCount + 1` Int32 offsets) and in the file (`fileCount + 1` Float64 offsets).
   */
  readonly memOffsets?: SharedArrayBuffer;
  readonly fileOffsets?: SharedArrayBuffer;
}

/**
 * A run's spill file, written a block at a time: a writer reserves room in `block`, copies its
 * record there, and full blocks are appended to the file (created at the first one).
 */
class SpillFile {
  readonly block: Uint8Array;
  private used = 0;
  private fd = -1;
  private pos = 0;
  path: string | undefined;
  /** Bytes written to the file. */
  bytes = 0;

  constructor(
    private readonly name: () => string,
    blockBytes: number,
  ) {
    this.block = new Uint8Array(blockBytes);
  }

  /** Where in `block` the next `len` bytes go (the block is written out first when they do not fit). */
  reserve(len: number): number {
    if (this.used + len > this.block.length) this.flush();
    const at = this.used;
    this.used += len;
    return at;
  }

  /** Writes what the block holds and closes the file. */
  finish(): void {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.fd < 0) {
      this.path = this.name();
      this.fd = openSync(this.path, 'wx+');
    }
    writeSync(this.fd, this.block, 0, this.used, this.pos);
    this.pos += this.used;
    this.bytes += this.used;
    this.used = 0;
  }
}

/** Writes one run of `count` compact records; the first ones, up to `memBytes` of compact bytes, stay in memory. */
export class CompactRunWriter {
  private body = new Uint8Array(1 << 16);
  private used = 0;
  private readonly memOff: Int32Array;
  private memCount = -1;
  private fileOff: number[] = [0];
  private n = 0;
  private readonly spill: SpillFile;
  private readonly packed: Uint8Array;

  constructor(
    private readonly width: number,
    private readonly count: number,
    private readonly memBytes: number,
    file: () => string,
  ) {
    this.spill = new SpillFile(file, BLOCK);
    this.memOff = new Int32Array(count + 1);
    this.packed = new Uint8Array(sparseBound(width));
  }

  /** Appends `buf[off .. off + width)`. */
  push(buf: Uint8Array, off: number): void {
    const len = sparseEncode(buf, off, this.width, this.packed, 0);
    this.pushCompact(this.packed, 0, len);
  }

  /** Appends a record already in its compact form, `src[off .. off + len)`. */
  pushCompact(src: Uint8Array, off: number, len: number): void {
    if (this.memCount < 0 && this.used + len <= this.memBytes) {
      if (this.used + len > this.body.length) {
        const b = new Uint8Array(Math.max(this.body.length * 2, this.used + len));
        b.set(this.body.subarray(0, this.used));
        this.body = b;
      }
      this.body.set(src.subarray(off, off + len), this.used);
      this.used += len;
      this.memOff[++this.n] = this.used;
      return;
    }
    if (this.memCount < 0) this.memCount = this.n;
    this.spill.block.set(src.subarray(off, off + len), this.spill.reserve(len));
    this.fileOff.push(this.fileOff[this.fileOff.length - 1]! + len);
    this.n++;
  }

  /** Bytes written to the spill file. */
  get spilled(): number {
    return this.spill.bytes;
  }

  /** Ends the run (every record pushed). */
  finish(): FrontierRun {
    if (this.n !== this.count) throw new Error(`CompactRunWriter: ${this.n} records pushed, ${this.count} announced`);
    const memCount = this.memCount < 0 ? this.n : this.memCount;
    this.spill.finish();
    const mem = this.used > 0 ? new SharedArrayBuffer(this.used) : undefined;
    if (mem) new Uint8Array(mem).set(this.body.subarray(0, this.used));
    const memOffsets = new SharedArrayBuffer(4 * (memCount + 1));
    new Int32Array(memOffsets).set(this.memOff.subarray(0, memCount + 1));
    const fileOffsets = new SharedArrayBuffer(8 * this.fileOff.length);
    new Float64Array(fileOffsets).set(this.fileOff);
    return { mem, memCount, file: this.spill.path, fileCount: this.count - memCount, memOffsets, fileOffsets };
  }
}

const BLOCK = 1 << 20;

/** Writes one run of `count` records; the first `memBytes / width` stay in memory. */
export class RunWriter {
  private readonly mem: SharedArrayBuffer | undefined;
  private readonly memU8: Uint8Array;
  private readonly memCount: number;
  private n = 0;
  private readonly spill: SpillFile;

  constructor(
    private readonly width: number,
    private readonly count: number,
    memBytes: number,
    file: () => string,
  ) {
    this.memCount = Math.min(count, Math.floor(memBytes / width));
    this.mem = this.memCount > 0 ? new SharedArrayBuffer(this.memCount * width) : undefined;
    this.memU8 = this.mem ? new Uint8Array(this.mem) : new Uint8Array(0);
    this.spill = new SpillFile(file, count > this.memCount ? Math.max(width, BLOCK - (BLOCK % width)) : 0);
  }

  /** Appends `buf[off .. off + width)`. */
  push(buf: Uint8Array, off: number): void {
    const w = this.width;
    if (this.n < this.memCount) {
      const d = this.n * w;
      for (let b = 0; b < w; b++) this.memU8[d + b] = buf[off + b]!;
    } else {
      const at = this.spill.reserve(w);
      const block = this.spill.block;
      for (let b = 0; b < w; b++) block[at + b] = buf[off + b]!;
    }
    this.n++;
  }

  /** Bytes written to the spill file. */
  get spilled(): number {
    return this.spill.bytes;
  }

  /** Ends the run (every record pushed). */
  finish(): FrontierRun {
    if (this.n !== this.count) throw new Error(`RunWriter: ${this.n} records pushed, ${this.count} announced`);
    this.spill.finish();
    return { mem: this.mem, memCount: this.memCount, file: this.spill.path, fileCount: this.count - this.memCount };
  }
}

/** Deletes a run's spill file, if any. */
export function deleteRun(run: FrontierRun): void {
  if (run.file === undefined) return;
  try {
    unlinkSync(run.file);
  } catch {
    // already gone
  }
}

/** Bytes of a run held in memory. */
export function runMemoryBytes(run: FrontierRun): number {
  return (run.mem?.byteLength ?? 0) + (run.memOffsets?.byteLength ?? 0) + (run.fileOffsets?.byteLength ?? 0);
}

/** Reads records `[from, from + count)` of the concatenation of `runs`; `next()` exposes each as (buf, off). */
export class RunReader {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  private ri = 0;
  /** Index of the next record inside run `ri` (memory records first, then file records). */
  private k = 0;
  private left: number;
  private readonly views: (Uint8Array | undefined)[];
  private fd = -1;
  private fdRun = -1;
  private scratch: Uint8Array = new Uint8Array(0);
  private blockStart = 0;
  private blockCount = 0;

  private readonly memOffs: (Int32Array | undefined)[];
  private readonly fileOffs: (Float64Array | undefined)[];
  private readonly full: Uint8Array;

  constructor(
    private readonly runs: readonly FrontierRun[],
    private readonly width: number,
    from: number,
    count: number,
  ) {
    this.views = runs.map((r) => (r.mem ? new Uint8Array(r.mem) : undefined));
    this.memOffs = runs.map((r) => (r.memOffsets ? new Int32Array(r.memOffsets) : undefined));
    this.fileOffs = runs.map((r) => (r.fileOffsets ? new Float64Array(r.fileOffsets) : undefined));
    this.full = new Uint8Array(width);
    this.left = count;
    let skip = from;
    while (this.ri < runs.length && skip >= runs[this.ri]!.memCount + runs[this.ri]!.fileCount) {
      skip -= runs[this.ri]!.memCount + runs[this.ri]!.fileCount;
      this.ri++;
    }
    this.k = skip;
  }

  /** Advances to the next record; false after the last one of the range. */
  next(): boolean {
    if (this.left === 0) {
      this.close();
      return false;
    }
    this.left--;
    for (;;) {
      const r = this.runs[this.ri]!;
      const offs = this.memOffs[this.ri];
      if (this.k < r.memCount) {
        if (offs !== undefined) {
          sparseDecode(this.views[this.ri]!, offs[this.k]!, this.width, this.full);
          this.buf = this.full;
          this.off = 0;
        } else {
          this.buf = this.views[this.ri]!;
          this.off = this.k * this.width;
        }
        this.k++;
        return true;
      }
      const f = this.k - r.memCount;
      if (f < r.fileCount) {
        if (this.fdRun !== this.ri || f < this.blockStart || f >= this.blockStart + this.blockCount) this.readBlock(r, f);
        const fo = this.fileOffs[this.ri];
        if (fo !== undefined) {
          sparseDecode(this.scratch, fo[f]! - fo[this.blockStart]!, this.width, this.full);
          this.buf = this.full;
          this.off = 0;
        } else {
          this.buf = this.scratch;
          this.off = (f - this.blockStart) * this.width;
        }
        this.k++;
        return true;
      }
      this.ri++;
      this.k = 0;
    }
  }

  private readBlock(r: FrontierRun, f: number): void {
    if (this.scratch.length === 0) this.scratch = new Uint8Array(Math.max(this.width, BLOCK - (BLOCK % this.width)));
    if (this.fdRun !== this.ri) {
      if (this.fd >= 0) closeSync(this.fd);
      this.fd = openSync(r.file!, 'r');
      this.fdRun = this.ri;
    }
    const fo = this.fileOffs[this.ri];
    if (fo !== undefined) {
      // compact records: as many whole records as fit the block
      let end = f + 1;
      while (end < r.fileCount && fo[end + 1]! - fo[f]! <= this.scratch.length) end++;
      this.blockStart = f;
      this.blockCount = end - f;
      readSync(this.fd, this.scratch, 0, fo[end]! - fo[f]!, fo[f]!);
      return;
    }
    const per = this.scratch.length / this.width;
    this.blockStart = f;
    this.blockCount = Math.min(per, r.fileCount - f);
    readSync(this.fd, this.scratch, 0, this.blockCount * this.width, f * this.width);
  }

  /** Closes the open spill file (also done at the end of the range). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.fdRun = -1;
  }
}
