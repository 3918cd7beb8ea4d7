import { dotted, lastSegment, stringValue, toExpr } from './expr.js';
import { logFields, logKind } from './logging.js';
import { SECRET_KINDS, type CallSite, type Exit, type FunctionFacts, type Param, type Store, type Taint } from './model.js';
import { lineOf } from './parser.js';
import type { SyntaxNode as Node } from './syntax.js';

/** Names that hold a password or a secret wherever they appear. */
const SECRET_NAME = /^_*(.*_)?(password|passwd|passwort|pwd|pass|secret|passphrase)$/i;
/** Password hashes by name; a bare `hash` or `digest` is usually a file or content checksum. */
const HASH_NAME = /^_*(.*_)?(password_hash|hashed_password|pw_hash|pwhash|passwd_hash|pwd_hash|password_digest)$/i;
/**
 * Tokens by name only when the name says which kind: a bare `token` (or `next_token`, `Token`) is
 * as often a lexer or parser token. A bare name is still a token when it flows from the header.
 */
const TOKEN_NAME = /^_*(.*_)?((access|auth|bearer|api|session|refresh|id|secret|reset|csrf|xsrf)_?token|api_?key)$/i;
const STRING_METHODS = new Set([
  'decode', 'encode', 'split', 'rsplit', 'partition', 'rpartition', 'strip', 'lstrip', 'rstrip', 'lower', 'upper',
  'casefold', 'removeprefix', 'removesuffix', 'replace', 'format', 'title', 'splitlines',
]);
const DECODERS = new Set(['b64decode', 'urlsafe_b64decode', 'standard_b64decode', 'decodebytes', 'a2b_base64']);
const HASHERS = /^(sha\d+|sha3_\d+|md5|blake2[bs]|pbkdf2_hmac|scrypt|hashpw|hash|hash_password|get_password_hash|hexdigest|digest|new|make_password|generate_password_hash)$/;
const GROW_METHODS: Record<string, Store['op']> = { append: 'append', appendleft: 'append', add: 'add', update: 'update', setdefault: 'setdefault', insert: 'insert', extend: 'append' };
const SHRINK_METHODS = new Set(['pop', 'popitem', 'clear', 'remove', 'discard', 'popleft', 'expire', 'evict']);
const AUTH_STATUS: Record<string, number> = {
  HTTP_401_UNAUTHORIZED: 401, HTTP_403_FORBIDDEN: 403, HTTP_429_TOO_MANY_REQUESTS: 429,
  UNAUTHORIZED: 401, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429,
};
const STATUS_EXCEPTIONS: Record<string, number> = { Unauthorized: 401, Forbidden: 403, TooManyRequests: 429, NotAuthenticated: 401, AuthenticationFailed: 401, AuthenticationError: 401, PermissionDenied: 403 };
/** Exceptions that cover each kind of decode failure (by last name segment). */
const COVERS: Record<string, string[]> = {
  b64decode: ['Error', 'ValueError', 'Exception', 'BaseException'],
  decode: ['UnicodeDecodeError', 'UnicodeError', 'ValueError', 'Exception', 'BaseException'],
  unpack: ['ValueError', 'Exception', 'BaseException'],
  index: ['IndexError', 'LookupError', 'Exception', 'BaseException'],
};
const TRACEBACK_FORMATTERS = new Set(['format_exc', 'format_exception', 'format_tb', 'format_stack', 'print_exc']);

interface PathState {
  logged: boolean;
  calls: string[];
  /** Exception names caught by the enclosing try statements. */
  catches: string[];
}

const branch = (s: PathState): PathState => ({ logged: s.logged, calls: [...s.calls], catches: s.catches });

export function emptyFacts(name: string, qname: string, line: number, endLine: number, params: Param[], decorators: FunctionFacts['decorators']): FunctionFacts {
  return {
    name, qname, line, endLine, params, decorators, analysed: false,
    calls: [], logs: [], exits: [], sinks: [], paramSinks: [], stores: [], evictions: [], compares: [], hardcoded: [],
    decodeRisks: [], digestOnStr: [], tracebackReturns: [], basicSignals: [], rateSignals: [], readsAuthorization: false, schemes: [],
  };
}

export function paramsOf(fn: Node): Param[] {
  const out: Param[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const name = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null);
    if (!name) continue;
    const param: Param = { name: name.text };
    const type = p.childForFieldName('type');
    if (type) param.annotation = type.text;
    const value = p.childForFieldName('value');
    if (value) param.default = toExpr(value);
    // `user: Annotated[User, Depends(get_user)]` declares the dependency in the annotation.
    const marker = type?.descendantsOfType('call').find((c) => /^(Depends|Security)$/.test(lastSegment(dotted(c?.childForFieldName('function') ?? null))));
    if (marker && !value) param.default = toExpr(marker);
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') param.star = true;
    out.push(param);
  }
  return out;
}

