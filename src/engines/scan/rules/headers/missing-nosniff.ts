import { defineScanRule } from '../../context.js';
import { evidenceOf, pathOf } from '../../evidence.js';
import { authResponses } from './scope.js';

export const missingNosniff = defineScanRule({
  id: 'headers.missing-nosniff',
  title: 'X-Content-Type-Options: nosniff missing',
  category: 'misconfiguration',
  severity: 'low',
  confidence: 'high',
  cwe: [693, 16],
  owasp: ['API8:2023'],
  summary:
    'Responses of authenticated endpoints do not send X-Content-Type-Options: nosniff, so a browser may sniff a JSON or text error that reflects input as HTML or script.',
  remediation: [
    'Send the header on every response:',
    '',
    '```python',
    '@app.middleware("http")',
    'async def security_headers(request, call_next):',
    '    response = await call_next(request)',
    '    response.headers["X-Content-Type-Options"] = "nosniff"',
    '    return response',
    '```',
    '',
    'Flask: set it in an `@app.after_request` hook, or use `flask-talisman`.',
  ].join('\n'),
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options', 'https://owasp.org/www-project-secure-headers/'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    const offending = authResponses(ctx).filter((e) => e.response && (e.response.headers['x-content-type-options'] ?? '').trim().toLowerCase() !== 'nosniff');
    const first = offending[0];
    if (!first) return;
    ctx.report({
      message: `${offending.length} response(s) of authenticated endpoints without X-Content-Type-Options: nosniff, first ${first.method} ${pathOf(first)}.`,
      location: { method: first.method, path: pathOf(first) },
      evidence: evidenceOf(first),
      details: { paths: [...new Set(offending.map(pathOf))].slice(0, 20) },
    });
  },
});
