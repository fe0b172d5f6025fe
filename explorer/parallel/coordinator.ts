/**
 * The parallel search: breadth-first on worker threads, with the sequential search's results.
 *
 * Level-synchronous, over one visited set in shared memory (`sharedTable.ts`). Each level, every
 * worker expands a contiguous share of the level's states and offers their successors to the
 * shared table, which keeps, per new state, the smallest parent that reached it: the transition by
 * which the sequential search discovers it first. Then each worker keeps the new states it reached
 * from that smallest parent, in its expansion order; worker w's parents all precede worker w+1's,
 * so the workers' lists in worker order *are* the sequential numbering: parent links, indices,
 * counterexamples and traces come out identical, with nothing routed between threads and nothing
 * merged here (`worker.ts`). Findings carry the time the sequential search would have made them
 * (`wire.ts`), and the earliest one per property wins.
 *
 * This thread numbers and checks the initial states, sizes the table between levels (a level that
 * fills it past its limit is run again on a larger table), appends the links, and keeps the
 * frontier runs' spill files until their level is expanded. `check` stays synchronous: this
 * thread sleeps on a shared signal word (`Atomics.wait`) while the workers run and reads their
 * messages with `receiveMessageOnPort`.
 *
 * Not parallel (they run the sequential search, whose results they must equal): `stopAtFirstViolation`
 * and `maxStates`, which cut a level in the middle. `timeLimitMs` and `maxMemoryBytes` are checked
 * by the workers every 65,536 states and between levels; a level they cut is dropped whole.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { search } from '../search/core.js';
import { expanderOf } from '../check.js';
import { ModelError } from '../errors.js';
import { fingerprintRangeInto } from '../fingerprint.js';
import { CompactRunWriter, deleteRun, RunWriter, runMemoryBytes, type FrontierRun } from '../store/frontierRuns.js';
import { ParentLinks } from '../store/links.js';
import { MemoryGuard } from '../search/memory.js';
import { CheckOptionError, type CheckOptions } from '../options.js';
import { formatters, pathTo, type SearchOutcome, type Selected } from '../search/outcome.js';
import { isPackedModel, type PackedModel } from '../packed.js';
import type { Model } from '../model.js';
import { PropertyChecker } from '../search/properties.js';
import { stopBound } from '../search/stop.js';
import { encodePath } from '../path.js';
import type { BoundHit } from '../result.js';
import { SharedTable } from '../store/sharedTable.js';
import { LevelTally } from './tally.js';
import { CTL_FULL, CTL_INSERTED, CTL_LIMIT, CTL_WORDS, PUBLISH_EVERY, type FromWorker, type ToWorker, type WorkerInit } from './wire.js';
import { builtModuleUrl, type WorkerSource } from './source.js';

/**
 * The table's first capacity (slots) unless `sharedTableSlots` says otherwise, and the load at
 * which it doubles. Every doubling pauses all workers: at (4,3) of the peer benchmark (363,150
 * states), starting at 2^20 slots rather than 2^16 took 577–704 ms against 753–1,016 ms.
 */
const FIRST_CAPACITY = 1 << 20;
const MAX_LOAD = 0.75;
/** Worker threads at most (the table's headroom between FULL_LOAD and full covers their unpublished inserts). */
const MAX_WORKERS = 64;

/** How a worker thread builds the model: a packed model's `packed.worker`, a guard+recipe model's `worker`. */
function sourceOf<S, A>(model: Model<S, A>): WorkerSource | undefined {
  if (isPackedModel(model)) return (model as unknown as PackedModel<A>).packed.worker;
  return (model as { worker?: WorkerSource }).worker;
}

