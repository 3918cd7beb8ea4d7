import { basicLoginTarget, locationOf, sendBasic } from '../../auth-surface.js';
import { defineScanRule } from '../../context.js';
import { evidenceOf } from '../../evidence.js';

/** A user name no real system has; paired with a random canary password. */
export const NONSENSE_USER = 'portcullis-nonexistent-user';

export const anyCredentialsAccepted = defineScanRule({
  id: 'auth.any-credentials-accepted',
  title: 'Any username and password are accepted',
  category: 'authentication',
  severity: 'critical',
  confidence: 'high',
  cwe: [287, 1390],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'An operation that refuses anonymous requests answers 2xx to well-formed Basic credentials for a user that does not exist with a random password. The check only looks at the header\'s shape, so anyone gets in.',
  remediation: [
    'Verify the password against a stored hash before returning the user, in constant time:',
    '',
    '```python',
    'import secrets',
    '',
    'def current_user(credentials: HTTPBasicCredentials = Depends(HTTPBasic(realm="api"))) -> str:',
    '    stored = USERS.get(credentials.username)',
    '    candidate = hash_password(credentials.password, salt_of(stored or DUMMY_HASH))',
    '    if stored is None or not secrets.compare_digest(candidate, stored):',
    '        raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": \'Basic realm="api"\'})',
    '    return credentials.username',
    '```',
    '',
    'Decoding the header is not authentication: a dependency that returns the decoded pair without checking it protects nothing.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/287.html', 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/'],
  mode: 'active',
  budget: 2,
  async check(ctx) {
    const target = basicLoginTarget(ctx);
    if (!target) return;
    // Two different random passwords: one lucky guess cannot explain two 2xx answers.
    const first = await sendBasic(ctx, target, NONSENSE_USER, ctx.canaries.next(), 'auth.any-credentials-accepted');
    const status = first.response?.status ?? 0;
    if (status < 200 || status > 299) return;
    const second = await sendBasic(ctx, target, NONSENSE_USER, ctx.canaries.next(), 'auth.any-credentials-accepted');
    const again = second.response?.status ?? 0;
    if (again < 200 || again > 299) return;
    const where = locationOf(target);
    ctx.report({
      message: `${where.method} ${where.path} refuses anonymous requests (${target.anonymous.response!.status}) but answers ${status} to Basic credentials of a nonexistent user with a random password.`,
      location: where,
      evidence: evidenceOf(first),
    });
  },
});
