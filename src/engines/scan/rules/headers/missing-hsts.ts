import { defineScanRule } from '../../context.js';
import { evidenceOf, pathOf } from '../../evidence.js';
import { authResponses } from './scope.js';

/** Half a year, the floor most guidance (and the preload list) asks for. */
const MIN_MAX_AGE = 15_552_000;

export function hstsProblem(value: string | undefined): string | undefined {
  if (value === undefined) return 'No Strict-Transport-Security header';
  const match = /max-age\s*=\s*"?(\d+)"?/i.exec(value);
  if (!match) return `Strict-Transport-Security without max-age: ${value}`;
  const maxAge = Number(match[1]);
  if (maxAge < MIN_MAX_AGE) return `Strict-Transport-Security max-age=${maxAge} is under 180 days`;
  return undefined;
}

export const missingHsts = defineScanRule({
  id: 'headers.missing-hsts',
  title: 'HTTPS API without Strict-Transport-Security',
  category: 'transport',
  severity: 'medium',
  confidence: 'high',
  cwe: [319, 523],
  owasp: ['API8:2023', 'A02:2021'],
  summary:
    'The authenticated endpoints of an HTTPS API do not send HSTS (or send a short max-age). A client that is once steered to http:// sends its Basic credentials or token in cleartext.',
  remediation: [
    'Send HSTS on every HTTPS response, for at least 180 days (one year is usual):',
    '',
    '```python',
    '@app.middleware("http")',
    'async def security_headers(request, call_next):',
    '    response = await call_next(request)',
    '    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"',
    '    return response',
    '```',
  ].join('\n'),
  references: ['https://www.rfc-editor.org/rfc/rfc6797', 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    if (ctx.target.protocol !== 'https:') return;
    const offending = authResponses(ctx).filter((e) => hstsProblem(e.response?.headers['strict-transport-security']) !== undefined);
    const first = offending[0];
    if (!first) return;
    ctx.report({
      message: `${hstsProblem(first.response!.headers['strict-transport-security'])} on ${offending.length} authenticated response(s), first ${first.method} ${pathOf(first)}.`,
      location: { method: first.method, path: pathOf(first) },
      evidence: evidenceOf(first),
      details: { paths: [...new Set(offending.map(pathOf))].slice(0, 20) },
    });
  },
});