/** Runs the search of a fixed-width byte model (packed, or laid out) on `options.workers` worker threads. */
export function parallelSearch<S, A>(model: Model<S, A>, sel: Selected<S, A>, options: CheckOptions): SearchOutcome {
  const useSymmetry = options.symmetry ?? true;
  const ex = expanderOf(model, options);
  if (options.stopAtFirstViolation || options.maxStates !== undefined) return search(model, ex, sel, options);
  const ops = ex.bytes;
  if (!ops || ops.width === undefined) throw new CheckOptionError('workers > 1 runs models kept as fixed-width bytes: packed models, and guard+recipe models with a declared layout');
  const source = sourceOf(model);
  if (!source) {
    throw new CheckOptionError('workers > 1 needs the model to say how a worker thread builds it: worker: { module: import.meta.url, exportName, args } (packedModel, guardedModel)');
  }
  const W = options.workers!;
  if (W > MAX_WORKERS) throw new CheckOptionError(`workers must be at most ${MAX_WORKERS}, got ${W}`);
  const t0 = performance.now();
  const w = ops.width;
  const { kindOf } = formatters(model);
  const maxDepth = options.maxDepth ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
  const memory = new MemoryGuard(options.maxMemoryBytes);
  const frontierBudget = options.frontierMemoryBytes ?? (options.maxMemoryBytes !== undefined ? Math.floor(options.maxMemoryBytes / 4) : 512 * 2 ** 20);
  // signal words: [0, W) the workers', [W] this thread's, [W + 1 + i] set when worker i exits
  const signals = new SharedArrayBuffer(4 * (2 * W + 1));
  const sig = new Int32Array(signals);
  const control = new SharedArrayBuffer(4 * CTL_WORDS);
  const ctl = new Int32Array(control);

  const init: Omit<WorkerInit, 'index'> = {
    workers: W,
    source: { url: builtModuleUrl(source.module).href, exportName: source.exportName, args: source.args ?? [] },
    properties: options.properties,
    useSymmetry,
    checkDeadlock: options.checkDeadlock ?? true,
    maxReportedDeadlocks,
    maxMemoryBytes: options.maxMemoryBytes,
    spillDirectory: options.spillDirectory,
    signals,
    control,
    stop: options.stopSignal?.buffer as SharedArrayBuffer | undefined,
  };
  const script = builtModuleUrl(new URL('./worker.js', import.meta.url).href);
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  for (let i = 0; i < W; i++) {
    const ch = new MessageChannel();
    ports.push(ch.port1);
    const worker = new Worker(script, {
      workerData: { init: { ...init, index: i }, coordinator: ch.port2 },
      transferList: [ch.port2],
    });
    worker.unref();
    threads.push(worker);
  }

  const links = new ParentLinks();
  const send = (i: number, msg: ToWorker, transfer: ArrayBuffer[] = []): void => {
    ports[i]!.postMessage(msg, transfer);
    Atomics.add(sig, i, 1);
    Atomics.notify(sig, i);
  };
  const broadcast = (msg: ToWorker): void => {
    for (let i = 0; i < W; i++) send(i, msg);
  };
  /**
   * Waits for one message of the given type(s) from every worker but those `skip` marks (their
   * entry stays undefined); a worker's error becomes a ModelError.
   */
  const gather = <T extends FromWorker['type']>(type: T | readonly T[], skip?: readonly boolean[]): Extract<FromWorker, { type: T }>[] => {
    const types: readonly string[] = typeof type === 'string' ? [type] : type;
    const got: (FromWorker | undefined)[] = new Array(W).fill(undefined);
    const exitedOnce: boolean[] = new Array(W).fill(false);
    let left = W;
    const done: boolean[] = new Array(W).fill(false);
    if (skip) {
      skip.forEach((k, i) => {
        if (k) {
          done[i] = true;
          left--;
        }
      });
    }
    while (left > 0) {
      const v = Atomics.load(sig, W);
      for (let i = 0; i < W; i++) {
        if (done[i]) continue;
        const m = receiveMessageOnPort(ports[i]!);
        if (!m) continue;
        const msg = m.message as FromWorker;
        if (msg.type === 'error') {
          const where =
            msg.stateIndex < 0
              ? ''
              : ` at path ${encodePath(
                  msg.actionIndex < 0
                    ? pathTo(links, initCount, msg.stateIndex)
                    : { init: pathTo(links, initCount, msg.stateIndex).init, actions: [...pathTo(links, initCount, msg.stateIndex).actions, msg.actionIndex] },
                )}`;
          throw new ModelError(`a worker thread failed${where}: ${msg.message}`);
        }
        if (!types.includes(msg.type)) throw new Error(`parallel search: expected '${types.join("' or '")}' from worker ${i}, got '${msg.type}'`);
        got[i] = msg;
        done[i] = true;
        left--;
      }
      if (left > 0) {
        // a worker that exited (a crash, out of memory) will not answer: say so rather than wait forever
        const gone = done.findIndex((d, i) => !d && Atomics.load(sig, W + 1 + i) === 1);
        if (gone >= 0 && !exitedOnce[gone]) exitedOnce[gone] = true;
        else if (gone >= 0) throw new Error(`parallel search: worker thread ${gone} exited without an answer (out of memory?)`);
        else Atomics.wait(sig, W, v, 1000);
      }
    }
    return got as Extract<FromWorker, { type: T }>[];
  };

  let initCount = 0;
  const tally = new LevelTally(sel.witnesses.length);
  let depth = 0;
  let peakQueue = 0;
  let spilled = 0;
  let peakFrontier = 0;
  let stop: BoundHit | undefined;
  let table = SharedTable.create(options.sharedTableSlots ?? FIRST_CAPACITY);
  /** Runs of the level being expanded, and of the one before (whose files may still be open). */
  let runs: FrontierRun[] = [];

  let entries = 0;
  let sendTable = true;
  /** Doubles the table (no worker may be using it) and resets the control words. */
  const grow = (): void => {
    const r = table.rebuilt(table.capacity * 2);
    table = r.table;
    entries = r.entries;
    sendTable = true;
    limits();
  };
  const limits = (): void => {
    Atomics.store(ctl, CTL_INSERTED, entries);
    // the headroom above the limit covers the inserts each worker has not published yet
    Atomics.store(ctl, CTL_LIMIT, Math.floor(table.capacity * MAX_LOAD) - W * PUBLISH_EVERY);
    Atomics.store(ctl, CTL_FULL, 0);
  };
  /**
   * Waits for every worker's 'expanded'. When the table passes its limit, the workers still
   * expanding pause between two states; once every worker has paused or finished, the table is
   * rebuilt twice as large and the paused ones resume.
   */
  const expand = (): Extract<FromWorker, { type: 'expanded' }>[] => {
    const got: (Extract<FromWorker, { type: 'expanded' }> | undefined)[] = new Array(W).fill(undefined);
    for (;;) {
      const round = gather(['expanded', 'paused'], got.map((g) => g !== undefined));
      const paused: number[] = [];
      round.forEach((m, i) => {
        if (m?.type === 'expanded') got[i] = m;
        else if (m?.type === 'paused') paused.push(i);
      });
      if (paused.length === 0) return got as Extract<FromWorker, { type: 'expanded' }>[];
      entries = Atomics.load(ctl, CTL_INSERTED);
      grow();
      sendTable = false;
      for (const i of paused) send(i, { type: 'resume', table: table.buffer });
      // the finished workers see the new table with the commit
      if (got.some((g) => g !== undefined)) sendTable = true;
    }
  };

  /** The links of the last level committed, not yet appended (with that level's start and size). */
  let pending: { links: Int32Array[]; levelStart: number; n: number } | undefined;
  /** Appends the pending links, in worker order (the numbering), and follows the sequential search's queue length. */
  const flushLinks = (): void => {
    if (!pending) return;
    const { levelStart: start, n: count } = pending;
    let rank = 0;
    for (const l of pending.links) {
      for (let j = 0; j < l.length; j += 2) {
        const parent = l[j]!;
        links.push(parent, l[j + 1]!);
        rank++;
        const q = count - (parent - start) - 1 + rank;
        if (q > peakQueue) peakQueue = q;
      }
    }
    pending = undefined;
  };

  try {
    gather('ready');
    // Level 0, here: the initial states, numbered, checked, and written as the first run.
    const fp = new Uint32Array(2);
    const kept: Uint8Array[] = [];
    const checker0 = new PropertyChecker(sel, {
      report: (f, phase, ai, pi) => tally.report({ ...f, time: [-1, phase, ai, pi] }),
    });
    const ni = ops.initCount();
    for (let k = 0; k < ni; k++) {
      ops.initSlot(k, 0);
      tally.generated++;
      ops.fpSlot(0, fp);
      if (!table.insertAlone(fp[0]! | 0, fp[1]! | 0, 1)) continue;
      const index = links.length;
      links.push(0, k);
      kept.push(ops.slotBuf(0).slice(ops.slotOff(0), ops.slotOff(0) + w));
      checker0.newState(ops.slotValue(0), index, 0, k);
      ops.checked(0);
    }
    ops.clearSlots(1);
    tally.initialWitnesses(checker0.witnessAt);
    initCount = links.length;
    const first = ops.sparse === true ? new CompactRunWriter(w, kept.length, Infinity, () => '') : new RunWriter(w, kept.length, Infinity, () => '');
    for (const s of kept) first.push(s, 0);
    runs = [first.finish()];
    entries = initCount;
    limits();
    let levelStart = 0;
    let n = initCount;
    peakQueue = n;

    while (n > 0 && !stop) {
      const atBound = depth >= maxDepth;
      while (entries > table.capacity * MAX_LOAD) grow();
      const deadline = timeLimit === Infinity ? Infinity : Date.now() + (timeLimit - (performance.now() - t0));
      for (let i = 0; i < W; i++) {
        const from = levelStart + Math.floor((i * n) / W);
        const to = levelStart + Math.floor(((i + 1) * n) / W);
        send(i, { type: 'expand', ...(sendTable ? { table: table.buffer } : {}), levelStart, from, count: to - from, runs, depth, atBound, violated: [...tally.violated], deadline });
      }
      sendTable = false;
      flushLinks();
      const expanded = expand();
      const aborted = expanded.find((k) => k.aborted !== undefined)?.aborted;
      if (aborted !== undefined) {
        stop =
          aborted === 'timeLimitMs'
            ? { bound: 'timeLimitMs', limit: timeLimit, detail: `time limit of ${timeLimit} ms reached at depth ${depth}; the level in progress was dropped` }
            : aborted === 'maxMemoryBytes'
              ? { bound: 'maxMemoryBytes', limit: options.maxMemoryBytes!, detail: `memory budget of ${Math.round(options.maxMemoryBytes! / 2 ** 20)} MiB nearly reached at depth ${depth} with ${links.length} distinct states; the level in progress was dropped` }
              : stopBound(aborted, { distinctStates: links.length, depth }, options);
        break;
      }
      let unexplored = 0;
      for (const k of expanded) unexplored += tally.addExpanded(k);
      tally.markViolated();
      if (atBound) {
        if (unexplored > 0) {
          stop = { bound: 'maxDepth', limit: maxDepth, detail: `depth bound ${maxDepth} reached with ${unexplored} transitions to states not yet seen` };
        }
        break;
      }
      broadcast({ type: 'commit', memBytes: Math.floor(frontierBudget / (2 * W)), ...(sendTable ? { table: table.buffer } : {}) });
      sendTable = false;
      const committed = gather('committed');
      const next = levelStart + n;
      let rank = 0;
      const nextRuns: FrontierRun[] = [];
      let frontierBytes = 0;
      for (const r of runs) frontierBytes += runMemoryBytes(r);
      for (const c of committed) {
        const base = next + rank;
        rank += c.links.length / 2;
        tally.addCommitted(c, base, depth);
        spilled += c.spilledBytes;
        nextRuns.push(c.run);
        frontierBytes += runMemoryBytes(c.run);
      }
      if (frontierBytes > peakFrontier) peakFrontier = frontierBytes;
      tally.markViolated();
      for (const r of runs) deleteRun(r);
      runs = nextRuns;
      // the links are appended while the workers expand the next level (flushLinks)
      pending = { links: committed.map((c) => c.links), levelStart, n };
      entries = next + rank;
      levelStart = next;
      n = rank;
      if (n > 0) depth++;
      if (performance.now() - t0 >= timeLimit && n > 0) {
        stop = { bound: 'timeLimitMs', limit: timeLimit, detail: `time limit of ${timeLimit} ms reached at depth ${depth} with ${n} states still queued` };
      }
      stop ??= memory.check(next + rank, depth);
    }
    flushLinks();
  } finally {
    for (let i = 0; i < W; i++) {
      try {
        send(i, { type: 'stop' });
      } catch {
        // the worker is gone
      }
      void threads[i]!.terminate();
    }
    for (const r of runs) deleteRun(r);
  }

  return {
    links,
    initCount,
    found: tally.firstFinds(),
    deadlockIdx: tally.deadlockIndexes(maxReportedDeadlocks),
    witnessAt: tally.witnessAt,
    witnessDepth: tally.witnessDepth,
    coverage: tally.coverage(),
    generated: tally.generated,
    terminal: tally.terminal,
    deadlocks: tally.deadlocks,
    depth,
    peakQueue,
    stop,
    stoppedAtViolation: false,
    durationMs: performance.now() - t0,
    visitedBytes: table.bytes,
    store: { peakFrontierBytes: peakFrontier, spilledBytes: spilled },
    ...(ops.canonicalized() !== undefined ? { symmetry: { canonicalized: tally.canonicalized } } : {}),
    engine: 'workers',
    workers: W,
  };
}
