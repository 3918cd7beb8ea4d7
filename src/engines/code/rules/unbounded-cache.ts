import { defineCodeRule, type CodeHit } from '../context.js';
import { lastSegment, type Expr } from '../python/expr.js';
import type { FunctionRef } from '../python/project.js';
import { evictedContainers } from './shared.js';

const GROWING = new Set(['dict', 'list', 'set', 'defaultdict', 'OrderedDict', 'Counter', 'deque']);

/** A container value that can grow without a bound (a deque with maxlen is bounded). */
function isUnboundedContainer(value: Expr): boolean {
  if (value.k === 'dict' || value.k === 'list') return true;
  if (value.k !== 'call') return false;
  const name = lastSegment(value.f);
  if (!GROWING.has(name)) return false;
  return !(name === 'deque' && ('maxlen' in value.kw || value.args.length >= 2));
}

function unboundedCacheDecorator(decorators: Expr[]): Expr | undefined {
  return decorators.find((d) => {
    if (d.k === 'name') return lastSegment(d.v) === 'cache' && /^(functools\.)?cache$/.test(d.v);
    if (d.k !== 'call' || lastSegment(d.f) !== 'lru_cache') return false;
    const maxsize = d.kw['maxsize'] ?? d.args[0];
    return maxsize?.k === 'const' && maxsize.v === 'None';
  });
}

export const unboundedCache = defineCodeRule({
  id: 'py.unbounded-cache',
  title: 'Module-level cache grows per request without eviction',
  category: 'resource-consumption',
  severity: 'medium',
  confidence: 'medium',
  cwe: [400, 401, 770],
  owasp: ['API4:2023'],
  summary:
    'A module-level container is added to on every request (per IP, per user) and nothing ever removes entries, or a function called with request data is memoised without a size limit: memory grows until the process dies, and an attacker controls the growth.',
  remediation: [
    'Bound the store and let entries expire:',
    '',
    '```python',
    'from cachetools import TTLCache',
    'failed_attempts = TTLCache(maxsize=100_000, ttl=60)  # per-IP counters expire by themselves',
    '',
    '@functools.lru_cache(maxsize=1024)  # not maxsize=None / @functools.cache',
    'def lookup_user(username: str) -> User | None: ...',
    '```',
    '',
    'Or delete keys once they are stale (`failed_attempts.pop(ip, None)`), or keep the state in Redis with an expiry.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/770.html', 'https://docs.python.org/3/library/functools.html#functools.lru_cache'],
  check(ctx) {
    const hits: CodeHit[] = [];
    const scoped = ctx.auth.requestScoped();
    const evicted = evictedContainers(ctx);
    const reported = new Set<string>();
    for (const ref of scoped.values()) {
      for (const store of ref.facts.stores) {
        if (store.local) continue;
        const def = ctx.auth.containerDefinition(ref, store.container);
        if (!def || !isUnboundedContainer(def.value)) continue;
        const id = `${def.module.rel}:${def.name}`;
        if (evicted.has(id) || reported.has(id)) continue;
        reported.add(id);
        hits.push({
          file: def.module.rel,
          line: def.line,
          message: `\`${def.name}\` grows on every request (${ref.facts.qname}() at ${ref.module.rel}:${store.line}) and no code removes its entries: unbounded memory, driven by clients.`,
          key: `container:${def.name}`,
        });
      }
    }
    const callers = (target: FunctionRef): boolean =>
      [...scoped.values()].some((ref) => ref.facts.calls.some((c) => {
        const t = ctx.project.callTarget(ref, c.callee);
        return t !== undefined && t.module === target.module && t.facts.qname === target.facts.qname;
      }));
    for (const module of ctx.project.summaries) {
      for (const facts of module.functions) {
        const decorator = unboundedCacheDecorator(facts.decorators);
        if (!decorator) continue;
        const ref = { module, facts };
        if (!callers(ref) && !scoped.has(`${module.rel}:${facts.qname}:${facts.line}`)) continue;
        hits.push({
          file: module.rel,
          line: decorator.line,
          message: `${facts.qname}() is memoised without a size limit and is called with request data: every distinct argument stays in memory.`,
          key: `memo:${facts.qname}`,
        });
      }
    }
    return hits;
  },
});
