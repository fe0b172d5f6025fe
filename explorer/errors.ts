/** Errors the search raises about the model itself. */

/** Raised when the model itself throws; names the path that reproduces it. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}
