/**
 * Progress of a long search on stderr. On a terminal: a bar redrawn in place (distinct states,
 * states/s, depth, queue, and an ETA when the total can be estimated: a recorded state count, a
 * --max-states or a --time-limit), the figures first and the run's name last, so that a narrow
 * terminal cuts the name rather than the figures. Otherwise (CI logs): a plain line every few
 * seconds. `--quiet` silences both.
 */
import type { CheckOptions, Progress } from '../explorer/index.js';
import type { Io } from './command.js';

/** What is known in advance about a run, for the bar and the ETA. */
export interface ProgressPlan {
  /** `early-unpin on standard`, `[3/24] early-unpin on standard`. */
  readonly label: string;
  /** Distinct states a previous run of the same design and configuration found. */
  readonly expectedStates?: number;
  readonly maxStates?: number;
  readonly timeLimitMs?: number;
}

/** The check options that report progress, and `done()` to clear the bar. */
export interface ProgressHandle {
  readonly options: Pick<CheckOptions, 'onProgress' | 'progressIntervalMs'>;
  done(): void;
}

const int = (n: number): string => n.toLocaleString('en-US');

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** How far along the run is (0..1), when it can be told. */
function fraction(p: Progress, plan: ProgressPlan): number | undefined {
  const parts: number[] = [];
  const total = plan.maxStates ?? plan.expectedStates;
  if (total !== undefined && total > 0) parts.push(p.distinctStates / total);
  if (plan.timeLimitMs !== undefined) parts.push(p.elapsedMs / plan.timeLimitMs);
  if (parts.length === 0) return undefined;
  return Math.min(0.99, Math.max(...parts));
}

/** Progress reporting for one run, or nothing when quiet. */
export function progress(io: Io, plan: ProgressPlan, quiet: boolean): ProgressHandle {
  if (quiet) return { options: {}, done: () => {} };
  if (io.errIsTTY) {
    let drawn = false;
    return {
      options: {
        progressIntervalMs: 250,
        onProgress: (p) => {
          const f = fraction(p, plan);
          const width = 20;
          const bar = f === undefined ? '' : `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}] `;
          const eta = f !== undefined && f > 0.01 ? `  ETA ${duration((p.elapsedMs / f) * (1 - f))}` : '';
          const line = `${bar}${int(p.distinctStates)} states  ${int(p.statesPerSecond)}/s  depth ${p.depth}  queue ${int(p.queue)}${eta}  ${plan.label}`;
          const cols = io.columns ?? 120;
          io.err(`\r\x1b[2K${line.slice(0, cols - 1)}`);
          drawn = true;
        },
      },
      done: () => {
        if (drawn) io.err('\r\x1b[2K');
      },
    };
  }
  return {
    options: {
      progressIntervalMs: 5000,
      onProgress: (p) => {
        const f = fraction(p, plan);
        const eta = f !== undefined && f > 0.01 ? `, about ${duration((p.elapsedMs / f) * (1 - f))} left` : '';
        io.err(
          `progress: ${plan.label}: ${int(p.distinctStates)} distinct states, ${int(p.statesPerSecond)} states/s, depth ${p.depth}, queue ${int(p.queue)}, ${duration(p.elapsedMs)} elapsed${eta}\n`,
        );
      },
    },
    done: () => {},
  };
}
