import type { CodeContext } from '../context.js';
import type { FunctionRef } from '../python/project.js';

export const OWASP_LOGGING = ['A09:2021', 'API2:2023'] as const;

/** `GET /secure, POST /login` for the routes a function protects. */
export function routeList(ctx: CodeContext, ref: FunctionRef): string[] {
  return [...new Set(ctx.auth.routesUsing(ref).map((r) => `${r.methods.join('|')} ${r.fullPath}`))];
}

export function routeSuffix(routes: string[]): string {
  return routes.length === 0 ? '' : ` (routes: ${routes.slice(0, 5).join(', ')}${routes.length > 5 ? ', ...' : ''})`;
}

/** Every function whose body was analysed (relevant files, plus whatever the auth analysis reached). */
export function analysedFunctions(ctx: CodeContext): FunctionRef[] {
  return ctx.project.summaries.flatMap((module) => module.functions.filter((f) => f.analysed).map((facts) => ({ module, facts })));
}

/** Module containers that some analysed code shrinks (`del`, `pop`, `clear`) or bounds with `len()`, as `file:name`. */
export function evictedContainers(ctx: CodeContext): Set<string> {
  const evicted = new Set<string>();
  for (const ref of analysedFunctions(ctx)) {
    for (const container of ref.facts.evictions) {
      const def = ctx.auth.containerDefinition(ref, container);
      if (def) evicted.add(`${def.module.rel}:${def.name}`);
    }
  }
  return evicted;
}
