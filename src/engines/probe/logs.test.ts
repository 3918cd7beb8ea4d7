import { describe, expect, it } from 'vitest';
import { contextOf, parseLogLine } from './logs.js';

describe('parseLogLine', () => {
  it.each([
    ['JSON lines, nested', '{"level":"warning","event":"auth_failure","http":{"method":"GET"},"user":"bob"}', 'json', { event: 'auth_failure', 'http.method': 'GET', user: 'bob' }],
    ['logfmt', 'ts=2026-01-01T00:00:00Z level=warn msg="login failed" user=bob ip=10.0.0.1', 'logfmt', { msg: 'login failed', user: 'bob', ip: '10.0.0.1' }],
    ['Python default format', 'WARNING:auth:login failed user=bob', 'python', { level: 'warning', logger: 'auth', user: 'bob' }],
    ['Python asctime format with a dict of extras', "2026-01-01 10:00:00,123 WARNING auth_failure {'username': 'bob', 'client_ip': '10.0.0.1'}", 'python', { username: 'bob', client_ip: '10.0.0.1' }],
    ['uvicorn access line', 'INFO:     127.0.0.1:52344 - "GET /secure?x=1 HTTP/1.1" 401 Unauthorized', 'access', { client_ip: '127.0.0.1', method: 'GET', path: '/secure?x=1', status: '401' }],
    ['gunicorn / combined access line', '10.1.2.3 - - [23/Nov/2026:19:00:00 +0000] "POST /login HTTP/1.1" 403 12 "-" "curl/8"', 'access', { client_ip: '10.1.2.3', method: 'POST', status: '403' }],
    ['werkzeug access line', '127.0.0.1 - - [23/Nov/2026 19:00:00] "GET /secure HTTP/1.1" 401 -', 'access', { method: 'GET', path: '/secure', status: '401' }],
  ])('%s', (_name, text, format, fields) => {
    const parsed = parseLogLine(text);
    expect(parsed.format).toBe(format);
    expect(parsed.fields).toMatchObject(fields);
  });

  it('falls back to plain text', () => {
    expect(parseLogLine('Auth failed').format).toBe('text');
  });
});

describe('contextOf', () => {
  const known = { ip: '127.0.0.1', path: '/secure', method: 'GET', requestId: 'rid-1' };

  it('reads fields by name, and values probe sent wherever they appear', () => {
    expect([...contextOf('{"event":"auth_failure","client_ip":"127.0.0.1","method":"GET","path":"/secure","request_id":"x"}', known)].sort()).toEqual(
      ['client IP', 'correlation id', 'method', 'outcome', 'path'],
    );
    expect([...contextOf('login failed for bob from 127.0.0.1 (rid-1)', known)].sort()).toEqual(['client IP', 'correlation id', 'outcome']);
  });

  it('does not count empty or placeholder values', () => {
    expect(contextOf('event=auth correlation_id=unknown client_ip=-', known).has('correlation id')).toBe(false);
    expect(contextOf('event=auth correlation_id=unknown client_ip=-', known).has('client IP')).toBe(false);
  });
});
