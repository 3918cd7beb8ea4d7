import { describe, expect, it } from 'vitest';
import { SessionSecrets } from '../../src/mcp/secrets.js';

describe('SessionSecrets', () => {
  it('masks every form of an auth argument and keeps rendered JSON well-formed', () => {
    const secrets = new SessionSecrets().addAuth('basic:alice:pa"ss\\word');
    const json = JSON.stringify({ a: 'pa"ss\\word', b: Buffer.from('alice:pa"ss\\word').toString('base64'), c: encodeURIComponent('pa"ss\\word'), d: 'if request.authorization: ok' });
    const out = secrets.redact(json);
    expect(JSON.parse(out)).toEqual({ a: '[REDACTED]', b: '[REDACTED]', c: '[REDACTED]', d: 'if request.authorization: ok' });
  });

  it('knows bearer, header and cookie values and URL user-info, and ignores strings too short to mean anything', () => {
    const secrets = new SessionSecrets().addAuth('bearer:tok-123').addAuth('header:X-Key:key-456').addAuth('cookie:sid=cookie-789').addUrl('http://bob:url-pass@127.0.0.1/');
    expect(secrets.redact('tok-123 key-456 cookie-789 url-pass bob:url-pass')).toBe('[REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED]');
    expect(new SessionSecrets().addAuth('basic:a:xy').redact('xy and a:xy')).toBe('xy and [REDACTED]');
  });
});
