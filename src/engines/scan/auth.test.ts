import { afterEach, describe, expect, it } from 'vitest';
import { startAuthApi, type LocalServer } from '../../../test/scan/servers.js';
import { renderReportFormats } from '../../../test/scan/formats.js';
import { ToolError } from '../../core/errors.js';
import { authHeaders, parseAuth } from './auth.js';
import { runScan } from './engine.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('parseAuth', () => {
  it.each([
    ['basic:alice:pa:ss:word', { kind: 'basic', user: 'alice', password: 'pa:ss:word' }],
    ['basic:alice:', { kind: 'basic', user: 'alice', password: '' }],
    ['BEARER:abc.def.ghi', { kind: 'bearer', token: 'abc.def.ghi' }],
    ['header:X-API-Key:k:e:y', { kind: 'header', name: 'x-api-key', value: 'k:e:y' }],
    ['cookie:session=a=b', { kind: 'cookie', name: 'session', value: 'a=b' }],
  ])('%s', (text, expected) => {
    expect(parseAuth(text)).toEqual(expected);
  });

  it.each(['basic', 'basic::pw', 'bearer:', 'header:bad name:v', 'header:novalue', 'cookie:novalue', 'digest:a:b', 's3cr3t-only'])('rejects %j without repeating it', (text) => {
    expect(() => parseAuth(text)).toThrow(ToolError);
    try {
      parseAuth(text);
    } catch (error) {
      if (text.includes('s3cr3t')) expect((error as Error).message).not.toContain('s3cr3t');
    }
  });
});

describe('credentials on the wire and in reports', () => {
  it.each([
    ['bearer:tok-123456', { authorization: 'Bearer tok-123456' }],
    ['header:X-API-Key:key-123456', { 'x-api-key': 'key-123456' }],
    ['cookie:session=sess-123456', { cookie: 'session=sess-123456' }],
  ])('%s is sent as such and redacted in every format', async (auth, headers) => {
    expect(authHeaders(parseAuth(auth))).toEqual(headers);
    server = await startAuthApi({ reflectCredentials: true });
    const report = await runScan({ target: server.url, tier: 'quick', auth });
    const [name, value] = Object.entries(headers)[0]!;
    expect(server.requests.some((r) => r.headers[name] === value)).toBe(true);
    for (const [format, text] of renderReportFormats(report)) expect(text, format).not.toContain('123456');
  });
});
