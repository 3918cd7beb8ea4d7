import type { Exchange } from '../../http/client.js';

/** Tag of the request for a path that cannot exist. */
export const NOT_FOUND_TAG = 'not-found';

const BODY_EXCERPT = 800;
const SHOWN_RESPONSE_HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'cache-control', 'strict-transport-security', 'x-content-type-options', 'location'];

/**
 * One exchange as readable proof: request line and headers (already redacted by the client),
 * status, the headers that matter and the start of the body. The engine redacts it again.
 */
export function evidenceOf(exchange: Exchange, options: { bodyAround?: number } = {}): string {
  const lines = [`${exchange.method} ${requestTarget(exchange)}`];
  for (const [name, value] of Object.entries(exchange.requestHeaders)) {
    if (name !== 'user-agent' && name !== 'accept' && name !== 'accept-encoding') lines.push(`${name}: ${value.length > 200 ? `${value.slice(0, 200)}... (${value.length} chars)` : value}`);
  }
  lines.push('');
  if (exchange.error) {
    lines.push(`(no response: ${exchange.error.message})`);
    return lines.join('\n');
  }
  const response = exchange.response!;
  lines.push(`HTTP ${response.status}`);
  for (const name of SHOWN_RESPONSE_HEADERS) if (response.headers[name] !== undefined) lines.push(`${name}: ${response.headers[name]}`);
  if (response.body) {
    const start = Math.max(0, (options.bodyAround ?? 0) - BODY_EXCERPT / 4);
    const excerpt = response.body.slice(start, start + BODY_EXCERPT);
    lines.push('', `${start > 0 ? '...' : ''}${excerpt}${response.body.length > start + BODY_EXCERPT ? '...' : ''}`);
  }
  return lines.join('\n');
}

/** The path and query as sent (raw-path probes keep their spelling). */
function requestTarget(exchange: Exchange): string {
  return exchange.url.slice(new URL(exchange.url).origin.length) || '/';
}

export function pathOf(exchange: Exchange): string {
  return new URL(exchange.url).pathname;
}

/** Where an exchange belongs: the operation's path template when it hit a known operation. */
export function locationOfExchange(operations: readonly { path: string; pathTemplate: string }[], exchange: Exchange): { method: string; path: string } {
  const url = new URL(exchange.url);
  // The random path of the not-found probe differs per run; its findings need a stable place.
  if (exchange.tag === NOT_FOUND_TAG) return { method: exchange.method, path: '/{missing-path}' };
  const concrete = url.pathname + url.search;
  const operation = operations.find((o) => o.path === concrete) ?? operations.find((o) => o.path.split('?')[0] === url.pathname);
  return { method: exchange.method, path: operation?.pathTemplate ?? url.pathname };
}
