import { defineCodeRule, type CodeHit } from '../context.js';
import { OWASP_LOGGING, routeList, routeSuffix } from './shared.js';

export const failureNotLogged = defineCodeRule({
  id: 'py.basic-auth.failure-not-logged',
  title: 'Rejected Basic credentials are not logged',
  category: 'logging',
  severity: 'high',
  confidence: 'high',
  cwe: [778, 223],
  owasp: [...OWASP_LOGGING],
  summary:
    'A code path that rejects Basic credentials (401/403) has no log call before it, in the function or in what it calls, so brute force and credential stuffing leave no trace.',
  remediation: [
    'Log every rejection before raising, with the context monitoring needs (username or its hash, client IP, method, path, outcome, request id):',
    '',
    '```python',
    'if not ok:',
    '    logger.warning("auth_failure", extra={"event": "auth_failure", "username": credentials.username,',
    '        "client_ip": request.client.host, "method": request.method, "path": request.url.path,',
    '        "request_id": request.headers.get("x-request-id")})',
    '    raise HTTPException(status_code=401, detail="Invalid credentials", headers={"WWW-Authenticate": "Basic"})',
    '```',
  ].join('\n'),
  references: ['https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/', 'https://cwe.mitre.org/data/definitions/778.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const root of ctx.auth.roots()) {
      const routes = routeList(ctx, root);
      for (const ref of ctx.auth.closure(root)) {
        ref.facts.exits.forEach((exit, i) => {
          if (!ctx.auth.isRejection(ref, exit) || ctx.auth.exitLogged(ref, exit)) return;
          hits.push({
            file: ref.module.rel,
            line: exit.line,
            message: `${ref.facts.qname}() rejects credentials (${exit.status ?? exit.value}) without logging the failure${routeSuffix(routes)}.`,
            key: `${root.facts.qname}>${ref.facts.qname}#${i}`,
            details: { function: ref.facts.qname, authFunction: root.facts.qname, routes },
          });
        });
      }
    }
    return hits;
  },
});
