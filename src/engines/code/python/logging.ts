import { dotted, lastSegment, stringText } from './expr.js';
import type { LogCall } from './model.js';
import type { SyntaxNode as Node } from './syntax.js';

const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'msg', 'success', 'trace']);
const LOGGER_NAME = /^_*(log|logger|logging|audit|audit_log|auth_log|security_log|structlog|loguru)$|_(log|logger)$|^(log|logger)_/i;
/** Keyword arguments of logging calls that are options, not context. */
const OPTION_KWARGS = new Set(['exc_info', 'stack_info', 'stacklevel', 'extra']);

/** The fields monitoring needs on every auth event (issue: username, client IP, path, method, outcome, request id). */
export const CONTEXT_FIELDS = ['username', 'client IP', 'path', 'method', 'outcome', 'request id'] as const;
export type ContextField = (typeof CONTEXT_FIELDS)[number];

const FIELD_TOKENS: Record<Exclude<ContextField, 'request id'>, RegExp> = {
  username: /^(user|username|user_?name|login|account|principal|subject|email|uid|who)s?$|^user/,
  'client IP': /^(ip|client|remote|addr|address|host|peer|forwarded|ipaddr|ip_address)$/,
  path: /^(path|url|endpoint|route|uri)$/,
  method: /^(method|verb)$/,
  outcome: /^(outcome|result|status|success|succeeded|successful|failure|failed|fail|denied|invalid|rejected|reject|granted|accepted|event|ok|authenticated|unauthorized|blocked|locked)$/,
};
const REQUEST_ID = /request_?id|req_?id|correlation|trace_?id|x-request-id|requestid|span_?id/;

const LOGGER_FACTORIES = new Set(['getLogger', 'get_logger', 'getChild', 'bind', 'new', 'wrap_logger', 'get_task_logger', 'PrintLogger']);

/** Module-level names bound to loggers: `log = logging.getLogger()`, `slog = structlog.get_logger()`, `from loguru import logger as lg`. */
export function moduleLoggers(root: Node): Set<string> {
  const names = new Set<string>();
  for (const stmt of root.namedChildren) {
    if (stmt?.type === 'import_from_statement' && /^(loguru|structlog)\b/.test(stmt.childForFieldName('module_name')?.text ?? '')) {
      for (const item of stmt.childrenForFieldName('name')) {
        const alias = item?.type === 'aliased_import' ? item.childForFieldName('alias') : item;
        if (alias) names.add(alias.text);
      }
    }
    const assignment = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && right?.type === 'call' && LOGGER_FACTORIES.has(lastSegment(dotted(right.childForFieldName('function'))))) names.add(left.text);
  }
  return names;
}

/** What kind of log call a call node is, if any. */
export function logKind(call: Node, loggers: ReadonlySet<string> = new Set()): LogCall['kind'] | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text === 'print' ? 'print' : undefined;
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  if (!LOG_METHODS.has(method)) return undefined;
  const receiver = fn.childForFieldName('object');
  if (!receiver) return undefined;
  // logger.bind(user=...).info(...) (loguru, structlog)
  if (receiver.type === 'call') {
    const inner = dotted(receiver.childForFieldName('function'));
    return lastSegment(inner) === 'bind' ? 'structlog' : undefined;
  }
  const name = dotted(receiver);
  if (!name) return undefined;
  const last = lastSegment(name);
  if (name === 'logging') return 'logging';
  if (!LOGGER_NAME.test(last) && !loggers.has(name)) return undefined;
  if (/structlog/i.test(name)) return 'structlog';
  if (/loguru/i.test(name)) return 'loguru';
  // A first-argument event name plus keyword context is the structlog style.
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const kw = args.filter((a) => a?.type === 'keyword_argument' && !OPTION_KWARGS.has(a.childForFieldName('name')?.text ?? ''));
  return kw.length > 0 ? 'structlog' : 'logging';
}

/** Words a log call carries: message text, keyword names, extra keys, interpolated names. */
export function logFields(call: Node, boundWords: string[] = []): { fields: ContextField[]; dynamic: boolean } {
  const words: string[] = [...boundWords];
  let dynamic = false;
  const collect = (node: Node | null): void => {
    if (!node) return;
    switch (node.type) {
      case 'string':
        words.push(stringText(node));
        for (const part of node.namedChildren) if (part?.type === 'interpolation') collect(part);
        return;
      case 'identifier':
      case 'attribute':
        words.push(dotted(node) || node.text);
        return;
      case 'dictionary_splat':
      case 'list_splat':
        dynamic = true;
        return;
      case 'keyword_argument': {
        const name = node.childForFieldName('name')?.text ?? '';
        const value = node.childForFieldName('value');
        if (name === 'extra') {
          if (value?.type === 'dictionary') collect(value);
          else dynamic = true;
          return;
        }
        if (!OPTION_KWARGS.has(name)) words.push(name);
        collect(value);
        return;
      }
      case 'pair':
        collect(node.childForFieldName('key'));
        collect(node.childForFieldName('value'));
        return;
      default:
        for (const child of node.namedChildren) collect(child);
    }
  };
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) collect(arg);
  return { fields: fieldsOf(words), dynamic };
}

function fieldsOf(words: string[]): ContextField[] {
  const text = words.join(' ').toLowerCase();
  const tokens = text.split(/[^a-z0-9]+/).filter(Boolean);
  const found: ContextField[] = [];
  for (const [field, pattern] of Object.entries(FIELD_TOKENS) as [ContextField, RegExp][]) {
    if (tokens.some((t) => pattern.test(t))) found.push(field);
  }
  if (REQUEST_ID.test(text)) found.push('request id');
  return found;
}
