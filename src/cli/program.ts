import { Command, CommanderError } from 'commander';
import { describeError, EXIT, ToolError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/report.js';
import { registerCode } from './commands/code.js';
import { registerDemo } from './commands/demo.js';
import { registerMcp } from './commands/mcp.js';
import { registerProbe } from './commands/probe.js';
import { registerReport } from './commands/report.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerWatch } from './commands/watch.js';

// Each command loads its engine only when it runs, so `--version`, `--help` and one engine's run
// do not pay for loading the others.
export function buildProgram(): Command {
  const program = new Command('portcullis')
    .description('API security scanner: scan live APIs, analyse Python code, probe running apps, watch auth logs.')
    .version(TOOL_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(oneLine(text)) });
  // Subcommands inherit exitOverride and configureOutput from here.
  registerRules(program);
  registerDemo(program);
  registerCode(program);
  registerScan(program);
  registerProbe(program);
  registerReport(program);
  registerWatch(program);
  registerMcp(program);
  return program;
}

/** Commander errors may run over lines (suggestions); users get one. */
function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim().replace(/^error:/, 'portcullis: error:');
  return `${line}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Commands report their gate through process.exitCode; a previous in-process run must not leak into this one.
  process.exitCode = undefined;
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end in a CommanderError too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (error instanceof ToolError) {
      process.stderr.write(`portcullis: error: ${describeError(error)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`portcullis: internal error: ${describeError(error)} (please report it)\n`);
    return EXIT.error;
  }
}

