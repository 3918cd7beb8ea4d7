import { createFinding, type Finding } from '../../../core/finding.js';
import { defineProbeRule, type ProbeContext } from '../context.js';
import { TRACEBACK } from '../search.js';

export const malformedCredentialsCrash = defineProbeRule({
  id: 'probe.malformed-credentials-crash',
  title: 'Malformed credentials crash the request handler',
  category: 'error-handling',
  severity: 'medium',
  confidence: 'high',
  cwe: [248, 755, 209],
  owasp: ['API8:2023', 'API2:2023'],
  summary:
    'Malformed Authorization headers (no token, invalid base64, no colon, bytes that are not UTF-8, an oversized token) make the app answer 5xx, write a traceback, or exit. Decoding credentials is attacker-controlled parsing; a crash there is a free denial of service and often leaks internals.',
  remediation: [
    'Treat every decoding step as untrusted input and turn each failure into a 401 with a challenge:',
    '',
    '```python',
    'try:',
    '    scheme, _, token = header.partition(" ")',
    '    user, sep, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")',
    '    if scheme.lower() != "basic" or not sep:',
    '        raise ValueError("malformed")',
    'except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError',
    '    raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": "Basic"})',
    '```',
    '',
    'Prefer the framework\'s own parser (FastAPI `HTTPBasic`, Flask `request.authorization`); cap the header length; never let an exception escape the auth dependency.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/248.html', 'https://datatracker.ietf.org/doc/html/rfc7617', 'https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/'],
  mode: 'active',
  budget: 8,
  check: ({ obs, redactor }: ProbeContext) => {
    const findings: Finding[] = [];
    const location = { method: obs.method, path: obs.path };
    if (obs.appExit?.phase === 'malformed') {
      const last = obs.malformed.at(-1);
      findings.push(
        createFinding(malformedCredentialsCrash, {
          message: `The app process exited while probe sent malformed credentials${last ? ` (last: ${last.label})` : ''}: one request takes the service down.`,
          location,
          severity: 'high',
          evidence: redactor.redact(obs.appExit.tail),
          key: 'exit',
        }),
      );
    }
    const failed = obs.malformed.filter((m) => m.status !== undefined && m.status >= 500);
    const window = obs.malformedWindow;
    const traceback = window ? obs.logs.find((l) => l.at >= window.from && l.at <= window.to + obs.settleMs && TRACEBACK.test(l.text)) : undefined;
    if (failed.length > 0 || traceback) {
      const cases = failed.map((m) => `${m.label} -> HTTP ${m.status}`);
      const body = failed.find((m) => m.body && TRACEBACK.test(m.body))?.body;
      findings.push(
        createFinding(malformedCredentialsCrash, {
          message:
            failed.length > 0
              ? `${failed.length} of ${obs.malformed.length} malformed credential headers got a server error (${cases.slice(0, 4).join('; ')})${traceback ? ' and a traceback in the logs' : ''}${body ? '; the response body carries the stack trace' : ''}.`
              : 'Malformed credential headers produced a traceback in the logs.',
          location,
          evidence: redactor.redact(
            [...failed.map((m) => `request: ${m.label} (${m.header.length > 60 ? `${m.header.slice(0, 60)}...` : m.header}) -> HTTP ${m.status}`), ...(traceback ? [`log: ${traceback.text}`] : []), ...(body ? [`body: ${body.slice(0, 400)}`] : [])].join('\n'),
          ),
          key: 'error',
        }),
      );
    }
    return findings;
  },
});
