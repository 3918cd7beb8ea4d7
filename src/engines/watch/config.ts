import { z } from 'zod';
import { ToolError } from '../../core/errors.js';
import { parseDuration } from './time.js';

export const FORMAT_NAMES = ['auto', 'json', 'logfmt', 'python', 'combined', 'uvicorn'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

const duration = z.union([z.number().positive(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (!Number.isFinite(ms) || ms <= 0) ctx.addIssue({ code: 'custom', message: 'a duration such as 300, 90s, 5m or 2h' });
  return ms;
});
const count = z.number().int().positive();

/** Log field names, per concept; the first name present in a record wins. */
const fieldsSchema = z
  .object({
    time: z.array(z.string()).default(['timestamp', 'time', 'ts', '@timestamp', 'asctime', 'created']),
    event: z.array(z.string()).default(['event', 'action', 'msg', 'message']),
    user: z.array(z.string()).default(['username', 'user', 'user_name', 'login', 'account']),
    ip: z.array(z.string()).default(['client_ip', 'ip', 'remote_addr', 'src_ip', 'client', 'clientip']),
    method: z.array(z.string()).default(['method', 'http_method']),
    path: z.array(z.string()).default(['path', 'url', 'uri', 'request_path']),
    status: z.array(z.string()).default(['status', 'status_code', 'http_status']),
    lat: z.array(z.string()).default(['lat', 'latitude', 'geo_lat']),
    lon: z.array(z.string()).default(['lon', 'lng', 'longitude', 'geo_lon']),
    country: z.array(z.string()).default(['country', 'country_code', 'geo_country']),
  })
  .strict();

const rulesSchema = z
  .object({
    'brute-force': z.object({ threshold: count.default(10), window: duration.default(300) }).strict().default({}),
    'password-spraying': z.object({ threshold: count.default(10), window: duration.default(600) }).strict().default({}),
    'credential-stuffing': z
      .object({
        minUsernames: count.default(30),
        minIps: count.default(10),
        maxSuccessRatio: z.number().min(0).max(1).default(0.1),
        window: duration.default(600),
      })
      .strict()
      .default({}),
    'distributed-brute-force': z.object({ threshold: count.default(10), window: duration.default(600) }).strict().default({}),
    'success-after-failures': z.object({ failures: count.default(5), window: duration.default(600) }).strict().default({}),
    'impossible-travel': z
      .object({
        maxSpeedKmh: z.number().positive().default(900),
        minDistanceKm: z.number().nonnegative().default(500),
        countryChangeWindow: duration.default(3600),
        window: duration.default(86_400),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

const webhookSchema = z
  .object({
    url: z.string().url(),
    /** Name of the environment variable holding the signing secret (secrets never live in the file). */
    secretEnv: z.string().default('PORTCULLIS_WEBHOOK_SECRET'),
  })
  .strict();

export const watchConfigSchema = z
  .object({
    format: z.enum(FORMAT_NAMES).default('auto'),
    fields: fieldsSchema.default({}),
    failureValues: z.array(z.string()).default(['auth_failure', 'login_failure', 'login_failed', 'authentication_failed', 'auth_failed']),
    successValues: z.array(z.string()).default(['auth_success', 'login_success', 'login_succeeded', 'authenticated']),
    /** Per detector: distinct keys tracked before the least recently seen is evicted. */
    maxKeys: count.max(10_000_000).default(50_000),
    /** How far behind the newest event time an event may arrive and still count. */
    lateness: duration.default(60),
    maxLineBytes: count.default(65_536),
    /** Alerts kept for the report; beyond it they are still streamed, and counted. */
    maxAlerts: count.default(10_000),
    rules: rulesSchema,
    webhooks: z.array(webhookSchema).default([]),
    webhookRetries: z.number().int().min(0).max(20).default(5),
    webhookBackoff: duration.default(0.5),
    webhookQueue: count.default(1000),
  })
  .strict();

export type WatchConfig = z.output<typeof watchConfigSchema>;
export type FieldMap = WatchConfig['fields'];
export type RuleSettings = WatchConfig['rules'];

/** The `watch:` section of .portcullis.yml, with every default filled in. */
export function resolveWatchConfig(raw: unknown): WatchConfig {
  const result = watchConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ToolError(`config watch.${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}
