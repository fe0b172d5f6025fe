/**
 * The command table: every `grantcheck` command, in help order. Adding a command is one entry here
 * (its file exports a `defineCommand({...})`).
 */
import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { compareCommand } from './compare.js';
import { designsCommand } from './designs.js';
import { explainCommand } from './explain.js';
import { orderingsCommand } from './orderings.js';
import { replayCommand } from './replay.js';
import { simulateCommand } from './simulate.js';
import { viewCommand } from './view.js';

export const commands: readonly Command<any>[] = [designsCommand, checkCommand, compareCommand, orderingsCommand, simulateCommand, replayCommand, viewCommand, explainCommand];