/**
 * Analyses one function body in statement order: taint of local values (credentials, header,
 * decoded token, password), log calls and the paths they cover, exits, stores into outer
 * containers, comparisons and decode operations. Nested functions are analysed as part of it
 * (decorator wrappers do their work there).
 */
export function analyseFunction(fn: Node, facts: FunctionFacts, loggers: ReadonlySet<string>): void {
  new FunctionWalker(facts, loggers).run(fn);
}

class FunctionWalker {
  private readonly env = new Map<string, Taint[]>();
  private readonly localNames = new Set<string>();
  private readonly globalNames = new Set<string>();
  private readonly bytesNames = new Set<string>();
  /** Variables checked with `.startswith(prefix)`, and the prefixes. */
  private readonly prefixes = new Map<string, string[]>();
  private readonly boundLogFields = new Map<string, string[]>();
  /** Functions defined inside this one: returning one of them is building a decorator, not an exit. */
  private readonly nestedDefs = new Set<string>();

  constructor(
    private readonly facts: FunctionFacts,
    private readonly loggers: ReadonlySet<string>,
  ) {}

  run(fn: Node): void {
    this.facts.analysed = true;
    for (const p of this.facts.params) this.bindParam(p);
    const body = fn.childForFieldName('body');
    const state: PathState = { logged: false, calls: [], catches: [] };
    if (body) this.block(body, state);
    if (!body || !terminates(body)) this.exit({ line: this.facts.endLine, how: 'end' }, state);
    for (const store of this.facts.stores) {
      const base = store.container.split('.')[0] ?? '';
      store.local = !store.container.includes('.') && this.localNames.has(base) && !this.globalNames.has(base);
    }
    // Parsing that does not start from a request's Authorization header is client code or a
    // library helper (building headers, parsing a value it was given), not a credential check.
    if (!this.facts.readsAuthorization) {
      this.facts.basicSignals = this.facts.basicSignals.filter((s) => s === 'HTTPBasicCredentials parameter');
      this.facts.decodeRisks = [];
    } else if (this.facts.schemes.includes('basic')) {
      this.facts.basicSignals.push('checks the "Basic" scheme of the Authorization header');
    }
    this.facts.basicSignals = [...new Set(this.facts.basicSignals)];
    this.facts.rateSignals = [...new Set(this.facts.rateSignals)];
    this.facts.schemes = [...new Set(this.facts.schemes)];
    this.facts.evictions = [...new Set(this.facts.evictions)];
  }

  private bindParam(p: Param): void {
    this.localNames.add(p.name);
    if (p.annotation === 'bytes') this.bytesNames.add(p.name);
    const annotation = lastSegment(p.annotation ?? '');
    const def = p.default;
    if (annotation === 'HTTPBasicCredentials') {
      this.facts.basicSignals.push('HTTPBasicCredentials parameter');
      this.env.set(p.name, [{ kind: 'credentials', via: p.name }]);
      return;
    }
    if (def?.k === 'call' && lastSegment(def.f) === 'Header' && /auth/i.test(p.name)) {
      this.facts.readsAuthorization = true;
      this.env.set(p.name, [{ kind: 'header', via: `${p.name} header` }]);
      return;
    }
    const named = nameTaint(p.name);
    this.env.set(p.name, named.length > 0 ? named : [{ kind: 'param', via: p.name }]);
  }

  // ---- statements -------------------------------------------------------------------------

  private block(node: Node, state: PathState): void {
    for (const stmt of node.namedChildren) if (stmt) this.statement(stmt, state);
  }

