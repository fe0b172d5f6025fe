/**
 * Node module hooks for loading design files (registered by `loadDesignFile`, run on Node's loader
 * thread). Two jobs:
 * - `grantcheck` (and `grantcheck/vitest`) in a design file resolve to this very package, so a patch
 *   is checked by the grantcheck that loads it, wherever the file lives;
 * - `.ts` and `.mts` files (ES modules) are turned into JavaScript with oxc's `transformSync` (through
 *   rolldown, which vitest already brings): types are stripped, nothing is type-checked. A relative
 *   `./x.js` import from a TypeScript file finds `./x.ts` when there is no `./x.js`.
 * JavaScript design files load as they are.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface HookData {
  /** Specifier → URL of this package's entry points. */
  readonly self: Readonly<Record<string, string>>;
}

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions?: readonly string[];
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
interface LoadResult {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array;
  readonly shortCircuit?: boolean;
}

let self: Readonly<Record<string, string>> = {};

const TS = /\.(ts|mts)$/;

export function initialize(data: HookData): void {
  self = data.self;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const mine = self[specifier];
  if (mine !== undefined) return { url: mine, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (e) {
    const parent = context.parentURL;
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && parent !== undefined && TS.test(parent) && /^\.\.?\/.*\.m?js$/.test(specifier)) {
      try {
        return await next(specifier.replace(/\.(m)?js$/, (_m, x: string | undefined) => `.${x ?? ''}ts`), context);
      } catch {
        throw e;
      }
    }
    throw e;
  }
}

export async function load(
  url: string,
  context: { readonly format?: string | null },
  next: (url: string, context: { readonly format?: string | null }) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const file = fileURLToPath(url);
  const text = await readFile(file, 'utf8');
  const { transformSync } = await import('rolldown/utils');
  const out = transformSync(file, text);
  if (out.errors.length > 0) {
    const e = out.errors[0]!;
    // oxc's message is coloured and framed: keep its first line and the file:line:col it names.
    const plain = e.message.replace(/\u001b\[[0-9;]*m/g, '');
    const first = plain.split('\n')[0]!.replace(/^\[[A-Z_]+\]\s*/, '');
    const where = /\[\s*([^\]]+:\d+:\d+)\s*\]/.exec(plain)?.[1];
    const err = new SyntaxError(`${where ?? file}: ${first}`);
    throw err;
  }
  return { format: 'module', source: out.code, shortCircuit: true };
}
