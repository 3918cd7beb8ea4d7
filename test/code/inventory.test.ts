import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseProject } from '../../src/engines/code/engine.js';
import type { InventoryEntry } from '../../src/engines/code/inventory.js';
import { ROOT } from '../helpers/processes.js';

/** The route inventory judged in process: logging, context and rate limiting per route. */
const FIXTURES = path.join(ROOT, 'test/fixtures/code');

async function route(project: string, method: string, routePath: string): Promise<InventoryEntry | undefined> {
  const { inventory } = await analyseProject({ paths: [path.join(FIXTURES, project)] });
  return inventory.find((r) => r.method === method && r.path === routePath);
}

describe('code inventory', () => {
  it('tells the naive logging seed from its structured-logging remediation', async () => {
    expect(await route('seed-logging-naive', 'GET', '/secure')).toMatchObject({
      auth: 'basic', authFunction: 'app.py:get_current_user', failuresLogged: true, successesLogged: false, logContextComplete: false, rateLimited: false,
    });
    expect(await route('seed-logging-structured', 'GET', '/secure')).toMatchObject({
      auth: 'basic', authFunction: 'app.py:get_current_user', failuresLogged: true, successesLogged: true, logContextComplete: true, rateLimited: false,
    });
  });

  it('counts limiters that run before the auth check: route dependencies, app-wide defaults, decorators on a checking endpoint', async () => {
    expect(await route('rule-cases', 'GET', '/limited/report')).toMatchObject({
      auth: 'basic', authFunction: 'limiter_dependency.py:limited_user', failuresLogged: true, successesLogged: true, rateLimited: true,
      // Fields built by a helper at run time cannot be judged statically: unknown, not missing.
      logContextComplete: null,
    });
    // A slowapi decorator runs before a check made inside the endpoint, not before an auth dependency.
    expect(await route('rule-cases', 'GET', '/limited/inline')).toMatchObject({ auth: 'basic', authFunction: 'limiter_dependency.py:inline_check', rateLimited: true });
    expect(await route('rule-cases', 'GET', '/login')).toMatchObject({ auth: 'basic', authFunction: 'state_and_caches.py:login', rateLimited: false });
    expect(await route('flask-limiter', 'GET', '/orders')).toMatchObject({ auth: 'basic', authFunction: 'app.py:require_basic', failuresLogged: true, successesLogged: true, rateLimited: true });
    expect(await route('seed-credential-store', 'GET', '/items')).toMatchObject({ auth: 'basic', failuresLogged: false, rateLimited: false });
  });
});
