import type { Exchange } from '../../../../http/client.js';
import { secretOf } from '../../auth.js';
import { defineScanRule } from '../../context.js';
import { evidenceOf, locationOfExchange } from '../../evidence.js';

/** Where a submitted secret came back, or undefined. */
function reflectionIn(exchange: Exchange, secrets: readonly string[]): { where: string; index: number } | undefined {
  const response = exchange.response;
  if (!response) return undefined;
  for (const secret of secrets) {
    const forms = [secret, Buffer.from(secret).toString('base64').replace(/=+$/, '')];
    for (const form of forms) {
      const index = response.body.indexOf(form);
      if (index >= 0) return { where: 'body', index };
      const header = Object.entries(response.headers).find(([, value]) => value.includes(form));
      if (header) return { where: `header ${header[0]}`, index: 0 };
    }
  }
  return undefined;
}

export const credentialReflection = defineScanRule({
  id: 'exposure.credential-reflection',
  title: 'Submitted credentials echoed back in a response',
  category: 'data-exposure',
  severity: 'high',
  confidence: 'high',
  cwe: [200, 522],
  owasp: ['API3:2023', 'API2:2023'],
  summary:
    'A password or token the scanner submitted (a random canary, or the --auth secret) comes back in a response body or header. Responses end up in logs, caches, browser history and error trackers, and reflected input is a step towards XSS.',
  remediation: [
    'Never put submitted credentials in a response, not even in error messages; name the problem, not the input:',
    '',
    '```python',
    '# wrong: detail=f"Invalid credentials for {user}:{password}"',
    'raise HTTPException(status_code=401, detail="Invalid credentials",',
    '                    headers={"WWW-Authenticate": \'Basic realm="api"\'})',
    '```',
    '',
    'Also check exception handlers and debug pages: a traceback that prints local variables reflects them too.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/200.html', 'https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    const secrets = [...ctx.canaries.all(), ...(ctx.auth ? [secretOf(ctx.auth)] : [])].filter((s) => s.length >= 6);
    if (secrets.length === 0) return;
    const seen = new Set<string>();
    for (const exchange of ctx.client.exchanges()) {
      const found = reflectionIn(exchange, secrets);
      if (!found) continue;
      const location = locationOfExchange(ctx.operations, exchange);
      const path = location.path;
      const key = `${exchange.method} ${path} ${found.where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.report({
        message: `${exchange.method} ${path} answered ${exchange.response!.status} with the submitted password in its ${found.where}.`,
        location,
        evidence: evidenceOf(exchange, { bodyAround: found.index }),
        key: found.where,
      });
    }
  },
});
