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

/** Handshake errors of a server that does not speak TLS at all (typically plain HTTP on the port). */
const NOT_TLS = /WRONG_VERSION_NUMBER|wrong version number|packet length too long|unknown protocol|http request/i;

/** The port answered, but not with TLS: https:// was given for a plain-HTTP service. */
export function isNotTls(result: CertificateResult): boolean {
  return !result.valid && NOT_TLS.test(`${result.code ?? ''} ${result.error ?? ''}`);
}

/** A verification failure of the certificate itself (not a refused or timed-out connection, not plain HTTP). */
export function isCertificateFailure(result: CertificateResult): boolean {
  return !result.valid && !isNotTls(result) && /CERT|SELF_SIGNED|UNABLE|ALTNAME|HOSTNAME|SSL|TLS/i.test(`${result.code ?? ''} ${result.error ?? ''}`);
}
