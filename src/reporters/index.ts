import type { Report } from '../core/report.js';
import { renderGcc } from './gcc.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export interface RenderOptions {
  /** Colours in the text format; the CLI sets it from the TTY and NO_COLOR. */
  color: boolean;
}

export const FORMATS = {
  text: (report: Report, options: RenderOptions) => renderText(report, { color: options.color }),
  json: (report: Report) => renderJson(report),
  sarif: (report: Report) => renderSarif(report),
  markdown: (report: Report) => renderMarkdown(report),
  html: (report: Report) => renderHtml(report),
  junit: (report: Report) => renderJunit(report),
  github: (report: Report) => renderGithub(report),
  gcc: (report: Report) => renderGcc(report),
} as const satisfies Record<string, (report: Report, options: RenderOptions) => string>;

export type Format = keyof typeof FORMATS;

export function isFormat(value: string): value is Format {
  return Object.hasOwn(FORMATS, value);
}

export function render(report: Report, format: Format, options: RenderOptions): string {
  return FORMATS[format](report, options);
}
