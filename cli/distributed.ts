/**
 * `--distributed redis://host:port[,...] --role coordinator|worker` on `check` and `simulate`:
 * the coordinator runs the search (or cuts the swarm) and prints the usual report; a worker, on
 * any host, joins the run posted on that Redis, serves it until it ends and exits. The engine is
 * explorer/distributed (docs/distributed.md); this file is its command-line face.
 */
import { checkDistributed, DistributedSetupError, parseRedisUrls, runWorker, simulateDistributed, type RedisTarget, type SwarmResult } from '../explorer/distributed/index.js';
import { stopWord, STOP_INTERRUPT, STOP_TERMINATE, type CheckOptions, type CheckResult, type Model, type SimulateOptions } from '../explorer/index.js';
import { oneOf, seconds, UsageError, wholeNumber, type OptionTable } from './args.js';
import { EXIT, type Io } from './command.js';

/** The distributed flags of check and simulate. */
export interface DistributedCliOptions {
  distributed: RedisTarget;
  role: 'coordinator' | 'worker';
  heartbeatTimeout: number;
  minWorkers: number;
}

export const distributedOptions: OptionTable<DistributedCliOptions> = {
  distributed: {
    argument: '<URLS>',
    description: 'run over Redis: redis://host:port, or several separated by commas (the visited set is split over them); start workers with --role worker on any host',
    parse: (t, flag) => {
      try {
        return parseRedisUrls(t);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message.replace(/^--distributed/, flag) : String(e));
      }
    },
  },
  role: { argument: 'coordinator|worker', description: 'with --distributed: coordinate the run (given the design) or serve one as a worker (given only the URL)', parse: oneOf(['coordinator', 'worker'] as const), defaultText: 'coordinator' },
  heartbeatTimeout: { argument: '<S>', description: 'with --distributed: a worker silent this long is dead, and its tasks go to the others', parse: seconds(3), defaultText: '3' },
  minWorkers: { argument: '<N>', description: 'with --distributed: wait (up to 60 s) for N workers to join before the first task', parse: wholeNumber(1, 4096, 4), defaultText: '1' },
};

/** Checks the flags together; true when this process is a worker. */
export function distributedRole(o: Partial<DistributedCliOptions> & { design?: string; designFile?: string; config?: string }): 'coordinator' | 'worker' | undefined {
  if (o.distributed === undefined) {
    if (o.role !== undefined) throw new UsageError('--role needs --distributed redis://host:port: which run to coordinate or join');
    if (o.heartbeatTimeout !== undefined) throw new UsageError('--heartbeat-timeout needs --distributed redis://host:port');
    if (o.minWorkers !== undefined) throw new UsageError('--min-workers needs --distributed redis://host:port');
    return undefined;
  }
  const role = o.role ?? 'coordinator';
  if (role === 'worker') {
    const given = [o.design !== undefined ? '--design' : '', o.designFile !== undefined ? '--design-file' : '', o.config !== undefined ? '--config' : ''].filter(Boolean);
    if (given.length > 0) throw new UsageError(`--role worker takes no ${given.join(', ')}: a worker builds what the coordinator's run names; give them to the coordinator`);
  }
  return role;
}

/** Turns a setup error of the engine into the CLI's bad-input error. */
async function setup<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof DistributedSetupError) throw new UsageError(e.message);
    throw e;
  }
}

/** SIGINT and SIGTERM stop the run cleanly (an incomplete result) while `f` runs. */
async function withSignals<T>(f: (stop: Int32Array) => Promise<T>): Promise<T> {
  const stop = stopWord();
  const onInt = () => Atomics.store(stop, 0, STOP_INTERRUPT);
  const onTerm = () => Atomics.store(stop, 0, STOP_TERMINATE);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await f(stop);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/** Serves one run as a worker: exit 0 when it ended, 2 when none came, 3 when Redis was lost. */
export async function serveAsWorker(o: Partial<DistributedCliOptions>, io: Io, quiet: boolean): Promise<number> {
  const target = o.distributed!;
  try {
    const out = await setup(() => runWorker(target, { ...(quiet ? {} : { log: (l: string) => io.err(`${l}\n`) }) }));
    if (out.reason === 'no-job') {
      io.err(`grantcheck: no run was posted on ${target.urls[0]} within 60 s; start the coordinator (--role coordinator with the design) first or with the workers\n`);
      return EXIT.badInput;
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const m = e instanceof Error ? e.message : String(e);
    io.err(`grantcheck: the worker stopped: ${m.split('\n')[0]}\n`);
    return EXIT.incomplete;
  }
}

/** The coordinator of a distributed check: `check`'s result, from the workers that join. */
export function coordinateCheck<S, A>(model: Model<S, A>, o: Partial<DistributedCliOptions>, options: CheckOptions, io: Io, quiet: boolean): Promise<CheckResult<S, A>> {
  return setup(() =>
    withSignals((stop) =>
      checkDistributed(model, o.distributed!, { ...options, stopSignal: stop }, {
        ...(o.heartbeatTimeout !== undefined ? { heartbeatTimeoutMs: Math.round(o.heartbeatTimeout * 1000) } : {}),
        ...(o.minWorkers !== undefined ? { minWorkers: o.minWorkers } : {}),
        ...(quiet ? {} : { log: (l: string) => io.err(`${l}\n`) }),
      }),
    ),
  );
}

/** The coordinator of a swarm: `simulate`'s result merged from the workers' seeds. */
export function coordinateSwarm<S, A>(model: Model<S, A>, o: Partial<DistributedCliOptions>, options: SimulateOptions, io: Io, quiet: boolean): Promise<SwarmResult<S, A>> {
  return setup(() =>
    withSignals((stop) =>
      simulateDistributed(model, o.distributed!, options, {
        stopSignal: stop,
        ...(o.heartbeatTimeout !== undefined ? { heartbeatTimeoutMs: Math.round(o.heartbeatTimeout * 1000) } : {}),
        ...(o.minWorkers !== undefined ? { minWorkers: o.minWorkers } : {}),
        ...(quiet ? {} : { log: (l: string) => io.err(`${l}\n`) }),
      }),
    ),
  );
}
