/**
 * The parallel search: breadth-first on worker threads, with the sequential search's results.
 *
 * Level-synchronous. Each worker owns a share of the fingerprints (`ownerOf`) and the frontier
 * states they identify; it expands them and routes each successor to its owner (`worker.ts`). The
 * owner keeps, per new fingerprint, the smallest key (parent index, action index), which is the
 * transition by which the sequential search discovers that state first. This thread merges the
 * workers' sorted keys: the merged order *is* the sequential numbering, so parent links, indices,
 * counterexamples and traces come out identical. Findings carry the time the sequential search
 * would have made them (`wire.ts`), and the earliest one per property wins.
 *
 * `check` stays synchronous: this thread sleeps on a shared signal word (`Atomics.wait`) while the
 * workers run and reads their messages with `receiveMessageOnPort`.
 *
 * Not parallel (they run the sequential search, whose results they must equal): `stopAtFirstViolation`
 * and `maxStates`, which cut a level in the middle. `timeLimitMs` and `maxMemoryBytes` are checked
 * by the workers every 65,536 states and between levels; a level they cut is dropped whole.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { byteSearch } from './engine.js';
import { ModelError } from './errors.js';
import { fingerprintRangeInto } from './fingerprint.js';
import { FingerprintSet } from './fpset.js';
import { ParentLinks } from './links.js';
import { MemoryGuard } from './memory.js';
import { CheckOptionError, type CheckOptions } from './options.js';
import { formatters, pathTo, type Counter, type Found, type SearchOutcome, type Selected } from './outcome.js';
import { packedOps, type PackedModel } from './packed.js';
import { encodePath } from './path.js';
import type { BoundHit } from './result.js';
import { compareTimes, KEY_SPAN, type FromWorker, type ToWorker, type WireFind, type WorkerInit } from './wire.js';
import { builtModuleUrl } from './workers.js';

/** Runs the search of a packed model on `options.workers` worker threads. */
export function parallelSearch<A>(model: PackedModel<A>, sel: Selected<Uint8Array, A>, options: CheckOptions): SearchOutcome {
  const useSymmetry = options.symmetry ?? true;
  if (options.stopAtFirstViolation || options.maxStates !== undefined) {
    return byteSearch(model, packedOps(model.packed, useSymmetry), sel, options);
  }
  const spec = model.packed;
  const source = spec.worker;
  if (!source) {
    throw new CheckOptionError('workers > 1 needs the packed model to say how a worker builds it: packedModel({ ..., worker: { module: import.meta.url, exportName, args } })');
  }
  if (spec.actions.length >= KEY_SPAN) throw new CheckOptionError(`workers > 1 supports models with fewer than ${KEY_SPAN} actions`);
  const W = options.workers!;
  const t0 = performance.now();
  const w = spec.width;
  const { kindOf } = formatters(model);
  const maxDepth = options.maxDepth ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
  const memory = new MemoryGuard(options.maxMemoryBytes);
  // signal words: [0, W) the workers', [W] this thread's, [W + 1 + i] set when worker i exits
  const signals = new SharedArrayBuffer(4 * (2 * W + 1));
  const sig = new Int32Array(signals);

  const init: Omit<WorkerInit, 'index'> = {
    workers: W,
    source: { url: builtModuleUrl(source.module).href, exportName: source.exportName, args: source.args ?? [] },
    properties: options.properties,
    useSymmetry,
    checkDeadlock: options.checkDeadlock ?? true,
    maxReportedDeadlocks,
    maxMemoryBytes: options.maxMemoryBytes,
    frontierMemoryBytes: options.frontierMemoryBytes ?? (options.maxMemoryBytes !== undefined ? Math.floor(options.maxMemoryBytes / 4) : 512 * 2 ** 20),
    spillDirectory: options.spillDirectory,
    signals,
  };
  const script = builtModuleUrl(new URL('./worker.js', import.meta.url).href);
  const ports: MessagePort[] = [];
  const peerPorts: (MessagePort | undefined)[][] = Array.from({ length: W }, () => new Array<MessagePort | undefined>(W).fill(undefined));
  for (let u = 0; u < W; u++) {
    for (let v = u + 1; v < W; v++) {
      const ch = new MessageChannel();
      peerPorts[u]![v] = ch.port1;
      peerPorts[v]![u] = ch.port2;
    }
  }
  const threads: Worker[] = [];
  for (let i = 0; i < W; i++) {
    const ch = new MessageChannel();
    ports.push(ch.port1);
    const mine = peerPorts[i]!.filter((p): p is MessagePort => p !== undefined);
    const worker = new Worker(script, {
      workerData: { init: { ...init, index: i }, coordinator: ch.port2, peers: peerPorts[i] },
      transferList: [ch.port2, ...mine],
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
  /** Waits for one message from every worker; a worker's error becomes a ModelError. */
  const gather = <T extends FromWorker['type']>(type: T): Extract<FromWorker, { type: T }>[] => {
    const got: (FromWorker | undefined)[] = new Array(W).fill(undefined);
    const exitedOnce: boolean[] = new Array(W).fill(false);
    let left = W;
    while (left > 0) {
      const v = Atomics.load(sig, W);
      for (let i = 0; i < W; i++) {
        if (got[i]) continue;
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
        if (msg.type !== type) throw new Error(`parallel search: expected '${type}' from worker ${i}, got '${msg.type}'`);
        got[i] = msg;
        left--;
      }
      if (left > 0) {
        // a worker that exited (a crash, out of memory) will not answer: say so rather than wait forever
        const gone = got.findIndex((g, i) => !g && Atomics.load(sig, W + 1 + i) === 1);
        if (gone >= 0 && !exitedOnce[gone]) exitedOnce[gone] = true;
        else if (gone >= 0) throw new Error(`parallel search: worker thread ${gone} exited without an answer (out of memory?)`);
        else Atomics.wait(sig, W, v, 1000);
      }
    }
    return got as Extract<FromWorker, { type: T }>[];
  };

  let initCount = 0;
  const found: WireFind[] = [];
  const violated = new Set<string>();
  const deadlockAll: number[] = [];
  const witnessAt: (number | undefined)[] = sel.witnesses.map(() => undefined);
  const witnessDepth: (number | undefined)[] = sel.witnesses.map(() => undefined);
  const na = spec.actions.length;
  const genAi = new Float64Array(na);
  const newAi = new Float64Array(na);
  const firstGen = new Float64Array(na).fill(-1);
  let generated = 0;
  let terminal = 0;
  let deadlocks = 0;
  let depth = 0;
  let peakQueue = 0;
  let canonicalized = 0;
  let visitedBytes = 0;
  let spilled = 0;
  let peakFrontier = 0;
  let stop: BoundHit | undefined;
  const addFind = (f: WireFind): void => {
    found.push(f);
    violated.add(f.property);
  };

  try {
    gather('ready');
    // Level 0, here: the initial states, numbered, checked, and handed to their owners.
    const seen = new FingerprintSet();
    const fp = new Uint32Array(2);
    const canon = new Uint8Array(w);
    const canonicalize = useSymmetry ? spec.canonicalize : undefined;
    const inits = spec.initStates();
    const initStates: { index: number; bytes: Uint8Array; hi: number; lo: number }[] = [];
    inits.forEach((s, k) => {
      if (s.length !== w) throw new RangeError(`packedModel: initial state ${k} has ${s.length} bytes, width is ${w}`);
      generated++;
      if (canonicalize) {
        canonicalize(s, canon);
        fingerprintRangeInto(canon, 0, w, fp);
      } else {
        fingerprintRangeInto(s, 0, w, fp);
      }
      if (!seen.add(fp[0]!, fp[1]!)) return;
      const index = links.length;
      links.push(0, k);
      initStates.push({ index, bytes: s.slice(), hi: fp[0]!, lo: fp[1]! });
      sel.always.forEach((p, pi) => {
        if (violated.has(p.name)) return;
        const v = p.holds(s);
        if (v !== true) addFind({ property: p.name, kind: 'always', ...(typeof v === 'string' ? { clause: v } : {}), stateIndex: index, time: [-1, 1, k, pi] });
      });
      sel.witnesses.forEach((p, k2) => {
        if (witnessAt[k2] === undefined && p.reached(s)) {
          witnessAt[k2] = index;
          witnessDepth[k2] = 0;
        }
      });
    });
    initCount = links.length;
    broadcast({ type: 'init', states: initStates });
    let levelStart = 0;
    let n = initCount;
    peakQueue = n;

    while (n > 0 && !stop) {
      const atBound = depth >= maxDepth;
      broadcast({ type: 'expand', levelStart, depth, atBound, violated: [...violated], deadline: timeLimit === Infinity ? Infinity : Date.now() + (timeLimit - (performance.now() - t0)) });
      const keys = gather('keys');
      const aborted = keys.find((k) => k.aborted)?.aborted;
      if (aborted) {
        stop =
          aborted === 'timeLimitMs'
            ? { bound: 'timeLimitMs', limit: timeLimit, detail: `time limit of ${timeLimit} ms reached at depth ${depth}; the level in progress was dropped` }
            : { bound: 'maxMemoryBytes', limit: options.maxMemoryBytes!, detail: `memory budget of ${Math.round(options.maxMemoryBytes! / 2 ** 20)} MiB nearly reached at depth ${depth} with ${links.length} distinct states; the level in progress was dropped` };
        break;
      }
      let unexplored = 0;
      for (const k of keys) {
        generated += k.generated;
        terminal += k.terminal;
        deadlocks += k.deadlocks;
        deadlockAll.push(...k.deadlockIdx);
        for (const f of k.finds) found.push(f);
        for (let ai = 0; ai < na; ai++) {
          genAi[ai]! += k.genAi[ai]!;
          const g = k.firstGen[ai]!;
          if (g >= 0 && (firstGen[ai]! < 0 || g < firstGen[ai]!)) firstGen[ai] = g;
        }
        unexplored += k.unexplored;
      }
      canonicalized = keys.reduce((a, k) => a + k.canonicalized, 0);
      for (const f of found) violated.add(f.property);
      if (atBound) {
        if (unexplored > 0) {
          stop = { bound: 'maxDepth', limit: maxDepth, detail: `depth bound ${maxDepth} reached with ${unexplored} transitions to states not yet seen` };
        }
        break;
      }
      // Merge the workers' sorted keys: the sequential numbering of the next level.
      const heads = new Int32Array(W);
      const indices = keys.map((k) => new Float64Array(k.keys.length));
      let rank = 0;
      const next = levelStart + n;
      for (;;) {
        let best = -1;
        let bestKey = Infinity;
        for (let i = 0; i < W; i++) {
          const ks = keys[i]!.keys;
          if (heads[i]! < ks.length && ks[heads[i]!]! < bestKey) {
            bestKey = ks[heads[i]!]!;
            best = i;
          }
        }
        if (best < 0) break;
        const ai = bestKey % KEY_SPAN;
        const parent = (bestKey - ai) / KEY_SPAN;
        indices[best]![heads[best]!++] = next + rank;
        links.push(parent, ai);
        rank++;
        const q = n - (parent - levelStart) - 1 + rank;
        if (q > peakQueue) peakQueue = q;
      }
      for (let i = 0; i < W; i++) send(i, { type: 'assign', indices: indices[i]! }, [indices[i]!.buffer as ArrayBuffer]);
      const done = gather('done');
      visitedBytes = 0;
      spilled = 0;
      let frontierBytes = 0;
      for (const d of done) {
        for (const f of d.finds) found.push(f);
        d.witnessAt.forEach((gi, k) => {
          if (gi >= 0 && witnessAt[k] === undefined) {
            witnessAt[k] = gi;
            witnessDepth[k] = depth + 1;
          } else if (gi >= 0 && witnessDepth[k] === depth + 1 && gi < witnessAt[k]!) {
            witnessAt[k] = gi;
          }
        });
        for (let ai = 0; ai < na; ai++) newAi[ai]! += d.newAi[ai]!;
        visitedBytes += d.visitedBytes;
        spilled += d.spilledBytes;
        frontierBytes += d.peakFrontierBytes;
      }
      if (frontierBytes > peakFrontier) peakFrontier = frontierBytes;
      for (const f of found) violated.add(f.property);
      levelStart = next;
      n = rank;
      if (n > 0) depth++;
      if (performance.now() - t0 >= timeLimit && n > 0) {
        stop = { bound: 'timeLimitMs', limit: timeLimit, detail: `time limit of ${timeLimit} ms reached at depth ${depth} with ${n} states still queued` };
      }
      stop ??= memory.check(links.length, depth);
    }
  } finally {
    for (let i = 0; i < W; i++) {
      try {
        send(i, { type: 'stop' });
      } catch {
        // the worker is gone
      }
      void threads[i]!.terminate();
    }
  }

  // The earliest finding per property, in the order the sequential search makes them.
  found.sort((a, b) => compareTimes(a.time, b.time));
  const first = new Map<string, WireFind>();
  for (const f of found) if (!first.has(f.property)) first.set(f.property, f);
  const finds: Found[] = [...first.values()].map((f) => ({
    property: f.property,
    kind: f.kind,
    ...(f.clause !== undefined ? { clause: f.clause } : {}),
    stateIndex: f.stateIndex,
    ...(f.actionIndex !== undefined ? { actionIndex: f.actionIndex } : {}),
  }));
  deadlockAll.sort((a, b) => a - b);
  const coverage = new Map<string, Counter>();
  const order = [...Array(na).keys()].filter((ai) => genAi[ai]! > 0).sort((a, b) => firstGen[a]! - firstGen[b]! || a - b);
  for (const ai of order) {
    const k = kindOf(spec.actions[ai]!);
    let c = coverage.get(k);
    if (!c) coverage.set(k, (c = { generated: 0, distinct: 0 }));
    c.generated += genAi[ai]!;
    c.distinct += newAi[ai]!;
  }
  return {
    links,
    initCount,
    found: finds,
    deadlockIdx: deadlockAll.slice(0, maxReportedDeadlocks),
    witnessAt,
    witnessDepth,
    coverage,
    generated,
    terminal,
    deadlocks,
    depth,
    peakQueue,
    stop,
    stoppedAtViolation: false,
    durationMs: performance.now() - t0,
    visitedBytes,
    store: { peakFrontierBytes: peakFrontier, spilledBytes: spilled },
    ...(useSymmetry && spec.canonicalize ? { symmetry: { canonicalized } } : {}),
    engine: 'workers',
    workers: W,
  };
}
