import { defineCodeRule, type CodeHit } from '../context.js';
import { analysedFunctions } from './shared.js';

const SINK_WORDS = { log: 'a log call', print: 'print()', exception: 'an exception message', detail: 'an HTTPException detail' } as const;
const KIND_WORDS: Record<string, string> = { password: 'the password', header: 'the raw Authorization header', token: 'a token (decoded Basic credentials or a bearer/API token)', credentials: 'the whole credentials object' };

export const secretLogged = defineCodeRule({
  id: 'py.basic-auth.secret-logged',
  title: 'Password or Authorization header reaches a log or error message',
  category: 'data-exposure',
  severity: 'high',
  confidence: 'high',
  cwe: [532, 209, 312],
  owasp: ['API3:2023', 'A09:2021'],
  summary:
    'The password, the raw Authorization header, the decoded token or the whole credentials object flows into a log call, print, an exception message or an HTTPException detail, where anyone with log or response access can read it.',
  remediation: [
    'Log who and what, never the secret; keep error details generic:',
    '',
    '```python',
    'logger.warning("auth_failure", extra={"username": credentials.username, "client_ip": request.client.host})',
    'raise HTTPException(status_code=401, detail="Invalid credentials", headers={"WWW-Authenticate": "Basic"})',
    '```',
    '',
    'If a value must be correlated, log a keyed hash of the username, never of the password.',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/532.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const ref of analysedFunctions(ctx)) {
      for (const sink of ref.facts.sinks) {
        hits.push({
          file: ref.module.rel,
          line: sink.line,
          message: `${KIND_WORDS[sink.taint.kind] ?? 'a secret'} (\`${sink.taint.via}\`) flows into ${SINK_WORDS[sink.sink]} in ${ref.facts.qname}().`,
          key: `${ref.facts.qname}:${sink.sink}:${sink.taint.via}`,
        });
      }
      // Through calls: a secret passed to a project function whose parameter reaches a sink.
      for (const call of ref.facts.calls) {
        const tainted = [...call.args.map((t, i) => [i, t] as const), ...Object.entries(call.kwargs)].filter(([, t]) => t !== null);
        if (tainted.length === 0) continue;
        const target = ctx.project.callTarget(ref, call.callee);
        if (!target) continue;
        const callee = ctx.project.analysed(target);
        const params = callee.facts.params.filter((p, i) => !(i === 0 && callee.facts.className && (p.name === 'self' || p.name === 'cls')));
        for (const [position, taint] of tainted) {
          const param = typeof position === 'number' ? params[position]?.name : position;
          const sink = callee.facts.paramSinks.find((s) => s.param === param);
          if (!sink || !taint) continue;
          hits.push({
            file: ref.module.rel,
            line: call.line,
            message: `${KIND_WORDS[taint.kind] ?? 'a secret'} (\`${taint.via}\`) is passed to ${callee.facts.qname}(), which puts its \`${param}\` into ${SINK_WORDS[sink.sink]} (${callee.module.rel}:${sink.line}).`,
            key: `${ref.facts.qname}>${callee.facts.qname}:${param}`,
          });
        }
      }
    }
    return hits;
  },
});
