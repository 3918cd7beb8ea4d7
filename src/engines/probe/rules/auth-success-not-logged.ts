import { createFinding } from '../../../core/finding.js';
import { defineProbeRule, type ProbeContext } from '../context.js';
import { evidenceLines, linesAround, mentionsUser } from '../search.js';

export const authSuccessNotLogged = defineProbeRule({
  id: 'probe.auth-success-not-logged',
  title: 'Successful logins are not logged with the user name',
  category: 'logging',
  severity: 'low',
  confidence: 'high',
  cwe: [778],
  owasp: ['A09:2021', 'API2:2023'],
  summary:
    'Probe logged in with the credentials it was given and no log line named the user when it happened: a login with stolen or guessed credentials, the moment that matters most, leaves no record.',
  remediation: [
    'Log each successful authentication as a structured event naming the user, the client, the request and the outcome (never the password):',
    '',
    '```python',
    'logger.info("auth_success", extra={"event": "auth_success", "username": user, "client_ip": request.client.host,',
    '            "method": request.method, "path": request.url.path, "request_id": request_id})',
    '```',
    '',
    'Successes after a run of failures are the signal of a brute force that worked; they can only be correlated if both are logged.',
  ].join('\n'),
  references: ['https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html', 'https://cwe.mitre.org/data/definitions/778.html'],
  mode: 'active',
  budget: 3,
  check: ({ obs, redactor }: ProbeContext) => {
    const accepted = obs.successes.filter((a) => a.status !== undefined && a.status < 300);
    const missed = accepted.filter((a) => !linesAround(obs.logs, a, obs.settleMs).some((l) => mentionsUser(l.text, a.user)));
    if (missed.length === 0) return [];
    const nearby = linesAround(obs.logs, missed[0]!, obs.settleMs);
    return [
      createFinding(authSuccessNotLogged, {
        message: `${missed.length} of ${accepted.length} successful logins (HTTP ${missed[0]!.status}) left no log line naming the user.`,
        location: { method: obs.method, path: obs.path },
        evidence: redactor.redact([`lines at the time (${nearby.length}):`, ...evidenceLines(nearby)].join('\n')),
      }),
    ];
  },
});
