/**
 * The only Graphviz call: DOT to SVG with graphviz-cli (Graphviz 5.0 compiled to WebAssembly, so no
 * native Graphviz is needed). It runs in a child process: a layout that runs long can be killed,
 * and the WASM worker never lives in the caller's process.
 *
 * The `dot` layout in WASM is slow on big graphs (about a minute at 250 nodes), so graphs beyond
 * `MAX_RENDER_NODES` are refused before any work starts.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The largest graph rendered (nodes of the DOT, legend included). */
export const MAX_RENDER_NODES = 150;

/** Raised when a graph is refused or Graphviz fails; the message is one line naming the problem and the fix. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}

/** Options of `renderSvg`. */
export interface RenderOptions {
  /** Refuse graphs with more nodes. @defaultValue MAX_RENDER_NODES (150) */
  readonly maxNodes?: number;
  /** Kill the layout after this long. @defaultValue 120000 */
  readonly timeoutMs?: number;
}

/** Counts the node statements of a DOT text written one statement per line (as this folder writes it). */
export function countNodes(dot: string): number {
  let n = 0;
  for (const line of dot.split('\n')) {
    const m = /^\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*)\s*\[/.exec(line);
    if (m && !['graph', 'node', 'edge'].includes(m[1]!)) n++;
  }
  return n;
}

/** The path of graphviz-cli's command (its package does not export it, so it is found next to the main file). */
function graphvizBin(): string {
  const main = createRequire(import.meta.url).resolve('graphviz-cli');
  return join(dirname(main), '..', 'bin', 'graphviz.cjs');
}

/** Renders DOT to SVG text; rejects with RenderError for a graph over the limit, a Graphviz error, or a timeout. */
export function renderSvg(dot: string, options: RenderOptions = {}): Promise<string> {
  const max = options.maxNodes ?? MAX_RENDER_NODES;
  const nodes = countNodes(dot);
  if (nodes > max) {
    return Promise.reject(
      new RenderError(
        `render: the graph has ${nodes} nodes, over the limit of ${max} (the WASM dot layout takes about a minute at 250 nodes); render the trace graph instead, use a smaller configuration, or run a native 'dot -Tsvg' on the .dot file`,
      ),
    );
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [graphvizBin(), '-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new RenderError(`render: Graphviz took longer than ${timeoutMs} ms; render a smaller graph, or run a native 'dot -Tsvg' on the .dot file`));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new RenderError(`render: could not start Graphviz (${e.message}); run 'npm ci' so that graphviz-cli is installed`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const svg = Buffer.concat(out).toString('utf8');
      if (code !== 0 || !svg.includes('<svg')) {
        const first = Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? '';
        reject(new RenderError(`render: Graphviz failed (exit ${code})${first ? `: ${first}` : ''}; check the DOT text`));
        return;
      }
      resolve(svg);
    });
    child.stdin.end(dot);
  });
}
