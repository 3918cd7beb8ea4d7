import { defineCodeRule, type CodeHit } from '../context.js';
import { analysedFunctions, evictedContainers } from './shared.js';

export const credentialRetained = defineCodeRule({
  id: 'py.basic-auth.credential-retained',
  title: 'Credential-derived values kept in module-level state',
  category: 'data-exposure',
  severity: 'high',
  confidence: 'high',
  cwe: [316, 401, 212],
  owasp: ['API3:2023', 'API4:2023'],
  summary:
    'Values derived from credentials (password, decoded token, username) are stored in a module-level, class-level or global container that outlives the request: a memory leak that grows with traffic and a store of secrets that a dump, a debug page or a bug can expose.',
  remediation: [
    'Keep credentials inside the request: check them and return only the identity.',
    '',
    '```python',
    'def get_basic_auth(credentials: HTTPBasicCredentials = Depends(security)) -> str:',
    '    if not verify(credentials.username, credentials.password):',
    '        raise HTTPException(status_code=401, headers={"WWW-Authenticate": "Basic"})',
    '    return credentials.username  # nothing stored globally',
    '```',
    '',
    'If something must be cached, cache a non-secret result in a bounded, expiring store (e.g. `cachetools.TTLCache(maxsize=10_000, ttl=300)`), never the password or header.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/316.html', 'https://cwe.mitre.org/data/definitions/401.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    const evicted = evictedContainers(ctx);
    for (const ref of analysedFunctions(ctx)) {
      for (const store of ref.facts.stores) {
        const taint = store.value ?? store.key;
        if (!taint || store.local || taint.kind === 'param') continue;
        const where = ctx.auth.containerDefinition(ref, store.container);
        if (!where) continue;
        // A bounded table keyed by username (sessions with eviction) keeps no secret and does not leak.
        if (!store.value && evicted.has(`${where.module.rel}:${where.name}`)) continue;
        const what = store.value ? `\`${store.value.via}\` (${store.value.kind})` : `entries keyed by \`${store.key!.via}\``;
        hits.push({
          file: ref.module.rel,
          line: store.line,
          message: `${ref.facts.qname}() stores ${what} in module-level \`${store.container}\` (${where.module.rel}:${where.line}): it is never released (memory leak) and keeps credential data readable for the life of the process (data exposure).`,
          key: `${ref.facts.qname}:${store.container}:${store.op}`,
        });
      }
    }
    return hits;
  },
});
