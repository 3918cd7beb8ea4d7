import { lastSegment, type Expr } from './expr.js';
import type { Exit, FunctionFacts, ModuleSummary } from './model.js';
import type { FunctionRef, Project } from './project.js';
import { RouteIndex, type AppObject, type Route } from './routes.js';
import { compareText } from '../../../core/order.js';

export type Scheme = 'basic' | 'bearer' | 'oauth2' | 'api-key' | 'digest' | 'custom' | 'none';

export interface RouteAuth {
  scheme: Scheme;
  /** Functions that check the credentials of this route, outermost first. */
  functions: FunctionRef[];
  /** How each was found: `Depends(get_user)`, `middleware AuthMiddleware.dispatch`, ... */
  via: string[];
}

const SCHEME_CLASSES: Record<string, Scheme> = {
  HTTPBasic: 'basic', HTTPBasicAuth: 'basic', HTTPDigest: 'digest', HTTPDigestAuth: 'digest', HTTPBearer: 'bearer', HTTPTokenAuth: 'bearer',
  OAuth2PasswordBearer: 'oauth2', OAuth2AuthorizationCodeBearer: 'oauth2', OAuth2: 'oauth2', APIKeyHeader: 'api-key', APIKeyQuery: 'api-key', APIKeyCookie: 'api-key',
};
const LIMITER = /limit|throttl/i;
/** Names of failed-attempt stores: `failed_attempts`, `login_failures`, `lockouts`, `strikes`. */
const COUNTER = /attempt|fail|tries|retr|lock|ban|strike|throttl|limit|count/i;
const LIMITER_PACKAGES = /^(slowapi|fastapi_limiter|flask_limiter|limits)\b/;

export const keyOf = (ref: FunctionRef): string => `${ref.module.rel}:${ref.facts.qname}:${ref.facts.line}`;

/**
 * Who protects which route, and the Basic-auth functions of the project: follows Depends/Security
 * (parameters and `dependencies=`), class-based dependencies (`__call__`), lambdas, middleware that
 * reads Authorization, Flask before_request hooks, auth decorators and flask_httpauth callbacks.
 */
export class AuthAnalysis {
  readonly index: RouteIndex;
  readonly routes: Route[];
  readonly routeAuth = new Map<Route, RouteAuth>();
  private readonly basic = new Map<string, FunctionRef>();
  private readonly middleware = new Map<AppObject, { ref: FunctionRef; via: string }[]>();
  private readonly flaskVerifiers = new Map<string, FunctionRef[]>();
  private readonly logCache = new Map<string, boolean>();

  constructor(readonly project: Project) {
    this.index = new RouteIndex(project);
    this.routes = this.index.routes();
    this.findFlaskVerifiers();
    this.findMiddleware();
    for (const route of this.routes) this.routeAuth.set(route, this.authOf(route));
    this.findBasicFunctions();
  }

  // ---- Basic-auth functions ---------------------------------------------------------------

  isBasic(ref: FunctionRef): boolean {
    return this.basic.has(keyOf(ref));
  }

  /** Basic-auth functions not called by another one: where a credential check starts. */
  roots(): FunctionRef[] {
    const all = [...this.basic.values()];
    const called = new Set<string>();
    for (const ref of all) for (const callee of this.callees(ref)) if (keyOf(callee) !== keyOf(ref)) called.add(keyOf(callee));
    return all.filter((ref) => !called.has(keyOf(ref))).sort((a, b) => compareText(keyOf(a), keyOf(b)));
  }

  private findBasicFunctions(): void {
    for (const module of this.project.summaries) {
      for (const facts of module.functions) {
        const ref = { module, facts };
        if ((facts.analysed && facts.basicSignals.length > 0) || this.dependsOnBasicScheme(ref)) this.basic.set(keyOf(ref), this.project.analysed(ref));
      }
    }
    for (const refs of this.flaskVerifiers.values()) for (const ref of refs) this.basic.set(keyOf(ref), this.project.analysed(ref));
    for (const auth of this.routeAuth.values()) {
      for (const ref of auth.functions) {
        const analysed = this.project.analysed(ref);
        if (analysed.facts.basicSignals.length > 0) this.basic.set(keyOf(analysed), analysed);
      }
    }
  }

