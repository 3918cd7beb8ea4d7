import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { apiKeyInQuery } from './api-key-in-query.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const specWith = (where: 'query' | 'header') => ({
  openapi: '3.0.3',
  info: { title: 'keys', version: '1' },
  components: { securitySchemes: { key: { type: 'apiKey', in: where, name: 'api_key' } } },
  paths: {
    '/health': { get: { responses: { '200': { description: 'ok' } } } },
    '/api/items': { get: { security: [{ key: [] }], responses: { '200': { description: 'ok' } } } },
  },
});

describe('auth.api-key-in-query', () => {
  it('positive: an apiKey scheme in the query string', async () => {
    server = await startAuthApi({ spec: specWith('query') });
    const report = await runScan({ target: server.url, rules: [apiKeyInQuery], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.api-key-in-query GET /api/items']);
    expect(report.findings[0]!.message).toContain('"api_key"');
  });

  it('negative: the same scheme in a header', async () => {
    server = await startAuthApi({ spec: specWith('header') });
    const report = await runScan({ target: server.url, rules: [apiKeyInQuery], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });
});
