import { defineCodeRule, type CodeContext, type CodeHit } from '../context.js';
import { dependencyTarget } from '../python/auth.js';
import { lastSegment, type Expr } from '../python/expr.js';
import type { ModuleSummary, Param } from '../python/model.js';
import type { FunctionRef } from '../python/project.js';

/** Annotations FastAPI fills itself, whatever the parameter is called. */
const INJECTED_TYPES = new Set(['Request', 'HTTPConnection', 'WebSocket', 'SecurityScopes']);

export const dependencyCalledDirectly = defineCodeRule({
  id: 'py.fastapi.dependency-called-directly',
  title: 'Dependency called directly inside a lambda or wrapper given to Depends()',
  category: 'authentication',
  severity: 'high',
  confidence: 'high',
  cwe: [287, 573],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'A function whose parameters are themselves `Depends(...)`/`Security(...)` or a `Request` is called directly from a lambda or wrapper passed to `Depends()`. FastAPI injects only the parameters of the callable it is given, so the inner call gets the `Depends(...)` marker object (or a default such as None) instead of the credentials and the request: the auth check crashes with a 500 or, in variants, passes without checking, and the lambda\'s own parameters become required query parameters.',
  remediation: [
    'Give FastAPI the dependency itself and let it resolve the sub-dependencies; declare `request: Request` where the request is needed (FastAPI injects it without `Depends`).',
    '',
    '```python',
    'def get_current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)) -> str:',
    '    ...',
    '',
    '@app.get("/secure")',
    'def read_secure(user: str = Depends(get_current_user)):',
    '    return {"message": f"Hello {user}"}',
    '```',
    '',
    'A wrapper that must call the dependency declares the same sub-dependencies itself and passes them on, e.g. `def get_admin(request: Request, credentials = Depends(security)): user = get_current_user(request, credentials)`.',
  ].join('\n'),
  references: [
    'https://fastapi.tiangolo.com/tutorial/dependencies/sub-dependencies/',
    'https://fastapi.tiangolo.com/advanced/using-request-directly/',
    'https://cwe.mitre.org/data/definitions/287.html',
  ],
  check(ctx) {
    const hits = new Map<string, CodeHit>();
    const add = (hit: CodeHit): void => {
      hits.set(`${hit.file}:${hit.key}`, hit);
    };
    // `summaries` is a copy: modules first parsed while resolving below are not searched for sites (every file naming fastapi is indexed up front).
    for (const module of ctx.project.summaries) {
      for (const facts of module.functions) {
        for (const p of facts.params) checkSite(ctx, module, p.default, `${facts.qname}(${p.name})`, add);
      }
    }
    for (const route of ctx.auth.routes) {
      for (const dep of route.dependencies) checkSite(ctx, route.module, dep, `${route.handler.facts.qname} dependencies`, add);
      for (const dep of route.inherited) checkSite(ctx, dep.module, dep.expr, 'inherited dependencies', add);
    }
    return [...hits.values()];
  },
});

/** One `Depends(x)` / `Security(x)`: a lambda's calls, or the calls made by the function it names. */
function checkSite(ctx: CodeContext, module: ModuleSummary, expr: Expr | undefined, site: string, add: (hit: CodeHit) => void): void {
  const target = dependencyTarget(expr);
  if (!target) return;
  if (target.k === 'lambda') {
    for (const call of callsIn(target.body)) {
      const sym = ctx.project.resolve(module, call.f);
      if (sym?.kind !== 'function') continue;
      const problems = lambdaProblems(sym.ref, call, target.params);
      if (problems.length === 0) continue;
      add({
        file: module.rel,
        line: target.line,
        message: `${site} depends on a lambda that calls ${sym.ref.facts.qname}() directly, so FastAPI injects nothing into it: ${problems.join('; ')}. The auth in ${sym.ref.facts.qname}() does not run as written.`,
        key: `${site}->${sym.ref.facts.qname}`,
        evidence: `Depends(lambda${target.params.length > 0 ? ` ${target.params.join(', ')}` : ''}: ${call.f}(...))`,
        details: { function: sym.ref.facts.qname, via: 'lambda' },
      });
    }
    return;
  }
  const wrapper = wrapperOf(ctx, module, target);
  if (wrapper) checkWrapper(ctx, wrapper.ref, wrapper.role, add);
}

/**
 * The function whose body makes the calls FastAPI runs for a dependency: a def, a factory (its
 * nested defs are analysed as part of it), a class (`__init__`) or a class instance (`__call__`).
 */
