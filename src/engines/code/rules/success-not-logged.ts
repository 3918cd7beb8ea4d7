import { defineCodeRule, type CodeHit } from '../context.js';
import { OWASP_LOGGING, routeList, routeSuffix } from './shared.js';

export const successNotLogged = defineCodeRule({
  id: 'py.basic-auth.success-not-logged',
  title: 'Accepted Basic credentials are not logged',
  category: 'logging',
  severity: 'medium',
  confidence: 'medium',
  cwe: [778],
  owasp: [...OWASP_LOGGING],
  summary:
    'The path that accepts Basic credentials logs nothing, so a stolen password used successfully (after spraying, or from a new place) cannot be detected or reconstructed.',
  remediation: [
    'Log the success once, with the same fields as failures:',
    '',
    '```python',
    'logger.info("auth_success", extra={"event": "auth_success", "username": credentials.username,',
    '    "client_ip": request.client.host, "method": request.method, "path": request.url.path,',
    '    "request_id": request.state.request_id})',
    'return credentials.username',
    '```',
  ].join('\n'),
  references: ['https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/', 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const root of ctx.auth.roots()) {
      const routes = routeList(ctx, root);
      root.facts.exits.forEach((exit, i) => {
        if (!ctx.auth.isAcceptance(root, exit) || ctx.auth.exitLogged(root, exit)) return;
        hits.push({
          file: root.module.rel,
          line: exit.line,
          message: `${root.facts.qname}() accepts the credentials here without logging the success${routeSuffix(routes)}.`,
          key: `${root.facts.qname}#${i}`,
          details: { function: root.facts.qname, routes },
        });
      });
    }
    return hits;
  },
});