  private dependsOnBasicScheme(ref: FunctionRef): boolean {
    return ref.facts.params.some((p) => {
      const target = dependencyTarget(p.default);
      return target?.k === 'name' && this.schemeOfValue(ref.module, target.v) === 'basic';
    });
  }

  private schemeOfValue(module: ModuleSummary, name: string): Scheme | undefined {
    const sym = this.project.resolve(module, name);
    if (sym?.kind !== 'value' || sym.value.k !== 'call') return undefined;
    return SCHEME_CLASSES[lastSegment(this.project.qualifiedCallee(sym.module, sym.value.f))];
  }

  // ---- call graph ---------------------------------------------------------------------------

  /** Project functions a function calls directly (analysed). */
  callees(ref: FunctionRef): FunctionRef[] {
    const out = new Map<string, FunctionRef>();
    for (const call of this.project.analysed(ref).facts.calls) {
      const target = this.project.callTarget(ref, call.callee);
      if (target) out.set(keyOf(target), this.project.analysed(target));
    }
    return [...out.values()];
  }

  /** The function and what it calls, transitively, up to a depth. */
  closure(ref: FunctionRef, depth = 4): FunctionRef[] {
    const seen = new Map<string, FunctionRef>();
    const visit = (r: FunctionRef, d: number): void => {
      const analysed = this.project.analysed(r);
      if (seen.has(keyOf(analysed))) return;
      seen.set(keyOf(analysed), analysed);
      if (d < depth) for (const callee of this.callees(analysed)) visit(callee, d + 1);
    };
    visit(ref, 0);
    return [...seen.values()];
  }

  /** Whether calling this function logs something (itself or through its callees). */
  logs(ref: FunctionRef, depth = 0): boolean {
    const key = keyOf(ref);
    const cached = this.logCache.get(key);
    if (cached !== undefined) return cached;
    this.logCache.set(key, false);
    const analysed = this.project.analysed(ref);
    const result = analysed.facts.logs.length > 0 || (depth < 4 && this.callees(analysed).some((c) => this.logs(c, depth + 1)));
    this.logCache.set(key, result);
    return result;
  }

  /** An exit is logged when a log call precedes it on its path, directly or in a function called before it. */
  exitLogged(ref: FunctionRef, exit: Exit): boolean {
    if (exit.logged) return true;
    return exit.callsBefore.some((callee) => {
      const target = this.project.callTarget(ref, callee);
      return target !== undefined && this.logs(target);
    });
  }

  // ---- routes -----------------------------------------------------------------------------

  routesUsing(ref: FunctionRef): Route[] {
    const key = keyOf(ref);
    return this.routes.filter((r) => this.routeAuth.get(r)?.functions.some((f) => this.closure(f, 3).some((c) => keyOf(c) === key)));
  }

