import { defineCodeRule, type CodeHit } from '../context.js';
import { lastSegment } from '../python/expr.js';
import { analysedFunctions } from './shared.js';

export const misnamedHeader = defineCodeRule({
  id: 'py.basic-auth.misnamed-header',
  title: 'Basic credentials read from a header that is not Authorization',
  category: 'authentication',
  severity: 'medium',
  confidence: 'high',
  cwe: [287],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'FastAPI fills a `Header()` parameter from the header of the same name (`auth` reads an `auth:` header, `auth_header` reads `auth-header:`), not from `Authorization`. A dependency that parses Basic credentials from such a parameter never sees what browsers and HTTP clients send: every real request is rejected, and clients made to work with it put the password in a custom header that proxies, access logs and redaction rules do not treat as a secret.',
  remediation: [
    'Name the parameter `authorization`, give the alias, or let FastAPI parse Basic for you:',
    '',
    '```python',
    'def get_basic_auth(authorization: str | None = Header(None)): ...',
    'def get_basic_auth(auth: str | None = Header(None, alias="Authorization")): ...',
    '',
    'security = HTTPBasic()',
    'def get_basic_auth(credentials: HTTPBasicCredentials = Depends(security)): ...',
    '```',
  ].join('\n'),
  references: ['https://fastapi.tiangolo.com/tutorial/header-params/', 'https://www.rfc-editor.org/rfc/rfc7617'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const ref of analysedFunctions(ctx)) {
      // Only where the value is then handled as Basic credentials: a custom `x_auth_token` header is a choice.
      if (ref.facts.basicSignals.length === 0) continue;
      for (const p of ref.facts.params) {
        const header = p.default;
        if (header?.k !== 'call' || lastSegment(header.f) !== 'Header' || !/auth/i.test(p.name)) continue;
        if (p.name.toLowerCase() === 'authorization' || 'alias' in header.kw) continue;
        const underscores = !(header.kw['convert_underscores']?.k === 'const' && header.kw['convert_underscores'].v === 'False');
        const sent = underscores ? p.name.replace(/_/g, '-') : p.name;
        hits.push({
          file: ref.module.rel,
          line: header.line,
          message: `${ref.facts.qname}() parses Basic credentials from parameter \`${p.name}\`, which FastAPI reads from the \`${sent}\` header, not from Authorization: real clients are always rejected, and any that adapt send the password in a header nothing treats as secret.`,
          key: `${ref.facts.qname}:${p.name}`,
        });
      }
    }
    return hits;
  },
});