  private statement(stmt: Node, state: PathState): void {
    switch (stmt.type) {
      case 'expression_statement':
        for (const expr of stmt.namedChildren) if (expr) this.expressionStatement(expr, state);
        return;
      case 'return_statement':
        this.returnStatement(stmt, state);
        return;
      case 'raise_statement':
        this.raiseStatement(stmt, state);
        return;
      case 'if_statement': {
        this.scan(stmt.childForFieldName('condition'), state);
        this.block(stmt.childForFieldName('consequence')!, branch(state));
        for (const alt of stmt.childrenForFieldName('alternative')) {
          if (!alt) continue;
          const s = branch(state);
          this.scan(alt.childForFieldName('condition'), s);
          const body = alt.childForFieldName('consequence') ?? alt.childForFieldName('body');
          if (body) this.block(body, s);
        }
        return;
      }
      case 'for_statement':
      case 'while_statement': {
        this.scan(stmt.childForFieldName('right') ?? stmt.childForFieldName('condition'), state);
        const left = stmt.childForFieldName('left');
        if (left) this.bindTarget(left, this.taintOf(stmt.childForFieldName('right')), null);
        const body = stmt.childForFieldName('body');
        if (body) this.block(body, branch(state));
        const alt = stmt.childForFieldName('alternative');
        if (alt) this.block(alt.childForFieldName('body') ?? alt, branch(state));
        return;
      }
      case 'try_statement':
        this.tryStatement(stmt, state);
        return;
      case 'with_statement': {
        for (const item of stmt.descendantsOfType('with_item')) this.scan(item?.childForFieldName('value') ?? null, state);
        const body = stmt.childForFieldName('body');
        if (body) this.block(body, state);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        for (const name of stmt.namedChildren) if (name?.type === 'identifier') this.globalNames.add(name.text);
        return;
      case 'delete_statement':
        for (const target of stmt.namedChildren) this.deletion(target);
        return;
      case 'function_definition':
        this.nestedFunction(stmt, state);
        return;
      case 'decorated_definition': {
        const def = stmt.childForFieldName('definition');
        for (const d of stmt.namedChildren) if (d?.type === 'decorator') this.scan(d, state);
        if (def?.type === 'function_definition') this.nestedFunction(def, state);
        return;
      }
      case 'match_statement':
        for (const child of stmt.namedChildren) if (child?.type === 'block') this.block(child, branch(state));
        return;
      default:
        for (const child of stmt.namedChildren) {
          if (child?.type === 'block') this.block(child, branch(state));
        }
    }
  }

  private nestedFunction(def: Node, state: PathState): void {
    const name = def.childForFieldName('name')?.text;
    if (name) this.nestedDefs.add(name);
    for (const p of paramsOf(def)) this.bindParam(p);
    const body = def.childForFieldName('body');
    if (body) this.block(body, { logged: false, calls: [], catches: state.catches });
  }

  private tryStatement(stmt: Node, state: PathState): void {
    const caught: string[] = [];
    const handlers: Node[] = [];
    for (const clause of stmt.namedChildren) {
      if (clause?.type !== 'except_clause' && clause?.type !== 'except_group_clause') continue;
      handlers.push(clause);
      const typeNode = clause.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
      if (!typeNode) caught.push('BaseException');
      else {
        const types = typeNode.type === 'as_pattern' ? typeNode.namedChildren[0] : typeNode;
        for (const t of types?.type === 'tuple' ? types.namedChildren : [types]) if (t) caught.push(lastSegment(dotted(t) || t.text));
      }
    }
    const body = stmt.childForFieldName('body');
    if (body) this.block(body, { ...state, catches: [...state.catches, ...caught] });
    for (const handler of handlers) {
      const block = handler.namedChildren.find((c) => c?.type === 'block');
      if (block) this.block(block, branch(state));
    }
    for (const clause of stmt.namedChildren) {
      if (clause?.type === 'else_clause' || clause?.type === 'finally_clause') {
        const block = clause.namedChildren.find((c) => c?.type === 'block');
        if (block) this.block(block, clause.type === 'finally_clause' ? state : branch(state));
      }
    }
  }

  private expressionStatement(expr: Node, state: PathState): void {
    if (expr.type === 'assignment') {
      const right = expr.childForFieldName('right');
      this.scan(right, state);
      const left = expr.childForFieldName('left');
      const type = expr.childForFieldName('type');
      if (left && right) this.assign(left, right, state);
      else if (left && type) this.bindTarget(left, [], null);
      return;
    }
    if (expr.type === 'augmented_assignment') {
      const left = expr.childForFieldName('left');
      const right = expr.childForFieldName('right');
      this.scan(right, state);
      if (left?.type === 'subscript') this.subscriptStore(left, this.taintOf(right), 'augmented');
      return;
    }
    this.scan(expr, state);
  }

  private assign(left: Node, right: Node, state: PathState): void {
    const value = this.taintOf(right);
    this.trackBytes(left, right);
    this.trackBoundLogger(left, right);
    if (left.type === 'subscript') {
      this.scan(left.childForFieldName('subscript'), state);
      this.subscriptStore(left, value, 'subscript');
      return;
    }
    if (left.type === 'attribute') return;
    // `user, pwd = decoded.split(":", 1)`: unpacking credentials into their parts.
    if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && right.type === 'call') {
      this.unpackSplit(left, right, state, value);
      return;
    }
    if (left.type === 'identifier' && (right.type === 'dictionary' || right.type === 'list' || right.type === 'set')) {
      this.localNames.add(left.text);
    }
    this.bindTarget(left, value, right);
  }

