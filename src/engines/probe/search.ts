import { createHash } from 'node:crypto';
import type { LogLine } from './capture.js';
import type { Attempt } from './context.js';

/** Lines within the attempt's time window: from when it was sent until `settleMs` after its answer. */
export function linesAround(logs: readonly LogLine[], attempt: Pick<Attempt, 'sentAt' | 'doneAt'>, settleMs: number): LogLine[] {
  return logs.filter((l) => l.at >= attempt.sentAt - 5 && l.at <= attempt.doneAt + settleMs);
}

/** A user name as written, or as a recognisable digest (hex md5/sha1/sha256, or their first 12 characters). */
export function mentionsUser(text: string, user: string): boolean {
  if (text.includes(user)) return true;
  const lower = text.toLowerCase();
  return ['md5', 'sha1', 'sha256'].some((algorithm) => lower.includes(createHash(algorithm).update(user).digest('hex').slice(0, 12)));
}

export type SecretForm = 'password' | 'base64 token' | 'raw header';

/**
 * Which form of the attempt's secret a line holds. The canary core is hex, so it survives URL
 * encoding, repr() and JSON escaping unchanged: finding it finds every one of those forms.
 */
export function secretIn(text: string, attempt: Pick<Attempt, 'core' | 'token'>): SecretForm | undefined {
  // The header value as sent, scheme and all: a dump of request headers.
  if (new RegExp(`Basic\\s+${escapeRegExp(attempt.token)}`, 'i').test(text)) return 'raw header';
  if (text.includes(attempt.token)) return 'base64 token';
  if (text.includes(attempt.core)) return 'password';
  return undefined;
}

export const TRACEBACK = /Traceback \(most recent call last\)|^\s+at \S.*:\d+:\d+\)?$|Unhandled (promise )?rejection|uncaught exception|Exception in thread|^\s+at [\w$.]+\([\w$]+\.java:\d+\)/im;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
