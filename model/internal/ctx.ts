/** What every rule and helper reads besides the state: the design and the constants. */
import type { ModelConfig } from '../config.js';
import type { Design } from '../design.js';

export interface Ctx {
  readonly design: Design;
  readonly config: ModelConfig;
}
