/**
 * A worker thread of the parallel search (`parallel.ts` coordinates). It builds the packed model
 * from its `WorkerSource`, owns the fingerprints `ownerOf` gives it (its own visited set) and the
 * frontier states they identify, and for each BFS level:
 * 1. expands its frontier states; each successor goes to the worker that owns its fingerprint
 *    (itself, or a peer through a MessagePort, in chunks of records: fingerprint, key, bytes);
 * 2. keeps, for each fingerprint not visited before, the smallest key (parent index, action
 *    index) it received: the transition the sequential search would have found it by;
 * 3. sends its new states' keys, sorted, to the coordinator, which merges all workers' keys into
 *    the sequential numbering and answers each state's index;
 * 4. stores its new states (visited set, next frontier) and checks their properties.
 * Everything is synchronous: messages are read with `receiveMessageOnPort`, and a thread with
 * nothing to read sleeps on its signal word (`Atomics.wait`).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { fingerprintRangeInto } from './fingerprint.js';
import { FingerprintMap } from './fpset.js';
import type { AlwaysProperty, AtQuiescenceProperty, SometimesProperty, StepProperty } from './model.js';
import { isPackedModel, type PackedModel } from './packed.js';
import { ByteQueue, SpillBudget } from './queue.js';
import { KEY_SPAN, ownerOf, type FromWorker, type ToPeer, type ToWorker, type WireFind, type WorkerInit } from './wire.js';

interface Data {
  readonly init: WorkerInit;
  readonly coordinator: MessagePort;
  readonly peers: readonly (MessagePort | undefined)[];
}

const CHUNK_BYTES = 1 << 18;

const { init, coordinator, peers } = workerData as Data;
const me = init.index;
const W = init.workers;
const sig = new Int32Array(init.signals);

function notify(target: number): void {
  Atomics.add(sig, target, 1);
  Atomics.notify(sig, target);
}

function toCoordinator(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  coordinator.postMessage(msg, transfer);
  notify(W);
}

/** Blocks until the coordinator sends a message. */
function fromCoordinator(): ToWorker {
  for (;;) {
    const v = Atomics.load(sig, me);
    const m = receiveMessageOnPort(coordinator);
    if (m) return m.message as ToWorker;
    Atomics.wait(sig, me, v, 1000);
  }
}

/** Keeps the prefetch reads observable so that they are not optimised away. */
export let prefetchSink = 0;

let curState = -1;
let curAction = -1;

async function main(): Promise<void> {
  const mod = (await import(init.source.url)) as Record<string, unknown>;
  const factory = mod[init.source.exportName];
  if (typeof factory !== 'function') throw new Error(`worker: ${init.source.url} exports no function '${init.source.exportName}'`);
  const model = (factory as (...a: unknown[]) => PackedModel<unknown>)(...init.source.args);
  if (!isPackedModel(model)) throw new Error(`worker: ${init.source.exportName}(...) did not return a packed model`);
  run(model);
}

