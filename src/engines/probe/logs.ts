/**
 * Reads one log line into fields, whatever its shape: JSON lines, logfmt / key=value, Python
 * logging's default text (`LEVEL:logger:message`, or `asctime LEVEL message`) with extras written
 * as key=value or a dict repr, and access lines (uvicorn, gunicorn/Apache combined, werkzeug).
 */

export type LogFormat = 'json' | 'access' | 'python' | 'logfmt' | 'text';

export interface ParsedLine {
  format: LogFormat;
  /** Lower-cased keys; nested JSON objects are flattened with dots. */
  fields: Record<string, string>;
  message: string;
}

const UVICORN_ACCESS = /^(?:INFO|WARNING|ERROR):\s+(?<ip>\[?[0-9a-fA-F.:]+\]?):(?<port>\d+) - "(?<method>[A-Z]+) (?<path>\S+) HTTP\/[\d.]+" (?<status>\d{3})/;
const COMMON_ACCESS = /^(?<ip>\S+) \S+ \S+ \[[^\]]+\] "(?<method>[A-Z]+) (?<path>\S+) HTTP\/[\d.]+" (?<status>\d{3})/;
const PYTHON_DEFAULT = /^(?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):(?<logger>[^:\s]*):(?<message>.*)$/;
const PYTHON_TIMED = /^(?<asctime>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\s+(?:-\s+)?(?:(?<logger1>[\w.]+)\s+-\s+)?(?<level>DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\s+(?:-\s+)?(?<message>.*)$/;
const KEY_VALUE = /([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;]+)/g;
const DICT_PAIR = /['"]([A-Za-z_][\w.-]*)['"]\s*:\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,}\s]+)/g;

export function parseLogLine(text: string): ParsedLine {
  const line = text.trim();
  const json = parseJson(line);
  if (json) return json;

  const access = UVICORN_ACCESS.exec(line) ?? COMMON_ACCESS.exec(line);
  if (access?.groups) {
    const g = access.groups;
    const fields = { client_ip: g['ip']!.replace(/^\[|\]$/g, ''), method: g['method']!, path: g['path']!, status: g['status']! };
    return { format: 'access', fields, message: line };
  }

  const python = PYTHON_DEFAULT.exec(line) ?? PYTHON_TIMED.exec(line);
  if (python?.groups) {
    const g = python.groups;
    const message = (g['message'] ?? '').trim();
    const fields: Record<string, string> = { level: g['level']!.toLowerCase(), ...extrasOf(message) };
    const logger = g['logger'] ?? g['logger1'];
    if (logger) fields['logger'] = logger;
    return { format: 'python', fields, message };
  }

  const pairs = keyValues(line);
  if (Object.keys(pairs).length >= 2) return { format: 'logfmt', fields: pairs, message: pairs['msg'] ?? pairs['message'] ?? line };
  return { format: 'text', fields: extrasOf(line), message: line };
}

function parseJson(line: string): ParsedLine | undefined {
  const start = line.indexOf('{');
  if (start < 0 || !line.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(line.slice(start));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const fields = flatten(value as Record<string, unknown>);
    return { format: 'json', fields, message: fields['message'] ?? fields['msg'] ?? fields['event'] ?? '' };
  } catch {
    return undefined;
  }
}

function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, v] of Object.entries(value)) {
    const name = `${prefix}${key.toLowerCase()}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${name}.`, out);
    else if (v !== null && v !== undefined) out[name] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** key=value pairs and dict-repr pairs found anywhere in a message: the "extras" of text logs. */
function extrasOf(message: string): Record<string, string> {
  return { ...keyValues(message), ...dictPairs(message) };
}

function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(KEY_VALUE)) out[m[1]!.toLowerCase()] = unquote(m[2]!);
  return out;
}

function dictPairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(DICT_PAIR)) out[m[1]!.toLowerCase()] = unquote(m[2]!);
  return out;
}

function unquote(value: string): string {
  return /^(['"]).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

/** What an auth log line needs for detection and forensics. */
export const CONTEXT_FIELDS = ['client IP', 'path', 'method', 'outcome', 'correlation id'] as const;
export type ContextField = (typeof CONTEXT_FIELDS)[number];

const FIELD_NAMES: Record<ContextField, RegExp> = {
  'client IP': /^(client_?ip|ip|ip_?address|remote_?addr(ess)?|remote_?ip|client|client_?addr(ess)?|client_?host|src_?ip|source_?ip|peer|http\.client_ip|network\.client\.ip)$/,
  path: /^(path|url|uri|route|endpoint|request_?path|http\.(url|target|route|path)|url\.path)$/,
  method: /^(method|http_?method|verb|request_?method|http\.(request\.)?method)$/,
  outcome: /^(outcome|result|status|status_?code|http_?status|event|event\.outcome|action|success|reason|http\.(response\.)?status_?code)$/,
  'correlation id': /^(correlation_?id|request_?id|req_?id|trace_?id|traceid|x-request-id|span_?id|cid|rid|trace\.id|transaction_?id)$/,
};

// Letters only around the word, so auth_failure and login-failed count.
const OUTCOME_WORDS = /(?<![a-z])(fail(ed|ure|s)?|denied|invalid|unauthori[sz]ed|rejected|success(ful)?|succeeded|granted|40[13])(?![a-z])/i;
const EMPTY = /^(|-|none|null|unknown|undefined|n\/a)$/i;

/**
 * Which context a line carries. `known` holds values probe itself sent (its client IP, the path,
 * the method, the request id header it set), which count wherever they appear in the text.
 */
export function contextOf(text: string, known: { ip: string; path: string; method: string; requestId: string }): Set<ContextField> {
  const parsed = parseLogLine(text);
  const present = new Set<ContextField>();
  for (const field of CONTEXT_FIELDS) {
    const hit = Object.entries(parsed.fields).some(([k, v]) => FIELD_NAMES[field].test(k) && !EMPTY.test(v.trim()));
    if (hit) present.add(field);
  }
  if (text.includes(known.ip) || (known.ip === '127.0.0.1' && /\blocalhost\b/.test(text))) present.add('client IP');
  if (known.path !== '/' && text.includes(known.path)) present.add('path');
  if (new RegExp(`\\b${known.method}\\b`).test(text)) present.add('method');
  if (OUTCOME_WORDS.test(parsed.message) || OUTCOME_WORDS.test(text)) present.add('outcome');
  if (text.includes(known.requestId)) present.add('correlation id');
  return present;
}
