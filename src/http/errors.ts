/**
 * Why a request did not produce a response. Rules and the engine branch on `kind`, never on
 * message text; `message` is one line meant for users.
 */
export type NetworkErrorKind =
  | 'refused'
  | 'dns'
  | 'timeout'
  | 'tls'
  | 'reset'
  | 'not-http'
  | 'redirect-limit'
  | 'unreachable'
  | 'other';

export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** The run's request budget (--max-requests) is spent: the rule that hit it stops, the run goes on. */
export class BudgetExhaustedError extends Error {
  constructor(readonly limit: number) {
    super(`request budget of ${limit} reached`);
    this.name = 'BudgetExhaustedError';
  }
}

/** One rule used up the budget it declares; the run goes on with the next rule. */
export class RuleBudgetError extends Error {
  constructor(readonly limit: number) {
    super(`rule budget of ${limit} requests reached`);
    this.name = 'RuleBudgetError';
  }
}

/** The run's total time cap (--max-duration) has passed. */
export class DeadlineError extends Error {
  constructor(readonly limitMs: number) {
    super(`time cap of ${Math.round(limitMs / 1000)} s reached`);
    this.name = 'DeadlineError';
  }
}

/** A method outside the allowed set: a bug in a rule, never sent. */
export class MethodRefusedError extends Error {
  constructor(method: string) {
    super(`refused to send ${method}: the scan is read-only (GET, HEAD, OPTIONS) unless unsafe methods are allowed`);
    this.name = 'MethodRefusedError';
  }
}

/** Request stopped by a run-wide limit rather than by the target. */
export function isRunLimit(error: unknown): error is BudgetExhaustedError | DeadlineError {
  return error instanceof BudgetExhaustedError || error instanceof DeadlineError;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH|ALTNAME/;

/** Maps what undici or the socket threw to a NetworkError with a readable one-line message. */
export function classifyNetworkError(error: unknown, where: string): NetworkError {
  if (error instanceof NetworkError) return error;
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code ?? '';
  const detail = (err.cause?.message ?? err.message ?? String(error)).split('\n')[0] ?? '';
  if (code === 'ECONNREFUSED') return new NetworkError('refused', `connection refused by ${where}`, code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new NetworkError('dns', `cannot resolve the host of ${where} (${code})`, code);
  }
  if (TLS_CODES.test(code) || /certificate|tls|ssl/i.test(detail)) {
    return new NetworkError('tls', `TLS error from ${where}: ${detail}${code ? ` (${code})` : ''}`, code);
  }
  // No TCP handshake at all: the host is down, unreachable or a firewall drops the packets.
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new NetworkError('unreachable', `cannot connect to ${where}: no TCP handshake in time (host down, unreachable or filtered)`, code);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED' || err.message?.includes('aborted')) {
    return new NetworkError('timeout', `no answer from ${where} in time`, code);
  }
  if (code.startsWith('HPE_') || err.name === 'HTTPParserError' || /does not match the HTTP|parse error/i.test(detail)) {
    return new NetworkError('not-http', `${where} did not answer with HTTP (${detail})`, code);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return new NetworkError('reset', `${where} closed the connection without an answer`, code);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return new NetworkError('unreachable', `${where} is unreachable (${code})`, code);
  }
  return new NetworkError('other', `request to ${where} failed: ${detail}${code ? ` (${code})` : ''}`, code || undefined);
}
