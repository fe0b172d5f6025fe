/**
 * `runCli(argv, io)`: the whole command line as a function (tests call it in-process; main.ts is
 * the bin). Finds the command, parses its options against its table, runs it, and turns every
 * error of the input into one line on stderr and exit code 2, with no stack trace.
 */
import { suggest } from '../extend.js';
import { formatHelp, parseArgs } from './args.js';
import { packageVersion } from './artifacts.js';
import { EXIT, type Io } from './command.js';
import { commands } from './commands.js';
import { interruptedBy, SIGNAL_EXIT } from './signals.js';
import { closeSearches } from './supervised.js';

/** The top-level help. */
export function globalHelp(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'grantcheck: an explicit-state model checker for Linux/Xen grant mappings',
    '',
    'Usage: grantcheck <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    "Run 'grantcheck <command> --help' for a command's options.",
    'Exit codes: 0 all hold (exhaustive within the bounds), 1 a violation, 2 bad input, 3 incomplete (a bound was hit first),',
    '            4 impossible (replay: a step of the trace cannot happen on the design),',
    '            130/143 interrupted by SIGINT/SIGTERM (the report says how far the search got; nothing is written under --out).',
    '',
  ].join('\n');
}

/** Errors that are the user's input, not grantcheck's bug: printed as one line, exit 2. */
const INPUT_ERRORS = new Set(['UsageError', 'CatalogError', 'DesignError', 'DesignFileError', 'CheckOptionError', 'ItfError', 'RangeError', 'PathError', 'GraphLimitError', 'OrderingsError']);

/** One line of an error message. */
function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

/** Runs the command line; answers the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`grantcheck: which command? give one of ${commands.map((c) => c.name).join(', ')} (grantcheck --help; npm start runs grantcheck compare)\n`);
    return EXIT.badInput;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const target = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !target) {
      io.err(`grantcheck: unknown command '${rest[0]}'${suggest(rest[0], commands.map((c) => c.name))}; commands: ${commands.map((c) => c.name).join(', ')}\n`);
      return EXIT.badInput;
    }
    io.out(target ? formatHelp(target) : globalHelp());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(`grantcheck ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`grantcheck: unknown command '${name}'${suggest(name, commands.map((c) => c.name))}; commands: ${commands.map((c) => c.name).join(', ')} (grantcheck --help)\n`);
    return EXIT.badInput;
  }
  let parsedOptions: unknown = {};
  try {
    const parsed = parseArgs(command.name, rest, command.options, command.positionals);
    parsedOptions = parsed.options;
    if (parsed.help) {
      io.out(formatHelp(command));
      return EXIT.ok;
    }
    return await command.run(parsed.options, parsed.positionals, io);
  } catch (e) {
    if (interruptedBy() !== undefined) {
      // a search was interrupted and what followed failed: the signal is the answer
      io.err(`grantcheck ${command.name}: interrupted by ${interruptedBy()}\n`);
      return SIGNAL_EXIT[interruptedBy()!];
    }
    const err = e as Error;
    if (err && INPUT_ERRORS.has(err.name)) {
      io.err(`grantcheck ${command.name}: ${oneLine(err)}\n`);
      return EXIT.badInput;
    }
    if (err && err.name === 'ModelError') {
      const file = (parsedOptions as { designFile?: unknown }).designFile;
      io.err(`grantcheck ${command.name}: the model failed: ${typeof file === 'string' && !oneLine(err).includes(file) ? `design file '${file}': ` : ''}${oneLine(err)}\n`);
      return EXIT.badInput;
    }
    io.err(`grantcheck ${command.name}: internal error: ${oneLine(err)}${process.env.GRANTCHECK_DEBUG ? `\n${err?.stack ?? ''}` : ' (set GRANTCHECK_DEBUG=1 for the stack trace, and please report it)'}\n`);
    return EXIT.badInput;
  } finally {
    await closeSearches();
  }
}
