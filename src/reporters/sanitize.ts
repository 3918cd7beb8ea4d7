/**
 * Evidence comes from attackers: response bodies, headers and log lines we did not write.
 * Every reporter passes untrusted strings through these before they reach a terminal, a browser,
 * an XML parser or a PR comment.
 */

export const EVIDENCE_LIMIT = 2000;

/** Caps a string, saying how much was cut (reports stay small whatever a target answers). */
export function truncate(text: string, limit = EVIDENCE_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}... [${text.length - limit} more characters]`;
}

/**
 * Makes control characters visible: ESC and friends can rewrite a terminal (hide lines, set the
 * title, fake output), so they become `\x1b`-style text. Newlines and tabs are kept.
 */
export function neutralizeControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** XML 1.0 cannot hold most control characters even escaped, so they become visible text first. */
export function escapeXml(text: string): string {
  return escapeHtml(neutralizeControls(text));
}

/** Safe inside a Markdown table cell or paragraph on GitHub: no HTML, no pipes, no mentions. */
export function escapeMarkdown(text: string): string {
  return neutralizeControls(text)
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/** Untrusted text for any format: capped, then controls made visible. */
export function clean(text: string, limit = EVIDENCE_LIMIT): string {
  return neutralizeControls(truncate(text, limit));
}
