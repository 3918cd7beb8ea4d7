import { basicLoginTarget, isThrottled, locationOf, sendBasic } from '../../auth-surface.js';
import { defineScanRule } from '../../context.js';
import { evidenceOf } from '../../evidence.js';
import { NONSENSE_USER } from './any-credentials-accepted.js';

/**
 * Factory and tutorial defaults, most common first. Each user name appears at most twice, so no
 * real account gets near a typical lockout threshold.
 */
export const DEFAULT_CREDENTIALS: readonly [string, string][] = [
  ['admin', 'admin'],
  ['admin', 'password'],
  ['root', 'root'],
  ['test', 'test'],
  ['user', 'user'],
  ['guest', 'guest'],
  ['demo', 'demo'],
  ['administrator', 'administrator'],
  ['root', 'toor'],
  ['api', 'api'],
];

export const defaultCredentials = defineScanRule({
  id: 'auth.default-credentials',
  title: 'Default or well-known credentials accepted',
  category: 'authentication',
  severity: 'critical',
  confidence: 'high',
  cwe: [1392, 521],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'An operation that refuses anonymous requests and refuses a random login accepts a factory or tutorial default such as admin:admin. These pairs are the first ones every attacker and every botnet tries.',
  remediation: [
    'Remove default and demo accounts, and refuse to start with a well-known password:',
    '',
    '```python',
    'import os, sys',
    '',
    'ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "")',
    'if len(ADMIN_PASSWORD) < 16 or ADMIN_PASSWORD.lower() in {"admin", "password", "changeme"}:',
    '    sys.exit("set ADMIN_PASSWORD to a long random secret")',
    'USERS = {"admin": hash_password(ADMIN_PASSWORD)}',
    '```',
    '',
    'Store only password hashes, force a password change on first login, and check new passwords against a list of breached ones.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/1392.html', 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html'],
  mode: 'active',
  budget: 1 + DEFAULT_CREDENTIALS.length,
  async check(ctx) {
    const pairs = DEFAULT_CREDENTIALS.slice(0, ctx.limits.defaultCredentials);
    if (pairs.length === 0) return;
    const target = basicLoginTarget(ctx);
    if (!target) return;
    // A control login first: where a random pair gets in too, a default pair getting in proves nothing.
    const control = await sendBasic(ctx, target, NONSENSE_USER, ctx.canaries.next(), 'auth.default-credentials');
    const controlStatus = control.response?.status ?? 0;
    if (controlStatus < 400 || controlStatus >= 500) return;
    for (const [user, password] of pairs) {
      const exchange = await sendBasic(ctx, target, user, password, 'auth.default-credentials');
      const response = exchange.response;
      if (!response || isThrottled(response)) return;
      if (response.status < 200 || response.status > 299) continue;
      const where = locationOf(target);
      ctx.report({
        message: `${where.method} ${where.path} accepts the well-known credentials ${user}:${password} (a random login gets ${controlStatus}).`,
        location: where,
        evidence: evidenceOf(exchange),
        key: user,
      });
      return;
    }
  },
});
