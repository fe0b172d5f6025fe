#!/usr/bin/env node
/**
 * The `grantcheck` command (package.json "bin"; `npm start` runs `grantcheck compare`). The signal
 * handlers come first (signals.ts: a Ctrl-C at any moment ends the run cleanly), then the rest of
 * grantcheck is loaded; everything else is in run.ts.
 */
import { installSignalHandlers } from './signals.js';

installSignalHandlers();

const { runCli } = await import('./run.js');

const io = {
  out: (t: string) => void process.stdout.write(t),
  err: (t: string) => void process.stderr.write(t),
  errIsTTY: process.stderr.isTTY === true,
  ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`grantcheck: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
