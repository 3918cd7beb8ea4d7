import { createFinding } from '../../../core/finding.js';
import { defineProbeRule, type ProbeContext } from '../context.js';
import { formatBytes } from '../growth.js';
import type { RssSample } from '../rss.js';

export const memoryGrowth = defineProbeRule({
  id: 'probe.memory-growth',
  title: 'Memory grows with every distinct credential',
  category: 'resource-consumption',
  severity: 'high',
  confidence: 'high',
  cwe: [401, 770, 316],
  owasp: ['API4:2023', 'API3:2023'],
  summary:
    'Driving thousands of logins with distinct credentials made the server\'s resident memory climb steadily, far more than a control run repeating one credential: something keeps per-credential state (often the decoded password) forever. Any client can exhaust memory, and a memory dump holds every password ever tried.',
  remediation: [
    'Keep decoded credentials inside the request: no module-level dict, list, cache or log buffer keyed by user, token or client. When a cache is really needed, bound it and give it a lifetime, and never store the password:',
    '',
    '```python',
    'from cachetools import TTLCache',
    'verified = TTLCache(maxsize=10_000, ttl=300)  # key: keyed hash of the token; value: user id only',
    '```',
    '',
    'Look for `credential_store[user] = ...`, `sessions.append(...)`, lru_cache on functions taking passwords, and per-IP maps that are pruned per key but never dropped. Re-run `portcullis probe` to confirm the growth is gone.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/401.html', 'https://cwe.mitre.org/data/definitions/316.html', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
  mode: 'active',
  budget: 25_000,
  check: ({ obs }: ProbeContext) => {
    const memory = obs.memory;
    const test = memory?.result.test;
    if (!memory || memory.result.verdict !== 'leak' || !test) return [];
    const control = memory.result.control;
    const perMillion = test.slope * 1_000_000;
    const why = memory.result.perRequest
      ? `A control run repeating one credential afterwards kept growing (${control!.slope.toFixed(0)} bytes/request): the app keeps something for every request, not only for every new credential.`
      : `A control run repeating one credential afterwards grew ${control ? `${Math.max(0, control.slope).toFixed(0)} bytes/request` : 'too little to fit'}: the growth follows distinct credentials.`;
    return [
      createFinding(memoryGrowth, {
        message: `RSS grew ${test.slope.toFixed(0)} bytes per request with distinct credentials (${formatBytes(perMillion)} per million requests; fit R² ${test.r2.toFixed(2)}, ${test.growingQuarters}/4 quarters growing, ${test.span} requests after warm-up). ${why}`,
        location: { method: obs.method, path: obs.path },
        confidence: test.r2 >= 0.8 ? 'high' : 'medium',
        evidence: [`distinct credentials: ${span(memory.test)}`, `one credential (control): ${span(memory.control)}`].join('\n'),
        details: {
          bytesPerRequest: Math.round(test.slope),
          projectedBytesPerMillionRequests: Math.round(perMillion),
          r2: round(test.r2, 3),
          growingQuarters: test.growingQuarters,
          controlBytesPerRequest: control ? Math.round(control.slope) : null,
          requests: memory.requests,
        },
      }),
    ];
  },
});

function span(samples: readonly RssSample[]): string {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return 'no samples';
  return `RSS ${formatBytes(first.rss)} -> ${formatBytes(last.rss)} over ${last.requests - first.requests} requests`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
