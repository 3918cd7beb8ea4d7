import { randomBytes } from 'node:crypto';
import type { Exchange, HttpResponse } from '../../http/client.js';

/**
 * What the target answers for a path that cannot exist. Catch-all servers (SPAs, honeypots, echo
 * endpoints) answer 200 to everything; a 2xx that looks like this answer proves nothing.
 */
export interface NotFoundProfile {
  path: string;
  response?: HttpResponse;
}

export function randomMissingPath(): string {
  return `/portcullis-missing-${randomBytes(6).toString('hex')}`;
}

const WORD = /[A-Za-z_]{3,}/g;

/** The body with request-specific parts taken out, so two answers of one template compare equal. */
function normalize(body: string, path: string): string {
  let out = body;
  for (const form of new Set([path, encodeURI(path), path.split('?')[0] ?? path])) if (form) out = out.split(form).join('{path}');
  return out.replace(/[0-9a-f]{8,}/gi, '{hex}').replace(/\d+/g, '0');
}

function words(text: string): Set<string> {
  return new Set(text.match(WORD) ?? []);
}

/** Jaccard similarity of the word sets, 1 for two empty bodies. */
function similarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 && wb.size === 0) return 1;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}

/** True when a 2xx answer is just the catch-all page the target gives for any path. */
export function resemblesNotFound(profile: NotFoundProfile, exchange: Exchange): boolean {
  const missing = profile.response;
  const response = exchange.response;
  if (!missing || !response || missing.status !== response.status) return false;
  if ((missing.headers['content-type'] ?? '') !== (response.headers['content-type'] ?? '')) return false;
  const a = normalize(missing.body, new URL(missing.url).pathname + new URL(missing.url).search);
  const b = normalize(response.body, new URL(response.url).pathname + new URL(response.url).search);
  if (a === b) return true;
  const lengthRatio = Math.min(a.length, b.length) / Math.max(a.length, b.length, 1);
  return lengthRatio > 0.8 && similarity(a, b) >= 0.85;
}
