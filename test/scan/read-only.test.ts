import { afterEach, describe, expect, it } from 'vitest';
import { runScan } from '../../src/engines/scan/engine.js';
import { DEFAULT_SPEC, USERS, expectValidReport, startAuthApi, type LocalServer } from './servers.js';

// A recording target: the server logs every request it receives, so the promise is checked where
// it matters, on the wire.

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const WRITE_SPEC = {
  ...DEFAULT_SPEC,
  paths: {
    ...DEFAULT_SPEC.paths,
    '/api/items': {
      get: { responses: { '200': { description: 'ok' } } },
      post: { responses: { '201': { description: 'created' } } },
    },
    '/api/items/{id}': {
      ...DEFAULT_SPEC.paths['/api/items/{id}'],
      put: { responses: { '200': { description: 'ok' } } },
      patch: { responses: { '200': { description: 'ok' } } },
      delete: { responses: { '204': { description: 'gone' } } },
    },
    '/admin/users': { get: { responses: { '200': { description: 'ok' } } }, delete: { responses: { '204': { description: 'gone' } } } },
  },
};

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

describe('read-only promise', () => {
  it('a full deep scan of an API with write operations sends only GET, HEAD and OPTIONS', async () => {
    server = await startAuthApi({ spec: WRITE_SPEC, crashOnMalformed: true, reflectCredentials: true });
    const report = await runScan({ target: server.url, tier: 'deep', auth: `basic:alice:${USERS['alice']}`, knownUser: 'alice' });
    expectValidReport(report);
    const methods = new Set(server.requests.map((r) => r.method));
    expect([...methods].filter((m) => !READ_ONLY.has(m))).toEqual([]);
    expect(methods).toEqual(new Set(['GET', 'HEAD', 'OPTIONS']));
    expect(server.requests.length).toBe(report.stats['requests']);
    expect(report.findings.length).toBeGreaterThan(5);
  });

  it.each([25, 60, 140])('a deep scan never exceeds --max-requests %i', async (maxRequests) => {
    server = await startAuthApi({ spec: WRITE_SPEC, crashOnMalformed: true });
    const report = await runScan({ target: server.url, tier: 'deep', maxRequests, auth: `basic:alice:${USERS['alice']}`, knownUser: 'alice' });
    expectValidReport(report);
    expect(server.requests.length).toBeLessThanOrEqual(maxRequests);
    expect(server.requests.every((r) => READ_ONLY.has(r.method))).toBe(true);
    expect(report.stats['requests']).toBe(server.requests.length);
    expect(report.warnings.join('\n')).toMatch(/budget/);
  });
});
