/**
 * Orders strings by code point: the same on every machine, whatever its locale, so reports, SARIF and rule
 * listings sort alike everywhere. (`localeCompare` follows the locale, and its first call costs about 12 ms
 * loading ICU's collator, paid by every run that sorts a finding.)
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
