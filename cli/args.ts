/**
 * The command line as data (vitest's `cliOptionsConfig`): each command declares a typed options
 * table whose keys are exactly its options type's keys, so the parser, the help text and the
 * command's code cannot drift apart. This file parses argv against such a table and prints help.
 */
import { suggest } from '../extend.js';

/** Bad input: the command prints the message (one line: the problem and the fix) and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One option: how it is spelled, documented and parsed. */
export interface OptionSpec<T> {
  /** One line for --help. */
  readonly description: string;
  /** The value's placeholder (`<N>`); absent for a flag (a boolean). */
  readonly argument?: string;
  /** Turns the text after the flag into the value (one element, for a repeatable option); throws UsageError naming the flag and the fix. */
  readonly parse?: (text: string, flag: string) => T | ElementOf<T>;
  /** The flag may be given several times; the values are collected in order. */
  readonly repeatable?: boolean;
  /** A flag that also has a `--no-` form (sets false). */
  readonly negatable?: boolean;
  /** The flag's name when it is not the key in kebab case (`pages` for `vaPages`). */
  readonly flag?: string;
  /** The default, as help shows it. */
  readonly defaultText?: string;
  /** Help groups options under headings. @defaultValue 'Options' */
  readonly group?: string;
}

/** Every key of the options type, each with its spec (vitest's `CLIOptions<Config>`). */
export type OptionTable<O> = { readonly [K in keyof O]-?: OptionSpec<NonNullable<O[K]>> };

type ElementOf<T> = T extends readonly (infer E)[] ? E : never;

