import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  it('masks a Basic password in every form it travels in', () => {
    const r = new Redactor().addBasic('alice', 's3cr3t-Pass!');
    const token = Buffer.from('alice:s3cr3t-Pass!').toString('base64');
    const text = `pw=s3cr3t-Pass! token=${token} url=s3cr3t-Pass%21 pair=alice:s3cr3t-Pass!`;
    const out = r.redact(text);
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toContain(token);
    expect(out.split(REDACTED).length - 1).toBe(4);
  });

  it('masks Authorization, Cookie and API-key header values it was never told about', () => {
    const out = new Redactor().redact('GET / HTTP/1.1\r\nAuthorization: Bearer abc.def\r\nCookie: sid=1\r\nX-Api-Key: k\r\nAccept: */*');
    expect(out).toContain(`Authorization: ${REDACTED}`);
    expect(out).toContain(`Cookie: ${REDACTED}`);
    expect(out).toContain(`X-Api-Key: ${REDACTED}`);
    expect(out).toContain('Accept: */*');
  });

  it('redacts deeply through objects and arrays', () => {
    const r = new Redactor().add('tok-123456');
    expect(r.redactDeep({ a: ['x tok-123456'], b: { c: 'tok-123456' }, n: 1 })).toEqual({ a: [`x ${REDACTED}`], b: { c: REDACTED }, n: 1 });
  });
});
