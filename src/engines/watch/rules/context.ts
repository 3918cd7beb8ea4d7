import { defineRule, type Rule } from '../../../core/rule.js';
import type { Alert, AlertBook, AlertSample } from '../alerts.js';
import type { RuleSettings } from '../config.js';
import type { AuthEvent } from '../event.js';
import type { KeySpace } from '../keys.js';

/** The key spaces rules keep their state in: an event's `ipSlot` and `userSlot` index them. */
export interface DetectionKeys {
  ip: KeySpace;
  user: KeySpace;
}

/** What a watch rule gets: its settings, where to raise alerts, and how to quote an event. */
export interface WatchContext {
  settings: RuleSettings;
  keys: DetectionKeys;
  alerts: AlertBook;
  sample: (event: AuthEvent) => AlertSample;
}

/** A rule's running state: it sees every event in event-time order (give or take the allowed lateness). */
export interface Detector {
  /** The event is lent for the call only (one object may carry the next event): copy what is kept. */
  onEvent: (event: AuthEvent) => void;
  /** It looks at failures only: successes are not handed to it. */
  failuresOnly?: boolean;
  /** Keys tracked now and evicted so far, for the memory stats. */
  tracked: () => { keys: number; evictions: number };
}

export type WatchRule = Rule<WatchContext, Detector>;

export function defineWatchRule(rule: Omit<WatchRule, 'engine'>): WatchRule {
  return defineRule<WatchContext, Detector>({ ...rule, engine: 'watch' });
}

export type Describe = (alert: Alert) => string;
