import { describe, expect, it } from 'vitest';
import { fingerprintOf } from './fingerprint.js';

describe('fingerprints', () => {
  it('are stable for the same rule, place and key', () => {
    const a = fingerprintOf('auth.x', { method: 'GET', path: '/users/{id}' }, 'k');
    expect(fingerprintOf('auth.x', { method: 'get', path: '/users/{id}/' }, 'k')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('ignore origin, port, query, line numbers and evidence', () => {
    const a = fingerprintOf('auth.x', { method: 'GET', url: 'http://127.0.0.1:4001/a?x=1' });
    expect(fingerprintOf('auth.x', { method: 'GET', url: 'https://api.example.test/a?y=2' })).toBe(a);
    expect(fingerprintOf('py.y', { file: 'app/main.py', line: 3 }, 'f')).toBe(fingerprintOf('py.y', { file: 'app/main.py', line: 90 }, 'f'));
  });

  it('differ by rule, method, path, file and key', () => {
    const base = fingerprintOf('auth.x', { method: 'GET', path: '/a', file: 'x.py' }, 'k');
    const variants = [
      fingerprintOf('auth.y', { method: 'GET', path: '/a', file: 'x.py' }, 'k'),
      fingerprintOf('auth.x', { method: 'HEAD', path: '/a', file: 'x.py' }, 'k'),
      fingerprintOf('auth.x', { method: 'GET', path: '/b', file: 'x.py' }, 'k'),
      fingerprintOf('auth.x', { method: 'GET', path: '/a', file: 'y.py' }, 'k'),
      fingerprintOf('auth.x', { method: 'GET', path: '/a', file: 'x.py' }, 'j'),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
  });
});
