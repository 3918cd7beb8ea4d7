import { EXIT } from '../core/errors.js';
import { runAction } from './run.js';

// Entry point of the GitHub Action (action.yml runs `node dist/action/main.js`).
runAction().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  () => process.exit(EXIT.error),
);
