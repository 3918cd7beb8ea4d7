import { defineCodeRule, type CodeHit } from '../context.js';
import { CONTEXT_FIELDS } from '../python/logging.js';
import { OWASP_LOGGING, routeList, routeSuffix } from './shared.js';

export const logMissingContext = defineCodeRule({
  id: 'py.basic-auth.log-missing-context',
  title: 'Auth log call lacks the fields monitoring needs',
  category: 'logging',
  severity: 'medium',
  confidence: 'medium',
  cwe: [778, 117],
  owasp: [...OWASP_LOGGING],
  summary:
    'An authentication log line without username (or its hash), client IP, path, method, outcome and request id cannot drive alerts (many failures from one IP) or forensics.',
  remediation: [
    'Emit one structured event per outcome with every field as its own key:',
    '',
    '```python',
    'logger.warning("auth_failure", extra={"event": "auth_failure", "outcome": "failure",',
    '    "username": credentials.username, "client_ip": request.client.host,',
    '    "method": request.method, "path": request.url.path, "request_id": request.state.request_id})',
    '```',
    '',
    'With structlog: `log.warning("auth_failure", username=u, client_ip=ip, method=m, path=p, request_id=rid)`.',
  ].join('\n'),
  references: ['https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html', 'https://cwe.mitre.org/data/definitions/778.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    const seen = new Set<string>();
    for (const root of ctx.auth.roots()) {
      const routes = routeList(ctx, root);
      for (const ref of ctx.auth.closure(root)) {
        ref.facts.logs.forEach((log, i) => {
          if (log.dynamic) return;
          const missing = CONTEXT_FIELDS.filter((f) => !log.fields.includes(f));
          const id = `${ref.module.rel}:${log.line}`;
          if (missing.length === 0 || seen.has(id)) return;
          seen.add(id);
          hits.push({
            file: ref.module.rel,
            line: log.line,
            message: `Auth log call in ${ref.facts.qname}() lacks ${missing.join(', ')}${routeSuffix(routes)}.`,
            key: `${ref.facts.qname}#${i}`,
            details: { missing, function: ref.facts.qname, routes },
          });
        });
      }
    }
    return hits;
  },
});
