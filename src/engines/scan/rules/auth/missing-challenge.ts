import { locationOf, parseChallenges } from '../../auth-surface.js';
import { defineScanRule } from '../../context.js';
import { evidenceOf } from '../../evidence.js';

export const missingChallenge = defineScanRule({
  id: 'auth.missing-challenge',
  title: '401 without a valid WWW-Authenticate challenge',
  category: 'authentication',
  severity: 'medium',
  confidence: 'high',
  cwe: [287, 16],
  owasp: ['API2:2023', 'API8:2023'],
  summary:
    'RFC 9110 requires every 401 to carry a WWW-Authenticate challenge, and RFC 7617 requires a realm for Basic. Without them clients cannot tell which scheme to use, and gateways, scanners and browsers misbehave.',
  remediation: [
    'Send the challenge with every 401, and a realm for Basic:',
    '',
    '```python',
    '# FastAPI',
    'from fastapi.security import HTTPBasic',
    'security = HTTPBasic(realm="api")  # 401s carry WWW-Authenticate: Basic realm="api"',
    '',
    'raise HTTPException(status_code=401, detail="Invalid credentials",',
    '                    headers={"WWW-Authenticate": \'Basic realm="api", charset="UTF-8"\'})',
    '```',
    '',
    '```python',
    '# Flask',
    'return Response("Unauthorized", 401, {"WWW-Authenticate": \'Basic realm="api", charset="UTF-8"\'})',
    '```',
  ].join('\n'),
  references: ['https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2', 'https://www.rfc-editor.org/rfc/rfc7617#section-2'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    for (const probe of ctx.probes) {
      const response = probe.anonymous.response;
      if (response?.status !== 401) continue;
      const header = response.headers['www-authenticate'];
      const where = locationOf(probe);
      if (header === undefined) {
        ctx.report({ message: `${where.method} ${where.path} answers 401 without a WWW-Authenticate header.`, location: where, evidence: evidenceOf(probe.anonymous), key: 'missing' });
        continue;
      }
      const challenges = parseChallenges(header);
      if (!challenges) {
        ctx.report({ message: `${where.method} ${where.path} answers 401 with a malformed challenge: ${header.slice(0, 120)}`, location: where, evidence: evidenceOf(probe.anonymous), key: 'malformed', severity: 'low' });
        continue;
      }
      const basic = challenges.find((c) => c.scheme === 'basic');
      if (basic && !basic.params['realm']) {
        ctx.report({ message: `${where.method} ${where.path} challenges with Basic but no realm (RFC 7617 requires one).`, location: where, evidence: evidenceOf(probe.anonymous), key: 'no-realm', severity: 'low' });
      }
    }
  },
});
