/**
 * A worker thread of the parallel search (`coordinator.ts` coordinates). It builds the model from
 * its `WorkerSource`, takes the same expander as a one-thread search (`expanderOf`: a packed model's
 * bytes, or a guard+recipe model's declared layout), and for each BFS level:
 * 1. expand: takes its contiguous share of the level's states (from the frontier runs in shared
 *    memory), generates their successors and offers each to the shared visited set
 *    (`store/sharedTable.ts`), which keeps per new state its smallest parent; it notes every offer
 *    that made it the smallest so far (a candidate: fingerprint, parent, action). When the table
 *    passes its load limit, it pauses between two states while the coordinator rebuilds it;
 * 2. commit (after every worker has expanded): keeps the candidates the table still names (the
 *    winners, already in index order: its parents are a contiguous range, expanded in order),
 *    writes them as its run of the next frontier with their links, and checks their properties.
 * Worker w's winners all have smaller parents than worker w+1's, so the runs in worker order are
 * the sequential numbering: no merge, no routing of states between threads. Properties are
 * checked by the same property checker as the sequential search, and each finding carries the
 * time the sequential search would have made it.
 * Everything is synchronous: messages are read with `receiveMessageOnPort`, and a thread with
 * nothing to read sleeps on its signal word (`Atomics.wait`).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { expanderOf } from '../check.js';
import type { Model } from '../model.js';
import { selectProperties } from '../search/outcome.js';
import { PropertyChecker, type Finding, type Phase } from '../search/properties.js';
import { CompactRunWriter, RunReader, RunWriter } from '../store/frontierRuns.js';
import { sparseBound, sparseDecode, sparseEncode } from '../store/sparse.js';
import { SpillBudget } from '../store/queue.js';
import { SharedTable } from '../store/sharedTable.js';
import { CTL_FULL, CTL_INSERTED, CTL_LIMIT, PUBLISH_EVERY, type FromWorker, type ToWorker, type WireFind, type WorkerInit } from './wire.js';
import { KindCounts } from './tally.js';

interface Data {
  readonly init: WorkerInit;
  readonly coordinator: MessagePort;
}

const { init, coordinator } = workerData as Data;
const me = init.index;
const W = init.workers;
const sig = new Int32Array(init.signals);
const ctl = new Int32Array(init.control);
const stopWord = init.stop ? new Int32Array(init.stop) : undefined;

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
  const model = (await (factory as (...a: unknown[]) => Model<unknown, unknown> | Promise<Model<unknown, unknown>>)(...init.source.args)) as Model<unknown, unknown>;
  run(model);
}

function run(model: Model<unknown, unknown>): void {
  const ops = expanderOf(model, { symmetry: init.useSymmetry }).bytes;
  if (!ops || ops.width === undefined) throw new Error('worker: the model has no fixed-width byte form (a packed model, or a guard+recipe model with a declared layout)');
  const w = ops.width;
  const sel = selectProperties(model, init);
  const kindOf = model.actionKind ? (a: unknown) => model.actionKind!(a) : (a: unknown) => String((a as { kind?: unknown }).kind ?? JSON.stringify(a));
  const isFinal = model.isFinal ? (s: unknown) => model.isFinal!(s) : undefined;
  const files = new SpillBudget(0, init.spillDirectory);
  const kinds = new KindCounts();

  let table: SharedTable | undefined;
  // the candidates of the level: slot, parent, action, kind, fingerprint, bytes
  let cap = 1024;
  let cSlot = new Int32Array(cap);
  let cParent = new Int32Array(cap);
  let cAi = new Int32Array(cap);
  let cKind = new Int32Array(cap);
  let cHi = new Int32Array(cap);
  let cLo = new Int32Array(cap);
  // candidates' bytes: raw, w each; or (mostly-zero records) in their compact form at cOff[c]
  const compact = ops.sparse === true;
  let cBytes = new Uint8Array(compact ? 1 << 16 : cap * w);
  let cOff = new Int32Array(compact ? cap + 1 : 0);
  let cUsed = 0;
  const bound = sparseBound(w);
  const full = new Uint8Array(w);
  let nCand = 0;
  const grow = (): void => {
    cap *= 2;
    const more = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    cSlot = more(cSlot);
    cParent = more(cParent);
    cAi = more(cAi);
    cKind = more(cKind);
    cHi = more(cHi);
    cLo = more(cLo);
    if (compact) {
      const o = new Int32Array(cap + 1);
      o.set(cOff);
      cOff = o;
    } else {
      const d = new Uint8Array(cap * w);
      d.set(cBytes);
      cBytes = d;
    }
  };

  let sHi = new Int32Array(64);
  let sLo = new Int32Array(64);
  let sAi = new Int32Array(64);
  let sKind = new Int32Array(64);
  let sink = 0;
  const fp = new Uint32Array(2);
  /** The table was rebuilt: find the level's candidates' new slots (from their fingerprints). */
  const relocate = (t: SharedTable): void => {
    for (let c = 0; c < nCand; c++) cSlot[c] = t.slotOf(cHi[c]!, cLo[c]!);
  };
  let violated: readonly string[] = [];

  /** A checker for one phase of one level; its findings carry the time the sequential search would make them. */
  const checkerFor = (finds: WireFind[], at: () => [number, number], offset = (f: Finding) => f.stateIndex) =>
    new PropertyChecker(sel, {
      checkDeadlock: init.checkDeadlock,
      maxReportedDeadlocks: init.maxReportedDeadlocks,
      ...(isFinal ? { isFinal } : {}),
      report: (f: Finding, phase: Phase, ai: number, pi: number) => {
        const [state, action] = at();
        finds.push({ ...f, stateIndex: offset(f), time: [state, phase, phase === 1 ? action : ai, pi] });
      },
    });

  /** Expands this worker's share of a level; false when told to stop while paused. */
  const expandLevel = (msg: Extract<ToWorker, { type: 'expand' }>): boolean => {
    if (msg.table) table = new SharedTable(msg.table);
    let t = table!;
    const levelStart = msg.levelStart;
    const atBound = msg.atBound;
    let unexplored = 0;
    nCand = 0;
    cUsed = 0;
    violated = msg.violated;
    const finds: WireFind[] = [];
    const checker = checkerFor(finds, () => [curState, curAction]);
    checker.markViolated(violated);
    kinds.reset();
    let generated = 0;
    const canon0 = ops.canonicalized() ?? 0;
    let aborted: 'timeLimitMs' | 'maxMemoryBytes' | number | undefined;
    let published = t.inserted;
    const reader = new RunReader(msg.runs, w, msg.from - levelStart, msg.count);
    for (let j = 0; j < msg.count; j++) {
      if (stopWord !== undefined && Atomics.load(stopWord, 0) !== 0) {
        aborted = Atomics.load(stopWord, 0);
        break;
      }
      reader.next();
      const gi = msg.from + j;
      curState = gi;
      curAction = -1;
      const s = ops.load(reader.buf, reader.off, w);
      const acts = ops.actions(s);
      const na = acts.length;
      if (na > sHi.length) {
        sHi = new Int32Array(na * 2);
        sLo = new Int32Array(na * 2);
        sAi = new Int32Array(na * 2);
        sKind = new Int32Array(na * 2);
      }
      let m = 0;
      for (let ai = 0; ai < na; ai++) {
        curAction = ai;
        const a = acts[ai];
        if (!ops.succ(s, ai, a, m)) continue;
        generated++;
        const k = kinds.idOf(kindOf(a));
        if (kinds.count[k]!++ === 0) {
          kinds.firstState[k] = gi;
          kinds.firstAi[k] = ai;
        }
        if (checker.hasSteps) checker.step(s, a, ops.slotValue(m), gi, ai);
        ops.fpSlot(m, fp);
        sHi[m] = fp[0]! | 0;
        sLo[m] = fp[1]! | 0;
        sAi[m] = ai;
        sKind[m] = k;
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
          cParent[nCand] = gi;
          cAi[nCand] = sAi[k]!;
          cKind[nCand] = sKind[k]!;
          cHi[nCand] = sHi[k]!;
          cLo[nCand] = sLo[k]!;
          const from = ops.slotOff(k);
          if (compact) {
            if (cUsed + bound > cBytes.length) {
              const d = new Uint8Array(Math.max(cBytes.length * 2, cUsed + bound));
              d.set(cBytes.subarray(0, cUsed));
              cBytes = d;
            }
            cOff[nCand] = cUsed;
            cUsed += sparseEncode(ops.slotBuf(k), from, w, cBytes, cUsed);
            cOff[nCand + 1] = cUsed;
          } else {
            cBytes.set(ops.slotBuf(k).subarray(from, from + w), nCand * w);
          }
          nCand++;
        }
        if (t.inserted - published >= PUBLISH_EVERY) {
          const d = t.inserted - published;
          published = t.inserted;
          if (Atomics.add(ctl, CTL_INSERTED, d) + d > Atomics.load(ctl, CTL_LIMIT)) Atomics.store(ctl, CTL_FULL, 1);
        }
      }
      ops.clearSlots(m);
      if (m === 0) checker.terminalState(s, gi);
      ops.unload();
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
      terminal: checker.terminal,
      deadlocks: checker.deadlocks,
      deadlockIdx: checker.deadlockIdx,
      finds,
      generatedByKind: kinds.list(),
      unexplored,
      canonicalized: (ops.canonicalized() ?? 0) - canon0,
      ...(aborted !== undefined ? { aborted } : {}),
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
        cKind[count] = cKind[c]!;
        if (compact) {
          // winners move down in place: their bytes stay in order
          const start = cOff[c]!;
          const end = cOff[c + 1]!;
          const to = count === 0 ? 0 : cOff[count]!;
          if (to !== start) cBytes.copyWithin(to, start, end);
          cOff[count + 1] = to + (end - start);
          if (count === 0) cOff[0] = 0;
        } else if (count !== c) cBytes.copyWithin(count * w, c * w, c * w + w);
        count++;
      }
    }
    const writer = compact ? new CompactRunWriter(w, count, msg.memBytes, () => files.nextFile()) : new RunWriter(w, count, msg.memBytes, () => files.nextFile());
    const links = new Int32Array(2 * count);
    kinds.reset();
    const finds: WireFind[] = [];
    let parent = -1;
    let action = -1;
    const checker = checkerFor(finds, () => [parent, action]);
    checker.markViolated(violated);
    for (let r = 0; r < count; r++) {
      parent = cParent[r]!;
      action = cAi[r]!;
      if (compact) (writer as CompactRunWriter).pushCompact(cBytes, cOff[r]!, cOff[r + 1]! - cOff[r]!);
      else (writer as RunWriter).push(cBytes, r * w);
      links[2 * r] = parent;
      links[2 * r + 1] = action;
      kinds.count[cKind[r]!]!++;
      if (!checker.needValue) continue;
      curState = parent;
      curAction = action;
      if (compact) {
        sparseDecode(cBytes, cOff[r]!, w, full);
        checker.newState(ops.recordValue!(full, 0, w), r, 0, action);
      } else {
        checker.newState(ops.recordValue!(cBytes, r * w, w), r, 0, action);
      }
    }
    curState = -1;
    curAction = -1;
    const runOut = writer.finish();
    const witnessAt = checker.witnessAt.map((x) => (x === undefined ? -1 : x));
    toCoordinator({ type: 'committed', run: runOut, links, finds, witnessAt, newByKind: kinds.list(), spilledBytes: writer.spilled }, [links.buffer as ArrayBuffer]);
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
