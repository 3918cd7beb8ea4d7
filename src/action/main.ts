import { describeError, EXIT } from '../core/errors.js';
import { runAction } from './run.js';

// Entry point of the GitHub Action (action.yml runs `node dist/action/main.js`).
// Exit once stdout has drained, so the annotations are not cut off.
runAction().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => process.stdout.write(`::error title=portcullis::internal error: ${describeError(error)}\n`, () => process.exit(EXIT.error)),
);
