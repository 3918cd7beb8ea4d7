import path from 'node:path';
import { ToolError, describeError } from '../core/errors.js';
import { analyseProject } from '../engines/code/engine.js';
import { parseAuth as parseProbeAuth } from '../engines/probe/auth.js';
import { runProbe } from '../engines/probe/engine.js';
import { parseAuth } from '../engines/scan/auth.js';
import { runScan } from '../engines/scan/engine.js';
import type { EngineRunners } from './server.js';

/** Engine errors name CLI flags; over MCP the same value is the tool's `auth` argument. */
function asArgument(error: unknown): never {
  throw new ToolError(describeError(error).replace(/^--auth\b/, 'auth'));
}

/** The real engines behind the MCP tools. Relative paths resolve against the server's working directory. */
export const ENGINES: EngineRunners = {
  async scan(input, progress) {
    let auth;
    try {
      auth = input.auth === undefined ? undefined : parseAuth(input.auth);
    } catch (error) {
      asArgument(error);
    }
    return runScan(
      {
        target: input.url,
        tier: input.tier ?? 'standard',
        ...(input.spec ? { spec: input.spec } : {}),
        ...(auth ? { auth } : {}),
        ...(input.maxRequests ? { maxRequests: input.maxRequests } : {}),
      },
      { onProgress: (p) => progress(p.sent, p.maxRequests, `${p.phase}${p.rule ? ` ${p.rule}` : ''}`) },
    );
  },

  async code(input, progress) {
    progress(0, 1, `analysing ${input.path}`);
    const { report } = await analyseProject({ paths: [path.resolve(input.path)] });
    progress(1, 1, 'done');
    return report;
  },

  async probe(input, progress, signal) {
    const auth = input.auth === undefined ? undefined : parseProbeAuth(input.auth, 'auth');
    let step = 0;
    return runProbe({
      cmd: input.cmd,
      url: input.url,
      ...(input.cwd ? { cwd: path.resolve(input.cwd) } : {}),
      ...(auth ? { auth } : {}),
      ...(input.authHeader ? { authHeader: input.authHeader } : {}),
      ...(input.requests !== undefined ? { requests: input.requests } : {}),
      ...(input.burst !== undefined ? { burst: input.burst } : {}),
      signal,
      // Probe reports phases as lines; each one is a step of unknown total.
      onProgress: (line) => progress(++step, undefined, line),
    });
  },
};
