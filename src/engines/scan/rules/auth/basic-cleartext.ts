import { parseChallenges } from '../../auth-surface.js';
import { defineScanRule } from '../../context.js';
import { evidenceOf, locationOfExchange } from '../../evidence.js';
import { anyCredentialsAccepted } from './any-credentials-accepted.js';

export const basicCleartext = defineScanRule({
  id: 'auth.basic-cleartext',
  title: 'Basic authentication over plain HTTP',
  category: 'transport',
  severity: 'high',
  confidence: 'high',
  cwe: [319, 523],
  owasp: ['API2:2023', 'A02:2021'],
  summary:
    'Basic credentials are only base64-encoded: over plain HTTP every request hands the password to anyone on the path. The API offers Basic (a challenge or its spec) or accepts it on an http:// origin.',
  remediation: [
    'Serve the API over HTTPS only, redirect or refuse plain HTTP, and send HSTS:',
    '',
    '```python',
    '# FastAPI / Starlette: refuse cleartext before auth runs',
    'from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware',
    'app.add_middleware(HTTPSRedirectMiddleware)',
    '```',
    '',
    '```bash',
    'uvicorn app:app --ssl-keyfile key.pem --ssl-certfile cert.pem   # or terminate TLS at a proxy',
    '```',
    '',
    'Rotate any password that has travelled over HTTP.',
  ].join('\n'),
  references: ['https://www.rfc-editor.org/rfc/rfc7617#section-4', 'https://cwe.mitre.org/data/definitions/319.html'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    if (ctx.target.protocol !== 'http:') return;
    for (const probe of ctx.probes) {
      const response = probe.anonymous.response;
      const header = response?.status === 401 ? response.headers['www-authenticate'] : undefined;
      const offered = header !== undefined && (parseChallenges(header) ?? []).some((c) => c.scheme === 'basic');
      if (offered) {
        ctx.report({
          message: `${probe.operation.method} ${probe.operation.pathTemplate} offers Basic authentication over plain HTTP.`,
          location: { method: probe.operation.method, path: probe.operation.pathTemplate },
          evidence: evidenceOf(probe.anonymous),
        });
        return;
      }
    }
    const declared = ctx.api?.schemes.find((s) => s.type === 'basic');
    if (declared) {
      ctx.report({ message: `The spec declares Basic authentication ("${declared.name}") and the API is served over plain HTTP.`, location: { path: '/' } });
      return;
    }
    const accepted = ctx.auth?.kind === 'basic' ? ctx.probes.find((p) => p.anonymous.response?.status === 401 && isSuccess(p.authenticated?.response?.status)) : undefined;
    if (accepted) {
      ctx.report({
        message: `${accepted.operation.method} ${accepted.operation.pathTemplate} accepts Basic credentials over plain HTTP.`,
        location: { method: accepted.operation.method, path: accepted.operation.pathTemplate },
        evidence: evidenceOf(accepted.authenticated!),
      });
      return;
    }
    // No challenge, no spec, no --auth: a gated operation that let in the well-formed Basic login of
    // auth.any-credentials-accepted still proves the API takes Basic passwords over plain HTTP.
    const letIn = ctx.client.exchanges().find((e) => e.tag === anyCredentialsAccepted.id && isSuccess(e.response?.status));
    if (letIn) {
      const where = locationOfExchange(ctx.operations, letIn);
      ctx.report({ message: `${where.method} ${where.path} accepts Basic credentials over plain HTTP.`, location: where, evidence: evidenceOf(letIn) });
    }
  },
});

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
