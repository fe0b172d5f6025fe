/**
 * Parent links of every distinct state: (parent index, action index), enough to rebuild a path by
 * replaying actions from an initial state.
 *
 * Breadth-first search numbers states in discovery order and expands them in that order, so the
 * parent index never decreases from one state to the next. Links are therefore stored as two
 * LEB128 varints per state (parent delta, action index): about 2 bytes a state. Bytes live in fixed
 * 1 MiB chunks (growth allocates a chunk, never copies), with a checkpoint (byte offset, running
 * parent) every 64 states for random access.
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const BLOCK_BITS = 6;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

/** Parent links of every distinct state, as varints in 1 MiB chunks. */
export class ParentLinks {
  private readonly chunks: Uint8Array[] = [new Uint8Array(CHUNK)];
  private pos = 0;
  private count = 0;
  private lastParent = 0;
  private ckPos = new Float64Array(1024);
  private ckParent = new Uint32Array(1024);

  /** Number of states linked. */
  get length(): number {
    return this.count;
  }

  /** Bytes held (chunks and checkpoints). */
  get bytes(): number {
    return this.chunks.length * CHUNK + this.ckPos.byteLength + this.ckParent.byteLength;
  }

  /** Bytes actually written (the figure that grows with the state count). */
  get usedBytes(): number {
    return this.pos + ((this.count >>> BLOCK_BITS) + 1) * 12;
  }

  /** Appends the link of state `length`. Parents must not decrease (breadth-first order). */
  push(parent: number, action: number): void {
    if (parent < this.lastParent) {
      throw new Error(`ParentLinks: parent ${parent} < previous parent ${this.lastParent}; links must be pushed in BFS order`);
    }
    if ((this.count & BLOCK_MASK) === 0) {
      const b = this.count >>> BLOCK_BITS;
      if (b >= this.ckPos.length) {
        const p = new Float64Array(this.ckPos.length * 2);
        p.set(this.ckPos);
        this.ckPos = p;
        const q = new Uint32Array(this.ckParent.length * 2);
        q.set(this.ckParent);
        this.ckParent = q;
      }
      this.ckPos[b] = this.pos;
      this.ckParent[b] = this.lastParent;
    }
    this.writeVarint(parent - this.lastParent);
    this.writeVarint(action);
    this.lastParent = parent;
    this.count++;
  }

  /** Reads the link of state `n` into out[0] (parent) and out[1] (action). */
  get(n: number, out: Uint32Array | number[]): void {
    if (!(n >= 0 && n < this.count)) throw new RangeError(`ParentLinks: no state ${n}`);
    const b = n >>> BLOCK_BITS;
    let p = this.ckPos[b]!;
    let parent = this.ckParent[b]!;
    let action = 0;
    for (let k = b << BLOCK_BITS; k <= n; k++) {
      let shift = 0;
      let delta = 0;
      for (;;) {
        const byte = this.chunks[Math.floor(p / CHUNK)]![p & CHUNK_MASK]!;
        p++;
        delta += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
        shift += 7;
      }
      shift = 0;
      action = 0;
      for (;;) {
        const byte = this.chunks[Math.floor(p / CHUNK)]![p & CHUNK_MASK]!;
        p++;
        action += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
        shift += 7;
      }
      parent += delta;
    }
    out[0] = parent;
    out[1] = action;
  }

  private writeByte(byte: number): void {
    const c = Math.floor(this.pos / CHUNK);
    if (c === this.chunks.length) this.chunks.push(new Uint8Array(CHUNK));
    this.chunks[c]![this.pos & CHUNK_MASK] = byte;
    this.pos++;
  }

  private writeVarint(v: number): void {
    while (v >= 0x80) {
      this.writeByte((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.writeByte(v);
  }
}
