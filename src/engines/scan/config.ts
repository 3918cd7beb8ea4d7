import { z } from 'zod';
import { ToolError } from '../../core/errors.js';
import { TIERS } from './tiers.js';

/**
 * The `scan:` section of .portcullis.yml. Credentials are deliberately not accepted here: they
 * belong in --auth or PORTCULLIS_AUTH, not in a file that gets committed.
 */
export const scanConfigSchema = z
  .object({
    spec: z.string().min(1).optional(),
    tier: z.enum(TIERS as [string, ...string[]]).optional(),
    knownUser: z.string().min(1).optional(),
    maxRequests: z.number().int().positive().optional(),
    concurrency: z.number().int().positive().max(64).optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxDurationSeconds: z.number().int().positive().optional(),
    insecure: z.boolean().optional(),
  })
  .strict();

export type ScanConfig = z.infer<typeof scanConfigSchema>;

export function parseScanConfig(section: unknown): ScanConfig {
  if (section === undefined) return {};
  const result = scanConfigSchema.safeParse(section);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.join('.') || 'scan';
  const hint = issue.code === 'unrecognized_keys' && issue.keys.some((k) => /auth|password|token/i.test(k)) ? ' (credentials go in --auth or PORTCULLIS_AUTH, never in the config file)' : '';
  throw new ToolError(`config: scan.${where}: ${issue.message}${hint}`);
}
