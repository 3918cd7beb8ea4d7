import { defineScanRule } from '../../context.js';

export const apiKeyInQuery = defineScanRule({
  id: 'auth.api-key-in-query',
  title: 'API key accepted in the query string',
  category: 'authentication',
  severity: 'medium',
  confidence: 'high',
  cwe: [598, 532],
  owasp: ['API2:2023', 'API8:2023'],
  summary:
    'The spec declares an apiKey security scheme carried in the URL query. URLs end up in access logs, proxy logs, browser history and Referer headers, so the key leaks to everyone who can read any of them.',
  remediation: [
    'Take the key from a header instead, and stop accepting it in the URL:',
    '',
    '```python',
    'from fastapi.security import APIKeyHeader',
    'api_key = APIKeyHeader(name="X-API-Key")',
    '',
    '@app.get("/items")',
    'def items(key: str = Security(api_key)): ...',
    '```',
    '',
    'Declare it as `in: header` in the spec, rotate keys that have travelled in URLs, and scrub query strings from logs.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/598.html', 'https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    for (const scheme of ctx.api?.schemes ?? []) {
      if (scheme.type !== 'apiKey' || scheme.in !== 'query') continue;
      const used = ctx.operations.filter((o) => o.security.some((alternative) => alternative.some((s) => s.name === scheme.name)));
      const first = used[0];
      ctx.report({
        message: `Security scheme "${scheme.name}" takes the API key from the query parameter "${scheme.paramName}"${used.length > 0 ? `, used by ${used.length} operation(s)` : ''}.`,
        location: first ? { method: first.method, path: first.pathTemplate } : { path: '/' },
        evidence: `securitySchemes.${scheme.name}: { type: apiKey, in: query, name: ${scheme.paramName} }`,
        key: scheme.name,
      });
    }
  },
});
