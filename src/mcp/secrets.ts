import { REDACTED } from '../core/redact.js';

/**
 * The credentials clients handed this session, masked in every text the server returns. Engines
 * already redact their reports; this is the last line. Unlike the core Redactor it replaces only the
 * known secrets (no header patterns), so rendered JSON and SARIF stay well-formed.
 */
export class SessionSecrets {
  private readonly forms = new Set<string>();

  add(secret: string | undefined): this {
    if (!secret || secret.length < 3) return this;
    // The forms a secret is written in: as is, inside a JSON string, base64 (Basic tokens), URL-encoded.
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), Buffer.from(secret, 'utf8').toString('base64'), encodeURIComponent(secret)]) {
      this.forms.add(form);
    }
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
    let out = text;
    // Longest first, so a token that contains a password is masked whole.
    for (const form of [...this.forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
    return out;
  }
}
