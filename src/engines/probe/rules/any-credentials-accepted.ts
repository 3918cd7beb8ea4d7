import { createFinding } from '../../../core/finding.js';
import { defineProbeRule, type ProbeContext } from '../context.js';

export const anyCredentialsAccepted = defineProbeRule({
  id: 'probe.any-credentials-accepted',
  title: 'Random canary credentials are accepted',
  category: 'authentication',
  severity: 'critical',
  confidence: 'medium',
  cwe: [287, 306],
  owasp: ['API2:2023'],
  summary:
    'Logins with random user names and passwords that cannot be valid were answered 2xx: the endpoint decodes credentials but never checks them (or does not require them at all), so anyone is let in.',
  remediation: [
    'Verify the password against the stored hash before returning the user, and reject with 401 and a challenge otherwise:',
    '',
    '```python',
    'user = users.get(credentials.username)',
    'if user is None or not bcrypt.checkpw(credentials.password.encode(), user.password_hash):',
    '    raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": "Basic"})',
    '```',
    '',
    'If the endpoint is meant to be public, point `--url` at one that requires authentication instead.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/287.html', 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/'],
  mode: 'active',
  budget: 3,
  check: ({ obs }: ProbeContext) => {
    const accepted = obs.failures.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
    if (accepted.length === 0 || accepted.length < obs.failures.length) return [];
    return [
      createFinding(anyCredentialsAccepted, {
        message: `All ${accepted.length} logins with random canary credentials were answered HTTP ${accepted[0]!.status}.`,
        location: { method: obs.method, path: obs.path },
        evidence: `canary users: ${accepted.map((a) => a.user).join(', ')}\nstatuses: ${accepted.map((a) => a.status).join(', ')}`,
      }),
    ];
  },
});
