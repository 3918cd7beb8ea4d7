import { createFinding } from '../../../core/finding.js';
import { defineProbeRule, type ProbeContext } from '../context.js';
import { evidenceLines, linesAround, mentionsUser } from '../search.js';

export const authFailureNotLogged = defineProbeRule({
  id: 'probe.auth-failure-not-logged',
  title: 'Failed logins are not logged with the user name',
  category: 'logging',
  severity: 'medium',
  confidence: 'high',
  cwe: [778, 223],
  owasp: ['A09:2021', 'API2:2023'],
  summary:
    'Probe sent failed logins with unique canary user names and no log line named the user (or a hash of it) when they happened, so brute force, credential stuffing and account takeover attempts leave no trace an alert or an investigation could use.',
  remediation: [
    'Log every failed authentication as one structured event, at the moment it happens, naming the user (or a keyed hash of it), the client, the request and the outcome; never the password.',
    '',
    '```python',
    'logger.warning("auth_failure", extra={"event": "auth_failure", "username": credentials.username,',
    '               "client_ip": request.client.host, "method": request.method, "path": request.url.path,',
    '               "request_id": request.headers.get("x-request-id")})',
    '```',
    '',
    'Make sure the formatter prints the extras (a JSON formatter such as python-json-logger, or a format string that names them): `logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s")` drops them silently. Flush per line (no block-buffered stdout).',
  ].join('\n'),
  references: [
    'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
    'https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/',
    'https://cwe.mitre.org/data/definitions/778.html',
  ],
  mode: 'active',
  // Three canaries and one request without credentials to compare them with.
  budget: 4,
  check: ({ obs, redactor }: ProbeContext) => {
    // Only logins the app rejected are failures; accepted canaries are probe.any-credentials-accepted.
    const answered = obs.failures.filter((a) => a.status !== undefined && a.status >= 400 && a.status < 500);
    if (answered.length === 0) return [];
    const missed = answered.filter((a) => !linesAround(obs.logs, a, obs.settleMs).some((l) => mentionsUser(l.text, a.user)));
    if (missed.length === 0) return [];
    const first = missed[0]!;
    const late = obs.logs.find((l) => mentionsUser(l.text, first.user));
    const nearby = linesAround(obs.logs, first, obs.settleMs);
    const note = late
      ? ` It appeared only ${((late.at - first.doneAt) / 1000).toFixed(1)}s after the response (buffered output?), too late for alerting.`
      : nearby.length > 0
        ? ` The app wrote ${nearby.length} line(s) at the time, none naming the user.`
        : ' The app wrote nothing at the time.';
    return [
      createFinding(authFailureNotLogged, {
        message: `${missed.length} of ${answered.length} failed logins (HTTP ${first.status}) left no log line naming the user.${note}`,
        location: { method: obs.method, path: obs.path },
        evidence: redactor.redact(
          [`canary user: ${first.user}`, `lines at the time (${nearby.length}):`, ...evidenceLines(nearby)].join('\n'),
        ),
      }),
    ];
  },
});
