/** Exit codes of every portcullis command. */
export const EXIT = { ok: 0, gateFailed: 1, error: 2 } as const;

/**
 * An error meant for the user: its message is one line that names what was wrong.
 * Anything thrown that is not a ToolError is a bug and is reported as an internal error.
 */
export class ToolError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.exitCode = options.exitCode ?? EXIT.error;
  }
}

/** One line, whatever was thrown: never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error).split('\n')[0] ?? 'unknown error';
}
