import { createFinding, type Finding } from '../../../core/finding.js';
import { defineProbeRule, type Attempt, type ProbeContext } from '../context.js';
import { CONTEXT_FIELDS, contextOf } from '../logs.js';
import { linesAround, mentionsUser } from '../search.js';

export const logMissingContext = defineProbeRule({
  id: 'probe.log-missing-context',
  title: 'Auth log lines lack client, request or outcome context',
  category: 'logging',
  severity: 'low',
  confidence: 'high',
  cwe: [778, 223],
  owasp: ['A09:2021'],
  summary:
    'The app logs the authentication event but the line lacks some of client IP, path, method, outcome and a correlation id, so an alert cannot tell who attacked what, and an investigation cannot join the line to the request.',
  remediation: [
    'Emit one structured line per auth event with every field detection needs:',
    '',
    '```python',
    'logger.warning("auth_failure", extra={"event": "auth_failure", "outcome": "failure", "username": username,',
    '               "client_ip": request.client.host, "method": request.method, "path": request.url.path,',
    '               "request_id": request.headers.get("x-request-id") or str(uuid.uuid4())})',
    '```',
    '',
    'Use a formatter that writes the extras (JSON lines are easiest to search), and accept or generate a request id in a middleware so access and auth lines can be joined.',
  ].join('\n'),
  references: ['https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#which-events-to-log', 'https://cwe.mitre.org/data/definitions/778.html'],
  mode: 'passive',
  budget: 0,
  check: ({ obs, redactor }: ProbeContext) => {
    const findings: Finding[] = [];
    for (const [outcome, attempts] of [['failure', obs.failures], ['success', obs.successes]] as const) {
      const best = bestLine(obs, attempts);
      if (!best) continue;
      const missing = CONTEXT_FIELDS.filter((f) => !best.present.has(f));
      if (missing.length === 0) continue;
      findings.push(
        createFinding(logMissingContext, {
          message: `The auth ${outcome} log line lacks ${missing.join(', ')}.`,
          location: { method: obs.method, path: obs.path },
          evidence: redactor.redact(best.text),
          key: outcome,
          details: { outcome, missing },
        }),
      );
    }
    return findings;
  },
});

/** Among lines naming the user at the time, the one with the most context. */
function bestLine(obs: ProbeContext['obs'], attempts: readonly Attempt[]): { text: string; present: Set<string> } | undefined {
  let best: { text: string; present: Set<string> } | undefined;
  for (const attempt of attempts) {
    const known = { ip: obs.clientIp, path: obs.path, method: obs.method, requestId: attempt.requestId };
    for (const line of linesAround(obs.logs, attempt, obs.settleMs)) {
      if (!mentionsUser(line.text, attempt.user)) continue;
      const present = contextOf(line.text, known);
      if (!best || present.size > best.present.size) best = { text: line.text, present };
    }
  }
  return best;
}
