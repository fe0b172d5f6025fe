/**
 * One BFS level of encoded states, in a byte arena: no per-state JS object. Records are appended
 * in discovery order and read back once, in the same order.
 *
 * Layout: chunks (16 KiB doubling up to 4 MiB); a record is its bytes (fixed-width queues) or a LEB128 length
 * then its bytes, and never straddles two chunks. When the bytes held in memory by all the queues
 * sharing a `SpillBudget` pass its budget, each chunk this queue fills from then on is written to
 * its spill file and dropped; the reader reads such chunks back one at a time. Chunks are dropped
 * as soon as they are read, so a level frees its memory while the next one grows.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The largest chunk; a queue's chunks start at FIRST_CHUNK bytes and double up to it. */
const CHUNK = 1 << 22;
const FIRST_CHUNK = 1 << 14;

let nextBudgetId = 0;

/** The in-memory budget shared by the queues of one search, and what they spilled. */
export class SpillBudget {
  /** Bytes held in memory by every queue of the search. */
  inMemory = 0;
  /** The largest `inMemory` seen. */
  peak = 0;
  /** Bytes written to spill files. */
  spilled = 0;
  private files = 0;

  constructor(
    readonly budget: number,
    readonly directory: string = tmpdir(),
  ) {}

  /** A fresh spill-file path, unique to this process, thread and budget. */
  nextFile(): string {
    return join(this.directory, `grantcheck-frontier-${process.pid}-${threadId}-${this.id}-${this.files++}.bin`);
  }

  /** Distinguishes the budgets of one thread. */
  private readonly id = (nextBudgetId++).toString(36);

  /** Counts `n` more bytes in memory (negative: released). */
  add(n: number): void {
    this.inMemory += n;
    if (this.inMemory > this.peak) this.peak = this.inMemory;
  }
}

interface Chunk {
  /** In memory, or undefined once spilled or read. */
  bytes: Uint8Array | undefined;
  /** Bytes used. */
  used: number;
  /** Records in it. */
  records: number;
  /** Offset in the spill file, for spilled chunks. */
  filePos: number;
}

/** A level's states as byte records. */
export class ByteQueue {
  private readonly chunks: Chunk[] = [];
  private cur: Uint8Array | undefined;
  private curUsed = 0;
  private curRecords = 0;
  private count = 0;
  private fd = -1;
  private file = '';
  private filePos = 0;
  private spilling = false;
  private nextSize = FIRST_CHUNK;

  /** `width`: every record has exactly this many bytes (no length header). */
  constructor(
    private readonly budget: SpillBudget,
    private readonly width?: number,
  ) {}

  /** Records pushed. */
  get length(): number {
    return this.count;
  }

  /** Appends `len` bytes of `buf` from `off`. */
  push(buf: Uint8Array, off: number, len: number): void {
    const need = this.width === undefined ? len + 5 : len;
    if (this.cur === undefined || this.curUsed + need > this.cur.length) this.newChunk(need);
    const c = this.cur!;
    let p = this.curUsed;
    if (this.width === undefined) {
      let v = len;
      while (v >= 0x80) {
        c[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      c[p++] = v;
    }
    if (len <= 32) {
      for (let i = 0; i < len; i++) c[p + i] = buf[off + i]!;
    } else {
      c.set(buf.subarray(off, off + len), p);
    }
    this.curUsed = p + len;
    this.curRecords++;
    this.count++;
  }

  private newChunk(need: number): void {
    this.seal();
    const size = Math.max(this.nextSize, need);
    if (this.nextSize < CHUNK) this.nextSize *= 2;
    this.cur = new Uint8Array(size);
    this.budget.add(size);
    this.curUsed = 0;
    this.curRecords = 0;
  }

  /** Closes the chunk being filled (spilling it when over budget). */
  private seal(): void {
    const c = this.cur;
    if (c === undefined) return;
    const chunk: Chunk = { bytes: c, used: this.curUsed, records: this.curRecords, filePos: -1 };
    this.chunks.push(chunk);
    this.cur = undefined;
    if (this.spilling || this.budget.inMemory > this.budget.budget) {
      this.spilling = true;
      this.spill(chunk);
    }
  }

  private spill(chunk: Chunk): void {
    if (this.fd < 0) {
      this.file = this.budget.nextFile();
      this.fd = openSync(this.file, 'wx+');
    }
    writeSync(this.fd, chunk.bytes!, 0, chunk.used, this.filePos);
    chunk.filePos = this.filePos;
    this.filePos += chunk.used;
    this.budget.spilled += chunk.used;
    this.budget.add(-chunk.bytes!.length);
    chunk.bytes = undefined;
  }

  /** Ends writing; returns a reader over the records in push order. */
  reader(): QueueReader {
    this.seal();
    return new QueueReader(this, this.chunks, this.width);
  }

  /** @internal Reads a spilled chunk back into `into` (reused between chunks). */
  readChunk(chunk: Chunk, into: Uint8Array): void {
    readSync(this.fd, into, 0, chunk.used, chunk.filePos);
  }

  /** @internal A chunk has been read: its memory goes back to the budget. */
  release(chunk: Chunk): void {
    if (chunk.bytes !== undefined) {
      this.budget.add(-chunk.bytes.length);
      chunk.bytes = undefined;
    }
  }

  /** Frees everything and deletes the spill file. */
  dispose(): void {
    for (const c of this.chunks) this.release(c);
    if (this.cur !== undefined) {
      this.budget.add(-this.cur.length);
      this.cur = undefined;
    }
    if (this.fd >= 0) {
      closeSync(this.fd);
      try {
        unlinkSync(this.file);
      } catch {
        // already gone
      }
      this.fd = -1;
    }
  }
}

/** Sequential reader of a ByteQueue: `next()` moves to the next record, exposed as (buf, off, len). */
export class QueueReader {
  /** The current record's bytes are `buf[off .. off + len)`. */
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  len = 0;
  private ci = -1;
  private pos = 0;
  private left = 0;
  private scratch: Uint8Array | undefined;

  constructor(
    private readonly queue: ByteQueue,
    private readonly chunks: Chunk[],
    private readonly width: number | undefined,
  ) {}

  /** Advances to the next record; false at the end. */
  next(): boolean {
    while (this.left === 0) {
      if (this.ci >= 0) this.queue.release(this.chunks[this.ci]!);
      this.ci++;
      if (this.ci >= this.chunks.length) {
        this.queue.dispose();
        return false;
      }
      const c = this.chunks[this.ci]!;
      if (c.bytes === undefined) {
        if (this.scratch === undefined || this.scratch.length < c.used) this.scratch = new Uint8Array(Math.max(CHUNK, c.used));
        this.queue.readChunk(c, this.scratch);
        this.buf = this.scratch;
      } else {
        this.buf = c.bytes;
      }
      this.pos = 0;
      this.left = c.records;
    }
    this.left--;
    const b = this.buf;
    let p = this.pos;
    let len: number;
    if (this.width === undefined) {
      len = 0;
      let shift = 0;
      for (;;) {
        const x = b[p++]!;
        len |= (x & 0x7f) << shift;
        if (x < 0x80) break;
        shift += 7;
      }
    } else {
      len = this.width;
    }
    this.off = p;
    this.len = len;
    this.pos = p + len;
    return true;
  }
}
