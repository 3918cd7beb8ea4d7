import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ToolError, describeError } from './errors.js';
import type { Finding } from './finding.js';
import { SEVERITIES } from './severity.js';

/** Default file names looked up in the working directory when --config is not given. */
export const CONFIG_FILES = ['.portcullis.yml', '.portcullis.yaml', 'portcullis.config.yml'];

const ignoreEntry = z.union([
  z.string().min(1),
  z.object({ rule: z.string().min(1), paths: z.array(z.string().min(1)).optional(), reason: z.string().optional() }).strict(),
]);

export const configSchema = z
  .object({
    ignore: z.array(ignoreEntry).default([]),
    failOn: z.enum(SEVERITIES).optional(),
    threshold: z.number().int().min(0).max(100).optional(),
    // Engine sections are validated by their engines.
    scan: z.record(z.unknown()).optional(),
    code: z.record(z.unknown()).optional(),
    probe: z.record(z.unknown()).optional(),
    watch: z.record(z.unknown()).optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export async function loadConfig(explicit?: string, cwd = process.cwd()): Promise<Config> {
  const file = explicit ?? CONFIG_FILES.map((name) => path.join(cwd, name)).find((f) => existsSync(f));
  if (!file) return configSchema.parse({});
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ToolError(`cannot read config ${file}: ${describeError(error)}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ToolError(`config ${file}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return result.data;
}

/** `py.basic-auth.*` matches every id under it; anything else is an exact id. */
function ruleMatches(pattern: string, ruleId: string): boolean {
  return pattern.endsWith('.*') ? ruleId.startsWith(pattern.slice(0, -1)) : pattern === ruleId;
}

/** Drops findings the config ignores; returns how many were suppressed. */
export function applyIgnores(findings: Finding[], config: Config): { kept: Finding[]; suppressed: number } {
  const entries = config.ignore.map((e) => (typeof e === 'string' ? { rule: e, paths: undefined } : e));
  const matchers = entries.map((e) => ({ rule: e.rule, match: e.paths ? picomatch(e.paths, { dot: true }) : undefined }));
  const kept = findings.filter(
    (f) =>
      !matchers.some((m) => {
        if (!ruleMatches(m.rule, f.ruleId)) return false;
        if (!m.match) return true;
        const where = f.location.file ?? f.location.path ?? '';
        return m.match(where);
      }),
  );
  return { kept, suppressed: findings.length - kept.length };
}
