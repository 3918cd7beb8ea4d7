import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Alert, AlertChange } from '../alerts.js';
import { alertLine, alertPayload, type AlertPayload } from './payload.js';

/** Where alerts go as they fire. `emit` never blocks ingestion; `close` flushes what it can. */
export interface AlertSink {
  emit: (payload: AlertPayload) => void;
  /** Flushes; sinks that deliver remotely give up after `graceMs`. */
  close: (graceMs?: number) => Promise<void>;
}

export type StreamFormat = 'text' | 'json';

/** Text lines or JSON lines on a stream (stdout). */
export function streamSink(stream: Writable, format: StreamFormat): AlertSink {
  return {
    emit: (payload) => void stream.write(format === 'json' ? `${JSON.stringify(payload)}\n` : alertLine(payload)),
    close: async () => undefined,
  };
}

/** JSON lines appended to a file. */
export function fileSink(file: string, format: StreamFormat = 'json'): AlertSink {
  const out: WriteStream = createWriteStream(file, { flags: 'a' });
  const sink = streamSink(out, format);
  return {
    emit: sink.emit,
    close: () => new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve()))),
  };
}

/** Fans one alert change out to every sink, each getting its own copy of the payload. */
export function fanOut(sinks: readonly AlertSink[]): (alert: Alert, change: AlertChange) => void {
  return (alert, change) => {
    if (sinks.length === 0) return;
    const payload = alertPayload(alert, change);
    for (const sink of sinks) sink.emit(payload);
  };
}
