import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.js';
import { runProbe } from '../../src/engines/probe/engine.js';
import { processesWith } from './apps.js';

// Bad options fail before anything is started: one line, a ToolError (exit 2), no process left.
describe('probe options', () => {
  it.each([
    [{ url: 'not a url' }, /^--url "not a url" is not a URL/],
    [{ url: 'https://127.0.0.1:8443/' }, /^--url must be http:\/\//],
    [{ url: 'http://10.1.2.3:8000/' }, /^--url must point at this machine .* not 10\.1\.2\.3/],
    [{ url: 'http://alice:pw@127.0.0.1:8000/' }, /^--url must not carry credentials/],
    [{ url: 'http://alice:hunter2@[::1' }, /^--url "http:\/\/\[REDACTED\]@\[::1" is not a URL/],
    [{ authHeader: 'bad header' }, /^--auth-header "bad header" is not a valid header name/],
    [{ connections: 0 }, /^--connections must be between 1 and 256/],
    [{ connections: 10_000 }, /^--connections must be between 1 and 256/],
  ])('%o', async (override, message) => {
    const cmd = 'sleep 7.0625';
    const error = await runProbe({ cmd, url: 'http://127.0.0.1:9/', ...override }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).not.toContain('hunter2');
    expect(processesWith(cmd)).toEqual([]);
  });
});
