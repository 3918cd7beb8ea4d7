import { dotted, toExpr } from './expr.js';
import { analyseFunction, emptyFacts, paramsOf } from './facts.js';
import { moduleLoggers } from './logging.js';
import type { ClassSummary, FunctionFacts, ImportBinding, ModuleSummary } from './model.js';
import { lineOf, syntaxErrorLines, type Tree } from './parser.js';
import { copySubtree, LineIndex, type SyntaxNode as Node } from './syntax.js';
import type { Node as TsNode } from 'web-tree-sitter';

/** `pkg/sub/mod.py` -> `pkg.sub.mod`; `pkg/__init__.py` -> `pkg`. */
export function moduleNameOf(rel: string): { module: string; isPackage: boolean } {
  const parts = rel.replace(/\.py$/, '').split('/');
  const isPackage = parts.at(-1) === '__init__';
  if (isPackage) parts.pop();
  return { module: parts.join('.'), isPackage };
}

/**
 * Cheap test on the raw text, not a parse: only files that mention credentials get every function
 * body analysed up front. The rest are indexed at module level (imports, defs, decorators, calls)
 * and their functions analysed on demand when a route, dependency or auth function reaches them.
 */
const RELEVANT = /passw|pwd|secret|authoriz|["']basic|HTTPBasic|b64decode|compare_digest|credential|api_?key|(access|auth|bearer|api|session|refresh|id|reset|csrf|xsrf)_?token/i;

export function looksRelevant(text: string): boolean {
  return RELEVANT.test(text);
}

/**
 * How much of a module to analyse: `none` indexes the module level only, `relevant` also analyses
 * the functions whose own text looks relevant, `all` analyses every function body.
 */
export type Depth = 'none' | 'relevant' | 'all';

/**
 * Whether a file can matter before anything imports it: it mentions credentials, a web framework,
 * route/middleware/handler registration, debug settings, memoisation or tracebacks. Other files
 * are parsed only when a name resolves into them (a helper called by an auth function, say).
 */
const INDEXED = new RegExp(
  [
    RELEVANT.source,
    'fastapi|starlette|flask|quart|APIRouter|Blueprint',
    String.raw`(users|accounts|creds|logins)\w*\s*=\s*\{`,
    String.raw`@[\w.]+\.(get|post|put|delete|patch|options|head|route|api_route|websocket|middleware|before_request|before_app_request|exception_handler|errorhandler|verify_password)\b`,
    'add_api_route|add_url_rule|include_router|register_blueprint|add_middleware|add_exception_handler|register_error_handler',
    String.raw`debug\s*=|\[["']DEBUG["']\]|lru_cache|functools\.cache|@cache\b|traceback\.(format|print)`,
  ].join('|'),
  'i',
);

export function worthIndexing(text: string): boolean {
  return INDEXED.test(text);
}

/** Everything the project model needs from one parsed file. */
export function summarise(tree: Tree, text: string, rel: string, depth: Depth): ModuleSummary {
  const { module, isPackage } = moduleNameOf(rel);
  const summary: ModuleSummary = {
    rel, module, isPackage, lines: countLines(text), syntaxErrors: syntaxErrorLines(tree),
    imports: [], assignments: [], calls: [], settings: [], functions: [], classes: [], suppressions: {}, deep: depth === 'all', unanalysed: [],
  };
  
  const root = tree.rootNode;
  const lines = new LineIndex(text);
  const loggers = depth === 'none' ? new Set<string>() : moduleLoggers(root);
  // Walking a body reads many node properties: a plain-JS copy of it is much cheaper than wasm calls.
  // (The module level is walked on the native tree, so `def` is a web-tree-sitter node.)
  const analyse: Analyse = (def, facts) => {
    if (depth !== 'all' && !(depth === 'relevant' && RELEVANT.test(def.text))) return;
    try {
      analyseFunction(copySubtree(def as TsNode, text, lines), facts, loggers);
    } catch (error) {
      // Machine-generated code can nest deeper than the walker's stack; skip that body, keep the rest.
      if (!(error instanceof RangeError)) throw error;
      Object.assign(facts, emptyFacts(facts.name, facts.qname, facts.line, facts.endLine, facts.params, facts.decorators), { analysed: true });
      summary.unanalysed.push(facts.line);
    }
  };
  const pkg = isPackage ? module : module.split('.').slice(0, -1).join('.');
  const visit = (stmts: (Node | null)[]): void => {
    for (const stmt of stmts) {
      if (!stmt) continue;
      switch (stmt.type) {
        case 'import_statement':
        case 'import_from_statement':
        case 'future_import_statement':
          summary.imports.push(...importsOf(stmt, pkg));
          break;
        case 'expression_statement':
          moduleExpression(stmt, summary);
          break;
        case 'function_definition':
          summary.functions.push(functionOf(stmt, [], analyse));
          break;
        case 'class_definition':
          classOf(stmt, summary, analyse);
          break;
        case 'decorated_definition': {
          const def = stmt.childForFieldName('definition');
          const decorators = stmt.namedChildren.filter((c): c is Node => c?.type === 'decorator');
          if (def?.type === 'function_definition') summary.functions.push(functionOf(def, decorators, analyse));
          else if (def?.type === 'class_definition') classOf(def, summary, analyse);
          break;
        }
        case 'if_statement':
        case 'try_statement':
        case 'with_statement':
          // Module-level blocks: `if __name__ == "__main__":`, `try: import x except ImportError`.
          for (const block of clauseBlocks(stmt)) visit(block.namedChildren);
          break;
        default:
          break;
      }
    }
  };
  visit(root.namedChildren);
  if (text.includes('portcullis:')) summary.suppressions = suppressionsOf(root, text);
  return summary;
}

/** The blocks of a compound statement and of its clauses (elif, else, except, finally). */
function clauseBlocks(stmt: Node): Node[] {
  const out: Node[] = [];
  for (const child of stmt.namedChildren) {
    if (child?.type === 'block') out.push(child);
    else if (child) for (const inner of child.namedChildren) if (inner?.type === 'block') out.push(inner);
  }
  return out;
}

export function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function importsOf(stmt: Node, pkg: string): ImportBinding[] {
  const line = lineOf(stmt);
  const out: ImportBinding[] = [];
  if (stmt.type === 'import_statement') {
    for (const item of stmt.namedChildren) {
      if (item?.type === 'dotted_name') out.push({ local: item.text.split('.')[0]!, module: item.text.split('.')[0]!, line }, { local: item.text, module: item.text, line });
      else if (item?.type === 'aliased_import') {
        const name = item.childForFieldName('name')?.text ?? '';
        out.push({ local: item.childForFieldName('alias')?.text ?? name, module: name, line });
      }
    }
    return out;
  }
  if (stmt.type !== 'import_from_statement') return out;
  const moduleNode = stmt.childForFieldName('module_name');
  const base = resolveRelative(moduleNode?.text ?? '', pkg);
  for (const item of stmt.childrenForFieldName('name')) {
    if (!item) continue;
    if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text ?? '';
      out.push({ local: item.childForFieldName('alias')?.text ?? name, module: base, name, line });
    } else {
      out.push({ local: item.text, module: base, name: item.text, line });
    }
  }
  if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) out.push({ local: '*', module: base, name: '*', line });
  return out;
}

