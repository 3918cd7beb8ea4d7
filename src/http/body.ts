import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';

export interface CappedBody {
  bytes: Buffer;
  /** Why reading stopped early, if it did: the decoded size cap or the per-request timeout. */
  truncated?: 'size' | 'timeout' | 'decode-error';
  /** Bytes of the decoded body read before stopping (equals bytes.length unless truncated). */
  decodedBytes: number;
}

function decoderFor(encoding: string | undefined): Gunzip | ReturnType<typeof createBrotliDecompress> | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Reads a response body up to `cap` decoded bytes, then stops and destroys the stream. The cap
 * applies after decompression, so a small gzip bomb cannot inflate past it. A body that stops
 * arriving is cut off by `signal` (the per-request timeout) and returned as far as it came.
 */
export async function readCappedBody(
  body: Readable,
  options: { cap: number; contentEncoding?: string; signal: AbortSignal },
): Promise<CappedBody> {
  const decoder = decoderFor(options.contentEncoding);
  const source: Readable = decoder ? body.pipe(decoder) : body;
  if (decoder) body.on('error', (error) => decoder.destroy(error));
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated: CappedBody['truncated'];
  const onAbort = () => source.destroy(new Error('body timeout'));
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      const room = options.cap - size;
      if (buffer.length >= room) {
        if (room > 0) chunks.push(buffer.subarray(0, room));
        size += Math.max(room, 0);
        truncated = 'size';
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } catch (error) {
    if (options.signal.aborted) truncated = 'timeout';
    else if (decoder) truncated = 'decode-error';
    else throw error;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    source.destroy();
    body.destroy();
  }
  const result: CappedBody = { bytes: Buffer.concat(chunks), decodedBytes: size };
  if (truncated) result.truncated = truncated;
  return result;
}
