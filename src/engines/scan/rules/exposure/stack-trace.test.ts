import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { malformedCredentialsCrash } from '../auth/malformed-credentials-crash.js';
import { stackSignatureIn, stackTrace } from './stack-trace.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('exposure.stack-trace', () => {
  it('positive: a Node stack trace triggered by a malformed credential header', async () => {
    server = await startAuthApi({ crashOnMalformed: true });
    const report = await runScan({ target: server.url, rules: [malformedCredentialsCrash, stackTrace], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report, 'exposure.stack-trace')).toEqual(['exposure.stack-trace GET /api/items']);
    expect(report.findings.find((f) => f.ruleId === 'exposure.stack-trace')!.message).toContain('malformed credential header');
  });

  it('positive: a Python traceback on a plain GET', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Traceback (most recent call last):\n  File "/srv/app/main.py", line 12, in handler\n    user, pwd = decoded.split(":", 1)\nValueError: not enough values to unpack\n');
    });
    const report = await runScan({ target: server.url, rules: [stackTrace], tier: 'quick' });
    expect(findingsOf(report)[0]).toBe('exposure.stack-trace GET /');
    expect(report.findings[0]!.message).toContain('python');
  });

  it.each([
    ['python', 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>'],
    ['node', 'TypeError: x is undefined\n    at handler (/srv/app/index.js:10:5)\n    at Layer.handle (/srv/node_modules/express/lib/router/layer.js:95:5)'],
    ['java', 'java.lang.NullPointerException\n\tat com.example.Api.get(Api.java:42)\n\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)'],
    ['dotnet', "System.NullReferenceException: Object reference not set\n   at Api.Controllers.Items.Get() in C:\\src\\Items.cs:line 17"],
    ['go', 'panic: runtime error: index out of range\n\ngoroutine 1 [running]:\nmain.main()'],
    ['php', 'PHP Fatal error:  Uncaught Error: Call to undefined function in /var/www/index.php:3'],
  ])('positive: recognises a %s trace', (platform, text) => {
    expect(stackSignatureIn(text)?.platform).toBe(platform);
  });

  it.each([
    ['an error message', '{"detail":"Internal Server Error"}'],
    ['prose about stacks', 'Our stack: Python, Node and Java. Errors are traced at the edge.'],
    ['a URL list', 'see at https://example.com/a.js:10:5 for more'],
  ])('negative: ignores %s', (_name, text) => {
    expect(stackSignatureIn(text)).toBeUndefined();
  });

  it('negative: a clean 500 without details gives nothing', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"detail":"Internal Server Error"}');
    });
    const report = await runScan({ target: server.url, rules: [stackTrace], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });
});
