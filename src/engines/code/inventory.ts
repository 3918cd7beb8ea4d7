import { CONTEXT_FIELDS } from './python/logging.js';
import type { AuthAnalysis, Scheme } from './python/auth.js';
import type { FunctionRef } from './python/project.js';

/** One route as `portcullis code --inventory` lists it. */
export interface InventoryEntry {
  method: string;
  path: string;
  file: string;
  line: number;
  handler: string;
  auth: Scheme;
  authFunction: string | null;
  via: string[];
  failuresLogged: boolean | null;
  successesLogged: boolean | null;
  logContextComplete: boolean | null;
  rateLimited: boolean | null;
}

export function buildInventory(auth: AuthAnalysis): InventoryEntry[] {
  return auth.routes.map((route) => {
    const info = auth.routeAuth.get(route)!;
    const basic = info.functions.filter((f) => auth.isBasic(f));
    const main = basic[0] ?? info.functions[0];
    const facts = main ? judge(auth, main) : undefined;
    return {
      method: route.methods.join('|'),
      path: route.fullPath,
      file: route.file,
      line: route.line,
      handler: route.handler.facts.qname,
      auth: info.scheme,
      authFunction: main ? `${main.module.rel}:${main.facts.qname}` : null,
      via: info.via,
      failuresLogged: facts?.failures ?? null,
      successesLogged: facts?.successes ?? null,
      logContextComplete: facts?.context ?? null,
      rateLimited: main ? auth.rateLimited(main) : null,
    };
  });
}

function judge(auth: AuthAnalysis, ref: FunctionRef): { failures: boolean; successes: boolean; context: boolean | null } {
  const closure = auth.closure(ref);
  const rejects = closure.flatMap((f) => f.facts.exits.filter((e) => auth.isRejection(f, e)).map((e) => auth.exitLogged(f, e)));
  const accepts = ref.facts.exits.filter((e) => auth.isAcceptance(ref, e)).map((e) => auth.exitLogged(ref, e));
  const all = closure.flatMap((f) => f.facts.logs);
  const logs = all.filter((l) => !l.dynamic);
  return {
    failures: rejects.length > 0 && rejects.every(Boolean),
    successes: accepts.length > 0 && accepts.every(Boolean),
    // Fields built at run time (`extra=fields(...)`) cannot be judged: unknown, not missing.
    context: logs.length === 0 && all.length > 0 ? null : logs.length > 0 && logs.every((l) => CONTEXT_FIELDS.every((f) => l.fields.includes(f))),
  };
}

export function renderInventory(entries: InventoryEntry[]): string {
  const yes = (v: boolean | null): string => (v === null ? '-' : v ? 'yes' : 'NO');
  const rows = entries.map((e) => [e.method, e.path, e.auth, e.authFunction ?? '-', yes(e.failuresLogged), yes(e.successesLogged), yes(e.logContextComplete), yes(e.rateLimited), `${e.file}:${e.line}`]);
  const head = ['METHOD', 'PATH', 'AUTH', 'AUTH FUNCTION', 'FAIL LOG', 'OK LOG', 'CONTEXT', 'RATE LIMIT', 'WHERE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line), '', `${entries.length} routes`].join('\n') + '\n';
}
