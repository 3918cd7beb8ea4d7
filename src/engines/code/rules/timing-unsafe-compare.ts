import { defineCodeRule, type CodeHit } from '../context.js';
import { analysedFunctions } from './shared.js';

export const timingUnsafeCompare = defineCodeRule({
  id: 'py.basic-auth.timing-unsafe-compare',
  title: 'Password compared with == instead of a constant-time compare',
  category: 'authentication',
  severity: 'medium',
  confidence: 'medium',
  cwe: [208, 697],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    '`==`, `!=` and `in` stop at the first differing byte, so response time leaks how much of a password, hash or token matched; an attacker can recover it one character at a time.',
  remediation: [
    'Compare bytes with a constant-time function (and compare both fields, so a wrong username costs the same):',
    '',
    '```python',
    'import secrets',
    'user_ok = secrets.compare_digest(credentials.username.encode(), b"alice")',
    'pass_ok = secrets.compare_digest(credentials.password.encode(), stored_password.encode())',
    'if not (user_ok and pass_ok):',
    '    raise HTTPException(status_code=401, headers={"WWW-Authenticate": "Basic"})',
    '```',
    '',
    'Better still, store a slow hash and verify with `bcrypt.checkpw` / `argon2.PasswordHasher().verify`.',
  ].join('\n'),
  references: ['https://docs.python.org/3/library/secrets.html#secrets.compare_digest', 'https://cwe.mitre.org/data/definitions/208.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const ref of analysedFunctions(ctx)) {
      for (const cmp of ref.facts.compares) {
        hits.push({
          file: ref.module.rel,
          line: cmp.line,
          message: `\`${cmp.taint.via}\` (${cmp.taint.kind}) is compared with \`${cmp.op}\` in ${ref.facts.qname}(): use secrets.compare_digest on bytes.`,
          key: `${ref.facts.qname}:${cmp.taint.via}:${cmp.op}`,
        });
      }
    }
    return hits;
  },
});
