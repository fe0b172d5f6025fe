/** What every rule and helper reads besides the state: the design, the constants, the kernel internals. */
import type { ModelConfig } from '../config.js';
import type { Design } from '../design.js';
import type { ModelExtension } from '../model.js';
import type { Kernel } from './kernel.js';

export interface Ctx {
  readonly design: Design;
  readonly config: ModelConfig;
  /**
   * The kernel internals a design may replace (kernel.ts), each named as the kernel function it
   * stands for: every action that calls one calls it through here, so a replacement is used
   * everywhere.
   */
  readonly kernel: Kernel;
  /** The design's patch (a design file's rules, actions, ghost variables, internals), if it has one. */
  readonly extension?: ModelExtension;
}
