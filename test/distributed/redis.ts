// A real redis-server for the distributed tests: on a free loopback port, in a temporary
// directory, without persistence; and worker processes of the built CLI that join it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, root } from '../cli/helpers.js';

/** A redis-server this test started. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops it (SIGKILL when `hard`) and removes its directory. */
  stop(hard?: boolean): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' }, () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    c.once('error', () => resolve(false));
  });
}

/** Starts redis-server on a free loopback port; resolves once it answers PING. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'grantcheck-redis-'));
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await answers(port))) {
    p.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${port} (is Debian's redis-server installed? .ci/run installs it)`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: p,
    async stop(hard = false) {
      if (p.exitCode === null && p.signalCode === null) {
        p.kill(hard ? 'SIGKILL' : 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A worker process of the built CLI, with what it wrote on stderr. */
export interface TestWorker {
  readonly process: ChildProcess;
  stderr: string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exit: Promise<number | string>;
}

/** Starts `n` workers (`grantcheck check --distributed URL --role worker`). */
export function startWorkers(url: string, n: number, command: 'check' | 'simulate' = 'check'): TestWorker[] {
  const out: TestWorker[] = [];
  for (let i = 0; i < n; i++) {
    const p = spawn(process.execPath, [bin, command, '--distributed', url, '--role', 'worker'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const w: TestWorker = {
      process: p,
      stderr: '',
      exit: new Promise((resolve) => p.once('exit', (code, signal) => resolve(code ?? signal ?? -1))),
    };
    p.stderr!.on('data', (d: Buffer) => (w.stderr += d.toString()));
    out.push(w);
  }
  return out;
}
