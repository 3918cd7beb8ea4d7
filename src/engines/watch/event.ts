/** One authentication attempt, whatever log format it came from. */
export interface AuthEvent {
  /** Event time from the log, in ms since the epoch (never the wall clock when the log has one). */
  time: number;
  failure: boolean;
  /** Empty when the log does not say. */
  ip: string;
  user: string;
  method?: string;
  path?: string;
  status?: number;
  lat?: number;
  lon?: number;
  country?: string;
  /** Where it came from, for samples. */
  source: string;
  line: number;
  raw: string;
  /** The slots of `ip` and `user` in the detection key spaces (see keys.ts), -1 when they have none; set on admission. */
  ipSlot: number;
  userSlot: number;
}

/** An event as it comes to detection, before its keys are looked up. */
export type EventInput = Omit<AuthEvent, 'ipSlot' | 'userSlot'>;

/** What a parser made of one line: an event (time may be NaN when the line has none), nothing auth-related, or junk. */
export type ParseResult = Omit<EventInput, 'source' | 'line' | 'raw'> | 'ignored' | 'malformed';
