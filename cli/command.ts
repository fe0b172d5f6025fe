/**
 * What a command is (Quint's `{ command, desc, builder, handler }`): a name, its help, a typed
 * options table, and a procedure that takes the parsed options and answers an exit code. The
 * command table (commands.ts) lists them; adding a command is one entry there.
 */
import type { OptionTable, Positionals } from './args.js';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress draws a bar. */
  readonly errIsTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/**
 * The exit codes: 0 every property holds exhaustively within the bounds; 1 a violation; 2 bad
 * input; 3 incomplete; 4 (replay) a step of the trace is impossible on the design.
 */
export const EXIT = { ok: 0, violation: 1, badInput: 2, incomplete: 3, impossible: 4 } as const;

/** One command of `grantcheck`. */
export interface Command<O> {
  readonly name: string;
  /** One line, for `grantcheck --help`. */
  readonly summary: string;
  readonly usage: readonly string[];
  /** What it does, for `grantcheck NAME --help`. */
  readonly description: string;
  readonly options: OptionTable<O>;
  readonly positionals?: Positionals;
  readonly exitCodes: readonly string[];
  readonly examples?: readonly string[];
  /** Runs the command; throws UsageError (and other one-line errors) for bad input. */
  run(options: Partial<O>, positionals: readonly string[], io: Io): Promise<number>;
}

/** Identity, for inference of the options type from the table. */
export function defineCommand<O>(command: Command<O>): Command<O> {
  return command;
}

/** Exit-code lines shared by check-like commands. */
export const CHECK_EXIT_CODES: readonly string[] = [
  '0  every property holds: no violation in any reachable state (exhaustive within the bounds)',
  '1  a property is violated (counterexamples printed, and written with --out)',
  '2  bad input (unknown design, configuration or property, a bad number, a design file that does not load)',
  '3  incomplete: a bound (--max-states, --max-depth, --time-limit, --max-memory) was hit before any violation',
  '130/143  interrupted by SIGINT/SIGTERM: the report of what the search reached is printed, nothing is written under --out',
];