  private authOf(route: Route): RouteAuth {
    const auth: RouteAuth = { scheme: 'none', functions: [], via: [] };
    const schemes: Scheme[] = [];
    const seen = new Set<string>();
    const addFunction = (ref: FunctionRef, via: string, depth: number, checksCredentials = false): void => {
      const analysed = this.project.analysed(ref);
      if (seen.has(keyOf(analysed)) || depth > 6) return;
      seen.add(keyOf(analysed));
      if (checksCredentials || isCredentialCheck(analysed.facts) || this.dependsOnBasicScheme(analysed)) {
        auth.functions.push(analysed);
        auth.via.push(via);
        if (analysed.facts.basicSignals.length > 0 || (checksCredentials && schemes.includes('basic'))) schemes.push('basic');
        else if (analysed.facts.schemes.includes('bearer')) schemes.push('bearer');
      }
      for (const p of analysed.facts.params) addDependency(analysed.module, p.default, depth + 1);
    };
    const addDependency = (module: ModuleSummary, expr: Expr | undefined, depth: number): void => {
      const target = dependencyTarget(expr);
      if (!target) return;
      if (target.k === 'lambda') {
        for (const name of target.calls) {
          const sym = this.project.resolve(module, name);
          if (sym?.kind === 'function') addFunction(sym.ref, `Depends(lambda: ${name}(...))`, depth);
        }
        return;
      }
      if (target.k !== 'name') return;
      const sym = this.project.resolve(module, target.v);
      if (sym?.kind === 'function') addFunction(sym.ref, `Depends(${target.v})`, depth);
      else if (sym?.kind === 'class') {
        const init = this.project.method(sym.module, sym.cls, '__init__');
        if (init) addFunction(init, `Depends(${target.v})`, depth);
      } else if (sym?.kind === 'value' && sym.value.k === 'call') {
        const scheme = SCHEME_CLASSES[lastSegment(this.project.qualifiedCallee(sym.module, sym.value.f))];
        if (scheme) schemes.push(scheme);
        const ctor = this.project.resolve(sym.module, sym.value.f);
        if (ctor?.kind === 'class') {
          const call = this.project.method(ctor.module, ctor.cls, '__call__');
          if (call) addFunction(call, `Depends(${target.v}) -> ${ctor.cls.name}.__call__`, depth);
        }
      }
    };

    const module = route.handler.module;
    for (const dep of route.inherited) addDependency(dep.module, dep.expr, 0);
    for (const dep of route.dependencies) addDependency(route.module, dep, 0);
    addFunction(route.handler, 'handler', 0);
    for (const dec of route.decorators) this.decoratorAuth(module, dec, (ref, via, verifier) => addFunction(ref, via, 1, verifier), schemes);
    for (const app of [route.app, route.owner]) {
      for (const m of app ? (this.middleware.get(app) ?? []) : []) addFunction(m.ref, m.via, 1);
    }
    auth.scheme = schemes.includes('basic') ? 'basic' : (schemes[0] ?? (auth.functions.length > 0 ? 'custom' : 'none'));
    // The handler itself is listed only when it checks credentials.
    return auth;
  }

  /** Flask-style auth decorators on a view: `@requires_auth`, `@auth.login_required` (flask_httpauth). */
  private decoratorAuth(module: ModuleSummary, dec: Expr, add: (ref: FunctionRef, via: string, verifier: boolean) => void, schemes: Scheme[]): void {
    const name = dec.k === 'call' ? dec.f : dec.k === 'name' ? dec.v : '';
    if (!name) return;
    if (LIMITER.test(name)) return;
    const sym = this.project.resolve(module, name);
    if (sym?.kind === 'function') {
      add(sym.ref, `@${name}`, false);
      return;
    }
    const owner = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
    if (!owner) return;
    const scheme = this.schemeOfValue(module, owner);
    if (!scheme) return;
    schemes.push(scheme);
    const ownerSym = this.project.resolve(module, owner);
    if (ownerSym?.kind === 'value') for (const ref of this.flaskVerifiers.get(`${ownerSym.module.module}:${ownerSym.name}`) ?? []) add(ref, `@${name} -> ${ref.facts.name}`, true);
  }

  /** `@auth.verify_password` callbacks of flask_httpauth objects, by object. */
  private findFlaskVerifiers(): void {
    for (const module of this.project.summaries) {
      for (const facts of module.functions) {
        for (const dec of facts.decorators) {
          const name = dec.k === 'name' ? dec.v : dec.k === 'call' ? dec.f : '';
          if (!/\.(verify_password|get_password|verify_token)$/.test(name)) continue;
          const owner = this.project.resolve(module, name.slice(0, name.lastIndexOf('.')));
          if (owner?.kind !== 'value') continue;
          const key = `${owner.module.module}:${owner.name}`;
          this.flaskVerifiers.set(key, [...(this.flaskVerifiers.get(key) ?? []), { module, facts }]);
        }
      }
    }
  }

  isVerifierCallback(ref: FunctionRef): boolean {
    return [...this.flaskVerifiers.values()].some((refs) => refs.some((r) => keyOf(r) === keyOf(ref)));
  }

  /** Exits that turn credentials away: 401/403, or False/None from a flask_httpauth callback. */
  isRejection(ref: FunctionRef, exit: Exit): boolean {
    if (exit.status === 401 || exit.status === 403) return true;
    return this.isVerifierCallback(ref) && exit.how === 'return' && (exit.value === 'false' || exit.value === 'none');
  }

  /** Flask before_request hooks: returning None lets the request through. */
  isRequestHook(ref: FunctionRef): boolean {
    const key = keyOf(ref);
    return [...this.middleware.values()].some((list) => list.some((m) => m.via.startsWith('before_') && keyOf(m.ref) === key));
  }

