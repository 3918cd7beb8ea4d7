import { createHash } from 'node:crypto';
import type { Location } from './finding.js';

/**
 * A finding's identity across runs: rule + where + an optional key.
 * Deliberately excluded: line numbers (code moves), scheme/host/port (the same API is scanned on
 * ephemeral ports, staging and production), evidence (it carries timing and random canaries).
 */
export function fingerprintOf(ruleId: string, location: Location, key?: string): string {
  const parts = [
    ruleId,
    location.method?.toUpperCase() ?? '',
    normalizePath(location.path ?? pathOfUrl(location.url)),
    location.file?.replaceAll('\\', '/') ?? '',
    key ?? '',
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function pathOfUrl(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** `/users/42/` and `/users/42` are one path; query strings are noise. */
function normalizePath(path: string): string {
  const noQuery = path.split('?')[0] ?? '';
  return noQuery.length > 1 ? noQuery.replace(/\/+$/, '') : noQuery;
}
