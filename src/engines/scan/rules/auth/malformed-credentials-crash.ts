import type { Exchange } from '../../../../http/client.js';
import { credentialCarrier, gatedProbes, locationOf, requiredHeaders } from '../../auth-surface.js';
import { defineScanRule, type OperationProbe, type ScanContext } from '../../context.js';
import { evidenceOf } from '../../evidence.js';

/**
 * Malformed credential headers, each a parser edge case seen crashing real handlers. `decodable`
 * ones still carry a user:password pair, so a 2xx to them may just mean any password is accepted
 * (auth.any-credentials-accepted says so); only a crash counts for them here.
 */
export function malformedVariants(canary: string): { name: string; value: string; decodable?: boolean }[] {
  const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
  return [
    { name: 'scheme only', value: 'Basic' },
    { name: 'no colon', value: `Basic ${b64(`portcullis${canary}`)}` },
    { name: 'invalid base64', value: `Basic !!${canary}%%` },
    { name: 'non-UTF-8 bytes', value: `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xc3, 0x28]))}` },
    { name: 'empty', value: '' },
    { name: 'wrong case', value: `bASIC ${b64(`portcullis:${canary}`)}`, decodable: true },
    { name: 'NUL byte', value: `Basic ${b64(`portcullis\u0000:${canary}`)}`, decodable: true },
    { name: 'very long', value: `Basic ${b64(`portcullis:${canary}${'A'.repeat(6000)}`)}`, decodable: true },
    { name: 'extra fields', value: `Basic ${b64(`portcullis:${canary}`)} trailing junk`, decodable: true },
    { name: 'unknown scheme', value: `Portcullis ${canary}` },
  ];
}

/** Crash-like outcomes; any 4xx is a refusal and fine, and so is a timeout (reported as a warning). */
function failureOf(exchange: Exchange, anonymousStatus: number, decodable: boolean): string | undefined {
  if (exchange.error) return exchange.error.kind === 'reset' || exchange.error.kind === 'not-http' ? `connection dropped (${exchange.error.message})` : undefined;
  const status = exchange.response!.status;
  if (status >= 500) return `answered ${status}`;
  if (!decodable && status < 400 && anonymousStatus >= 400) return `answered ${status} where no credentials get ${anonymousStatus}`;
  return undefined;
}

async function probeOne(ctx: ScanContext, probe: OperationProbe, variants: ReturnType<typeof malformedVariants>) {
  const carrier = credentialCarrier(probe.operation);
  const anonymousStatus = probe.anonymous.response!.status;
  const broken: { name: string; failure: string; exchange: Exchange }[] = [];
  for (const variant of variants) {
    const exchange = await ctx.client.request({
      path: probe.operation.path,
      headers: { ...requiredHeaders(probe.operation), [carrier]: variant.value },
      tag: 'auth.malformed-credentials-crash',
    });
    if (exchange.error?.kind === 'timeout') ctx.warn(`${probe.operation.pathTemplate}: no answer in time to a malformed ${carrier} header (${variant.name})`);
    const failure = failureOf(exchange, anonymousStatus, variant.decodable === true);
    if (failure) broken.push({ name: variant.name, failure, exchange });
  }
  return { carrier, broken };
}

export const malformedCredentialsCrash = defineScanRule({
  id: 'auth.malformed-credentials-crash',
  title: 'Malformed credentials crash the authentication handler',
  category: 'error-handling',
  severity: 'high',
  confidence: 'high',
  cwe: [755, 20],
  owasp: ['API8:2023', 'API2:2023'],
  summary:
    'A malformed Authorization header (no colon, invalid base64, non-UTF-8 bytes, a bare scheme...) makes the handler fail with a 5xx or let the request through, instead of a clean 400 or 401. Crashes leak internals and hide auth failures from monitoring; a 2xx is an authentication bypass.',
  remediation: [
    'Parse credentials defensively and turn every parsing failure into a 401 with a challenge:',
    '',
    '```python',
    'import base64, binascii',
    '',
    'def parse_basic(header: str | None) -> tuple[str, str]:',
    '    scheme, _, token = (header or "").partition(" ")',
    '    if scheme.lower() != "basic" or not token:',
    '        raise HTTPException(401, headers={"WWW-Authenticate": \'Basic realm="api"\'})',
    '    try:',
    '        user, sep, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")',
    '    except (binascii.Error, UnicodeDecodeError):',
    '        raise HTTPException(401, headers={"WWW-Authenticate": \'Basic realm="api"\'})',
    '    if not sep or "\\x00" in user:',
    '        raise HTTPException(401, headers={"WWW-Authenticate": \'Basic realm="api"\'})',
    '    return user, password',
    '```',
    '',
    'FastAPI\'s `HTTPBasic()` dependency already does this; prefer it to hand-rolled decoding.',
  ].join('\n'),
  references: ['https://www.rfc-editor.org/rfc/rfc7617', 'https://cwe.mitre.org/data/definitions/755.html', 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/'],
  mode: 'active',
  budget: 50,
  async check(ctx) {
    const targets = gatedProbes(ctx).slice(0, ctx.limits.malformedTargets);
    const all = malformedVariants(ctx.canaries.next());
    const variants = ctx.tier === 'quick' ? all.slice(0, 4) : all;
    for (const probe of targets) {
      const { carrier, broken } = await probeOne(ctx, probe, variants);
      if (broken.length === 0) continue;
      const where = locationOf(probe);
      const bypass = broken.some((b) => b.exchange.response && b.exchange.response.status < 400);
      ctx.report({
        message: `${where.method} ${where.path}: malformed ${carrier} headers break the auth handler: ${broken.map((b) => `${b.name} ${b.failure}`).join('; ')}.`,
        location: where,
        evidence: evidenceOf(broken[0]!.exchange),
        key: carrier,
        ...(bypass ? { severity: 'critical' as const } : {}),
        details: { variants: broken.map((b) => b.name) },
      });
    }
  },
});
