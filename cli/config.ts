/**
 * Choosing what to check: a design (built-in, or a design file) and a configuration (named, with
 * per-constant overrides). The constants table lists every field of `ModelConfig` (the type forces
 * it), each with the flag that sets it: `--pages 4` sets `vaPages`, `--processes 3` sets
 * `processes`, and so on.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { configByName, designByName, modelOf, type ModelOptions } from '../catalog.js';
import { DESIGN_FILE_LOAD_TIMEOUT_MS, DesignFileError, loadDesignFile, notLoadedIn } from '../designFile.js';
import type { GuardedModel } from '../explorer/index.js';
import { configs, validateConfig, type Action, type Design, type GntallocConfig, type ModelConfig, type State } from '../model/index.js';
import { oneOf, seconds, text, UsageError, wholeNumber, type OptionSpec, type OptionTable } from './args.js';
import { supervisedLoad } from './supervised.js';

/** The constants a flag may change (every field of ModelConfig but its name). */
export type ConfigOverrides = { -readonly [K in Exclude<keyof ModelConfig, 'name'>]?: ModelConfig[K] };

const G = 'Constants (override the configuration; each sets one ModelConfig field)';

function flag(description: string): OptionSpec<boolean> {
  return { description, negatable: true, group: G };
}

function list<T extends string | number>(parseOne: (t: string, flag: string) => T, example: string, allowNone: boolean): (text: string, flag: string) => T[] {
  return (t, flag) => {
    if (allowNone && t === 'none') return [];
    const parts = t.split(',').map((x) => x.trim());
    if (parts.some((x) => x === '')) throw new UsageError(`${flag} takes a comma-separated list, got '${t}'; e.g. ${flag} ${example}`);
    return parts.map((x) => parseOne(x, flag));
  };
}

/** The gntalloc constants' defaults (alloc-small's), for `--gntalloc` keys left out. */
const GNTALLOC_DEFAULTS: GntallocConfig = configs['alloc-small']!.gntalloc!;

/**
 * `--gntalloc files=1,pages=2,refs=2,limit=2,counts=1+2,mmap-counts=1+2,offsets=2,remotes=1,deferred-fails=yes`
 * (any subset; the rest take alloc-small's values), or `none` for no gntalloc.
 */
function gntallocSpec(t: string, flagName: string): GntallocConfig {
  const keys: Record<string, keyof GntallocConfig> = {
    files: 'files',
    pages: 'pages',
    refs: 'refs',
    limit: 'limit',
    counts: 'counts',
    'mmap-counts': 'mmapCounts',
    offsets: 'offsets',
    remotes: 'remotes',
    'deferred-fails': 'deferredAllocFails',
  };
  const out: Record<string, unknown> = { ...GNTALLOC_DEFAULTS };
  for (const part of t.split(',').map((x) => x.trim())) {
    const [k, v] = part.split('=');
    const field = k ? keys[k] : undefined;
    if (!field || v === undefined || v === '') {
      throw new UsageError(`${flagName} takes key=value pairs (${Object.keys(keys).join(', ')}), got '${part}'; e.g. ${flagName} files=1,pages=2,counts=1+2`);
    }
    if (field === 'counts' || field === 'mmapCounts') out[field] = v.split('+').map((x) => wholeNumber(1, 8, 1)(x, `${flagName} ${k}`));
    else if (field === 'deferredAllocFails') {
      if (v !== 'yes' && v !== 'no') throw new UsageError(`${flagName} deferred-fails takes yes or no, got '${v}'`);
      out[field] = v === 'yes';
    } else out[field] = wholeNumber(0, 8, 2)(v, `${flagName} ${k}`);
  }
  return out as unknown as GntallocConfig;
}