  private unpackSplit(left: Node, right: Node, state: PathState, value: Taint[]): void {
    const fn = right.childForFieldName('function');
    const method = fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : '';
    const targets = left.namedChildren.filter((c): c is Node => c !== null);
    const splitting = ['split', 'rsplit', 'partition', 'rpartition'].includes(method);
    const source = value.find((t) => t.kind === 'header' || t.kind === 'token');
    if (splitting && source && (method === 'split' || method === 'rsplit') && !this.covered('unpack', state)) {
      this.facts.decodeRisks.push({ line: lineOf(left), what: `unpacking \`${right.text}\` raises ValueError when the separator is missing` });
    }
    if (splitting && source) {
      if (source.kind === 'token' && targets.length >= 2) this.facts.basicSignals.push('user:password split');
      targets.forEach((t, i) => {
        const first = i === 0;
        const last = i === targets.length - 1;
        let taint: Taint[] = [];
        if (source.kind === 'header') taint = last ? [{ kind: 'token', via: t.text }] : [];
        else if (first) taint = [{ kind: 'username', via: t.text }];
        else if (last) taint = [{ kind: 'password', via: t.text }];
        this.bindTarget(t, taint, null);
      });
      return;
    }
    for (const t of targets) this.bindTarget(t, value, null);
  }

  private bindTarget(target: Node, value: Taint[], right: Node | null): void {
    if (target.type === 'identifier') {
      this.localNames.add(target.text);
      const named = nameTaint(target.text);
      this.env.set(target.text, value.length > 0 ? value : right ? named : []);
      return;
    }
    for (const child of target.namedChildren) if (child) this.bindTarget(child, value, null);
  }

  private trackBytes(left: Node, right: Node): void {
    if (left.type !== 'identifier') return;
    if (isBytesExpr(right, this.bytesNames)) this.bytesNames.add(left.text);
    else this.bytesNames.delete(left.text);
  }

  /** `log = logger.bind(user=u, ip=ip)`: later calls on `log` carry those fields. */
  private trackBoundLogger(left: Node, right: Node): void {
    if (left.type !== 'identifier' || right.type !== 'call') return;
    const fn = dotted(right.childForFieldName('function'));
    if (lastSegment(fn) !== 'bind' && lastSegment(fn) !== 'new') return;
    const words = (right.childForFieldName('arguments')?.namedChildren ?? [])
      .filter((a) => a?.type === 'keyword_argument')
      .map((a) => a!.childForFieldName('name')?.text ?? '');
    this.boundLogFields.set(left.text, words);
  }

  private subscriptStore(left: Node, value: Taint[], op: Store['op']): void {
    const base = subscriptBase(left);
    const container = dotted(base);
    if (!container) return;
    const key = this.taintOf(left.childForFieldName('subscript'));
    this.facts.stores.push({ line: lineOf(left), container, op, value: credentialTaint(value), key: credentialTaint(key), local: false });
  }

  private deletion(target: Node | null): void {
    if (!target) return;
    if (target.type === 'expression_list') {
      for (const t of target.namedChildren) this.deletion(t);
      return;
    }
    if (target.type === 'subscript') {
      const container = dotted(subscriptBase(target));
      if (container) this.facts.evictions.push(container);
    }
  }

  private returnStatement(stmt: Node, state: PathState): void {
    const value = stmt.namedChildren[0] ?? null;
    this.scan(value, state);
    if (value && (containsTracebackCall(value) || this.taintOf(value).some((t) => t.kind === 'traceback'))) {
      this.facts.tracebackReturns.push(lineOf(stmt));
    }
    if (value?.type === 'identifier' && this.nestedDefs.has(value.text)) return;
    const status = value ? responseStatus(value) : undefined;
    const exit: Omit<Exit, 'logged' | 'callsBefore'> = { line: lineOf(stmt), how: 'return', value: returnValue(value) };
    if (status !== undefined) exit.status = status;
    this.exit(exit, state);
  }

  private raiseStatement(stmt: Node, state: PathState): void {
    const exc = stmt.namedChildren[0] ?? null;
    this.scan(exc, state);
    if (exc?.type === 'call') {
      const args = exc.childForFieldName('arguments')?.namedChildren ?? [];
      for (const arg of args) {
        if (!arg) continue;
        const isDetail = arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'detail';
        const node = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
        if (arg.type === 'keyword_argument' && ['status_code', 'headers'].includes(arg.childForFieldName('name')?.text ?? '')) continue;
        for (const t of this.taintOf(node)) this.sink(lineOf(arg), isDetail ? 'detail' : 'exception', t);
      }
    }
    const status = exc ? exceptionStatus(exc) : undefined;
    const exit: Omit<Exit, 'logged' | 'callsBefore'> = { line: lineOf(stmt), how: 'raise' };
    if (status !== undefined) exit.status = status;
    this.exit(exit, state);
  }

  private exit(exit: Omit<Exit, 'logged' | 'callsBefore'>, state: PathState): void {
    if (exit.status === 429) this.facts.rateSignals.push('429 response');
    this.facts.exits.push({ ...exit, logged: state.logged, callsBefore: [...new Set(state.calls)] });
  }

  // ---- expressions ------------------------------------------------------------------------

