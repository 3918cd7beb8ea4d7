import { createHash } from 'node:crypto';
import type { LogLine } from './capture.js';
import type { Attempt } from './context.js';

/** Lines within the attempt's time window: from when it was sent until `settleMs` after its answer. */
export function linesAround(logs: readonly LogLine[], attempt: Pick<Attempt, 'sentAt' | 'doneAt'>, settleMs: number): LogLine[] {
  return logs.filter((l) => l.at >= attempt.sentAt - 5 && l.at <= attempt.doneAt + settleMs);
}

const AUTH_WORDS = /auth|login|logon|sign.?in|credential|password|denied|unauthori[sz]ed|fail/i;

/** Lines for evidence: ones that look like auth events first (startup chatter can share the window). */
export function evidenceLines(lines: readonly LogLine[], max = 8): string[] {
  const texts = lines.map((l) => l.text);
  return [...texts.filter((t) => AUTH_WORDS.test(t)), ...texts.filter((t) => !AUTH_WORDS.test(t))].slice(0, max);
}

/** A user name as written, or as a recognisable digest (hex md5/sha1/sha256, or their first 12 characters). */
export function mentionsUser(text: string, user: string): boolean {
  if (text.includes(user)) return true;
  const lower = text.toLowerCase();
  return ['md5', 'sha1', 'sha256'].some((algorithm) => lower.includes(createHash(algorithm).update(user).digest('hex').slice(0, 12)));
}

export type SecretForm = 'password' | 'base64 token' | 'raw header';

/**
 * Which forms of the attempt's secret a line holds. The canary core is hex, so it survives URL
 * encoding, repr() and JSON escaping unchanged: finding it finds every one of those forms.
 */
export function secretsIn(text: string, attempt: Pick<Attempt, 'core' | 'token'>): SecretForm[] {
  const forms: SecretForm[] = [];
  // The header value as sent, scheme and all: a dump of request headers.
  if (new RegExp(`Basic\\s+${escapeRegExp(attempt.token)}`, 'i').test(text)) forms.push('raw header');
  else if (text.includes(attempt.token)) forms.push('base64 token');
  if (passwordForms(attempt.core).some((form) => form.length >= 4 && text.includes(form))) forms.push('password');
  return forms;
}

/**
 * A password as logs write it: as is, URL-encoded (encodeURIComponent, Python's quote(safe=''),
 * form encoding), JSON-escaped and repr()-escaped. A hex canary core is all of these at once;
 * the user's own password may not be.
 */
export function passwordForms(password: string): string[] {
  const strict = password.replace(/[^A-Za-z0-9\-._~]/g, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));
  return [
    ...new Set([
      password,
      encodeURIComponent(password),
      strict,
      strict.replaceAll('%20', '+'),
      JSON.stringify(password).slice(1, -1),
      password.replace(/[\\']/g, (c) => `\\${c}`),
    ]),
  ];
}

export const TRACEBACK = /Traceback \(most recent call last\)|^\s+at \S.*:\d+:\d+\)?$|Unhandled (promise )?rejection|uncaught exception|Exception in thread|^\s+at [\w$.]+\([\w$]+\.java:\d+\)/im;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
