import { defineScanRule } from '../../context.js';
import { evidenceOf } from '../../evidence.js';

export const serverError = defineScanRule({
  id: 'exposure.server-error',
  title: 'Plain request answered with an internal server error',
  category: 'error-handling',
  severity: 'low',
  confidence: 'medium',
  cwe: [755, 248],
  owasp: ['API8:2023'],
  summary:
    'A well-formed GET from the spec (or to the target URL), with or without credentials, answers 500. Something in the handler or its dependencies fails on ordinary input: the operation is broken for clients, and unhandled errors in auth dependencies often mean checks never ran as intended.',
  remediation: [
    'Reproduce the request, read the server log for the exception and fix the handler. In FastAPI a',
    'dependency must be a callable whose parameters FastAPI can resolve; wrapping it in a lambda hides them:',
    '',
    '```python',
    '# wrong: FastAPI sees a query parameter `r` and passes strings into get_current_user',
    '@app.get("/secure")',
    'def read_secure(user: str = Depends(lambda r: get_current_user(request=r))): ...',
    '',
    '# right: let FastAPI inject Request and the credentials itself',
    'def get_current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)): ...',
    '@app.get("/secure")',
    'def read_secure(user: str = Depends(get_current_user)): ...',
    '```',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/755.html', 'https://fastapi.tiangolo.com/tutorial/dependencies/'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    for (const probe of ctx.probes) {
      for (const exchange of [probe.anonymous, probe.authenticated]) {
        if (exchange?.response?.status !== 500) continue;
        const who = exchange === probe.anonymous ? 'without credentials' : 'with the --auth credentials';
        ctx.report({
          message: `${probe.operation.method} ${probe.operation.pathTemplate} answered 500 to a plain request ${who}.`,
          location: { method: probe.operation.method, path: probe.operation.pathTemplate },
          evidence: evidenceOf(exchange),
        });
        break;
      }
    }
  },
});
