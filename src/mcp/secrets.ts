import { Redactor } from '../core/redact.js';

/**
 * The credentials clients handed this session, masked in every text the server returns. Engines
 * already redact their reports; this is the last line. It masks only the known secrets (no header
 * patterns), so rendered JSON and SARIF stay well-formed.
 */
export class SessionSecrets {
  private readonly redactor = new Redactor();

  add(secret: string | undefined): this {
    this.redactor.add(secret);
    return this;
  }

  /** The secrets of an auth argument (basic:USER:PASS, bearer:TOKEN, header:NAME:VALUE, cookie:NAME=VALUE). */
  addAuth(auth: string | undefined): this {
    if (!auth) return this;
    const rest = auth.slice(auth.indexOf(':') + 1);
    const kind = auth.slice(0, auth.indexOf(':')).toLowerCase();
    this.add(auth).add(rest);
    if (kind === 'basic' || kind === 'header') this.add(rest.slice(rest.indexOf(':') + 1));
    if (kind === 'cookie') this.add(rest.slice(rest.indexOf('=') + 1));
    return this;
  }

  /** Credentials in a URL's user-info part. */
  addUrl(url: string): this {
    try {
      const parsed = new URL(url);
      if (parsed.password) {
        const password = decodeURIComponent(parsed.password);
        this.add(password).add(`${decodeURIComponent(parsed.username)}:${password}`);
      }
    } catch {
      // Not a URL: input validation reports it.
    }
    return this;
  }

  redact(text: string): string {
    return this.redactor.maskSecrets(text);
  }
}
