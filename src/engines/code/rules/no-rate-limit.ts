import { defineCodeRule, type CodeHit } from '../context.js';
import { routeList, routeSuffix } from './shared.js';

export const noRateLimit = defineCodeRule({
  id: 'py.basic-auth.no-rate-limit',
  title: 'Basic-auth check without any throttling',
  category: 'authentication',
  severity: 'medium',
  confidence: 'medium',
  cwe: [307, 799],
  owasp: ['API2:2023', 'API4:2023'],
  summary:
    'Nothing on the path of this Basic-auth function limits attempts (no 429, no limiter decorator or middleware, no failed-attempt counter), so passwords can be guessed at line speed.',
  remediation: [
    'Throttle before the credential check runs, per client and per username. In FastAPI, route-level `dependencies=` run before parameter dependencies, e.g. with fastapi-limiter:',
    '',
    '```python',
    'from fastapi_limiter.depends import RateLimiter',
    '',
    '@app.get("/secure", dependencies=[Depends(RateLimiter(times=10, seconds=60))])',
    'def read_secure(user: str = Depends(get_current_user)): ...',
    '```',
    '',
    'A slowapi `@limiter.limit` decorator runs only when FastAPI calls the endpoint, after the auth dependency has already answered 401, so it does not slow a password guesser; use `SlowAPIMiddleware` with `default_limits`, a route dependency as above, or count failures in a bounded, expiring store and raise `HTTPException(status_code=429)` past a threshold.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/307.html', 'https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const root of ctx.auth.roots()) {
      if (ctx.auth.rateLimited(root)) continue;
      const routes = routeList(ctx, root);
      hits.push({
        file: root.module.rel,
        line: root.facts.line,
        message: `${root.facts.qname}() checks Basic credentials with no rate limit, 429 or failed-attempt counter on its path${routeSuffix(routes)}.`,
        key: root.facts.qname,
        details: { function: root.facts.qname, routes },
      });
    }
    return hits;
  },
});
