import type { Exchange } from '../../../../http/client.js';
import { gatedProbes, locationOf, requiredHeaders } from '../../auth-surface.js';
import { defineScanRule, forEachInParallel, type OperationProbe, type ScanContext } from '../../context.js';
import { evidenceOf } from '../../evidence.js';
import { resemblesNotFound } from '../../not-found.js';

/** Path segments that name internals; such a path answering anyone is worth a look. */
const SENSITIVE = /(^|\/)(admin|administrator|debug|metrics|internal|actuator|management|manage|private|console|config|env|_debug|__debug__|phpinfo)(\/|$|\.)/i;

const isSuccess = (exchange: Exchange | undefined) => {
  const status = exchange?.response?.status;
  return status !== undefined && status >= 200 && status < 300;
};

/** A real answer: 2xx, with content, and not the catch-all page of the target. */
function realSuccess(ctx: ScanContext, exchange: Exchange): boolean {
  return isSuccess(exchange) && !resemblesNotFound(ctx.notFound, exchange);
}

async function methodBypass(ctx: ScanContext, probe: OperationProbe): Promise<void> {
  const operation = probe.operation;
  const head = await ctx.client.request({ method: 'HEAD', path: operation.path, headers: requiredHeaders(operation), tag: 'auth.unprotected-endpoint' });
  const where = locationOf(probe);
  if (isSuccess(head)) {
    ctx.report({
      message: `${where.path}: GET needs credentials (${probe.anonymous.response!.status}) but HEAD answers ${head.response!.status} without them.`,
      location: { method: 'HEAD', path: where.path },
      evidence: evidenceOf(head),
      key: 'method-bypass',
    });
  }
  // OPTIONS answering 2xx is normal (CORS preflight); it is a bypass only when it returns the protected content.
  const authedBody = probe.authenticated?.response?.status === 200 ? probe.authenticated.response.body : undefined;
  if (!authedBody) return;
  const options = await ctx.client.request({ method: 'OPTIONS', path: operation.path, headers: requiredHeaders(operation), tag: 'auth.unprotected-endpoint' });
  if (isSuccess(options) && options.response!.body === authedBody) {
    ctx.report({
      message: `${where.path}: OPTIONS without credentials returns the same content as an authenticated GET.`,
      location: { method: 'OPTIONS', path: where.path },
      evidence: evidenceOf(options),
      key: 'method-bypass',
    });
  }
}

export const unprotectedEndpoint = defineScanRule({
  id: 'auth.unprotected-endpoint',
  title: 'Protected or sensitive operation answers without credentials',
  category: 'access-control',
  severity: 'high',
  confidence: 'high',
  cwe: [306, 862],
  owasp: ['API5:2023', 'API2:2023'],
  summary:
    'An operation the spec marks as secured, or a sensitive-looking path (admin, debug, metrics, internal), answers 2xx to an anonymous request; or GET is protected while HEAD or OPTIONS on the same path is not.',
  remediation: [
    'Attach authentication to the route (or router) itself, not to a subset of methods, and deny by default:',
    '',
    '```python',
    '# FastAPI: every route of the router requires the dependency, whatever the method',
    'admin = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])',
    '',
    '# Flask: one before_request hook for the whole blueprint, HEAD and OPTIONS included',
    '@admin_bp.before_request',
    'def _guard():',
    '    if not authenticated(request):',
    '        return Response("Unauthorized", 401, {"WWW-Authenticate": \'Basic realm="admin"\'})',
    '```',
    '',
    'Keep metrics and debug endpoints off the public listener (bind them to an internal port) and keep the spec\'s `security` in step with the code.',
  ].join('\n'),
  references: ['https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/', 'https://cwe.mitre.org/data/definitions/306.html'],
  mode: 'active',
  budget: 120,
  async check(ctx) {
    for (const probe of ctx.probes) {
      const where = locationOf(probe);
      if (!realSuccess(ctx, probe.anonymous)) continue;
      if (probe.operation.requiresAuth) {
        ctx.report({
          message: `${where.method} ${where.path} is secured in the spec but answers ${probe.anonymous.response!.status} without credentials.`,
          location: where,
          evidence: evidenceOf(probe.anonymous),
          key: 'spec-secured',
        });
      } else if (SENSITIVE.test(probe.operation.pathTemplate)) {
        ctx.report({
          message: `${where.method} ${where.path} looks internal and answers ${probe.anonymous.response!.status} without credentials.`,
          location: where,
          evidence: evidenceOf(probe.anonymous),
          key: 'sensitive-path',
          severity: 'medium',
          confidence: 'medium',
        });
      }
    }
    await forEachInParallel(gatedProbes(ctx).slice(0, ctx.limits.methodBypassTargets), (probe) => methodBypass(ctx, probe));
  },
});
