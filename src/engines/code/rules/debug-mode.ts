import { defineCodeRule, type CodeHit } from '../context.js';
import { lastSegment } from '../python/expr.js';

export const debugMode = defineCodeRule({
  id: 'py.debug-mode',
  title: 'Framework debug mode switched on in code',
  category: 'misconfiguration',
  severity: 'medium',
  confidence: 'high',
  cwe: [489, 215],
  owasp: ['API8:2023', 'A05:2021'],
  summary:
    '`debug=True` (FastAPI, Starlette, `app.run`) or `DEBUG = True` in the app config turns errors into pages with stack traces and, in Flask, an interactive console that runs code.',
  remediation: [
    'Take debug from the environment and default it to off:',
    '',
    '```python',
    'import os',
    'app = FastAPI(debug=os.environ.get("APP_DEBUG") == "1")',
    '# Flask',
    'app.run(debug=False)  # use `flask --debug run` locally instead',
    '```',
  ].join('\n'),
  references: ['https://flask.palletsprojects.com/en/stable/debugging/', 'https://cwe.mitre.org/data/definitions/489.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const app of ctx.auth.index.apps) {
      if (app.debug) hits.push({ file: app.module.rel, line: app.line, message: `${app.name} is created with debug=True.`, key: `ctor:${app.name}` });
    }
    for (const module of ctx.project.summaries) {
      for (const call of module.calls) {
        if (call.k !== 'call') continue;
        const debug = call.kw['debug'];
        const method = lastSegment(call.f);
        const owner = call.f.slice(0, Math.max(0, call.f.lastIndexOf('.')));
        const debugOn = debug?.k === 'const' && debug.v === 'True';
        if (debugOn && (method === 'run' || method === 'run_simple') && (/uvicorn|werkzeug/.test(call.f) || (owner !== '' && ctx.auth.index.appOf(module, owner)))) {
          hits.push({ file: module.rel, line: debug.line, message: `${call.f}(debug=True) serves debug pages.`, key: `run:${call.f}` });
        }
        if (method === 'update' && owner.endsWith('.config') && call.kw['DEBUG']?.k === 'const' && call.kw['DEBUG'].v === 'True') {
          hits.push({ file: module.rel, line: call.line, message: `${owner}.update(DEBUG=True) turns debug mode on.`, key: `config:${owner}` });
        }
      }
      for (const s of module.settings) {
        const target = s.target.replace(/\s+/g, '');
        if (s.value.k === 'const' && s.value.v === 'True' && /(\.debug|\.config\[["']DEBUG["']\])$/.test(target)) {
          hits.push({ file: module.rel, line: s.line, message: `${s.target} = True turns debug mode on.`, key: `setting:${target}` });
        }
      }
    }
    return hits;
  },
});