/** The positional arguments of a command. */
export interface Positionals {
  readonly name: string;
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

/** `--max-states` for `maxStates`. */
export function flagOf(key: string, spec: OptionSpec<unknown>): string {
  return `--${spec.flag ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The result of parsing argv for one command. */
export interface Parsed<O> {
  readonly options: Partial<O>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses argv (after the command name) against an options table; throws UsageError. */
export function parseArgs<O>(command: string, argv: readonly string[], table: OptionTable<O>, positionals?: Positionals): Parsed<O> {
  const byFlag = new Map<string, { key: string; spec: OptionSpec<unknown>; negated: boolean }>();
  for (const [key, spec] of Object.entries(table) as [string, OptionSpec<unknown>][]) {
    const flag = flagOf(key, spec);
    byFlag.set(flag, { key, spec, negated: false });
    if (spec.negatable) byFlag.set(`--no-${flag.slice(2)}`, { key, spec, negated: true });
  }
  const options: Record<string, unknown> = {};
  const seen = new Set<string>();
  const rest: string[] = [];
  let help = false;
  const helpHint = `see 'grantcheck ${command} --help'`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const entry = byFlag.get(name);
    if (!entry) {
      throw new UsageError(`unknown option '${name}' for 'grantcheck ${command}'${suggest(name, [...byFlag.keys()])}; ${helpHint}`);
    }
    const { key, spec, negated } = entry;
    if (seen.has(key) && !spec.repeatable) throw new UsageError(`${flagOf(key, spec)} is given twice; give it once`);
    seen.add(key);
    let value: unknown;
    if (spec.argument === undefined) {
      if (eq > 0) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false') throw new UsageError(`${name} is a flag: give it alone${spec.negatable ? ` or as --no-${name.slice(2)}` : ''}, not with '=${v}'`);
        value = (v === 'true') !== negated;
      } else {
        value = !negated;
      }
    } else {
      let text: string;
      if (eq > 0) text = arg.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('--') && next.length > 2)) {
          throw new UsageError(`${name} needs a value ${spec.argument}; ${helpHint}`);
        }
        text = next;
        i++;
      }
      value = spec.parse ? spec.parse(text, name) : text;
    }
    if (spec.repeatable) ((options[key] ??= []) as unknown[]).push(value);
    else options[key] = value;
  }
  if (!help) {
    const max = positionals?.max ?? 0;
    const min = positionals?.min ?? 0;
    if (rest.length > max) {
      const extra = rest[max]!;
      throw new UsageError(
        max === 0
          ? `unexpected argument '${extra}': 'grantcheck ${command}' takes options only${byFlag.has(`--${extra}`) ? ` (did you mean --${extra}?)` : ''}; ${helpHint}`
          : `unexpected argument '${extra}': 'grantcheck ${command}' takes ${max === 1 ? `one ${positionals!.name}` : `at most ${max} arguments`}; ${helpHint}`,
      );
    }
    if (rest.length < min) throw new UsageError(`'grantcheck ${command}' needs ${positionals!.name}: ${positionals!.description}; ${helpHint}`);
  }
  return { options: options as Partial<O>, positionals: rest, help };
}

/** Formats the help of one command: usage, description, options by group, exit codes. */
export function formatHelp<O>(spec: {
  readonly name: string;
  readonly usage: readonly string[];
  readonly description: string;
  readonly options: OptionTable<O>;
  readonly positionals?: Positionals;
  readonly exitCodes?: readonly string[];
  readonly examples?: readonly string[];
}): string {
  const out: string[] = [];
  out.push(`Usage: ${spec.usage[0]}`);
  for (const u of spec.usage.slice(1)) out.push(`       ${u}`);
  out.push('', spec.description.trimEnd(), '');
  if (spec.positionals) {
    out.push('Arguments:', `  ${spec.positionals.name.padEnd(28)} ${spec.positionals.description}`, '');
  }
  const groups = new Map<string, string[][]>();
  for (const [key, s] of Object.entries(spec.options) as [string, OptionSpec<unknown>][]) {
    const flag = flagOf(key, s);
    const left = `${s.negatable ? `${flag}, --no-${flag.slice(2)}` : flag}${s.argument ? ` ${s.argument}` : ''}`;
    const right = `${s.description}${s.defaultText !== undefined ? ` (default: ${s.defaultText})` : ''}${s.repeatable ? ' (repeatable)' : ''}`;
    const g = s.group ?? 'Options';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push([left, right]);
  }
  const help: string[][] = [['-h, --help', 'this help']];
  (groups.get('Options') ?? groups.set('Options', []).get('Options')!).push(...help);
  for (const [g, rows] of groups) {
    out.push(`${g}:`);
    const w = Math.min(34, Math.max(...rows.map((r) => r[0]!.length)));
    for (const [l, r] of rows) out.push(l!.length > w ? `  ${l}\n  ${' '.repeat(w)}  ${r}` : `  ${l!.padEnd(w)}  ${r}`);
    out.push('');
  }
  if (spec.exitCodes) out.push('Exit codes:', ...spec.exitCodes.map((e) => `  ${e}`), '');
  if (spec.examples) out.push('Examples:', ...spec.examples.map((e) => `  ${e}`), '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Value parsers: each names the flag and a correct example in its error.
// ---------------------------------------------------------------------------------------------

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, example?: number): (text: string, flag: string) => number {
  return (text, flag) => {
    const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`;
      throw new UsageError(`${flag} must be a whole number ${range}, got '${text}'; e.g. ${flag} ${example ?? Math.max(min, Math.min(max, 2))}`);
    }
    return n;
  };
}

/** A positive number of seconds (decimals allowed). */
export function seconds(example = 60): (text: string, flag: string) => number {
  return (text, flag) => {
    const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
    if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag} must be a positive number of seconds, got '${text}'; e.g. ${flag} ${example}`);
    return n;
  };
}

/** A whole number that may be negative (a seed). */
export function integer(min: number, max: number, example: number): (text: string, flag: string) => number {
  return (text, flag) => {
    const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number in ${min}..${max}, got '${text}'; e.g. ${flag} ${example}`);
    return n;
  };
}

/** One of a few words. */
export function oneOf<T extends string>(choices: readonly T[]): (text: string, flag: string) => T {
  return (text, flag) => {
    if (!(choices as readonly string[]).includes(text)) {
      throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got '${text}'${suggest(text, choices)}`);
    }
    return text as T;
  };
}

/** A non-empty text (a name or a path). */
export function text(what: string): (text: string, flag: string) => string {
  return (t, flag) => {
    if (t.trim() === '') throw new UsageError(`${flag} needs ${what}, got an empty value`);
    return t;
  };
}