/** Every constant, with its flag (vitest's option table: a new ModelConfig field must be listed here). */
export const constantOptions: OptionTable<ConfigOverrides> = {
  refs: { flag: 'refs', argument: '<N>', description: 'refs: grant refs B offers A (ref r is backed by B\'s page r)', parse: wholeNumber(1, 8, 2), group: G },
  processes: { argument: '<N>', description: 'processes: processes of A (the first exists at the start; fork makes the others)', parse: wholeNumber(1, 4, 2), group: G },
  vaPages: { flag: 'pages', argument: '<N>', description: 'vaPages: virtual pages in each address space', parse: wholeNumber(1, 8, 4), group: G },
  ptesPerL1: { flag: 'ptes-per-l1', argument: '<N>', description: 'ptesPerL1: PTEs per page-table page (pages / this = L1 pages)', parse: wholeNumber(1, 8, 2), group: G },
  maxMaps: { flag: 'maps', argument: '<N>', description: 'maxMaps: gntdev maps that can ever be created', parse: wholeNumber(0, 6, 2), group: G },
  mapCounts: { flag: 'map-counts', argument: '<N,...>', description: 'mapCounts: the page counts MAP_GRANT_REF may ask for', parse: list(wholeNumber(1, 8, 1), '1,2', false), group: G },
  maxFiles: { flag: 'files', argument: '<N>', description: 'maxFiles: gntdev files that can ever be opened', parse: wholeNumber(1, 4, 2), group: G },
  mapFailures: { flag: 'map-failures', argument: 'none|single', description: 'mapFailures: map hypercalls of an mmap may fail', parse: oneOf(['none', 'single'] as const), group: G },
  notifierInsertFails: flag('notifierInsertFails: the interval-notifier insert in mmap may fail'),
  fork: flag('fork: fork() is an action'),
  mapFixed: flag('mapFixed: mmap with MAP_FIXED over an existing mapping'),
  granterActs: flag('granterActs: B revokes and frees its pages at any time'),
  refsGrantedAtStart: flag('refsGrantedAtStart: B granted every ref before A starts'),
  unmapNotify: flag('unmapNotify: IOCTL_GNTDEV_SET_UNMAP_NOTIFY is an action'),
  munmapRanges: { flag: 'munmap-ranges', argument: 'any|vma', description: 'munmapRanges: munmap any range (partial: splits VMAs) or whole VMAs', parse: oneOf(['any', 'vma'] as const), group: G },
  closeFd: flag('closeFd: close(fd) is an action'),
  pins: { argument: '<N>', description: 'pins: page references (get_user_pages holders) at once', parse: wholeNumber(0, 4, 1), group: G },
  holderKinds: { flag: 'holders', argument: 'io,gpu|none', description: 'holderKinds: who takes page references', parse: list(oneOf(['io', 'gpu'] as const), 'io,gpu', true), group: G },
  dmaNonCoherent: flag('dmaNonCoherent: the DMA device is not cache coherent'),
  secondary: { argument: 'none|kvm|gru|xpmem', description: 'secondary: a secondary MMU subscribed to process 0', parse: oneOf(['none', 'kvm', 'gru', 'xpmem'] as const), group: G },
  madvDontneed: flag('madvDontneed: madvise(MADV_DONTNEED) is an action'),
  mremap: flag('mremap: mremap of a whole VMA to a free range is an action'),
  madvDofork: flag('madvDofork: madvise(MADV_DOFORK) clears VM_DONTCOPY'),
  remoteMmput: flag("remoteMmput: another task's mmput may run the exiting process's exit_mmap"),
  readSide: { flag: 'read-side', argument: '<N>', description: 'readSide: MADV_DONTNEED calls per mm in progress at once (0: atomic)', parse: wholeNumber(0, 3, 1), group: G },
  gntalloc: {
    argument: 'key=value,...',
    description: 'gntalloc: files, pages, refs, limit, counts (1+2), mmap-counts, offsets, remotes, deferred-fails (yes|no); others take alloc-small\'s values',
    parse: gntallocSpec,
    group: G,
  },
};

