/**
 * A worker thread of the parallel search (`parallel.ts` coordinates). It builds the packed model
 * from its `WorkerSource` and, for each BFS level:
 * 1. expand: takes its contiguous share of the level's states (from the frontier runs in shared
 *    memory), generates their successors and offers each to the shared visited set
 *    (`sharedTable.ts`), which keeps per new state its smallest parent; it notes every offer that
 *    made it the smallest so far (a candidate: fingerprint, parent, action). When the table
 *    passes its load limit, it pauses between two states while the coordinator rebuilds it;
 * 2. commit (after every worker has expanded): keeps the candidates the table still names (the
 *    winners, already in index order: its parents are a contiguous range, expanded in order),
 *    writes them as its run of the next frontier with their links, and checks their properties.
 * Worker w's winners all have smaller parents than worker w+1's, so the runs in worker order are
 * the sequential numbering: no merge, no routing of states between threads.
 * Everything is synchronous: messages are read with `receiveMessageOnPort`, and a thread with
 * nothing to read sleeps on its signal word (`Atomics.wait`).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { fingerprintRangeInto } from './fingerprint.js';
import { RunReader, RunWriter } from './frontierRuns.js';
import { selectProperties } from './outcome.js';
import { isPackedModel, type PackedModel } from './packed.js';
import { SpillBudget } from './queue.js';
import { SharedTable } from './sharedTable.js';
import { CTL_FULL, CTL_INSERTED, CTL_LIMIT, PUBLISH_EVERY, type FromWorker, type ToWorker, type WireFind, type WorkerInit } from './wire.js';

interface Data {
  readonly init: WorkerInit;
  readonly coordinator: MessagePort;
}

const { init, coordinator } = workerData as Data;
const me = init.index;
const W = init.workers;
const sig = new Int32Array(init.signals);
const ctl = new Int32Array(init.control);

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
  const { always, steps, quiescent, witnesses } = selectProperties(spec, init);
  const isFinal = spec.isFinal;
  const files = new SpillBudget(0, init.spillDirectory);

  let table: SharedTable | undefined;
  // the candidates of the level: slot, parent, action, bytes
  let cap = 1024;
  let cSlot = new Int32Array(cap);
  let cParent = new Int32Array(cap);
  let cAi = new Int32Array(cap);
  let cBytes = new Uint8Array(cap * w);
  let nCand = 0;
  const grow = (): void => {
    cap *= 2;
    const h = new Int32Array(cap);
    h.set(cSlot);
    cSlot = h;
    const b = new Int32Array(cap);
    b.set(cParent);
    cParent = b;
    const c = new Int32Array(cap);
    c.set(cAi);
    cAi = c;
    const d = new Uint8Array(cap * w);
    d.set(cBytes);
    cBytes = d;
  };

  const cur = new Uint8Array(w);
  // the successors of the state being expanded: slot m is slab[m*w .. (m+1)*w)
  const slots = Math.max(1, na);
  const slab = new Uint8Array(slots * w);
  const slotViews: Uint8Array[] = [];
  for (let m = 0; m < slots; m++) slotViews.push(slab.subarray(m * w, (m + 1) * w));
  const sHi = new Int32Array(slots);
  const sLo = new Int32Array(slots);
  const sAi = new Int32Array(slots);
  const out = new Uint8Array(w);
  let sink = 0;
  const canon = new Uint8Array(w);
  const fp = new Uint32Array(2);
  const nSteps = steps.length;
  const fingerprintOf = (buf: Uint8Array, off: number): void => {
    if (canonicalize) {
      canonicalize(buf.subarray(off, off + w), canon);
      fingerprintRangeInto(canon, 0, w, fp);
    } else {
      fingerprintRangeInto(buf, off, w, fp);
    }
  };
  /** The table was rebuilt: find the level's candidates' new slots (from their bytes' fingerprints). */
  const relocate = (t: SharedTable): void => {
    for (let c = 0; c < nCand; c++) {
      fingerprintOf(cBytes, c * w);
      cSlot[c] = t.slotOf(fp[0]! | 0, fp[1]! | 0);
    }
  };
  let violated = new Set<string>();

  /** Expands this worker's share of a level; false when told to stop while paused. */
  const expandLevel = (msg: Extract<ToWorker, { type: 'expand' }>): boolean => {
    if (msg.table) table = new SharedTable(msg.table);
    let t = table!;
    const levelStart = msg.levelStart;
    const atBound = msg.atBound;
    let unexplored = 0;
    nCand = 0;
    violated = new Set(msg.violated);
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
    let canonicalized = 0;
    const deadlockIdx: number[] = [];
    let aborted: 'timeLimitMs' | 'maxMemoryBytes' | undefined;
    let published = t.inserted;
    const reader = new RunReader(msg.runs, w, msg.from - levelStart, msg.count);
    for (let j = 0; j < msg.count; j++) {
      reader.next();
      const gi = msg.from + j;
      curState = gi;
      const rb = reader.buf;
      const ro = reader.off;
      for (let b = 0; b < w; b++) cur[b] = rb[ro + b]!;
      let m = 0;
      for (let ai = 0; ai < na; ai++) {
        curAction = ai;
        const o = slotViews[m]!;
        if (!next(cur, ai, o)) continue;
        generated++;
        if (genAi[ai]!++ === 0) firstGen[ai] = gi;
        if (nSteps > 0) {
          for (let pi = 0; pi < nSteps; pi++) {
            const p = steps[pi]!;
            if (violated.has(p.name)) continue;
            const v = p.holds(cur, acts[ai], o);
            if (v !== true) record({ property: p.name, kind: 'step', ...(typeof v === 'string' ? { clause: v } : {}), stateIndex: gi, actionIndex: ai, time: [gi, 0, ai, pi] });
          }
        }
        if (canonicalize) {
          canonicalize(o, canon);
          for (let b = 0; b < w; b++) {
            if (canon[b] !== o[b]) {
              canonicalized++;
              break;
            }
          }
          fingerprintRangeInto(canon, 0, w, fp);
        } else {
          fingerprintRangeInto(slab, m * w, w, fp);
        }
        sHi[m] = fp[0]! | 0;
        sLo[m] = fp[1]! | 0;
        sAi[m] = ai;
        m++;
      }
      curAction = -1;
      // touch the home slots first, so that their cache misses overlap
      for (let k = 0; k < m; k++) sink ^= t.touch(sHi[k]!);
      if (atBound) {
        for (let k = 0; k < m; k++) if (t.slotOf(sHi[k]!, sLo[k]!) < 0) unexplored++;
      } else {
        for (let k = 0; k < m; k++) {
          const slot = t.offer(sHi[k]!, sLo[k]!, gi, levelStart);
          if (slot < 0) continue;
          if (nCand === cap) grow();
          cSlot[nCand] = slot;
          const at = nCand * w;
          const from = k * w;
          for (let b = 0; b < w; b++) cBytes[at + b] = slab[from + b]!;
          cParent[nCand] = gi;
          cAi[nCand] = sAi[k]!;
          nCand++;
        }
        if (t.inserted - published >= PUBLISH_EVERY) {
          const d = t.inserted - published;
          published = t.inserted;
          if (Atomics.add(ctl, CTL_INSERTED, d) + d > Atomics.load(ctl, CTL_LIMIT)) Atomics.store(ctl, CTL_FULL, 1);
        }
      }
      if (m === 0) {
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
      if (Atomics.load(ctl, CTL_FULL) !== 0) {
        // the table passed its limit: pause here until the coordinator has rebuilt it larger
        if (t.inserted > published) Atomics.add(ctl, CTL_INSERTED, t.inserted - published);
        toCoordinator({ type: 'paused' });
        const r = fromCoordinator();
        if (r.type === 'stop') return false;
        if (r.type !== 'resume') throw new Error(`worker: expected 'resume', got '${r.type}'`);
        table = t = new SharedTable(r.table);
        relocate(t);
        published = 0;
      }
      if ((j & 65535) === 65535) {
        if (Date.now() > msg.deadline) aborted = 'timeLimitMs';
        else if (init.maxMemoryBytes !== undefined && process.memoryUsage.rss() > init.maxMemoryBytes * 0.94) aborted = 'maxMemoryBytes';
        if (aborted) break;
      }
    }
    reader.close();
    curState = -1;
    if (t.inserted > published) Atomics.add(ctl, CTL_INSERTED, t.inserted - published);
    prefetchSink ^= sink;
    toCoordinator({
      type: 'expanded',
      generated,
      terminal,
      deadlocks,
      deadlockIdx,
      finds,
      genAi,
      firstGen,
      unexplored,
      canonicalized,
      ...(aborted ? { aborted } : {}),
    });
    return true;
  };

  /** Keeps the winners among the level's candidates: their bytes, links and properties. */
  const commitLevel = (msg: Extract<ToWorker, { type: 'commit' }>): void => {
    if (msg.table) {
      table = new SharedTable(msg.table);
      relocate(table);
    }
    const t = table!;
    let count = 0;
    for (let c0 = 0; c0 < nCand; c0 += 16) {
      const c1 = Math.min(nCand, c0 + 16);
      // read the slots of a block first, so that their cache misses overlap
      for (let c = c0; c < c1; c++) sink ^= t.tagAt(cSlot[c]!);
      for (let c = c0; c < c1; c++) {
        if (t.tagAt(cSlot[c]!) !== cParent[c]! + 2) continue;
        cParent[count] = cParent[c]!;
        cAi[count] = cAi[c]!;
        if (count !== c) cBytes.copyWithin(count * w, c * w, c * w + w);
        count++;
      }
    }
    const writer = new RunWriter(w, count, msg.memBytes, () => files.nextFile());
    const links = new Int32Array(2 * count);
    const newAi = new Float64Array(na);
    const witnessAt = witnesses.map(() => -1);
    const finds: WireFind[] = [];
    const checkNew = always.length > 0 || witnesses.length > 0;
    for (let r = 0; r < count; r++) {
      const parent = cParent[r]!;
      const ai = cAi[r]!;
      writer.push(cBytes, r * w);
      links[2 * r] = parent;
      links[2 * r + 1] = ai;
      newAi[ai]!++;
      if (!checkNew) continue;
      curState = parent;
      curAction = ai;
      for (let b = 0; b < w; b++) out[b] = cBytes[r * w + b]!;
      for (let pi = 0; pi < always.length; pi++) {
        const p = always[pi]!;
        if (violated.has(p.name)) continue;
        const v = p.holds(out);
        if (v !== true) {
          violated.add(p.name);
          finds.push({ property: p.name, kind: 'always', ...(typeof v === 'string' ? { clause: v } : {}), stateIndex: r, time: [parent, 1, ai, pi] });
        }
      }
      for (let k = 0; k < witnesses.length; k++) if (witnessAt[k] === -1 && witnesses[k]!.reached(out)) witnessAt[k] = r;
    }
    curState = -1;
    curAction = -1;
    const runOut = writer.finish();
    toCoordinator({ type: 'committed', run: runOut, links, finds, witnessAt, newAi, spilledBytes: writer.spilled }, [links.buffer as ArrayBuffer]);
  };

  toCoordinator({ type: 'ready' });
  for (;;) {
    const msg = fromCoordinator();
    if (msg.type === 'stop') return;
    if (msg.type === 'expand') {
      if (!expandLevel(msg)) return;
    } else if (msg.type === 'commit') {
      commitLevel(msg);
    } else {
      throw new Error(`worker: unexpected '${msg.type}'`);
    }
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
