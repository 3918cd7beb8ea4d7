import { isCertificateFailure } from '../../../../http/tls.js';
import { defineScanRule } from '../../context.js';

export const invalidCertificate = defineScanRule({
  id: 'tls.invalid-certificate',
  title: 'TLS certificate does not verify',
  category: 'transport',
  severity: 'high',
  confidence: 'high',
  cwe: [295],
  owasp: ['API8:2023', 'A02:2021'],
  summary:
    'The HTTPS certificate is self-signed, expired, issued for another name or chained to an untrusted root. Clients then either fail or learn to skip verification, which lets anyone on the path read Basic credentials and tokens.',
  remediation: [
    'Serve a certificate from a trusted CA that names the host the clients use, with its full chain,',
    'and renew it automatically (ACME / Let\'s Encrypt, or your platform\'s managed certificates).',
    '',
    '```bash',
    '# behind a reverse proxy, e.g. Caddy obtains and renews certificates itself:',
    'api.example.com {',
    '  reverse_proxy 127.0.0.1:8000',
    '}',
    '```',
    '',
    'Never ship clients with verification turned off (`verify=False`, `rejectUnauthorized: false`).',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/295.html', 'https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    const certificate = ctx.certificate;
    if (!certificate || !isCertificateFailure(certificate)) return;
    ctx.report({
      message: `The certificate of ${ctx.target.host} does not verify: ${certificate.error ?? 'unknown error'}${certificate.code ? ` (${certificate.code})` : ''}.`,
      location: { url: ctx.target.origin, path: '/' },
      evidence: `TLS handshake with ${ctx.target.host}: ${certificate.code ?? ''} ${certificate.error ?? ''}`.trim(),
      key: certificate.code ?? 'tls',
    });
  },
});
