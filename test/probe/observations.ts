import { Redactor } from '../../src/core/redact.js';
import type { LogLine } from '../../src/engines/probe/capture.js';
import type { Attempt, ProbeContext, ProbeObservations } from '../../src/engines/probe/context.js';

/** Literal observations for rule tests: what the engine would have gathered from an app. */
export function observations(overrides: Partial<ProbeObservations> = {}): ProbeObservations {
  return {
    path: '/secure',
    method: 'GET',
    authHeader: 'Authorization',
    clientIp: '127.0.0.1',
    settleMs: 1000,
    logs: [],
    failures: [],
    successes: [],
    malformed: [],
    ...overrides,
  };
}

/** A canary login sent at `at` (ms) and answered 10 ms later. */
export function attempt(user: string, status: number | undefined, at = 1000, password = `Pc!${user}0123abcd#`): Attempt {
  // Canary passwords carry a hex core; a user's password is its own core.
  const core = /[0-9a-f]{8,}/.exec(password)?.[0] ?? password;
  return {
    user,
    password,
    core,
    token: Buffer.from(`${user}:${password}`).toString('base64'),
    requestId: `rid-${user}`,
    sentAt: at,
    doneAt: at + 10,
    ...(status === undefined ? { error: 'socket hang up' } : { status }),
  };
}

export function line(text: string, at = 1005, source: LogLine['source'] = 'stderr'): LogLine {
  return { at, source, text };
}

export function context(obs: ProbeObservations, redactor = new Redactor()): ProbeContext {
  return { obs, redactor };
}
