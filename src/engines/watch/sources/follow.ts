import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Source } from '../ingest.js';

const CHUNK = 1 << 20;

export interface FollowCounters {
  rotations: number;
  truncations: number;
}

/**
 * `tail -F` for one path: reads what is there, then polls for more. Survives rotation (the path now names
 * another inode: the old file is drained, the new one read from its start) and truncation (size below our
 * position: read again from the start). Polling rather than fs.watch, which misses events on some systems.
 * Returns when the signal aborts.
 */
export interface FollowStart {
  /** The file (by inode) whose first `position` bytes were already read. */
  inode: number;
  position: number;
}

export async function followFile(file: string, source: Source, signal: AbortSignal, counters: FollowCounters, pollMs = 250, start?: FollowStart): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  let handle: FileHandle | undefined;
  let inode = -1;
  let position = 0;
  let resume = start;

  async function drain(): Promise<void> {
    if (!handle) return;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) return source.idle();
      position += bytesRead;
      source.push(buffer.subarray(0, bytesRead));
    }
  }

  try {
    while (!signal.aborted) {
      await drain();
      const now = await stat(file).catch(() => undefined);
      if (now && now.ino !== inode) {
        if (handle) {
          counters.rotations++;
          await drain();
          await handle.close();
          source.splitter.end();
        }
        handle = await open(file, 'r').catch(() => undefined);
        inode = handle ? now.ino : -1;
        // Resume after the backlog only in the very file it was read from.
        position = resume && resume.inode === inode ? resume.position : 0;
        resume = undefined;
        continue;
      }
      if (now && handle && now.size < position) {
        counters.truncations++;
        source.splitter.reset();
        position = 0;
        continue;
      }
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
    await drain();
  } finally {
    await handle?.close();
    source.end();
  }
}
