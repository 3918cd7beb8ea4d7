/**
 * Keeps user-given secrets out of everything portcullis writes. Engines register the secrets they
 * were handed (passwords, tokens, header values); every string bound for a report goes through
 * `redact`, which also masks credentials in Authorization/Cookie headers it has never seen.
 */
export const REDACTED = '[REDACTED]';

const HEADER_SECRETS = /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)(\s*[:=]\s*)([^\r\n]*)/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Adds a secret and the forms it travels in (base64 of user:pass, URL-encoded, inside a JSON string). */
  add(secret: string | undefined): this {
    if (!secret || secret.length < 3) return this;
    this.secrets.add(secret);
    this.secrets.add(JSON.stringify(secret).slice(1, -1));
    this.secrets.add(Buffer.from(secret, 'utf8').toString('base64'));
    this.secrets.add(encodeURIComponent(secret));
    // Strict RFC 3986 encoding, as Python's quote(safe='') writes it ('!' becomes %21).
    this.secrets.add(secret.replace(/[^A-Za-z0-9\-._~]/g, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`)));
    return this;
  }

  /** Registers a Basic pair: the password, the token and the user:pass string. */
  addBasic(user: string, password: string): this {
    return this.add(password).add(`${user}:${password}`);
  }

  redact(text: string): string {
    return this.maskSecrets(text.replace(HEADER_SECRETS, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`));
  }

  /** Masks only the registered secrets, no header patterns: safe on rendered JSON or SARIF. */
  maskSecrets(text: string): string {
    let out = text;
    // Longest first, so a token that contains a password is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** Deep copy of a JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    }
    return value;
  }
}
