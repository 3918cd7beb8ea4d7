import { lastSegment, type Expr } from './expr.js';
import type { FunctionRef, Project } from './project.js';
import type { ModuleSummary } from './model.js';
import { compareText } from '../../../core/order.js';

export type AppKind = 'fastapi' | 'router' | 'starlette' | 'flask' | 'blueprint';

/** A FastAPI/Starlette/Flask application or router object bound at module level. */
export interface AppObject {
  id: string;
  module: ModuleSummary;
  name: string;
  kind: AppKind;
  line: number;
  prefix: string;
  dependencies: Expr[];
  debug: boolean;
  /** Starlette-style `routes=[Route(...), Mount(...)]` and `middleware=[Middleware(...)]` given to the constructor. */
  routeList: Expr[];
  middlewareList: Expr[];
}

export interface Mount {
  parent: AppObject;
  child: AppObject;
  prefix: string;
  dependencies: Expr[];
  /** Where the include_router/register_blueprint call is (its dependencies resolve there). */
  module: ModuleSummary;
}

/** A dependency expression and the module whose names it uses. */
export interface ScopedExpr {
  module: ModuleSummary;
  expr: Expr;
}

export interface RouteDecl {
  methods: string[];
  path: string;
  owner: AppObject;
  handler: FunctionRef;
  /** Line of the decorator or registration call, and its module (where `dependencies=` resolve). */
  line: number;
  file: string;
  module: ModuleSummary;
  dependencies: Expr[];
  /** The handler's other decorators (Flask auth decorators, limiters). */
  decorators: Expr[];
}

/** A route with its full path: one per mount chain of its owner. */
export interface Route extends RouteDecl {
  fullPath: string;
  app?: AppObject;
  /** Dependencies inherited from the app, routers and include_router calls. */
  inherited: ScopedExpr[];
}

const CONSTRUCTORS: Record<string, AppKind> = {
  FastAPI: 'fastapi', APIRouter: 'router', Starlette: 'starlette', Router: 'router', Flask: 'flask', Blueprint: 'blueprint', Quart: 'flask',
};
const FRAMEWORKS = /^(fastapi|starlette|flask|quart)\b/;
const METHOD_DECORATORS = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'trace', 'websocket']);
const ROUTE_DECORATORS = new Set([...METHOD_DECORATORS, 'route', 'api_route']);
const REGISTRATIONS = new Set(['include_router', 'register_blueprint', 'mount', 'add_api_route', 'add_url_rule', 'add_route']);

/** Cheap test before resolving: the callee is named like an app class or imported from a framework. */
function mayConstructApp(module: ModuleSummary, callee: string): boolean {
  if (lastSegment(callee) in CONSTRUCTORS) return true;
  const head = callee.split('.')[0];
  return module.imports.some((i) => i.local === head && FRAMEWORKS.test(i.module));
}

export class RouteIndex {
  readonly apps: AppObject[] = [];
  readonly mounts: Mount[] = [];
  readonly declarations: RouteDecl[] = [];

  constructor(private readonly project: Project) {
    for (const module of project.summaries) this.findApps(module);
    for (const module of project.summaries) this.findRoutesAndMounts(module);
    for (const app of this.apps) this.findRouteLists(app, app.routeList, '');
  }

  /** A list literal, or a name bound to one at module level (`routes = [...]`). */
  private listValue(module: ModuleSummary, expr: Expr | undefined): Expr[] {
    if (expr?.k === 'name') {
      const sym = this.project.resolve(module, expr.v);
      return sym?.kind === 'value' ? listOf(sym.value) : [];
    }
    return listOf(expr);
  }

