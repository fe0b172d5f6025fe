#!/usr/bin/env node
/**
 * The `grantcheck` command (package.json "bin"; `npm start` runs `grantcheck compare`). Everything
 * is in run.ts; this file only connects it to the process.
 */
import { runCli } from './run.js';

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