  /** Exits that let the request through with valid credentials. */
  isAcceptance(ref: FunctionRef, exit: Exit): boolean {
    if (exit.status !== undefined || exit.how === 'raise' || exit.how === 'abort') return false;
    if (this.isVerifierCallback(ref)) return exit.how === 'return' && exit.value !== 'false' && exit.value !== 'none';
    const passes = exit.how === 'end' || (exit.how === 'return' && exit.value === 'none' && this.isRequestHook(ref));
    if (passes) return ref.facts.exits.some((e) => this.isRejection(ref, e));
    return exit.value !== 'none' && exit.value !== 'false';
  }

  /** Middleware and before_request hooks that read Authorization, per application or blueprint. */
  private findMiddleware(): void {
    const add = (app: AppObject | undefined, ref: FunctionRef | undefined, via: string): void => {
      if (!app || !ref) return;
      this.middleware.set(app, [...(this.middleware.get(app) ?? []), { ref, via }]);
    };
    const middlewareClass = (app: AppObject, module: ModuleSummary, cls: Expr | undefined, backend: Expr | undefined): void => {
      const sym = cls?.k === 'name' ? this.project.resolve(module, cls.v) : undefined;
      if (sym?.kind === 'class') add(app, this.project.method(sym.module, sym.cls, 'dispatch') ?? this.project.method(sym.module, sym.cls, '__call__'), `middleware ${sym.cls.name}`);
      const backendCls = backend?.k === 'call' ? this.project.resolve(module, backend.f) : undefined;
      if (backendCls?.kind === 'class') add(app, this.project.method(backendCls.module, backendCls.cls, 'authenticate'), `auth backend ${backendCls.cls.name}`);
    };
    // Starlette(middleware=[Middleware(Cls, backend=...)])
    for (const app of this.index.apps) {
      for (const item of app.middlewareList) if (item.k === 'call') middlewareClass(app, app.module, item.args[0], item.kw['backend']);
    }
    for (const module of this.project.summaries) {
      for (const call of module.calls) {
        if (call.k !== 'call') continue;
        const owner = call.f.slice(0, Math.max(0, call.f.lastIndexOf('.')));
        const method = lastSegment(call.f);
        if (!owner || !['add_middleware', 'before_request', 'before_app_request'].includes(method)) continue;
        const app = this.index.appOf(module, owner);
        if (!app) continue;
        if (method === 'add_middleware') {
          middlewareClass(app, module, call.args[0], call.kw['backend']);
        } else if (method === 'before_request' || method === 'before_app_request') {
          const fn = call.args[0]?.k === 'name' ? this.project.resolve(module, call.args[0].v) : undefined;
          if (fn?.kind === 'function') add(app, fn.ref, `before_request ${fn.ref.facts.name}`);
        }
      }
      for (const facts of module.functions) {
        for (const dec of facts.decorators) {
          const name = dec.k === 'name' ? dec.v : dec.k === 'call' ? dec.f : '';
          const method = lastSegment(name);
          if (!['middleware', 'before_request', 'before_app_request'].includes(method)) continue;
          const app = this.index.appOf(module, name.slice(0, name.lastIndexOf('.')));
          add(app, { module, facts }, `${method} ${facts.name}`);
        }
      }
    }
  }

  // ---- rate limiting ----------------------------------------------------------------------

  /** Throttling anywhere on the path of a Basic-auth function, or globally on the project. */
  rateLimited(ref: FunctionRef): boolean {
    if (this.globalRateLimit()) return true;
    for (const fn of this.closure(ref)) {
      if (fn.facts.rateSignals.length > 0) return true;
      // A failed-attempt counter: module state named for attempts, written with non-credential data (time, count).
      if (fn.facts.stores.some((s) => !s.local && s.value === null && COUNTER.test(lastSegment(s.container)) && this.isModuleContainer(fn, s.container))) return true;
      if (fn.facts.decorators.some((d) => LIMITER.test(d.k === 'call' ? d.f : d.k === 'name' ? d.v : ''))) return true;
    }
    return this.routesUsing(ref).some(
      (r) =>
        (this.viewDecoratorsRunFirst(r, ref) && r.decorators.some((d) => LIMITER.test(d.k === 'call' ? d.f : d.k === 'name' ? d.v : ''))) ||
        // Route-level `dependencies=` run before parameter dependencies, so a limiter there sees every attempt.
        [...r.inherited.map((d) => d.expr), ...r.dependencies].some((d) => LIMITER.test(exprText(d))),
    );
  }