  /** Visits every sub-expression once, recording calls, comparisons and decode operations. */
  private scan(node: Node | null, state: PathState): void {
    if (!node) return;
    switch (node.type) {
      case 'call':
        for (const child of node.namedChildren) this.scan(child, state);
        this.call(node, state);
        return;
      case 'comparison_operator':
        for (const child of node.namedChildren) this.scan(child, state);
        this.comparison(node);
        return;
      case 'subscript':
        for (const child of node.namedChildren) this.scan(child, state);
        this.subscriptRead(node, state);
        return;
      case 'attribute':
        this.attributeRead(node);
        for (const child of node.namedChildren) this.scan(child, state);
        return;
      case 'string':
        this.literal(node);
        for (const child of node.namedChildren) if (child?.type === 'interpolation') this.scan(child, state);
        return;
      case 'lambda':
      case 'function_definition':
      case 'class_definition':
        return;
      default:
        for (const child of node.namedChildren) this.scan(child, state);
    }
  }

  private literal(node: Node): void {
    const value = stringValue(node)?.trim().toLowerCase();
    if (value === 'basic' || value === 'digest' || value === 'bearer') this.facts.schemes.push(value);
  }

  private attributeRead(node: Node): void {
    const name = dotted(node);
    if (/(^|\.)request\.authorization$/.test(name)) {
      this.facts.readsAuthorization = true;
      this.facts.basicSignals.push('request.authorization');
    }
  }

  private subscriptRead(node: Node, state: PathState): void {
    const value = node.childForFieldName('value');
    const index = node.childForFieldName('subscript');
    if (isAuthorizationKey(index) && /(headers|environ|META|scope)$/.test(dotted(value))) this.facts.readsAuthorization = true;
    if (value?.type !== 'call' || index?.type !== 'integer' || Number(index.text) < 1) return;
    const fn = value.childForFieldName('function');
    if (fn?.type !== 'attribute' || !['split', 'rsplit'].includes(fn.childForFieldName('attribute')?.text ?? '')) return;
    const receiver = fn.childForFieldName('object');
    if (!this.taintOf(receiver).some((t) => t.kind === 'header' || t.kind === 'token')) return;
    // `auth.split(" ")[1]` after `auth.startswith("Basic ")` cannot fail: the prefix holds the separator.
    const sep = stringValue(value.childForFieldName('arguments')?.namedChildren[0] ?? null) ?? ' ';
    const checked = this.prefixes.get(dotted(receiver)) ?? [];
    if (Number(index.text) === 1 && checked.some((p) => p.includes(sep))) return;
    if (!this.covered('index', state)) this.facts.decodeRisks.push({ line: lineOf(node), what: `\`${node.text}\` raises IndexError on a header without "${sep}"` });
  }

