/**
 * SIGINT and SIGTERM for the whole run, installed before anything else is loaded (main.ts). While
 * a search runs (a supervised check, family search or simulation), the first signal asks it to
 * stop: it answers with what it reached, the command prints the interrupted report and exits 130
 * (SIGINT) or 143 (SIGTERM). At any other moment (loading, building the model, writing the
 * output), or at a second signal, the output being staged is discarded, one line goes to stderr,
 * and the process exits 130/143 at once: nothing half-written is ever left under --out.
 *
 * This module imports nothing of grantcheck, so that installing the handlers costs nothing.
 */
import { rmSync } from 'node:fs';

export type Signal = 'SIGINT' | 'SIGTERM';

/** The exit code of a run ended by a signal (128 + its number, as a shell reports it). */
export const SIGNAL_EXIT: Readonly<Record<Signal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** What a signal interrupts while a search runs. */
export interface SearchTarget {
  interrupt(signal: Signal): void;
}

const staging = new Set<string>();
let target: SearchTarget | undefined;
let received: Signal | undefined;
let installed = false;

/** Removes every staging directory of this run. */
export function discardStaging(): void {
  for (const d of staging) rmSync(d, { recursive: true, force: true });
  staging.clear();
}

/** A staging directory of this run: removed if the run ends before it is committed. */
export function registerStaging(dir: string): void {
  staging.add(dir);
}

/** The staging directory was committed or discarded. */
export function unregisterStaging(dir: string): void {
  staging.delete(dir);
}

/** The search a signal interrupts (undefined: none runs, a signal ends the process). */
export function setSearchTarget(t: SearchTarget | undefined): void {
  target = t;
}

/** The signal that interrupted a search of this run, if one did. */
export function interruptedBy(): Signal | undefined {
  return received;
}

function onSignal(signal: Signal): void {
  if (target !== undefined && received === undefined) {
    received = signal;
    target.interrupt(signal);
    return;
  }
  const had = staging.size > 0;
  discardStaging();
  process.stderr.write(`grantcheck: interrupted by ${signal}${had ? '; the output being written was discarded, nothing changed under --out' : ''}\n`);
  process.exit(SIGNAL_EXIT[signal]);
}

/** Installs the handlers (once per process). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('exit', discardStaging);
}
