import { createFinding } from '../../../core/finding.js';
import { REDACTED } from '../../../core/redact.js';
import { defineProbeRule, type ProbeContext } from '../context.js';
import { passwordForms, secretsIn, type SecretForm } from '../search.js';

export const secretInLogs = defineProbeRule({
  id: 'probe.secret-in-logs',
  title: 'Passwords or Authorization tokens are written to the logs',
  category: 'data-exposure',
  severity: 'high',
  confidence: 'high',
  cwe: [532, 312],
  owasp: ['A09:2021', 'API3:2023'],
  summary:
    'A password, the base64 Basic token or the raw Authorization header that probe sent shows up in the app output (plain, URL-encoded or repr()-quoted). Logs are copied to aggregators, tickets and laptops; every reader of them can now log in as the user.',
  remediation: [
    'Never log credentials or the headers that carry them. Log the user name (or a keyed hash) and the outcome only, and scrub by default:',
    '',
    '```python',
    'class RedactAuth(logging.Filter):',
    '    def filter(self, record):',
    '        record.msg = re.sub(r"(?i)(authorization|password)([\'\\"]?\\s*[:=]\\s*)\\S+", r"\\1\\2[REDACTED]", str(record.msg))',
    '        return True',
    '```',
    '',
    'Do not log request headers or `repr(credentials)` in exception handlers or debug middleware; if logs already hold passwords, rotate those passwords and purge the logs.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/532.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude'],
  mode: 'passive',
  budget: 0,
  check: ({ obs, redactor }: ProbeContext) => {
    const hits = new Map<SecretForm, string>();
    for (const attempt of [...obs.failures, ...obs.successes]) {
      for (const line of obs.logs) {
        for (const form of secretsIn(line.text, attempt)) if (!hits.has(form)) hits.set(form, line.text);
      }
    }
    // The user's own password is only ever shown masked, in every encoding it was found in; a canary may be shown as proof.
    const own = obs.successes.flatMap((a) => passwordForms(a.password)).filter((f) => f.length >= 4);
    const mask = (text: string) => own.reduce((out, form) => out.split(form).join(REDACTED), redactor.redact(text));
    return [...hits].map(([form, text]) =>
      createFinding(secretInLogs, {
        message: `The ${form} sent with a login appears in the app's log output.`,
        location: { method: obs.method, path: obs.path },
        evidence: markUser(mask(text)),
        key: form,
      }),
    );
  },
});

function markUser(text: string): string {
  return text.includes(REDACTED) ? `${text}\n(${REDACTED} marks your own credentials, masked here)` : text;
}
