import { defineCodeRule, type CodeHit } from '../context.js';
import { analysedFunctions } from './shared.js';

export const unhandledDecodeError = defineCodeRule({
  id: 'py.basic-auth.unhandled-decode-error',
  title: 'Malformed Authorization header crashes the handler',
  category: 'error-handling',
  severity: 'medium',
  confidence: 'high',
  cwe: [755, 248],
  owasp: ['API8:2023'],
  summary:
    'Manual Basic parsing (`b64decode`, `.decode()`, `split(":", 1)` unpacking, indexing) is not guarded, so a malformed header becomes a 500 with a stack trace instead of a 401; `compare_digest` on `str` raises TypeError for non-ASCII input, another 500.',
  remediation: [
    'Parse inside try/except and answer 401; compare bytes:',
    '',
    '```python',
    'try:',
    '    scheme, _, token = auth.partition(" ")',
    '    username, sep, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")',
    '    if scheme.lower() != "basic" or not sep:',
    '        raise ValueError("not basic")',
    'except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError',
    '    raise HTTPException(status_code=401, headers={"WWW-Authenticate": "Basic"})',
    'ok = secrets.compare_digest(password.encode(), expected.encode())',
    '```',
  ].join('\n'),
  references: ['https://docs.python.org/3/library/base64.html#base64.b64decode', 'https://docs.python.org/3/library/secrets.html#secrets.compare_digest'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const ref of analysedFunctions(ctx)) {
      const byLine = new Map<number, string[]>();
      for (const risk of [...ref.facts.decodeRisks, ...ref.facts.digestOnStr.map((r) => ({ ...r, what: `${r.what}: TypeError on non-ASCII input` }))]) {
        byLine.set(risk.line, [...(byLine.get(risk.line) ?? []), risk.what]);
      }
      for (const [line, what] of byLine) {
        hits.push({
          file: ref.module.rel,
          line,
          message: `${ref.facts.qname}(): ${what.join('; ')}; not caught, so a malformed header gives a 500.`,
          key: `${ref.facts.qname}:${what.join('|')}`,
        });
      }
    }
    return hits;
  },
});
