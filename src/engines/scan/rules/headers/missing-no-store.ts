import { defineScanRule } from '../../context.js';
import { evidenceOf, pathOf } from '../../evidence.js';
import { authenticatedSuccesses } from './scope.js';

export function forbidsStorage(cacheControl: string | undefined): boolean {
  return /(^|[\s,])no-store([\s,;]|$)/i.test(cacheControl ?? '');
}

export const missingNoStore = defineScanRule({
  id: 'headers.missing-no-store',
  title: 'Authenticated response may be cached',
  category: 'data-exposure',
  severity: 'medium',
  confidence: 'high',
  cwe: [524, 525],
  owasp: ['API8:2023', 'API3:2023'],
  summary:
    'A response that needed credentials does not send Cache-Control: no-store, so browsers, proxies and CDNs may keep a copy of private data and serve it to the next user of the machine or the cache.',
  remediation: [
    'Mark every authenticated response as not storable:',
    '',
    '```python',
    '# FastAPI: on the protected router',
    'async def no_store(response: Response):',
    '    response.headers["Cache-Control"] = "no-store"',
    'router = APIRouter(dependencies=[Depends(require_user), Depends(no_store)])',
    '```',
    '',
    '```python',
    '# Flask',
    '@app.after_request',
    'def no_store(response):',
    '    if request.authorization:',
    '        response.headers["Cache-Control"] = "no-store"',
    '    return response',
    '```',
  ].join('\n'),
  references: ['https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5', 'https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    const offending = authenticatedSuccesses(ctx).filter((e) => !forbidsStorage(e.response!.headers['cache-control']));
    const first = offending[0];
    if (!first) return;
    ctx.report({
      message: `${offending.length} authenticated response(s) without Cache-Control: no-store, first ${first.method} ${pathOf(first)}.`,
      location: { method: first.method, path: pathOf(first) },
      evidence: evidenceOf(first),
      details: { paths: [...new Set(offending.map(pathOf))].slice(0, 20) },
    });
  },
});