function run(model: PackedModel<unknown>): void {
  const spec = model.packed;
  const w = spec.width;
  const acts = spec.actions;
  const na = acts.length;
  const next = spec.next;
  const canonicalize = init.useSymmetry ? spec.canonicalize : undefined;
  const only = init.properties ? new Set(init.properties) : undefined;
  const selected = spec.properties.filter((p) => p.kind === 'sometimes' || !only || only.has(p.name));
  const always = selected.filter((p): p is AlwaysProperty<Uint8Array> => p.kind === 'always');
  const steps = selected.filter((p): p is StepProperty<Uint8Array, unknown> => p.kind === 'step');
  const quiescent = selected.filter((p): p is AtQuiescenceProperty<Uint8Array> => p.kind === 'atQuiescence');
  const witnesses = selected.filter((p): p is SometimesProperty<Uint8Array> => p.kind === 'sometimes');
  const isFinal = spec.isFinal;

  /** Every fingerprint this worker owns, with the serial number of its state (serials of the current level start at levelBase). */
  const visited = new FingerprintMap();
  let serials = 0;
  let levelBase = 0;
  const budget = new SpillBudget(Math.max(1 << 14, Math.floor(init.frontierMemoryBytes / W)), init.spillDirectory);
  let frontier = new ByteQueue(budget, w);
  // state indices are below 2^31 (int32 values stay small integers: no boxing in calls)
  let frontierIdx = new Int32Array(1024);
  let frontierCount = 0;

  // routed records: [hi u32][lo u32][key f64][bytes, padded to 8]
  const stride = 16 + Math.ceil(w / 8) * 8;
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / stride));
  const outBuf: (ArrayBuffer | undefined)[] = new Array(W).fill(undefined);
  const outU32: Uint32Array[] = [];
  const outF64: Float64Array[] = [];
  const outU8: Uint8Array[] = [];
  const outCount = new Int32Array(W);
  /** Chunks the peers sent back after reading them: reused, so that memory is not faulted in again. */
  const free: ArrayBuffer[][] = Array.from({ length: W }, () => []);
  const newChunk = (d: number): void => {
    const b = free[d]!.pop() ?? new ArrayBuffer(perChunk * stride);
    outBuf[d] = b;
    outU32[d] = new Uint32Array(b);
    outF64[d] = new Float64Array(b);
    outU8[d] = new Uint8Array(b);
    outCount[d] = 0;
  };
  const flush = (d: number): void => {
    const b = outBuf[d]!;
    const msg: ToPeer = { type: 'chunk', buf: b, count: outCount[d]! };
    peers[d]!.postMessage(msg, [b]);
    notify(d);
    newChunk(d);
  };

  /**
   * Fingerprints this worker has already routed to a peer (a direct-mapped cache, lossy). Routing
   * one again is useless: the owner either took the first one as a new state (with a smaller key:
   * this worker expands in key order) or found it visited, and will drop this one. So a hit skips
   * the routing, exactly; a miss only costs a routed record.
   */
  const SENT_BITS = 18;
  const sent = new Uint32Array(2 << SENT_BITS);
  let sentSkipped = 0;

  // the new states of the level (serial levelBase + c): their smallest key so far, its source, their bytes
  let cap = 1024;
  let cKey = new Float64Array(cap);
  let cSrc = new Uint8Array(cap);
  let cBytes = new Uint8Array(cap * w);
  let nCand = 0;
  const lists: { buf: Int32Array; n: number }[] = Array.from({ length: W }, () => ({ buf: new Int32Array(1024), n: 0 }));
  const pushList = (src: number, c: number): void => {
    const l = lists[src]!;
    if (l.n === l.buf.length) {
      const b = new Int32Array(l.buf.length * 2);
      b.set(l.buf);
      l.buf = b;
    }
    l.buf[l.n++] = c;
  };
  const growCand = (): void => {
    cap *= 2;
    const k = new Float64Array(cap);
    k.set(cKey);
    cKey = k;
    const s = new Uint8Array(cap);
    s.set(cSrc);
    cSrc = s;
    const b = new Uint8Array(cap * w);
    b.set(cBytes);
    cBytes = b;
  };

  let atBound = false;
  let unexplored = 0;
  /**
   * A successor for this worker: keep it if its fingerprint is new and its key (parent, action)
   * the smallest (one probe of the map). Fingerprint words come as int32 (`| 0`) and the key as
   * two small integers, so that calls pass no heap-allocated numbers.
   */
  const consider = (hi: number, lo: number, parent: number, ai: number, src: number, bytes: Uint8Array, off: number): void => {
    const key = parent * KEY_SPAN + ai;
    if (atBound) {
      if (visited.get(hi, lo) < 0) unexplored++;
      return;
    }
    const v = visited.getOrAdd(hi, lo, levelBase + nCand);
    if (v < 0) {
      if (nCand === cap) growCand();
      const c = nCand++;
      cKey[c] = key;
      cSrc[c] = src;
      for (let b = 0; b < w; b++) cBytes[c * w + b] = bytes[off + b]!;
      pushList(src, c);
      return;
    }
    if (v < levelBase) return;
    const c = v - levelBase;
    if (key < cKey[c]!) {
      cKey[c] = key;
      cSrc[c] = src;
      if (canonicalize) for (let b = 0; b < w; b++) cBytes[c * w + b] = bytes[off + b]!;
      pushList(src, c);
    }
  };

  const ended = new Uint8Array(W);
  const handlePeer = (src: number, m: ToPeer): void => {
    if (m.type === 'end') {
      ended[src] = 1;
      return;
    }
    if (m.type === 'free') {
      free[src]!.push(m.buf);
      return;
    }
    const u32 = new Uint32Array(m.buf);
    const f64 = new Float64Array(m.buf);
    const u8 = new Uint8Array(m.buf);
    const s4 = stride >>> 2;
    for (let r0 = 0; r0 < m.count; r0 += 16) {
      const r1 = Math.min(m.count, r0 + 16);
      // touch the home slots of a block first, so that their cache misses overlap
      for (let r = r0; r < r1; r++) sink ^= visited.touch(u32[r * s4]! | 0, u32[r * s4 + 1]! | 0);
      for (let r = r0; r < r1; r++) {
        const base = r * stride;
        const key = f64[(base >>> 3) + 1]!;
        const ai = key % KEY_SPAN;
        consider(u32[base >>> 2]! | 0, u32[(base >>> 2) + 1]! | 0, ((key - ai) / KEY_SPAN) | 0, ai | 0, src, u8, base + 16);
      }
    }
    const back: ToPeer = { type: 'free', buf: m.buf };
    peers[src]!.postMessage(back, [m.buf]);
  };
  const drainPeers = (): void => {
    for (let d = 0; d < W; d++) {
      const port = peers[d];
      if (!port) continue;
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) handlePeer(d, m.message as ToPeer);
    }
  };

  const cur = new Uint8Array(w);
  // the successors of the state being expanded: slot m is slab[m*w .. (m+1)*w)
  const slab = new Uint8Array(Math.max(1, na) * w);
  const slotViews: Uint8Array[] = [];
  for (let m = 0; m < Math.max(1, na); m++) slotViews.push(slab.subarray(m * w, (m + 1) * w));
  const sHi = new Uint32Array(Math.max(1, na));
  const sLo = new Uint32Array(Math.max(1, na));
  const sKey = new Float64Array(Math.max(1, na));
  const sAi = new Int32Array(Math.max(1, na));
  let sink = 0;
  const canon = new Uint8Array(w);
  const fp = new Uint32Array(2);
  const nSteps = steps.length;
  let budgetStop: 'timeLimitMs' | 'maxMemoryBytes' | undefined;
  let canonicalized = 0;
  toCoordinator({ type: 'ready' });

  for (;;) {
    const msg = fromCoordinator();
    if (msg.type === 'stop') return;
    if (msg.type === 'init') {
      for (const s of msg.states) {
        if (ownerOf(s.lo | 0, W) !== me) continue;
        visited.getOrAdd(s.hi, s.lo, serials++);
        frontier.push(s.bytes, 0, w);
        if (frontierCount === frontierIdx.length) {
          const f = new Int32Array(frontierIdx.length * 2);
          f.set(frontierIdx);
          frontierIdx = f;
        }
        frontierIdx[frontierCount++] = s.index;
      }
      continue;
    }
    if (msg.type !== 'expand') continue;

    // 1. expand
    atBound = msg.atBound;
    unexplored = 0;
    nCand = 0;
    levelBase = serials;
    for (const l of lists) l.n = 0;
    ended.fill(0);
    ended[me] = 1;
    for (let d = 0; d < W; d++) if (d !== me) newChunk(d);
    const violated = new Set(msg.violated);
    const finds: WireFind[] = [];
    const record = (f: WireFind): void => {
      violated.add(f.property);
      finds.push(f);
    };
    const genAi = new Float64Array(na);
    const firstGen = new Float64Array(na).fill(-1);
    let generated = 0;
    let terminal = 0;
    let deadlocks = 0;
    const deadlockIdx: number[] = [];
    const reader = frontier.reader();
    const n = frontierCount;
    for (let j = 0; j < n; j++) {
      reader.next();
      const gi = frontierIdx[j]!;
      curState = gi;
      const rb = reader.buf;
      const ro = reader.off;
      for (let b = 0; b < w; b++) cur[b] = rb[ro + b]!;
      let enabled = 0;
      let m = 0;
      for (let ai = 0; ai < na; ai++) {
        curAction = ai;
        const out = slotViews[m]!;
        if (!next(cur, ai, out)) continue;
        enabled++;
        generated++;
        if (genAi[ai]!++ === 0) firstGen[ai] = gi;
        if (nSteps > 0) {
          for (let pi = 0; pi < nSteps; pi++) {
            const p = steps[pi]!;
            if (violated.has(p.name)) continue;
            const v = p.holds(cur, acts[ai], out);
            if (v !== true) record({ property: p.name, kind: 'step', ...(typeof v === 'string' ? { clause: v } : {}), stateIndex: gi, actionIndex: ai, time: [gi, 0, ai, pi] });
          }
        }
        if (canonicalize) {
          canonicalize(out, canon);
          for (let b = 0; b < w; b++) {
            if (canon[b] !== out[b]) {
              canonicalized++;
              break;
            }
          }
          fingerprintRangeInto(canon, 0, w, fp);
        } else {
          fingerprintRangeInto(slab, m * w, w, fp);
        }
        sHi[m] = fp[0]!;
        sLo[m] = fp[1]!;
        sKey[m] = gi * KEY_SPAN + ai;
        sAi[m] = ai;
        m++;
      }
      curAction = -1;
      for (let k = 0; k < m; k++) if (ownerOf(sLo[k]! | 0, W) === me) sink ^= visited.touch(sHi[k]! | 0, sLo[k]! | 0);
      for (let k = 0; k < m; k++) {
        const hi = sHi[k]!;
        const lo = sLo[k]!;
        const d = ownerOf(lo | 0, W);
        if (d === me) {
          // consider(), inlined for the worker's own successors (the common case)
          if (atBound) {
            if (visited.get(hi | 0, lo | 0) < 0) unexplored++;
            continue;
          }
          const v = visited.getOrAdd(hi | 0, lo | 0, levelBase + nCand);
          if (v >= 0 && v < levelBase) continue;
          const key = sKey[k]!;
          if (v < 0) {
            if (nCand === cap) growCand();
            const c = nCand++;
            cKey[c] = key;
            cSrc[c] = me;
            for (let b = 0; b < w; b++) cBytes[c * w + b] = slab[k * w + b]!;
            pushList(me, c);
          } else {
            const c = v - levelBase;
            if (key < cKey[c]!) {
              cKey[c] = key;
              cSrc[c] = me;
              if (canonicalize) for (let b = 0; b < w; b++) cBytes[c * w + b] = slab[k * w + b]!;
              pushList(me, c);
            }
          }
        } else {
          const h = (hi >>> (32 - SENT_BITS)) << 1;
          // (at the depth bound every transition to an unseen state is counted: no skipping there)
          if (!atBound && sent[h] === hi && sent[h + 1] === lo) {
            sentSkipped++;
            continue;
          }
          sent[h] = hi;
          sent[h + 1] = lo;
          const c = outCount[d]!;
          const base = c * stride;
          outU32[d]![base >>> 2] = hi;
          outU32[d]![(base >>> 2) + 1] = lo;
          outF64[d]![(base >>> 3) + 1] = sKey[k]!;
          const u8 = outU8[d]!;
          for (let b = 0; b < w; b++) u8[base + 16 + b] = slab[k * w + b]!;
          outCount[d] = c + 1;
          if (c + 1 === perChunk) flush(d);
        }
      }
      curAction = -1;
      if (enabled === 0) {
        terminal++;
        for (let pi = 0; pi < quiescent.length; pi++) {
          const p = quiescent[pi]!;
          if (violated.has(p.name)) continue;
          const v = p.holds(cur);
          if (v !== true) record({ property: p.name, kind: 'atQuiescence', ...(typeof v === 'string' ? { clause: v } : {}), stateIndex: gi, time: [gi, 2, 0, pi] });
        }
        if (init.checkDeadlock && !(isFinal?.(cur) ?? false)) {
          deadlocks++;
          if (deadlockIdx.length < init.maxReportedDeadlocks) deadlockIdx.push(gi);
          if (!violated.has('deadlock')) record({ property: 'deadlock', kind: 'deadlock', stateIndex: gi, time: [gi, 2, 0, quiescent.length] });
        }
      }
      if ((j & 1023) === 1023) {
        drainPeers();
        if ((j & 65535) === 65535) {
          if (Date.now() > msg.deadline) budgetStop = 'timeLimitMs';
          else if (init.maxMemoryBytes !== undefined && process.memoryUsage.rss() > init.maxMemoryBytes * 0.94) budgetStop = 'maxMemoryBytes';
          if (budgetStop) break;
        }
      }
    }
    curState = -1;
    frontier.dispose();
    // 2. the rest of the exchange: flush, say "end", take in everything the peers send
    for (let d = 0; d < W; d++) {
      if (d === me) continue;
      if (outCount[d]! > 0) flush(d);
      const end: ToPeer = { type: 'end' };
      peers[d]!.postMessage(end);
      notify(d);
      outBuf[d] = undefined;
    }
    for (;;) {
      const v = Atomics.load(sig, me);
      drainPeers();
      if (ended.every((e) => e === 1)) break;
      Atomics.wait(sig, me, v, 1000);
    }
    // 3. the new states, in key order (a merge of the per-source lists, skipping stale entries)
    const order = new Int32Array(nCand);
    const heads = new Int32Array(W);
    let r = 0;
    for (;;) {
      let best = -1;
      let bestKey = Infinity;
      for (let src = 0; src < W; src++) {
        const l = lists[src]!;
        while (heads[src]! < l.n && cSrc[l.buf[heads[src]!]!] !== src) heads[src]!++;
        if (heads[src]! < l.n) {
          const k = cKey[l.buf[heads[src]!]!]!;
          if (k < bestKey) {
            bestKey = k;
            best = src;
          }
        }
      }
      if (best < 0) break;
      order[r++] = lists[best]!.buf[heads[best]!++]!;
    }
    const keys = new Float64Array(nCand);
    for (let i = 0; i < nCand; i++) keys[i] = cKey[order[i]!]!;
    const keysMsg: FromWorker = {
      type: 'keys',
      keys,
      generated,
      terminal,
      deadlocks,
      deadlockIdx,
      finds,
      genAi,
      firstGen,
      unexplored,
      canonicalized,
      ...(budgetStop ? { aborted: budgetStop } : {}),
    };
    toCoordinator(keysMsg, [keys.buffer as ArrayBuffer]);
    if (budgetStop || atBound) {
      frontier = new ByteQueue(budget, w);
      frontierCount = 0;
      continue;
    }
    // 4. store the new states under the indices the coordinator gives
    const assign = fromCoordinator();
    if (assign.type === 'stop') return;
    if (assign.type !== 'assign') throw new Error(`worker: expected 'assign', got '${assign.type}'`);
    const indices = assign.indices;
    frontier = new ByteQueue(budget, w);
    if (frontierIdx.length < nCand) frontierIdx = new Int32Array(nCand);
    frontierCount = nCand;
    const newAi = new Float64Array(na);
    const witnessAt = witnesses.map(() => -1);
    const newFinds: WireFind[] = [];
    const view = new Uint8Array(w);
    serials += nCand;
    for (let i = 0; i < nCand; i++) {
      const c = order[i]!;
      const gi = indices[i]!;
      frontier.push(cBytes, c * w, w);
      frontierIdx[i] = gi;
      const key = cKey[c]!;
      const ai = key % KEY_SPAN;
      const parent = (key - ai) / KEY_SPAN;
      newAi[ai]!++;
      if (always.length > 0 || witnesses.length > 0) {
        for (let b = 0; b < w; b++) view[b] = cBytes[c * w + b]!;
        curState = parent;
        curAction = ai;
        for (let pi = 0; pi < always.length; pi++) {
          const p = always[pi]!;
          if (violated.has(p.name)) continue;
          const v = p.holds(view);
          if (v !== true) {
            violated.add(p.name);
            newFinds.push({ property: p.name, kind: 'always', ...(typeof v === 'string' ? { clause: v } : {}), stateIndex: gi, time: [parent, 1, ai, pi] });
          }
        }
        for (let k = 0; k < witnesses.length; k++) if (witnessAt[k] === -1 && witnesses[k]!.reached(view)) witnessAt[k] = gi;
      }
    }
    curState = -1;
    curAction = -1;
    prefetchSink ^= sink;
    const done: FromWorker = {
      type: 'done',
      finds: newFinds,
      witnessAt,
      newAi,
      frontier: nCand,
      visitedBytes: visited.bytes,
      spilledBytes: budget.spilled,
      peakFrontierBytes: budget.peak,
    };
    toCoordinator(done);
  }
}

// A worker that stops for any other reason says so, so that the coordinator does not wait forever.
process.on('exit', () => {
  Atomics.store(sig, W + 1 + me, 1);
  notify(W);
});

main().catch((e: unknown) => {
  const msg: FromWorker = { type: 'error', message: e instanceof Error ? `${e.message}` : String(e), stateIndex: curState, actionIndex: curAction };
  toCoordinator(msg);
});