/** The overrides given on the command line, in the table's order. */
export function overridesOf(options: Partial<ConfigOverrides>): ConfigOverrides {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(constantOptions)) {
    const v = (options as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as ConfigOverrides;
}

/** `refs` for `--refs`: the flag that sets a field, for messages. */
function flagFor(field: string): string {
  const spec = (constantOptions as Record<string, OptionSpec<unknown>>)[field];
  return `--${spec?.flag ?? field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A configuration: the named one (or the design's default), with the overrides; named `small+pages=4+fork=false`. */
export function configWith(base: ModelConfig, overrides: ConfigOverrides): ModelConfig {
  const keys = Object.keys(overrides) as (keyof ConfigOverrides)[];
  if (keys.length === 0) return base;
  const suffix = keys.map((k) => `${flagFor(k).slice(2)}=${Array.isArray(overrides[k]) ? (overrides[k] as unknown[]).join(',') || 'none' : String(overrides[k])}`).join('+');
  const c = { ...base, ...overrides, name: `${base.name}+${suffix}` } as ModelConfig;
  try {
    validateConfig(c);
  } catch (e) {
    const msg = (e as Error).message;
    const fields = [...new Set([...msg.matchAll(/\b(refs|processes|vaPages|ptesPerL1|maxMaps|maxFiles|pins|mapCounts|a map count)\b/g)].map((m) => m[1]!))];
    const hint = fields
      .filter((f) => f !== 'a map count')
      .map((f) => `${flagFor(f)} sets ${f}`)
      .join(', ');
    throw new UsageError(`${msg}${hint ? ` (${hint})` : ''}`);
  }
  return c;
}

/**
 * The design to check: `--design NAME` or `--design-file FILE`, exactly one. A design file is first
 * loaded, and its model built on the configuration asked for, in the search thread, where code that
 * never returns can be ended after --load-timeout; then here.
 */
export async function designFrom(options: { readonly design?: string; readonly designFile?: string; readonly loadTimeout?: number; readonly config?: string } & Partial<ConfigOverrides>, required = true): Promise<Design | undefined> {
  if (options.design !== undefined && options.designFile !== undefined) throw new UsageError('give --design or --design-file, not both');
  if (options.designFile !== undefined) {
    const timeoutMs = Math.round((options.loadTimeout ?? DESIGN_FILE_LOAD_TIMEOUT_MS / 1000) * 1000);
    await preloadDesignFile(options.designFile, options.config, overridesOf(options), timeoutMs);
    return loadDesignFile(options.designFile, { timeoutMs });
  }
  if (options.design !== undefined) return designByName(options.design);
  if (required) throw new UsageError("which design? give --design NAME (run 'grantcheck designs' to list them) or --design-file FILE");
  return undefined;
}

/** The configuration to check `design` on: `--config` (or its default), then the constant flags. */
export function configFrom(design: Design, options: { readonly config?: string } & Partial<ConfigOverrides>): ModelConfig {
  const base = options.config !== undefined ? configByName(options.config) : configByName(design.defaultConfig);
  return configWith(base, overridesOf(options));
}

/**
 * A design file, loaded and built on a configuration in the search thread first: a file that never
 * finishes loading is exit 2 after `timeoutMs`, and its mistakes name the file.
 */
async function preloadDesignFile(file: string, config: string | undefined, overrides: ConfigOverrides, timeoutMs: number): Promise<void> {
  if (!existsSync(file) || !statSync(file).isFile()) return; // loadDesignFile says what is wrong
  const out = await supervisedLoad(file, config, overrides, timeoutMs);
  if (out.kind === 'ended') throw new DesignFileError(notLoadedIn(file, timeoutMs));
}

/** The model of a design on a configuration; a design file's mistakes name the file. */
export function modelFor(design: Design, config: ModelConfig, designFile: string | undefined, options: ModelOptions = {}): GuardedModel<State, Action> {
  try {
    return modelOf(design, config, options);
  } catch (e) {
    if (designFile === undefined || (e as Error)?.name === 'DesignFileError') throw e;
    throw new DesignFileError(`design file '${designFile}': ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
}

/** Common options of the commands that check one design. */
export interface TargetOptions {
  design?: string;
  designFile?: string;
  config?: string;
  loadTimeout?: number;
}

/** The option specs of `TargetOptions`. */
export const targetOptions: OptionTable<TargetOptions> = {
  design: { argument: '<NAME>', description: "a built-in design ('grantcheck designs' lists them)", parse: text('a design name') },
  designFile: { argument: '<FILE>', description: 'a design of your own: a .ts or .js module whose default export is defineDesign({...})', parse: text('a file path') },
  loadTimeout: { argument: '<S>', description: 'seconds a design file may take to load (its top-level code and awaits) before it is refused', parse: seconds(20), defaultText: String(DESIGN_FILE_LOAD_TIMEOUT_MS / 1000) },
  config: {
    argument: '<NAME>',
    description: `a named configuration: ${Object.keys(configs).join(', ')}`,
    defaultText: "the design's default",
    parse: text('a configuration name'),
  },
};
