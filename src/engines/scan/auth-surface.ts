import type { Exchange, HttpResponse } from '../../http/client.js';
import type { Operation } from '../../openapi/types.js';
import { basicToken } from './auth.js';
import type { OperationProbe, ScanContext } from './context.js';

/** One challenge of a WWW-Authenticate header. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const CHALLENGE_START = new RegExp(`^\\s*(${TOKEN})(?:\\s+|$)`);
const PARAM = new RegExp(`^\\s*(${TOKEN})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(${TOKEN}))\\s*(?:,|$)`);
const TOKEN68 = /^\s*[A-Za-z0-9\-._~+/]+=*\s*(?:,|$)/;

/**
 * Parses WWW-Authenticate (RFC 9110 section 11.6.1): challenges with auth-params or a token68.
 * Undefined when the header does not follow the grammar.
 */
export function parseChallenges(header: string): Challenge[] | undefined {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  if (!rest) return undefined;
  while (rest.length > 0) {
    const start = CHALLENGE_START.exec(rest);
    if (!start || start[0].trim().includes('=')) return undefined;
    rest = rest.slice(start[0].length);
    const challenge: Challenge = { scheme: start[1]!.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      const param = PARAM.exec(rest);
      if (param) {
        challenge.params[param[1]!.toLowerCase()] = param[2] ?? param[3] ?? '';
        rest = rest.slice(param[0].length);
        continue;
      }
      if (Object.keys(challenge.params).length === 0 && TOKEN68.test(rest) && !CHALLENGE_START.test(rest.replace(TOKEN68, ''))) {
        rest = rest.replace(TOKEN68, '');
      }
      break;
    }
    rest = rest.replace(/^\s*,\s*/, '');
  }
  return challenges;
}

/** Rate limiting or lockout signals in one answer. */
export function isThrottled(response: HttpResponse): boolean {
  return response.status === 429 || response.status === 423 || response.headers['retry-after'] !== undefined;
}

/** Operations whose anonymous answer shows the server checks credentials. */
export function gatedProbes(ctx: ScanContext): OperationProbe[] {
  return ctx.probes.filter((probe) => {
    const response = probe.anonymous.response;
    if (!response) return false;
    return response.status === 401 || (response.status === 403 && response.headers['www-authenticate'] !== undefined);
  });
}

const CREDENTIAL_HEADER = /^(x-)?(auth|authorization|api[-_]?key|auth[-_]?token|access[-_]?token|token)$/i;

/**
 * The header that carries credentials for an operation: Authorization, unless the spec declares a
 * header parameter that evidently holds them (FastAPI's `auth: str = Header(None)` reads `auth`).
 */
export function credentialCarrier(operation: Operation): string {
  const declared = operation.parameters.find((p) => p.in === 'header' && CREDENTIAL_HEADER.test(p.name) && p.name.toLowerCase() !== 'authorization');
  return declared && operation.security.length === 0 ? declared.name.toLowerCase() : 'authorization';
}

/** Whether Basic credentials make sense here: challenged with Basic, declared Basic, or nothing says otherwise. */
export function takesBasic(probe: OperationProbe): boolean {
  const declared = probe.operation.security.flat();
  if (declared.length > 0 && !declared.some((s) => s.type === 'basic')) return false;
  const header = probe.anonymous.response?.headers['www-authenticate'];
  if (!header) return true;
  const challenges = parseChallenges(header);
  return !challenges || challenges.some((c) => c.scheme === 'basic');
}

/** The first auth-gated operation that takes Basic credentials, the target of login probes. */
export function basicLoginTarget(ctx: ScanContext): OperationProbe | undefined {
  return gatedProbes(ctx).find(takesBasic);
}

/** Headers the baseline sends: required non-credential header parameters. */
export function requiredHeaders(operation: Operation): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const p of operation.parameters) {
    if (p.in === 'header' && p.required && !CREDENTIAL_HEADER.test(p.name)) headers[p.name.toLowerCase()] = p.value;
  }
  return headers;
}

/** Sends Basic credentials in the operation's carrier header. */
export function sendBasic(ctx: ScanContext, probe: OperationProbe, user: string, password: string, tag: string): Promise<Exchange> {
  const operation = probe.operation;
  return ctx.client.request({
    path: operation.path,
    headers: { ...requiredHeaders(operation), [credentialCarrier(operation)]: `Basic ${basicToken(user, password)}` },
    tag,
  });
}

/** A location for findings about an operation. */
export function locationOf(probe: OperationProbe): { method: string; path: string } {
  return { method: probe.operation.method, path: probe.operation.pathTemplate };
}
