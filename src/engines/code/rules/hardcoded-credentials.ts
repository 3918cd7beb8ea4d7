import { defineCodeRule, type CodeHit } from '../context.js';
import type { Expr } from '../python/expr.js';
import { analysedFunctions } from './shared.js';

const SECRET_NAME = /^_*(.*_)?(password|passwd|pwd|secret|passphrase|api_key|apikey)$/i;
const PASSWORD_KEY = /^(password|passwd|pwd|pass)$/i;
const TABLE_WORDS = new Set(['users', 'user', 'accounts', 'account', 'credentials', 'creds', 'passwords', 'password', 'passwd', 'logins', 'login', 'auth']);
const NOT_TABLE_WORDS = new Set(['agent', 'agents', 'id', 'ids', 'name', 'names', 'role', 'roles', 'group', 'groups', 'field', 'fields', 'url', 'urls', 'type', 'types']);

/** `USERS = {"alice": "secret123"}` or a dict with a literal "password" entry. */
function literalCredentialTable(name: string, value: Expr): boolean {
  if (value.k !== 'dict' || value.pairs.length === 0) return false;
  const words = name.toLowerCase().split('_').filter(Boolean);
  const tableName = words.some((w) => TABLE_WORDS.has(w)) && !words.some((w) => NOT_TABLE_WORDS.has(w));
  if (tableName && value.pairs.every(([k, v]) => k.k === 'str' && v.k === 'str' && v.v.length > 0)) return true;
  return value.pairs.some(([k, v]) => (k.k === 'str' && PASSWORD_KEY.test(k.v) && v.k === 'str' && v.v.length > 0) || literalCredentialTable(name, v));
}

/** `PASSWORD = "hunter2"`, but not enum-like `apiKey = "apiKey"` or an empty default. */
function literalSecret(name: string, value: Expr | undefined): boolean {
  if (!SECRET_NAME.test(name) || value?.k !== 'str' || value.v.length === 0) return false;
  const letters = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');
  return letters(value.v) !== letters(name);
}

export const hardcodedCredentials = defineCodeRule({
  id: 'py.basic-auth.hardcoded-credentials',
  title: 'Password written into the source code',
  category: 'authentication',
  severity: 'high',
  confidence: 'medium',
  cwe: [798, 259],
  owasp: ['API2:2023', 'A07:2021'],
  summary:
    'A literal password sits in a user table, a comparison or a default value: everyone with the code (or the image) has it, it cannot be rotated without a release, and it is usually shared across environments.',
  remediation: [
    'Load secrets from the environment or a secret manager and store only password hashes:',
    '',
    '```python',
    'import os, bcrypt',
    'USERS = {"alice": os.environ["ALICE_PASSWORD_HASH"].encode()}  # bcrypt hash, not the password',
    '',
    'def check(username: str, password: str) -> bool:',
    '    hashed = USERS.get(username)',
    '    return hashed is not None and bcrypt.checkpw(password.encode(), hashed)',
    '```',
  ].join('\n'),
  references: ['https://cwe.mitre.org/data/definitions/798.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html'],
  check(ctx) {
    const hits: CodeHit[] = [];
    for (const module of ctx.project.summaries) {
      const bindings = [...module.assignments, ...module.classes.flatMap((c) => c.attributes.map((a) => ({ ...a, name: a.name })))];
      for (const a of bindings) {
        if (literalSecret(a.name, a.value)) hits.push({ file: module.rel, line: a.line, message: `\`${a.name}\` is assigned a literal secret.`, key: `assign:${a.name}` });
        else if (literalCredentialTable(a.name, a.value)) hits.push({ file: module.rel, line: a.line, message: `\`${a.name}\` holds literal passwords.`, key: `table:${a.name}` });
      }
      for (const fn of module.functions) {
        for (const p of fn.params) {
          if (literalSecret(p.name, p.default)) hits.push({ file: module.rel, line: p.default!.line, message: `Parameter \`${p.name}\` of ${fn.qname}() defaults to a literal password.`, key: `default:${fn.qname}:${p.name}` });
        }
      }
    }
    for (const ref of analysedFunctions(ctx)) {
      for (const risk of ref.facts.hardcoded) {
        hits.push({ file: ref.module.rel, line: risk.line, message: `${risk.what} in ${ref.facts.qname}().`, key: `compare:${ref.facts.qname}:${risk.what}` });
      }
    }
    return hits;
  },
});