  /** `Starlette(routes=[Route("/x", endpoint), Mount("/api", routes=[...])])`. */
  private findRouteLists(app: AppObject, items: Expr[], prefix: string): void {
    for (const item of items) {
      if (item.k !== 'call') continue;
      const kind = lastSegment(item.f);
      const path = joinPaths(prefix, strOf(item.args[0] ?? item.kw['path']) ?? '');
      if (kind === 'Mount') {
        this.findRouteLists(app, this.listValue(app.module, item.kw['routes'] ?? item.args[1]), path);
        continue;
      }
      if (kind !== 'Route' && kind !== 'APIRoute') continue;
      const endpoint = item.args[1] ?? item.kw['endpoint'];
      const sym = endpoint?.k === 'name' ? this.project.resolve(app.module, endpoint.v) : undefined;
      if (sym?.kind !== 'function') continue;
      const methods = listOf(item.kw['methods']).map(strOf).filter((m): m is string => m !== undefined).map((m) => m.toUpperCase());
      this.declarations.push({
        methods: methods.length > 0 ? methods : ['GET'],
        path,
        owner: app,
        handler: sym.ref,
        line: item.line,
        file: app.module.rel,
        module: app.module,
        dependencies: listOf(item.kw['dependencies']),
        decorators: sym.ref.facts.decorators,
      });
    }
  }

  private findApps(module: ModuleSummary): void {
    for (const a of module.assignments) {
      if (a.value.k !== 'call' || !mayConstructApp(module, a.value.f)) continue;
      const qualified = this.project.qualifiedCallee(module, a.value.f);
      const kind = CONSTRUCTORS[lastSegment(qualified)];
      if (!kind || !(FRAMEWORKS.test(qualified) || qualified === a.value.f)) continue;
      const prefix = strOf(a.value.kw['prefix'] ?? a.value.kw['url_prefix']) ?? '';
      const debug = a.value.kw['debug']?.k === 'const' && a.value.kw['debug'].v === 'True';
      this.apps.push({
        id: `${module.module}:${a.name}`, module, name: a.name, kind, line: a.line, prefix, debug,
        dependencies: listOf(a.value.kw['dependencies']),
        routeList: this.listValue(module, a.value.kw['routes']),
        middlewareList: this.listValue(module, a.value.kw['middleware']),
      });
    }
  }

  /** The app or router a dotted name refers to in a module (possibly imported). */
  appOf(module: ModuleSummary, name: string): AppObject | undefined {
    const sym = this.project.resolve(module, name);
    if (sym?.kind !== 'value') return undefined;
    return this.apps.find((a) => a.module === sym.module && a.name === sym.name);
  }

  private findRoutesAndMounts(module: ModuleSummary): void {
    for (const facts of module.functions) {
      if (facts.className) continue;
      for (const dec of facts.decorators) {
        if (dec.k !== 'call') continue;
        const [owner, method] = splitOwner(dec.f);
        if (!ROUTE_DECORATORS.has(method)) continue;
        const app = this.appOf(module, owner);
        if (!app) continue;
        this.declarations.push({
          methods: methodsOf(method, dec),
          path: strOf(dec.args[0] ?? dec.kw['path'] ?? dec.kw['rule']) ?? '',
          owner: app,
          handler: { module, facts },
          line: dec.line,
          file: module.rel,
          module,
          dependencies: listOf(dec.kw['dependencies']),
          decorators: facts.decorators.filter((d) => d !== dec),
        });
      }
    }
    for (const call of module.calls) {
      if (call.k !== 'call') continue;
      const [owner, method] = splitOwner(call.f);
      if (!owner || !REGISTRATIONS.has(method)) continue;
      const app = this.appOf(module, owner);
      if (!app) continue;
      if (method === 'include_router' || method === 'register_blueprint' || method === 'mount') {
        const childExpr = method === 'mount' ? call.args[1] ?? call.kw['app'] : call.args[0] ?? call.kw['router'] ?? call.kw['blueprint'];
        const child = childExpr?.k === 'name' ? this.appOf(module, childExpr.v) : undefined;
        if (!child) continue;
        const prefix = strOf(method === 'mount' ? call.args[0] ?? call.kw['path'] : call.kw['prefix'] ?? call.kw['url_prefix']) ?? '';
        this.mounts.push({ parent: app, child, prefix, dependencies: listOf(call.kw['dependencies']), module });
      } else if (method === 'add_api_route' || method === 'add_url_rule' || method === 'add_route') {
        const target = call.kw['endpoint'] ?? call.kw['view_func'] ?? call.args[method === 'add_url_rule' ? 2 : 1];
        const sym = target?.k === 'name' ? this.project.resolve(module, target.v) : undefined;
        if (sym?.kind !== 'function') continue;
        const methods = listOf(call.kw['methods']).map(strOf).filter((m): m is string => m !== undefined).map((m) => m.toUpperCase());
        this.declarations.push({
          methods: methods.length > 0 ? methods : ['GET'],
          path: strOf(call.args[0] ?? call.kw['path'] ?? call.kw['rule']) ?? '',
          owner: app,
          handler: sym.ref,
          line: call.line,
          file: module.rel,
          module,
          dependencies: listOf(call.kw['dependencies']),
          decorators: sym.ref.facts.decorators,
        });
      }
    }
  }

