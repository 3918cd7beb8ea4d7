import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ALL_RULES, findRule } from '../catalog.js';
import { describeError } from '../core/errors.js';
import { TOOL_VERSION, type Report } from '../core/report.js';
import { ruleDoc } from '../core/rule-docs.js';
import { render } from '../reporters/index.js';
import { renderMarkdown } from '../reporters/markdown.js';
import { ResultStore } from './results.js';
import { SessionSecrets } from './secrets.js';

/** Reports progress of a long run; `total` is absent when the engine cannot know it. */
export type Progress = (done: number, total: number | undefined, message: string) => void;

export interface ScanInput {
  url: string;
  spec?: string | undefined;
  auth?: string | undefined;
  tier?: 'quick' | 'standard' | 'deep' | undefined;
  maxRequests?: number | undefined;
}

export interface ProbeInput {
  cmd: string;
  url: string;
  auth?: string | undefined;
  authHeader?: string | undefined;
  requests?: number | undefined;
  burst?: number | undefined;
  cwd?: string | undefined;
}

/** The engines the server drives; injected so the server stays a thin layer over them. */
export interface EngineRunners {
  scan: (input: ScanInput, progress: Progress, signal: AbortSignal) => Promise<Report>;
  code: (input: { path: string }, progress: Progress, signal: AbortSignal) => Promise<Report>;
  probe: (input: ProbeInput, progress: Progress, signal: AbortSignal) => Promise<Report>;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const AUTH_SYNTAX = 'basic:USER:PASS, bearer:TOKEN, header:NAME:VALUE or cookie:NAME=VALUE';
// Progress notifications at most this often (a scan reports every request).
const PROGRESS_INTERVAL_MS = 200;

const httpUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');

export interface PortcullisMcp {
  server: McpServer;
  /** Resolves once no tool call is running (a probe has stopped its app). */
  idle: () => Promise<void>;
}

export function createMcpServer(engines: EngineRunners): PortcullisMcp {
  const server = new McpServer({ name: 'portcullis', version: TOOL_VERSION });
  const store = new ResultStore();
  // Every secret a client handed over this session; every text the server returns goes through it.
  const secrets = new SessionSecrets();
  const running = new Set<Promise<unknown>>();

  function reply(value: string, isError = false): ToolResult {
    return { content: [{ type: 'text', text: secrets.redact(value) }], ...(isError ? { isError } : {}) };
  }

  /** Runs an engine with throttled progress notifications when the client asked for them. */
  async function run(extra: Extra, go: (progress: Progress, signal: AbortSignal) => Promise<Report>): Promise<ToolResult> {
    const token = extra._meta?.progressToken;
    let last = -1;
    let lastAt = 0;
    const progress: Progress = (done, total, message) => {
      const now = Date.now();
      // The protocol wants progress to increase; a finished run is always reported.
      if (token === undefined || done <= last || (now - lastAt < PROGRESS_INTERVAL_MS && done !== total)) return;
      last = done;
      lastAt = now;
      const params = { progressToken: token, progress: done, ...(total !== undefined ? { total } : {}), message: secrets.redact(message) };
      extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
    };
    const job = go(progress, extra.signal);
    running.add(job);
    try {
      const report = await job;
      const stored = store.add(report);
      return reply(`${renderMarkdown(report)}\nResult id: ${stored.id} (get_result gives it as JSON or SARIF; explain_rule explains any rule id).`);
    } catch (error) {
      return reply(`portcullis: ${describeError(error)}`, true);
    } finally {
      running.delete(job);
    }
  }

  server.registerTool(
    'scan_api',
    {
      title: 'Scan a live API',
      description:
        'Black-box security scan of a live HTTP API (OpenAPI-aware), authentication surface first: Basic auth over cleartext, missing challenges, brute-force protection, malformed-credential crashes, user enumeration, unprotected endpoints, stack traces, credential reflection. Read-only (GET/HEAD/OPTIONS). Returns grade, score, findings and a result id.',
      inputSchema: {
        url: httpUrl.describe('Base URL of the API, e.g. http://127.0.0.1:8000'),
        spec: z.string().max(2048).optional().describe('OpenAPI/Swagger document URL or file; default: well-known locations'),
        auth: z.string().min(1).max(8192).optional().describe(`Credentials for an authenticated scan: ${AUTH_SYNTAX}. Never echoed back.`),
        tier: z.enum(['quick', 'standard', 'deep']).optional().describe('Depth versus request count (150/600/2000 requests); default standard'),
        maxRequests: z.number().int().positive().max(100_000).optional().describe('Request budget of the whole scan'),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    (input, extra) => {
      secrets.addAuth(input.auth).addUrl(input.url);
      return run(extra, (progress, signal) => engines.scan(input, progress, signal));
    },
  );

  server.registerTool(
    'analyze_code',
    {
      title: 'Analyse Python code',
      description:
        'Static analysis of a Python web app (FastAPI, Starlette, Flask): Basic-auth failures and successes not logged or logged without context, secrets in logs, credentials retained in module-level containers, timing-unsafe compares, hardcoded credentials, missing rate limits, unhandled decode errors. Returns grade, score, findings with file and line, and a result id.',
      inputSchema: { path: z.string().min(1).max(4096).describe('A file or directory to analyse; relative paths resolve against the server working directory') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input, extra) => run(extra, (progress, signal) => engines.code(input, progress, signal)),
  );

  server.registerTool(
    'run_probe',
    {
      title: 'Probe a running app',
      description:
        'Runs the given shell command to start the app, drives real authentication traffic at it, and measures what only the running process shows: whether failed and successful logins are logged with context, whether secrets reach the logs, whether memory grows per credential, whether brute force is throttled. Stops the app afterwards.',
      inputSchema: {
        cmd: z.string().min(1).max(4096).describe('Shell command that starts the app, e.g. "uvicorn app:app --port 8000"'),
        url: httpUrl.describe('An endpoint of the started app that requires authentication, e.g. http://127.0.0.1:8000/items'),
        auth: z.string().min(1).max(8192).optional().describe('Valid credentials basic:USER:PASS, for the success checks. Never echoed back.'),
        authHeader: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/).max(256).optional().describe('Header that carries "Basic <token>" (default Authorization)'),
        requests: z.number().int().min(0).max(200_000).optional().describe('Distinct-credential requests of the memory check (0 skips it; default 20000)'),
        burst: z.number().int().min(0).max(10_000).optional().describe('Failed logins of the rate-limit burst (0 skips it; default 30)'),
        cwd: z.string().max(4096).optional().describe('Working directory for the command'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    (input, extra) => {
      secrets.addAuth(input.auth).addUrl(input.url);
      return run(extra, (progress, signal) => engines.probe(input, progress, signal));
    },
  );

  server.registerTool(
    'list_results',
    { title: 'List results', description: 'The reports produced in this session, oldest first, with their ids.', inputSchema: {}, annotations: { readOnlyHint: true } },
    () => {
      const rows = store.list().map((r) => `- ${r.id}: ${r.engine} ${r.target}, grade ${r.report.grade} (${r.report.score}/100), ${r.report.findings.length} findings, ${r.at}`);
      return reply(rows.length > 0 ? rows.join('\n') : 'No results yet in this session.');
    },
  );

  server.registerTool(
    'get_result',
    {
      title: 'Get a result',
      description: 'One report of this session, as Markdown (default), JSON, SARIF 2.1.0 or text.',
      inputSchema: {
        id: z.string().max(32).describe('Result id from list_results, e.g. r1'),
        format: z.enum(['markdown', 'json', 'sarif', 'text']).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    ({ id, format }) => {
      const stored = store.get(id);
      if (!stored) return reply(`No result "${id}" in this session; list_results shows the ids.`, true);
      return reply(render(stored.report, format ?? 'markdown', { color: false }));
    },
  );

  server.registerTool(
    'explain_rule',
    {
      title: 'Explain a rule',
      description: 'Documentation of a portcullis rule: what it finds, why it matters, and how to fix it, with a code sketch where it helps.',
      inputSchema: { id: z.string().min(1).max(200).describe('Rule id, e.g. py.basic-auth.failure-not-logged') },
      annotations: { readOnlyHint: true },
    },
    ({ id }) => {
      const rule = findRule(id);
      if (rule) return reply(ruleDoc(rule));
      const needle = id.toLowerCase();
      const near = ALL_RULES.map((r) => r.id).filter((r) => r.includes(needle) || needle.includes(r.split('.').at(-1) ?? r));
      return reply(`Unknown rule "${id}".${near.length > 0 ? ` Did you mean: ${near.slice(0, 5).join(', ')}?` : ''} The rules are listed by \`portcullis rules\`.`, true);
    },
  );

  return {
    server,
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