  /**
   * Whether a limiter decorator on the view runs before this auth function. FastAPI and Starlette
   * resolve dependencies before calling the (decorated) endpoint, so a `@limiter.limit` there never
   * sees the requests an auth dependency or middleware rejects; Flask view decorators wrap the view.
   */
  private viewDecoratorsRunFirst(route: Route, ref: FunctionRef): boolean {
    if (route.owner.kind === 'flask' || route.owner.kind === 'blueprint') return true;
    const info = this.routeAuth.get(route);
    const key = keyOf(ref);
    const index = info?.functions.findIndex((f) => this.closure(f, 3).some((c) => keyOf(c) === key)) ?? -1;
    return index >= 0 && info!.via[index] === 'handler';
  }

  private globalRate: boolean | undefined;

  /** slowapi's middleware, or a limiter built with default_limits. */
  private globalRateLimit(): boolean {
    this.globalRate ??= this.project.summaries.some((m) =>
      m.calls.some((c) => {
        if (c.k !== 'call') return false;
        if (lastSegment(c.f) === 'add_middleware' && c.args[0]?.k === 'name') return /Limit/i.test(this.project.qualifiedCallee(m, c.args[0].v));
        return 'default_limits' in c.kw && LIMITER_PACKAGES.test(this.project.qualifiedCallee(m, c.f));
      }),
    );
    return this.globalRate;
  }

  /** Whether a dotted container name in a function is module state (module-level name, class attribute). */
  isModuleContainer(ref: FunctionRef, container: string): boolean {
    return this.containerDefinition(ref, container) !== undefined;
  }

  /** Where a module-level or class-level container is defined. */
  containerDefinition(ref: FunctionRef, container: string): { module: ModuleSummary; name: string; value: Expr; line: number } | undefined {
    const parts = container.split('.');
    if ((parts[0] === 'self' || parts[0] === 'cls') && parts.length === 2 && ref.facts.className) {
      const cls = ref.module.classes.find((c) => c.name === ref.facts.className);
      const attr = cls?.attributes.find((a) => a.name === parts[1]);
      return attr ? { module: ref.module, name: `${cls!.name}.${attr.name}`, value: attr.value, line: attr.line } : undefined;
    }
    const sym = this.project.resolve(ref.module, container);
    if (sym?.kind === 'value') return { module: sym.module, name: sym.name, value: sym.value, line: sym.line };
    return undefined;
  }

  // ---- request scope ----------------------------------------------------------------------

  private scoped: Map<string, FunctionRef> | undefined;

  /** Functions that run per request: handlers, dependencies, middleware, auth functions, and their callees. */
  requestScoped(): Map<string, FunctionRef> {
    if (this.scoped) return this.scoped;
    const scoped = new Map<string, FunctionRef>();
    const starts: FunctionRef[] = [...this.basic.values()];
    for (const route of this.routes) starts.push(route.handler, ...(this.routeAuth.get(route)?.functions ?? []));
    for (const list of this.middleware.values()) starts.push(...list.map((m) => m.ref));
    for (const start of starts) for (const ref of this.closure(start)) scoped.set(keyOf(ref), ref);
    this.scoped = scoped;
    return scoped;
  }
}

/** The callable inside `Depends(x)` / `Security(x)`, or undefined for anything else. */
export function dependencyTarget(expr: Expr | undefined): Expr | undefined {
  if (expr?.k !== 'call' || !/^(Depends|Security)$/.test(lastSegment(expr.f))) return undefined;
  return expr.args[0] ?? expr.kw['dependency'];
}

/** A function that looks at credentials: reads Authorization, parses Basic, or raises 401/403. */
function isCredentialCheck(facts: FunctionFacts): boolean {
  return facts.readsAuthorization || facts.basicSignals.length > 0 || facts.exits.some((e) => e.status === 401 || e.status === 403);
}

function exprText(expr: Expr): string {
  if (expr.k === 'name') return expr.v;
  if (expr.k === 'call') return [expr.f, ...expr.args.map(exprText)].join(' ');
  return '';
}
