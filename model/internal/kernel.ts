/**
 * The kernel internals a design may replace: functions many actions call, where a patch typically
 * changes an error path, a loop bound or a batch that stops early. Each is named as the kernel
 * function it stands for; the model's actions call them through `ctx.kernel`, so a design that
 * replaces one (a design file's `kernel: { ... }`) changes every caller at once.
 */
import type { Kernel } from './ctx.js';
import { gnttabUnmapRefs, putMap, unmapGrantPages } from './gntdev.js';
import { clearForeignP2mMapping, setForeignP2mMapping } from './p2m.js';

// The interface lives beside Ctx, which holds it, so that the helpers below import no file that imports them.
export type { Kernel } from './ctx.js';

/** The model's own internals (the built-in designs use these). */
export const KERNEL: Kernel = {
  unmapGrantPages,
  gnttabUnmapRefs,
  setForeignP2mMapping,
  clearForeignP2mMapping,
  gntdevPutMap: putMap,
};

/** The names of the replaceable internals, in a fixed order. */
export const KERNEL_HOOKS = Object.keys(KERNEL) as readonly (keyof Kernel)[];
