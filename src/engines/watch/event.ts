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
}

/** What a parser made of one line: an event (time may be NaN when the line has none), nothing auth-related, or junk. */
export type ParseResult = Omit<AuthEvent, 'source' | 'line' | 'raw'> | 'ignored' | 'malformed';
