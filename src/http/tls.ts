import { connect } from 'node:tls';

export interface CertificateResult {
  valid: boolean;
  error?: string;
  code?: string;
}

/**
 * Opens one TLS connection with full verification and reports whether the certificate is trusted
 * for this host name. Used even under --insecure, so the finding is not lost.
 */
export function verifyCertificate(url: URL, timeoutMs: number): Promise<CertificateResult> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      host,
      port: Number(url.port || 443),
      servername: /^[\d.:]+$/.test(host) ? undefined : host,
      rejectUnauthorized: true,
      timeout: timeoutMs,
    });
    const done = (result: CertificateResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('secureConnect', () => done({ valid: true }));
    socket.once('timeout', () => done({ valid: false, error: 'TLS handshake timed out', code: 'ETIMEDOUT' }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ valid: false, error: error.message.split('\n')[0] ?? 'TLS error', code: error.code ?? '' }));
  });
}

/** A verification failure of the certificate itself (not a refused or timed-out connection). */
export function isCertificateFailure(result: CertificateResult): boolean {
  return !result.valid && /CERT|SELF_SIGNED|UNABLE|ALTNAME|HOSTNAME|SSL|TLS/i.test(`${result.code ?? ''} ${result.error ?? ''}`);
}
