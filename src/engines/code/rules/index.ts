import type { CodeRule } from '../context.js';
import { credentialRetained } from './credential-retained.js';
import { debugMode } from './debug-mode.js';
import { dependencyCalledDirectly } from './dependency-called-directly.js';
import { failureNotLogged } from './failure-not-logged.js';
import { hardcodedCredentials } from './hardcoded-credentials.js';
import { logMissingContext } from './log-missing-context.js';
import { misnamedHeader } from './misnamed-header.js';
import { noRateLimit } from './no-rate-limit.js';
import { secretLogged } from './secret-logged.js';
import { successNotLogged } from './success-not-logged.js';
import { timingUnsafeCompare } from './timing-unsafe-compare.js';
import { tracebackExposed } from './traceback-exposed.js';
import { unboundedCache } from './unbounded-cache.js';
import { unhandledDecodeError } from './unhandled-decode-error.js';

/** Every code rule, explicitly (no discovery at run time). */
export const CODE_RULES: readonly CodeRule[] = [
  failureNotLogged,
  successNotLogged,
  logMissingContext,
  secretLogged,
  credentialRetained,
  unboundedCache,
  timingUnsafeCompare,
  hardcodedCredentials,
  noRateLimit,
  unhandledDecodeError,
  misnamedHeader,
  debugMode,
  tracebackExposed,
  dependencyCalledDirectly,
];
