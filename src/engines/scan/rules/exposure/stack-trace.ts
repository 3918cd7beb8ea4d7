import { defineScanRule } from '../../context.js';
import { evidenceOf, locationOfExchange } from '../../evidence.js';

/** Signatures of tracebacks and debug pages, per platform; each needs structure, not one keyword. */
export const STACK_SIGNATURES: { platform: string; pattern: RegExp }[] = [
  { platform: 'python', pattern: /Traceback \(most recent call last\):|File "[^"\n]+\.py", line \d+, in \S+/ },
  { platform: 'python', pattern: /Werkzeug Debugger|The debugger caught an exception in your WSGI application|You're seeing this error because you have <code>DEBUG = True<\/code>/ },
  { platform: 'node', pattern: /\n\s+at (?:async )?(?:[\w$.<>[\]]+ )?\(?(?:file:\/\/)?(?:\/|[A-Z]:\\|node:)[^\n)]*:\d+:\d+\)?/ },
  { platform: 'java', pattern: /\n\s*at [\w$]+(?:\.[\w$<>]+)+\((?:[\w$]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/ },
  { platform: 'java', pattern: /Exception in thread "[^"]+" [\w.]+(?:Exception|Error)|<title>Apache Tomcat\/[\d.]+ - Error report<\/title>|Whitelabel Error Page/ },
  { platform: 'dotnet', pattern: /\n\s*at [\w.`<>]+\([^)\n]*\) in [^\n]+:line \d+|Server Error in '[^']*' Application\.|System\.[\w.]+Exception: / },
  { platform: 'go', pattern: /goroutine \d+ \[running\]:|panic: .+\n\ngoroutine \d+/ },
  { platform: 'php', pattern: /(?:Fatal error|Parse error|Warning)<\/b>?:? .+ in <b>[^<]+<\/b> on line <b>\d+|PHP (?:Fatal error|Warning|Parse error):|Stack trace:\n#0 / },
  { platform: 'ruby', pattern: /\.rb:\d+:in `[^'\n]+'/ },
];

export function stackSignatureIn(body: string): { platform: string; index: number } | undefined {
  for (const { platform, pattern } of STACK_SIGNATURES) {
    const match = pattern.exec(body);
    if (match) return { platform, index: match.index };
  }
  return undefined;
}

export const stackTrace = defineScanRule({
  id: 'exposure.stack-trace',
  title: 'Stack trace or debug page in a response',
  category: 'error-handling',
  severity: 'medium',
  confidence: 'high',
  cwe: [209, 215],
  owasp: ['API8:2023'],
  summary:
    'A response carries a traceback or a framework debug page (Python, Node, Java, .NET, Go, PHP or Ruby). It reveals file paths, library versions and code, and shows which inputs crash the service; in auth code it may include credential values.',
  remediation: [
    'Turn debug mode off in production and return a generic error body; log the details server-side:',
    '',
    '```python',
    '# FastAPI',
    'app = FastAPI(debug=False)',
    '@app.exception_handler(Exception)',
    'async def unhandled(request, exc):',
    '    logger.exception("unhandled error", extra={"path": request.url.path})',
    '    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)',
    '```',
    '',
    '```python',
    '# Flask: never app.run(debug=True) in production; FLASK_DEBUG unset',
    '@app.errorhandler(Exception)',
    'def unhandled(exc):',
    '    app.logger.exception("unhandled error")',
    '    return {"detail": "Internal Server Error"}, 500',
    '```',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/209.html', 'https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/'],
  mode: 'passive',
  budget: 0,
  check(ctx) {
    const seen = new Set<string>();
    for (const exchange of ctx.client.exchanges()) {
      const body = exchange.response?.body;
      if (!body) continue;
      const found = stackSignatureIn(body);
      if (!found) continue;
      const location = locationOfExchange(ctx.operations, exchange);
      const path = location.path;
      const key = `${exchange.method} ${path} ${found.platform}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const trigger = exchange.tag === 'auth.malformed-credentials-crash' ? ' (triggered by a malformed credential header)' : '';
      ctx.report({
        message: `${exchange.method} ${path} answered ${exchange.response!.status} with a ${found.platform} stack trace${trigger}.`,
        location,
        evidence: evidenceOf(exchange, { bodyAround: found.index }),
        key: found.platform,
      });
    }
  },
});
