import type { Expr } from './expr.js';

/** Plain data produced per file (possibly in a worker thread) and joined into a project. */

export interface ImportBinding {
  /** The name bound in the importing module. */
  local: string;
  /** Absolute dotted module (relative imports already resolved). */
  module: string;
  /** For `from m import name`: the imported name; absent for `import m`. */
  name?: string;
  line: number;
}

export interface Param {
  name: string;
  annotation?: string;
  default?: Expr;
  /** `*args` or `**kwargs`. */
  star?: boolean;
}

/** Where credentials, passwords and friends come from, and what a value derived from them is. */
export type TaintKind = 'password' | 'header' | 'token' | 'credentials' | 'username' | 'hash' | 'traceback' | 'param';

export interface Taint {
  kind: TaintKind;
  /** Readable origin, e.g. `credentials.password`; for `param` the parameter name. */
  via: string;
}

export const SECRET_KINDS: ReadonlySet<TaintKind> = new Set(['password', 'header', 'token', 'credentials']);

export interface CallSite {
  callee: string;
  line: number;
  /** Secret taint of each positional argument (null when clean). */
  args: (Taint | null)[];
  kwargs: Record<string, Taint | null>;
  /** Passes `*args` or `**kwargs`: which parameters it fills is not known. */
  splat?: boolean;
}

export interface LogCall {
  line: number;
  kind: 'logging' | 'structlog' | 'loguru' | 'print';
  /** Context fields this call carries, see logging.ts. */
  fields: string[];
  /** The fields are built at run time (`extra=fields`, `**kwargs`): do not judge them. */
  dynamic: boolean;
}

/** A way out of a function: a return, a raise or falling off its end. */
export interface Exit {
  line: number;
  how: 'raise' | 'return' | 'abort' | 'end';
  /** HTTP status when the exit is an error response (401, 403, 429 ...). */
  status?: number;
  /** What a plain `return` returns, for callbacks that signal failure with False/None. */
  value?: 'false' | 'none' | 'true' | 'other';
  /** A log call happens on every path to this exit inside the function. */
  logged: boolean;
  /** Project calls made before this exit on its path (they may log). */
  callsBefore: string[];
}

export interface SecretSink {
  line: number;
  sink: 'log' | 'print' | 'exception' | 'detail';
  taint: Taint;
}

export interface Store {
  line: number;
  /** Dotted name of the container written to, e.g. `credential_store` or `self.cache`. */
  container: string;
  op: 'subscript' | 'append' | 'add' | 'update' | 'setdefault' | 'insert' | 'augmented';
  value: Taint | null;
  key: Taint | null;
  /** The container name is bound locally in the function (so not module state). */
  local: boolean;
}

export interface Compare {
  line: number;
  op: string;
  taint: Taint;
  /** The other operand when it is a string literal. */
  literal?: string;
}

export interface Risk {
  line: number;
  what: string;
}

export interface FunctionFacts {
  name: string;
  /** `func` or `Class.method`. */
  qname: string;
  className?: string;
  line: number;
  endLine: number;
  params: Param[];
  decorators: Expr[];
  /** False until the body was analysed (files are analysed lazily when not obviously relevant). */
  analysed: boolean;
  calls: CallSite[];
  logs: LogCall[];
  exits: Exit[];
  sinks: SecretSink[];
  /** Parameters that reach a sink inside this function: param name -> sink. */
  paramSinks: { param: string; line: number; sink: SecretSink['sink'] }[];
  stores: Store[];
  /** Containers emptied or shrunk here (`del x[k]`, `x.pop()`, `x.clear()`), or bounded by `len(x)`. */
  evictions: string[];
  compares: Compare[];
  hardcoded: Risk[];
  decodeRisks: Risk[];
  digestOnStr: Risk[];
  tracebackReturns: number[];
  /** Syntactic hints that this function handles Basic credentials. */
  basicSignals: string[];
  /** Syntactic hints of throttling (429, limiter calls). */
  rateSignals: string[];
  /** Reads the Authorization header (or Flask's request.authorization). */
  readsAuthorization: boolean;
  /** Auth scheme words seen in literals: basic, bearer, digest. */
  schemes: string[];
}

export interface ClassSummary {
  name: string;
  line: number;
  bases: string[];
  /** Class-level assignments. */
  attributes: { name: string; value: Expr; line: number }[];
}

export interface ModuleSummary {
  rel: string;
  module: string;
  isPackage: boolean;
  lines: number;
  syntaxErrors: number[];
  imports: ImportBinding[];
  /** Module-level `name = value` (including inside module-level if/try blocks). */
  assignments: { name: string; value: Expr; line: number }[];
  /** Module-level calls made for their effect: include_router, add_middleware, app.run ... */
  calls: Expr[];
  /** Module-level attribute or item assignments: `app.debug = True`, `app.config["DEBUG"] = True`. */
  settings: { target: string; value: Expr; line: number }[];
  functions: FunctionFacts[];
  classes: ClassSummary[];
  /** Line -> rule ids suppressed there by `# portcullis: ignore[...]`. */
  suppressions: Record<number, string[]>;
  /** Whether every function body was analysed. */
  deep: boolean;
  /** Functions whose bodies could not be analysed (nesting too deep for the walker), by line. */
  unanalysed: number[];
}
