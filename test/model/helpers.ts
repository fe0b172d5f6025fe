/** Test helpers: run an action sequence on a design and get at the states along the way. */
import { expect } from 'vitest';
import { modelOf } from '../../catalog.js';
import { configs, designNamed, formatAction, type Action, type ModelConfig, type State } from '../../model/index.js';

/** The model of a design under a configuration (by name), failing the test on a bad name. */
export function model(design: string, config: string | ModelConfig = 'small') {
  const d = designNamed(design);
  if (!d) throw new Error(`no design ${design}`);
  const c = typeof config === 'string' ? configs[config] : config;
  if (!c) throw new Error(`no config ${String(config)}`);
  return modelOf(d, c);
}

/** Applies the actions in order from the initial state; every one must be enabled. Returns every state. */
export function run(design: string, actions: readonly Action[], config: string | ModelConfig = 'small'): State[] {
  const m = model(design, config);
  let s = m.initStates()[0]!;
  const states = [s];
  for (const a of actions) {
    const why = m.whyDisabled(s, a);
    expect(why, `${formatAction(a)} should be enabled`).toBeUndefined();
    s = m.nextState(s, a)!;
    states.push(s);
  }
  return states;
}

/** The last state of `run`. */
export function after(design: string, actions: readonly Action[], config: string | ModelConfig = 'small'): State {
  return run(design, actions, config).at(-1)!;
}

/** Why an action is disabled after a sequence (undefined if it is enabled). */
export function whyDisabledAfter(design: string, actions: readonly Action[], a: Action, config: string | ModelConfig = 'small'): string | undefined {
  const s = after(design, actions, config);
  return model(design, config).whyDisabled(s, a);
}

/** open, MAP_GRANT_REF of 2 pages, mmap: the common start. */
export const OPEN_MAP_MMAP: readonly Action[] = [
  { kind: 'gntdev_open', p: 0 },
  { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
  { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
];

/** The munmap steps of today's kernel for process p. */
export const MUNMAP_STEPS = (p = 0): Action[] =>
  (['mmu_notifier_invalidate_range_start', 'unmap_vmas', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma'] as const).map((kind) => ({ kind, p }));

/** exit_mmap's steps in today's order, then exit_files. */
export const EXIT = (p = 0): Action[] => [
  { kind: 'do_exit', p },
  ...(['mmu_notifier_release', 'arch_exit_mmap', 'unmap_vmas', 'free_pgtables', 'remove_vma'] as const).map((kind) => ({ kind, p })),
  { kind: 'exit_files', p },
];
