import type { Report } from '../../src/core/report.js';
import { FORMATS, render, type Format } from '../../src/reporters/index.js';

/** The report in every output format, for redaction checks. */
export function renderReportFormats(report: Report): [Format, string][] {
  return (Object.keys(FORMATS) as Format[]).map((format) => [format, render(report, format, { color: false })]);
}
