import type { Finding } from '../../core/finding.js';
import type { Redactor } from '../../core/redact.js';
import { defineRule, type Rule } from '../../core/rule.js';
import type { LogLine } from './capture.js';
import type { GrowthResult } from './growth.js';
import type { ExitInfo } from './launcher.js';
import type { RssSample } from './rss.js';
import type { Exchange } from './traffic.js';

/** One login probe sent: the credentials it carried and what came back. */
export interface Attempt extends Exchange {
  user: string;
  password: string;
  /** The part of the password that survives any encoding (hex), for canaries; the password otherwise. */
  core: string;
  /** base64(user:password) */
  token: string;
  requestId: string;
}

export interface MalformedExchange extends Exchange {
  label: string;
  header: string;
}

export interface MemoryObservation {
  result: GrowthResult;
  /** One credential repeated before the distinct run (not fitted). */
  warmup: RssSample[];
  /** One credential repeated after the distinct run. */
  control: RssSample[];
  test: RssSample[];
  /** Responses of the test run by status, e.g. { "401": 20000 }. */
  statuses: Record<string, number>;
  requests: number;
  durationMs: number;
  stoppedBy?: string;
}

/** What probe saw: everything a rule needs, gathered once by the engine. */
export interface ProbeObservations {
  path: string;
  method: string;
  /** The header credentials travel in (Authorization unless --auth-header says otherwise). */
  authHeader: string;
  /** The address the app sees probe connect from. */
  clientIp: string;
  /** How long after a response a log line still counts as written "at the time". */
  settleMs: number;
  logs: LogLine[];
  failures: Attempt[];
  successes: Attempt[];
  malformed: MalformedExchange[];
  /** When the malformed phase started and ended, to find tracebacks it caused. */
  malformedWindow?: { from: number; to: number };
  burst?: { user: string; sent: number; statuses: Record<string, number>; errors: number };
  memory?: MemoryObservation;
  /** Set when the app exited by itself during a phase. */
  appExit?: { phase: string; exit: ExitInfo; tail: string };
}

export interface ProbeContext {
  obs: ProbeObservations;
  redactor: Redactor;
}

export type ProbeRule = Rule<ProbeContext, Finding[]>;

export function defineProbeRule(rule: Omit<ProbeRule, 'engine'>): ProbeRule {
  return defineRule<ProbeContext, Finding[]>({ ...rule, engine: 'probe' });
}
