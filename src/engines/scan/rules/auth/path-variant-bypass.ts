import type { Exchange } from '../../../../http/client.js';
import { gatedProbes, locationOf, requiredHeaders } from '../../auth-surface.js';
import { defineScanRule, forEachInParallel, type OperationProbe } from '../../context.js';
import { evidenceOf } from '../../evidence.js';
import { resemblesNotFound } from '../../not-found.js';

/**
 * Spellings of one path that routers often treat as the same resource while an exact-match auth
 * check (middleware, proxy rule, allow list) does not.
 */
export function pathVariants(path: string): { name: string; path: string }[] {
  const [pathname = path, query] = path.split('?');
  const withQuery = (p: string) => (query ? `${p}?${query}` : p);
  const segments = pathname.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  const variants = [
    { name: 'trailing slash', path: `${pathname.replace(/\/+$/, '')}/` },
    { name: 'upper case', path: pathname.toUpperCase() },
    { name: 'double slash', path: `/${segments.join('//')}` },
    { name: 'dot segment', path: `/${segments.slice(0, -1).join('/')}${segments.length > 1 ? '/' : ''}./${last}` },
    { name: 'semicolon', path: `${pathname};x` },
    { name: 'encoded last character', path: `${pathname.slice(0, -1)}%${pathname.charCodeAt(pathname.length - 1).toString(16).padStart(2, '0')}` },
  ];
  return variants.filter((v) => v.path !== pathname && segments.length > 0).map((v) => ({ ...v, path: withQuery(v.path) }));
}

function contentType(exchange: Exchange | undefined): string {
  return (exchange?.response?.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export const pathVariantBypass = defineScanRule({
  id: 'auth.path-variant-bypass',
  title: 'Authentication bypassed by another spelling of the path',
  category: 'access-control',
  severity: 'critical',
  confidence: 'medium',
  cwe: [289, 288],
  owasp: ['API5:2023', 'API2:2023'],
  summary:
    'An operation that refuses anonymous requests answers 2xx to the same path spelled differently (trailing slash, upper case, double slash, dot segment, semicolon, percent-encoding). The auth check matches paths exactly while the router normalizes them.',
  remediation: [
    'Attach authentication to the route itself, not to a path pattern in front of it, and normalize paths once before any check:',
    '',
    '```python',
    '# FastAPI: the dependency runs for whatever spelling the router matched',
    'router = APIRouter(prefix="/api", dependencies=[Depends(current_user)])',
    '',
    '# wrong: a middleware that compares raw paths',
    '# if request.url.path in PROTECTED: ...',
    '```',
    '',
    'In proxies (nginx, Envoy), enable path normalization (`merge_slashes`, `normalize_path`) and match case-sensitively on the normalized path.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/289.html', 'https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/'],
  mode: 'active',
  budget: 60,
  async check(ctx) {
    const targets = gatedProbes(ctx).slice(0, ctx.tier === 'quick' ? 2 : ctx.tier === 'standard' ? 5 : 10);
    // Operations in parallel; the variants of one in order, the first hit wins.
    await forEachInParallel(targets, (probe) => checkOne(ctx, probe));
  },
});

async function checkOne(ctx: Parameters<typeof pathVariantBypass.check>[0], probe: OperationProbe): Promise<void> {
  const authenticatedType = probe.authenticated?.response?.status === 200 ? contentType(probe.authenticated) : undefined;
  for (const variant of pathVariants(probe.operation.path)) {
    const exchange = await ctx.client.request({ path: variant.path, headers: requiredHeaders(probe.operation), tag: 'auth.path-variant-bypass', followRedirects: false, rawPath: true });
    const status = exchange.response?.status ?? 0;
    if (status < 200 || status > 299 || resemblesNotFound(ctx.notFound, exchange)) continue;
    // Same kind of content as the protected answer; an HTML fallback page is not the resource.
    const type = contentType(exchange);
    if (authenticatedType ? type !== authenticatedType : type === 'text/html') continue;
    const where = locationOf(probe);
    ctx.report({
      message: `${where.method} ${where.path} refuses anonymous requests (${probe.anonymous.response!.status}) but ${variant.path} (${variant.name}) answers ${status} without credentials.`,
      location: where,
      evidence: evidenceOf(exchange),
      key: variant.name,
    });
    return;
  }
}
