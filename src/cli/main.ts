#!/usr/bin/env node
import { EXIT } from '../core/errors.js';
import { main } from './program.js';

// Exit once stdout has drained, so a lingering socket or timer can never hang the CLI.
function exitWith(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv).then(exitWith, () => exitWith(EXIT.error));
