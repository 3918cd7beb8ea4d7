import { ToolError } from '../../core/errors.js';
import type { Redactor } from '../../core/redact.js';

/** Credentials for an authenticated scan, as given with --auth or PORTCULLIS_AUTH. */
export type AuthCredential =
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'header'; name: string; value: string }
  | { kind: 'cookie'; name: string; value: string };

/** Environment variables read when the flags are absent, so secrets stay out of shell history. */
export const AUTH_ENV = 'PORTCULLIS_AUTH';
export const KNOWN_USER_ENV = 'PORTCULLIS_KNOWN_USER';

const USAGE = 'expected basic:USER:PASS, bearer:TOKEN, header:NAME:VALUE or cookie:NAME=VALUE';
const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses the --auth syntax. The message of a failure never repeats the secret. */
export function parseAuth(text: string): AuthCredential {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  switch (kind.toLowerCase()) {
    case 'basic': {
      const split = rest.indexOf(':');
      if (split <= 0) throw new ToolError(`--auth basic: ${USAGE}`);
      return { kind: 'basic', user: rest.slice(0, split), password: rest.slice(split + 1) };
    }
    case 'bearer':
      if (!rest) throw new ToolError(`--auth bearer: ${USAGE}`);
      return { kind: 'bearer', token: rest };
    case 'header': {
      const split = rest.indexOf(':');
      const name = rest.slice(0, split).trim();
      if (split <= 0 || !TOKEN_CHARS.test(name)) throw new ToolError(`--auth header: ${USAGE}`);
      return { kind: 'header', name: name.toLowerCase(), value: rest.slice(split + 1) };
    }
    case 'cookie': {
      const split = rest.indexOf('=');
      if (split <= 0) throw new ToolError(`--auth cookie: ${USAGE}`);
      return { kind: 'cookie', name: rest.slice(0, split), value: rest.slice(split + 1) };
    }
    default:
      throw new ToolError(`--auth: ${USAGE}`);
  }
}

export function basicToken(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

/** The headers that carry a credential. */
export function authHeaders(credential: AuthCredential | undefined): Record<string, string> {
  if (!credential) return {};
  switch (credential.kind) {
    case 'basic':
      return { authorization: `Basic ${basicToken(credential.user, credential.password)}` };
    case 'bearer':
      return { authorization: `Bearer ${credential.token}` };
    case 'header':
      return { [credential.name]: credential.value };
    case 'cookie':
      return { cookie: `${credential.name}=${credential.value}` };
  }
}

/** Tells the run's redactor every form of the secret. */
export function registerSecrets(credential: AuthCredential | undefined, redactor: Redactor): void {
  if (!credential) return;
  switch (credential.kind) {
    case 'basic':
      redactor.addBasic(credential.user, credential.password);
      break;
    case 'bearer':
      redactor.add(credential.token);
      break;
    case 'header':
    case 'cookie':
      redactor.add(credential.value);
      break;
  }
}

/** The secret part alone (what must never come back in a response). */
export function secretOf(credential: AuthCredential): string {
  switch (credential.kind) {
    case 'basic':
      return credential.password;
    case 'bearer':
      return credential.token;
    default:
      return credential.value;
  }
}
