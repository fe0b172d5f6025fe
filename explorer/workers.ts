/**
 * Placeholder: how a worker thread builds a model (filled in with the parallel search).
 */

/** How a worker thread builds the same model: `(await import(module))[exportName](...args)`. */
export interface WorkerSource {
  /** A module URL or absolute path (a `.ts` source inside this repository maps to its build in `dist/`). */
  readonly module: string;
  /** The exported factory's name. */
  readonly exportName: string;
  /** Arguments for the factory: structured-cloneable data. */
  readonly args?: readonly unknown[];
}