  /** Every route with its full path through each chain of mounts up to an application. */
  routes(): Route[] {
    const out: Route[] = [];
    for (const decl of this.declarations) {
      for (const chain of this.chains(decl.owner, 0)) {
        out.push({ ...decl, fullPath: joinPaths(chain.prefix, decl.path), ...(chain.app ? { app: chain.app } : {}), inherited: chain.dependencies });
      }
    }
    return out.sort((a, b) => compareText(a.fullPath, b.fullPath) || compareText(a.methods.join(), b.methods.join()));
  }

  private chains(obj: AppObject, depth: number): { prefix: string; dependencies: ScopedExpr[]; app?: AppObject }[] {
    const own = { prefix: obj.prefix, dependencies: obj.dependencies.map((expr) => ({ module: obj.module, expr })) };
    const parents = this.mounts.filter((m) => m.child === obj);
    if (parents.length === 0 || depth > 8) {
      return [{ ...own, ...(obj.kind === 'router' || obj.kind === 'blueprint' ? {} : { app: obj }) }];
    }
    return parents.flatMap((m) =>
      this.chains(m.parent, depth + 1).map((c) => ({
        // Flask's register_blueprint(url_prefix=...) replaces the blueprint's own prefix; FastAPI's prefixes add up.
        prefix: obj.kind === 'blueprint' && m.prefix ? joinPaths(c.prefix, m.prefix) : joinPaths(joinPaths(c.prefix, m.prefix), own.prefix),
        dependencies: [...c.dependencies, ...m.dependencies.map((expr) => ({ module: m.module, expr })), ...own.dependencies],
        ...(c.app ? { app: c.app } : {}),
      })),
    );
  }
}

function splitOwner(name: string): [string, string] {
  const i = name.lastIndexOf('.');
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)];
}

/** `@app.get` -> GET; `@app.route(..., methods=[...])` -> those; Flask and api_route default to GET. */
function methodsOf(method: string, dec: Extract<Expr, { k: 'call' }>): string[] {
  if (METHOD_DECORATORS.has(method)) return [method === 'websocket' ? 'WS' : method.toUpperCase()];
  const listed = listOf(dec.kw['methods']).map(strOf).filter((m): m is string => m !== undefined);
  return listed.length > 0 ? listed.map((m) => m.toUpperCase()) : ['GET'];
}

export function strOf(expr: Expr | undefined): string | undefined {
  return expr?.k === 'str' ? expr.v : undefined;
}

export function listOf(expr: Expr | undefined): Expr[] {
  return expr?.k === 'list' ? expr.items : [];
}

export function joinPaths(a: string, b: string): string {
  if (!a) return b || '/';
  if (!b) return a;
  return `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;
}