  private call(node: Node, state: PathState): void {
    const fnNode = node.childForFieldName('function');
    const callee = dotted(fnNode);
    const last = lastSegment(callee);
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment') ?? [];
    const receiver = fnNode?.type === 'attribute' ? fnNode.childForFieldName('object') : null;
    const method = fnNode?.type === 'attribute' ? (fnNode.childForFieldName('attribute')?.text ?? '') : '';

    const kind = logKind(node, this.loggers);
    if (kind) {
      const bound = receiver ? (this.boundLogFields.get(receiver.text) ?? []) : [];
      const { fields, dynamic } = logFields(node, bound);
      this.facts.logs.push({ line: lineOf(node), kind, fields, dynamic });
      for (const arg of args) {
        const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
        for (const t of this.taintOf(value)) this.sink(lineOf(node), kind === 'print' ? 'print' : 'log', t);
      }
      state.logged = true;
      return;
    }

    if (method === 'get' && isAuthorizationKey(args[0] ?? null) && /(headers|environ|META)$/.test(dotted(receiver))) this.facts.readsAuthorization = true;
    if (method === 'startswith' && receiver) {
      const prefix = stringValue(args[0] ?? null);
      if (prefix !== undefined) this.prefixes.set(dotted(receiver), [...(this.prefixes.get(dotted(receiver)) ?? []), prefix]);
    }
    if (DECODERS.has(last)) {
      const taint = this.taintOf(args[0] ?? null);
      if (taint.some((t) => t.kind === 'header' || t.kind === 'token')) {
        this.facts.basicSignals.push('base64-decodes the Authorization header');
        if (!this.covered('b64decode', state)) this.facts.decodeRisks.push({ line: lineOf(node), what: `\`${last}\` raises binascii.Error on malformed base64` });
      }
    }
    if (method === 'decode' && receiver && this.taintOf(receiver).some((t) => t.kind === 'header' || t.kind === 'token')) {
      if (!this.covered('decode', state)) this.facts.decodeRisks.push({ line: lineOf(node), what: '`.decode()` raises UnicodeDecodeError on non-UTF-8 bytes' });
    }
    if (last === 'compare_digest') this.compareDigest(node, args);
    if (last === 'abort' || last === 'abort_with') {
      const status = statusOf(args[0] ?? null);
      if (status !== undefined) this.exit({ line: lineOf(node), how: 'abort', status }, state);
    }
    if (receiver && method in GROW_METHODS) {
      const base = receiver.type === 'subscript' ? subscriptBase(receiver) : receiver;
      const container = dotted(base);
      if (container) {
        const key = receiver.type === 'subscript' ? this.taintOf(receiver.childForFieldName('subscript')) : [];
        const value = args.flatMap((a) => this.taintOf(a.type === 'keyword_argument' ? a.childForFieldName('value') : a));
        this.facts.stores.push({ line: lineOf(node), container, op: GROW_METHODS[method]!, value: credentialTaint(value), key: credentialTaint(key), local: false });
      }
    }
    if (receiver && SHRINK_METHODS.has(method) && receiver.type !== 'subscript') {
      const container = dotted(receiver);
      if (container) this.facts.evictions.push(container);
    }
    if (callee === 'len' && args[0]) {
      const container = dotted(args[0]);
      if (container) this.facts.evictions.push(container);
    }
    if (/limit|throttl/i.test(last)) this.facts.rateSignals.push(`calls ${callee}`);

    if (callee && !STRING_METHODS.has(method)) {
      const site: CallSite = { callee, line: lineOf(node), args: [] as (Taint | null)[], kwargs: {} as Record<string, Taint | null> };
      for (const arg of args) {
        if (arg.type === 'keyword_argument') site.kwargs[arg.childForFieldName('name')?.text ?? ''] = secretOrParam(this.taintOf(arg.childForFieldName('value')));
        else site.args.push(secretOrParam(this.taintOf(arg)));
      }
      if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) site.splat = true;
      this.facts.calls.push(site);
      if (state.calls.length < 50) state.calls.push(callee);
    }
  }

  private compareDigest(node: Node, args: Node[]): void {
    const values = args.filter((a) => a.type !== 'keyword_argument').slice(0, 2);
    // One side known to be bytes or ASCII-only: the code is comparing the right types.
    if (values.length < 2 || values.some((a) => isBytesExpr(a, this.bytesNames) || isAsciiExpr(a))) return;
    const derived = values.some((a) => this.taintOf(a).some((t) => t.kind !== 'param' && t.kind !== 'traceback'));
    if (derived) this.facts.digestOnStr.push({ line: lineOf(node), what: `\`${node.text.slice(0, 80)}\` compares str values` });
  }

  private comparison(node: Node): void {
    const operands = node.namedChildren.filter((c): c is Node => c !== null);
    const operators = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
    for (let i = 0; i < operators.length; i++) {
      const op = operators[i] === 'not' || operators[i] === 'is' ? operators.slice(i, i + 2).join(' ') : operators[i]!;
      if (!['==', '!=', 'in', 'not in'].includes(op)) continue;
      const left = operands[i];
      const right = operands[i + 1];
      if (!left || !right) continue;
      for (const [a, b] of [[left, right], [right, left]] as const) {
        const taint = this.taintOf(a).find((t) => t.kind === 'password' || t.kind === 'hash' || t.kind === 'header' || t.kind === 'token');
        if (!taint || isTrivialOperand(b)) continue;
        const literal = stringValue(b);
        // `"OAuth " in header`, `"state" in token`: looking for a literal inside the value, not comparing it.
        if (op.endsWith('in') && a === right && literal !== undefined) continue;
        if (literal !== undefined && /^(basic|bearer|digest|token)?\s*$/i.test(literal)) continue;
        const compare = { line: lineOf(node), op, taint, ...(literal !== undefined ? { literal } : {}) };
        this.facts.compares.push(compare);
        if (literal !== undefined) this.facts.hardcoded.push({ line: lineOf(node), what: `${taint.via} compared with a literal` });
        break;
      }
    }
  }

  private covered(kind: keyof typeof COVERS, state: PathState): boolean {
    return state.catches.some((c) => COVERS[kind]!.includes(c));
  }

  private sink(line: number, sink: 'log' | 'print' | 'exception' | 'detail', taint: Taint): void {
    if (SECRET_KINDS.has(taint.kind)) this.facts.sinks.push({ line, sink, taint });
    else if (taint.kind === 'param') this.facts.paramSinks.push({ param: taint.via, line, sink });
  }

  /** What a value is derived from; no side effects. */
  taintOf(node: Node | null): Taint[] {
    if (!node) return [];
    switch (node.type) {
      case 'identifier':
        return this.env.get(node.text) ?? nameTaint(node.text);
      case 'attribute': {
        const name = dotted(node);
        const attr = node.childForFieldName('attribute')?.text ?? '';
        if (/(^|\.)request\.authorization$/.test(name)) return [{ kind: 'credentials', via: name }];
        const base = this.taintOf(node.childForFieldName('object'));
        const via = name || node.text.slice(0, 60);
        if (HASH_NAME.test(attr)) return [{ kind: 'hash', via }];
        if (SECRET_NAME.test(attr)) return [{ kind: 'password', via }];
        if (base.some((t) => t.kind === 'credentials')) {
          return /^(username|user|login)$/.test(attr) ? [{ kind: 'username', via }] : [];
        }
        return base.filter((t) => t.kind === 'header' || t.kind === 'token');
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const key = stringValue(node.childForFieldName('subscript'))?.toLowerCase();
        if (key === 'authorization' || key === 'http_authorization') return [{ kind: 'header', via: node.text.slice(0, 60) }];
        const base = this.taintOf(value);
        if (key !== undefined && SECRET_NAME.test(key)) return [{ kind: 'password', via: node.text.slice(0, 60) }];
        if (key !== undefined && base.some((t) => t.kind === 'credentials')) return /^(username|user)$/.test(key) ? [{ kind: 'username', via: node.text }] : [];
        return base;
      }
      case 'call':
        return this.callTaint(node);
      case 'string':
        return node.namedChildren.filter((c) => c?.type === 'interpolation').flatMap((c) => this.taintOf(c!.namedChildren[0] ?? null));
      case 'binary_operator':
      case 'boolean_operator':
        return [...this.taintOf(node.childForFieldName('left')), ...this.taintOf(node.childForFieldName('right'))];
      case 'conditional_expression':
        return this.taintOf(node.namedChildren[0] ?? null).concat(this.taintOf(node.namedChildren[2] ?? null));
      case 'parenthesized_expression':
      case 'await':
      case 'interpolation':
        return this.taintOf(node.namedChildren[0] ?? null);
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return node.namedChildren.flatMap((c) => this.taintOf(c));
      case 'dictionary':
        return node.namedChildren.flatMap((pair) => (pair?.type === 'pair' ? this.taintOf(pair.childForFieldName('value')) : []));
      default:
        return [];
    }
  }

  private callTaint(node: Node): Taint[] {
    const fnNode = node.childForFieldName('function');
    const callee = dotted(fnNode);
    const last = lastSegment(callee);
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null) ?? [];
    const argTaint = (): Taint[] => args.flatMap((a) => this.taintOf(a.type === 'keyword_argument' ? a.childForFieldName('value') : a));
    if (TRACEBACK_FORMATTERS.has(last) && callee.includes('traceback')) return [{ kind: 'traceback', via: callee }];
    if (fnNode?.type === 'attribute') {
      const method = fnNode.childForFieldName('attribute')?.text ?? '';
      const receiver = fnNode.childForFieldName('object');
      if (method === 'get' && /headers$/.test(dotted(receiver))) {
        const key = stringValue(args[0] ?? null)?.toLowerCase();
        return key === 'authorization' ? [{ kind: 'header', via: node.text.slice(0, 60) }] : [];
      }
      if (method === 'get' && receiver) {
        const key = stringValue(args[0] ?? null);
        if (key !== undefined && SECRET_NAME.test(key)) return [{ kind: 'password', via: node.text.slice(0, 60) }];
        return [];
      }
      if (STRING_METHODS.has(method)) return [...this.taintOf(receiver), ...(method === 'format' ? argTaint() : [])];
      if (method === 'hexdigest' || method === 'digest') return this.taintOf(receiver).length > 0 ? [{ kind: 'hash', via: node.text.slice(0, 60) }] : [];
    }
    if (DECODERS.has(last)) return argTaint().some((t) => t.kind === 'header' || t.kind === 'token') ? [{ kind: 'token', via: `${last}(...)` }] : argTaint();
    if (['str', 'bytes', 'repr', 'dict', 'format', 'bytearray', 'quote', 'unquote'].includes(last)) return argTaint();
    if (HASHERS.test(last)) return argTaint().some((t) => SECRET_KINDS.has(t.kind)) ? [{ kind: 'hash', via: node.text.slice(0, 60) }] : [];
    return [];
  }
}