/** `.auth` inside package `app.api` -> `app.api.auth`; `..core` -> `app.core`. */
function resolveRelative(name: string, pkg: string): string {
  const dots = /^\.*/.exec(name)![0].length;
  if (dots === 0) return name;
  const parts = pkg ? pkg.split('.') : [];
  const up = parts.slice(0, Math.max(0, parts.length - (dots - 1)));
  const rest = name.slice(dots);
  return [...up, ...(rest ? [rest] : [])].join('.');
}

function moduleExpression(stmt: Node, summary: ModuleSummary): void {
  const expr = stmt.namedChildren[0];
  if (!expr) return;
  if (expr.type === 'call') {
    summary.calls.push(toExpr(expr));
    return;
  }
  if (expr.type !== 'assignment') return;
  const left = expr.childForFieldName('left');
  const right = expr.childForFieldName('right');
  if (!left || !right) return;
  const value = toExpr(right);
  if (left.type === 'identifier') summary.assignments.push({ name: left.text, value, line: lineOf(left) });
  else if (left.type === 'attribute' || left.type === 'subscript') summary.settings.push({ target: left.text, value, line: lineOf(left) });
  else if (left.type === 'pattern_list') for (const t of left.namedChildren) if (t?.type === 'identifier') summary.assignments.push({ name: t.text, value: { k: 'other', line: lineOf(t) }, line: lineOf(t) });
  if (right.type === 'call') summary.calls.push(value);
}

/** Analyses a function's body into its facts, or leaves them empty (decided per module and function). */
type Analyse = (def: Node, facts: FunctionFacts) => void;

function functionOf(def: Node, decorators: Node[], analyse: Analyse, className?: string): FunctionFacts {
  const name = def.childForFieldName('name')?.text ?? '<anonymous>';
  const facts = emptyFacts(
    name,
    className ? `${className}.${name}` : name,
    lineOf(def),
    def.endPosition.row + 1,
    paramsOf(def),
    decorators.map((d) => toExpr(d.namedChildren.find((c) => c?.type !== 'comment') ?? null)),
  );
  if (className) facts.className = className;
  analyse(def, facts);
  return facts;
}

function classOf(def: Node, summary: ModuleSummary, analyse: Analyse): void {
  const name = def.childForFieldName('name')?.text ?? '<anonymous>';
  const cls: ClassSummary = {
    name,
    line: lineOf(def),
    bases: (def.childForFieldName('superclasses')?.namedChildren ?? []).map((b) => dotted(b)).filter(Boolean),
    attributes: [],
  };
  for (const stmt of def.childForFieldName('body')?.namedChildren ?? []) {
    if (!stmt) continue;
    if (stmt.type === 'function_definition') summary.functions.push(functionOf(stmt, [], analyse, name));
    else if (stmt.type === 'decorated_definition') {
      const inner = stmt.childForFieldName('definition');
      const decorators = stmt.namedChildren.filter((c): c is Node => c?.type === 'decorator');
      if (inner?.type === 'function_definition') summary.functions.push(functionOf(inner, decorators, analyse, name));
    } else if (stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'assignment') {
      const assignment = stmt.namedChildren[0];
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type === 'identifier' && right) cls.attributes.push({ name: left.text, value: toExpr(right), line: lineOf(left) });
    }
  }
  summary.classes.push(cls);
}

const SUPPRESSION = /portcullis:\s*ignore\[([^\]]*)\]/;

/** `# portcullis: ignore[rule-id, other-id] reason` covers its own line, or the next one when alone on its line. */
function suppressionsOf(root: Node, text: string): Record<number, string[]> {
  const lines = text.split('\n');
  const out: Record<number, string[]> = {};
  for (const comment of root.descendantsOfType('comment')) {
    if (!comment) continue;
    const match = SUPPRESSION.exec(comment.text);
    if (!match) continue;
    const ids = match[1]!.split(',').map((s) => s.trim()).filter(Boolean);
    const line = lineOf(comment);
    const before = lines[line - 1]?.slice(0, comment.startPosition.column) ?? '';
    const target = before.trim() === '' ? line + 1 : line;
    out[target] = [...(out[target] ?? []), ...ids];
  }
  return out;
}
