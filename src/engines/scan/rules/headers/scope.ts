import type { Exchange } from '../../../../http/client.js';
import { gatedProbes } from '../../auth-surface.js';
import type { ScanContext } from '../../context.js';

/**
 * The responses that header rules judge: those of auth-gated operations (their 401s and, with
 * --auth, their authenticated answers). Public pages and catch-all servers are out of scope.
 */
export function authResponses(ctx: ScanContext): Exchange[] {
  const out: Exchange[] = [];
  for (const probe of gatedProbes(ctx)) {
    out.push(probe.anonymous);
    if (probe.authenticated?.response) out.push(probe.authenticated);
  }
  return out;
}

/** Authenticated answers: 2xx with --auth on an operation that refuses anonymous requests. */
export function authenticatedSuccesses(ctx: ScanContext): Exchange[] {
  return gatedProbes(ctx)
    .map((p) => p.authenticated)
    .filter((e): e is Exchange => e?.response !== undefined && e.response.status >= 200 && e.response.status < 300);
}