/** Whether every path through a block ends in return or raise (so it cannot fall off the end). */
function terminates(block: Node): boolean {
  const last = block.namedChildren.filter((c) => c && c.type !== 'comment').at(-1);
  if (!last) return false;
  const blocksOf = (node: Node): Node[] => node.namedChildren.flatMap((c) => (c?.type === 'block' ? [c] : c ? c.namedChildren.filter((b): b is Node => b?.type === 'block') : []));
  switch (last.type) {
    case 'return_statement':
    case 'raise_statement':
      return true;
    case 'if_statement': {
      const hasElse = last.namedChildren.some((c) => c?.type === 'else_clause');
      return hasElse && blocksOf(last).every(terminates);
    }
    case 'try_statement': {
      const finallyClause = last.namedChildren.find((c) => c?.type === 'finally_clause');
      const finallyBlock = finallyClause?.namedChildren.find((c) => c?.type === 'block');
      if (finallyBlock && terminates(finallyBlock)) return true;
      return blocksOf(last).filter((b) => b.parent?.type !== 'finally_clause').every(terminates);
    }
    case 'with_statement': {
      const body = last.childForFieldName('body');
      return body !== null && terminates(body);
    }
    default:
      return false;
  }
}

function isAuthorizationKey(node: Node | null): boolean {
  const key = stringValue(node)?.toLowerCase();
  return key === 'authorization' || key === 'http_authorization';
}

