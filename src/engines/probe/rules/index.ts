import type { ProbeRule } from '../context.js';
import { anyCredentialsAccepted } from './any-credentials-accepted.js';
import { authFailureNotLogged } from './auth-failure-not-logged.js';
import { authSuccessNotLogged } from './auth-success-not-logged.js';
import { logMissingContext } from './log-missing-context.js';
import { malformedCredentialsCrash } from './malformed-credentials-crash.js';
import { memoryGrowth } from './memory-growth.js';
import { noRateLimit } from './no-rate-limit.js';
import { secretInLogs } from './secret-in-logs.js';

/** Every probe rule, in the order the phases that feed them run. */
export const PROBE_RULES: readonly ProbeRule[] = [
  anyCredentialsAccepted,
  authFailureNotLogged,
  logMissingContext,
  secretInLogs,
  authSuccessNotLogged,
  malformedCredentialsCrash,
  noRateLimit,
  memoryGrowth,
];
