import { defineCodeRule, type CodeHit } from '../context.js';
import { lastSegment } from '../python/expr.js';
import type { FunctionRef } from '../python/project.js';

export const tracebackExposed = defineCodeRule({
  id: 'py.traceback-exposed',
  title: 'Exception handler returns the traceback to the client',
  category: 'error-handling',
  severity: 'medium',
  confidence: 'high',
  cwe: [209, 497],
  owasp: ['API8:2023', 'A05:2021'],
  summary:
    'An exception handler (or a route) puts `traceback.format_exc()` into the response: file paths, code, library versions and sometimes credentials from local variables reach the caller.',
  remediation: [
    'Log the traceback server-side with a request id and return a generic body:',
    '',
    '```python',
    '@app.exception_handler(Exception)',
    'async def on_error(request: Request, exc: Exception):',
    '    request_id = request.headers.get("x-request-id", "-")',
    '    logger.exception("unhandled_error", extra={"request_id": request_id, "path": request.url.path})',
    '    return JSONResponse({"detail": "Internal server error", "request_id": request_id}, status_code=500)',
    '```',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/209.html', 'https://fastapi.tiangolo.com/tutorial/handling-errors/'],
  check(ctx) {
    const handlers = new Map<string, FunctionRef>();
    const add = (ref: FunctionRef): void => void handlers.set(`${ref.module.rel}:${ref.facts.qname}`, ref);
    for (const route of ctx.auth.routes) add(route.handler);
    for (const module of ctx.project.summaries) {
      for (const facts of module.functions) {
        if (facts.decorators.some((d) => d.k === 'call' && ['exception_handler', 'errorhandler', 'app_errorhandler'].includes(lastSegment(d.f)))) add({ module, facts });
      }
      for (const call of module.calls) {
        if (call.k !== 'call' || !['add_exception_handler', 'register_error_handler'].includes(lastSegment(call.f))) continue;
        const target = call.args[1];
        const sym = target?.k === 'name' ? ctx.project.resolve(module, target.v) : undefined;
        if (sym?.kind === 'function') add(sym.ref);
      }
    }
    const hits: CodeHit[] = [];
    for (const handler of handlers.values()) {
      const ref = ctx.project.analysed(handler);
      for (const line of ref.facts.tracebackReturns) {
        hits.push({ file: ref.module.rel, line, message: `${ref.facts.qname}() returns a formatted traceback to the client.`, key: ref.facts.qname });
      }
    }
    return hits;
  },
});