function wrapperOf(ctx: CodeContext, module: ModuleSummary, target: Expr): { ref: FunctionRef; role: string } | undefined {
  const name = target.k === 'name' ? target.v : target.k === 'call' ? target.f : '';
  if (!name) return undefined;
  const sym = ctx.project.resolve(module, name);
  let ref: FunctionRef | undefined;
  if (sym?.kind === 'function') ref = sym.ref;
  else if (sym?.kind === 'class') ref = ctx.project.method(sym.module, sym.cls, target.k === 'call' ? '__call__' : '__init__');
  else if (sym?.kind === 'value' && sym.value.k === 'call') {
    const ctor = ctx.project.resolve(sym.module, sym.value.f);
    if (ctor?.kind === 'class') ref = ctx.project.method(ctor.module, ctor.cls, '__call__');
  }
  if (!ref) return undefined;
  return { ref, role: sym?.kind === 'function' && target.k === 'call' ? 'returns a dependency that' : 'is a dependency that' };
}

function checkWrapper(ctx: CodeContext, ref: FunctionRef, role: string, add: (hit: CodeHit) => void): void {
  const wrapper = ctx.project.analysed(ref);
  for (const call of wrapper.facts.calls) {
    // `*args, **kwargs` forwarding (functools.wraps keeps the signature FastAPI reads): not judged.
    if (call.splat) continue;
    const callee = ctx.project.callTarget(wrapper, call.callee);
    if (!callee || callee.facts.qname === wrapper.facts.qname) continue;
    const missing = unsupplied(callee, call.args.length, Object.keys(call.kwargs));
    if (missing.length === 0) continue;
    add({
      file: wrapper.module.rel,
      line: call.line,
      message: `${wrapper.facts.qname}() ${role} calls ${callee.facts.qname}() directly, and FastAPI injects only that function's own parameters: ${missing.map(problemOf).join('; ')}. The auth in ${callee.facts.qname}() does not run as written.`,
      key: `${wrapper.facts.qname}->${callee.facts.qname}`,
      evidence: `${call.callee}(...)`,
      details: { function: callee.facts.qname, via: wrapper.facts.qname, missing: missing.map((p) => p.name) },
    });
  }
}

/** A lambda has nothing injected to pass on: every injected parameter of its callee gets the wrong value. */
function lambdaProblems(callee: FunctionRef, call: Extract<Expr, { k: 'call' }>, lambdaParams: string[]): string[] {
  const problems: string[] = [];
  ownParams(callee).forEach((p, i) => {
    if (!isInjected(p)) return;
    const arg = i < call.args.length ? call.args[i] : call.kw[p.name];
    if (!arg) problems.push(problemOf(p));
    else if (arg.k === 'name' && lambdaParams.includes(arg.v)) problems.push(`\`${p.name}\` is the lambda parameter \`${arg.v}\`, which FastAPI fills from the query string, not ${injectedWhat(p)}`);
    else problems.push(`\`${p.name}\` is ${arg.k === 'const' ? arg.v : 'a value the lambda builds'}, not ${injectedWhat(p)}`);
  });
  return problems;
}

/** Injected parameters of `callee` that a call with `positional` arguments and these keywords does not pass. */
function unsupplied(callee: FunctionRef, positional: number, keywords: string[]): Param[] {
  return ownParams(callee).filter((p, i) => isInjected(p) && i >= positional && !keywords.includes(p.name));
}

/** Parameters a caller passes (a method's `self`/`cls` is bound already). */
function ownParams(ref: FunctionRef): Param[] {
  const params = ref.facts.params.filter((p) => !p.star);
  return ref.facts.className && ['self', 'cls'].includes(params[0]?.name ?? '') ? params.slice(1) : params;
}

function isInjected(p: Param): boolean {
  return isMarker(p.default) || (p.annotation ?? '').split(/[^\w.]+/).some((t) => INJECTED_TYPES.has(lastSegment(t)));
}

function isMarker(expr: Expr | undefined): boolean {
  return expr?.k === 'call' && /^(Depends|Security)$/.test(lastSegment(expr.f));
}

function problemOf(p: Param): string {
  return `\`${p.name}\` ${defaultText(p)}, not ${injectedWhat(p)}`;
}

function defaultText(p: Param): string {
  if (isMarker(p.default)) return 'is the Depends marker object itself';
  if (p.default?.k === 'const') return `is its default ${p.default.v}`;
  return p.default ? 'is its default value' : 'is missing (TypeError)';
}

function injectedWhat(p: Param): string {
  return isMarker(p.default) ? 'the resolved dependency' : 'the Request';
}

/** Every call inside a lambda body, outermost first. */
function callsIn(expr: Expr): Extract<Expr, { k: 'call' }>[] {
  switch (expr.k) {
    case 'call':
      return [expr, ...expr.args.flatMap(callsIn), ...Object.values(expr.kw).flatMap(callsIn)];
    case 'list':
      return expr.items.flatMap(callsIn);
    case 'dict':
      return expr.pairs.flatMap(([k, v]) => [...callsIn(k), ...callsIn(v)]);
    default:
      return [];
  }
}
