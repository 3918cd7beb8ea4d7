import type { ScanRule } from '../context.js';
import { anyCredentialsAccepted } from './auth/any-credentials-accepted.js';
import { apiKeyInQuery } from './auth/api-key-in-query.js';
import { basicCleartext } from './auth/basic-cleartext.js';
import { defaultCredentials } from './auth/default-credentials.js';
import { malformedCredentialsCrash } from './auth/malformed-credentials-crash.js';
import { missingChallenge } from './auth/missing-challenge.js';
import { noBruteForceProtection } from './auth/no-brute-force-protection.js';
import { pathVariantBypass } from './auth/path-variant-bypass.js';
import { unprotectedEndpoint } from './auth/unprotected-endpoint.js';
import { userEnumeration } from './auth/user-enumeration.js';
import { credentialReflection } from './exposure/credential-reflection.js';
import { serverError } from './exposure/server-error.js';
import { stackTrace } from './exposure/stack-trace.js';
import { missingHsts } from './headers/missing-hsts.js';
import { missingNoStore } from './headers/missing-no-store.js';
import { missingNosniff } from './headers/missing-nosniff.js';
import { invalidCertificate } from './tls/invalid-certificate.js';

/**
 * Every scan rule. Active rules run in this order (enumeration, then the few default pairs, then
 * brute force, so a lockout triggered by the brute-force series cannot distort the earlier ones);
 * passive rules run after all traffic.
 */
export const SCAN_RULES: readonly ScanRule[] = [
  unprotectedEndpoint,
  pathVariantBypass,
  anyCredentialsAccepted,
  malformedCredentialsCrash,
  userEnumeration,
  defaultCredentials,
  noBruteForceProtection,
  invalidCertificate,
  basicCleartext,
  apiKeyInQuery,
  missingChallenge,
  serverError,
  stackTrace,
  credentialReflection,
  missingHsts,
  missingNoStore,
  missingNosniff,
];