function nameTaint(name: string): Taint[] {
  if (HASH_NAME.test(name)) return [{ kind: 'hash', via: name }];
  if (SECRET_NAME.test(name)) return [{ kind: 'password', via: name }];
  if (TOKEN_NAME.test(name)) return [{ kind: 'token', via: name }];
  return [];
}

/** Taint worth remembering for retention: anything derived from credentials. */
function credentialTaint(taints: Taint[]): Taint | null {
  return taints.find((t) => SECRET_KINDS.has(t.kind)) ?? taints.find((t) => t.kind === 'username' || t.kind === 'hash') ?? null;
}

function secretOrParam(taints: Taint[]): Taint | null {
  return taints.find((t) => SECRET_KINDS.has(t.kind)) ?? null;
}

function subscriptBase(node: Node): Node | null {
  let base: Node | null = node;
  while (base?.type === 'subscript') base = base.childForFieldName('value');
  return base;
}

function isTrivialOperand(node: Node): boolean {
  if (['none', 'true', 'false', 'integer', 'float'].includes(node.type)) return true;
  const literal = stringValue(node);
  return literal !== undefined && literal.length === 0;
}

/** The called function's own name: `encode` for `x.y.encode()`, also when the receiver is a call. */
function calleeName(call: Node): string {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text ?? '';
  return fn?.type === 'identifier' ? fn.text : '';
}

function isBytesExpr(node: Node, bytesNames: Set<string>): boolean {
  if (node.type === 'string') return /^[bB]|^[rR][bB]/.test(node.text);
  if (node.type === 'identifier') return bytesNames.has(node.text);
  return node.type === 'call' && ['encode', 'digest', 'bytes', 'b64decode', 'hashpw', 'pbkdf2_hmac', 'scrypt'].includes(calleeName(node));
}

/** Hex digests are ASCII-only str: compare_digest accepts them. */
function isAsciiExpr(node: Node): boolean {
  return node.type === 'call' && calleeName(node) === 'hexdigest';
}

function containsTracebackCall(node: Node): boolean {
  return node.descendantsOfType('call').some((c) => {
    const fn = dotted(c?.childForFieldName('function') ?? null);
    return fn.includes('traceback') && TRACEBACK_FORMATTERS.has(lastSegment(fn));
  });
}

/** 401 from `401`, `status.HTTP_401_UNAUTHORIZED`, `HTTPStatus.UNAUTHORIZED`. */
export function statusOf(node: Node | null): number | undefined {
  if (!node) return undefined;
  if (node.type === 'integer') return Number(node.text);
  const name = lastSegment(dotted(node));
  return AUTH_STATUS[name] ?? (/^HTTP_(\d{3})_/.exec(name) ? Number(/^HTTP_(\d{3})_/.exec(name)![1]) : undefined);
}

function exceptionStatus(exc: Node): number | undefined {
  const call = exc.type === 'call' ? exc : null;
  const name = lastSegment(dotted(call ? call.childForFieldName('function') : exc));
  if (name in STATUS_EXCEPTIONS) return STATUS_EXCEPTIONS[name];
  if (!call) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  for (const arg of args) {
    if (arg?.type === 'keyword_argument' && ['status_code', 'code', 'status'].includes(arg.childForFieldName('name')?.text ?? '')) {
      return statusOf(arg.childForFieldName('value'));
    }
  }
  return /HTTPException|HTTPError/.test(name) ? statusOf(args[0] ?? null) : undefined;
}

/** Status of a returned response: `JSONResponse(..., status_code=401)`, `("msg", 401)`, `Response("x", 401)`. */
function responseStatus(value: Node): number | undefined {
  if (value.type === 'tuple' || value.type === 'expression_list') return statusOf(value.namedChildren[1] ?? null);
  if (value.type !== 'call') return undefined;
  const args = value.childForFieldName('arguments')?.namedChildren ?? [];
  for (const arg of args) {
    if (arg?.type === 'keyword_argument' && ['status_code', 'status'].includes(arg.childForFieldName('name')?.text ?? '')) {
      return statusOf(arg.childForFieldName('value'));
    }
  }
  const name = lastSegment(dotted(value.childForFieldName('function')));
  if (/Response$/.test(name) || name === 'make_response') {
    const status = statusOf(args[1] ?? null);
    if (status !== undefined && status >= 400) return status;
  }
  return undefined;
}

function returnValue(value: Node | null): Exit['value'] {
  if (!value || value.type === 'none') return 'none';
  if (value.type === 'false') return 'false';
  if (value.type === 'true') return 'true';
  return 'other';
}
