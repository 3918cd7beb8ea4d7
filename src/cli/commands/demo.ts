import type { Command } from 'commander';
import { ToolError } from '../../core/errors.js';

/** Wired to the engines as they land; see issue notes. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start a built-in deliberately vulnerable API on 127.0.0.1, scan it, print the report, stop it')
    .action(() => {
      throw new ToolError('demo needs the scan engine, which is not built yet');
    });
}
