import { readFile, stat } from 'node:fs/promises';
import { ToolError, describeError } from '../../core/errors.js';
import type { HttpClient } from '../../http/client.js';
import { loadSpec, parseDocumentText, specFormatOf, SpecError } from '../../openapi/load.js';
import type { ApiModel, Operation } from '../../openapi/types.js';

/** Largest spec read, from a file or over HTTP (a 10,000-operation spec is a few MiB). */
export const SPEC_SIZE_CAP = 32 * 1024 * 1024;

/** Where APIs usually publish their description, most common first. */
export const WELL_KNOWN_SPECS = [
  '/openapi.json',
  '/swagger.json',
  '/v3/api-docs',
  '/docs',
  '/openapi.yaml',
  '/swagger/v1/swagger.json',
  '/v2/api-docs',
  '/api-docs',
  '/redoc',
  '/api/openapi.json',
  '/swagger.yaml',
  '/api/swagger.json',
];

/** Probed without a spec: a small fixed list, sensitive-looking paths included on purpose. */
export const COMMON_PATHS = ['/api', '/admin', '/admin/users', '/debug', '/metrics', '/internal', '/actuator/env', '/status', '/health', '/me', '/users', '/config'];

export interface Discovery {
  api?: ApiModel;
  /** Where the spec came from (a URL path or a file), when one was found. */
  specSource?: string;
  operations: Operation[];
}

function guessed(path: string, source: Operation['source']): Operation {
  return { method: 'GET', pathTemplate: path, path, parameters: [], security: [], requiresAuth: false, source };
}

/** Swagger UI and ReDoc pages name their spec; this finds that URL. */
export function specLinkInPage(html: string): string | undefined {
  const patterns = [/spec-url=["']([^"']+)["']/i, /\burl\s*:\s*["']([^"']+\.(?:json|ya?ml)[^"']*)["']/i, /["']url["']\s*:\s*["']([^"']+)["']/i, /\burl\s*:\s*["'](\/[^"']+)["']/i];
  for (const pattern of patterns) {
    const match = pattern.exec(html);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

async function readSpecFile(file: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new ToolError(`--spec ${file}: cannot read it (${describeError(error)})`);
  }
  if (size > SPEC_SIZE_CAP) throw new ToolError(`--spec ${file}: larger than ${SPEC_SIZE_CAP / 1024 / 1024} MiB`);
  return readFile(file, 'utf8');
}

async function fetchSpecText(client: HttpClient, url: string): Promise<{ text?: string; problem?: string }> {
  const exchange = await client.request({ path: url, tag: 'discovery', bodyCap: SPEC_SIZE_CAP, headers: { accept: 'application/json, application/yaml, text/yaml, */*' } });
  if (exchange.error) return { problem: exchange.error.message };
  const response = exchange.response!;
  if (response.status < 200 || response.status > 299) return { problem: `answered ${response.status}` };
  if (response.truncated) return { problem: `cut off (${response.truncated}) after ${response.bodyBytes} bytes` };
  return { text: response.body };
}

/** --spec given: a file or a URL; anything that is not a usable spec stops the scan. */
async function explicitSpec(client: HttpClient, spec: string): Promise<Discovery> {
  const isUrl = /^https?:\/\//i.test(spec);
  let text: string;
  if (isUrl) {
    const fetched = await fetchSpecText(client, spec);
    if (fetched.text === undefined) throw new ToolError(`--spec ${spec}: ${fetched.problem}`);
    text = fetched.text;
  } else {
    text = await readSpecFile(spec);
  }
  try {
    const api = await loadSpec(parseDocumentText(text), `--spec ${spec}`);
    return { api, specSource: spec, operations: api.operations };
  } catch (error) {
    if (error instanceof SpecError) throw new ToolError(error.message);
    throw error;
  }
}

/** The well-known locations under the target's own path first (an API mounted at /api), then at the root. */
export function specCandidates(target: URL, count: number): string[] {
  const base = target.pathname.replace(/\/+$/, '');
  const under = base ? WELL_KNOWN_SPECS.slice(0, count).map((p) => `${base}${p}`) : [];
  return [...new Set([...under, ...WELL_KNOWN_SPECS.slice(0, count)])];
}

/** No --spec: the well-known locations in order; a doc page (Swagger UI, ReDoc) is followed to the spec it links. */
async function wellKnownSpec(client: HttpClient, target: URL, count: number, warn: (m: string) => void): Promise<Discovery | undefined> {
  const tried = new Set<string>();
  for (const path of specCandidates(target, count)) {
    if (tried.has(path)) continue;
    tried.add(path);
    const fetched = await fetchSpecText(client, path);
    if (fetched.text === undefined) continue;
    let document = parseDocumentText(fetched.text);
    let source = path;
    if (!specFormatOf(document)) {
      const link = /<html|<!doctype/i.test(fetched.text) ? specLinkInPage(fetched.text) : undefined;
      const linked = link ? safeSameOriginPath(link, client.origin) : undefined;
      if (!linked || tried.has(linked)) continue;
      tried.add(linked);
      const followed = await fetchSpecText(client, linked);
      if (followed.text === undefined) continue;
      document = parseDocumentText(followed.text);
      source = linked;
      if (!specFormatOf(document)) continue;
    }
    try {
      const api = await loadSpec(document, source);
      return { api, specSource: source, operations: api.operations };
    } catch (error) {
      warn(`spec at ${source} could not be used: ${describeError(error)}`);
    }
  }
  return undefined;
}

function safeSameOriginPath(link: string, origin: string): string | undefined {
  try {
    const url = new URL(link, origin);
    return url.origin === origin ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds what to scan: the spec (given or well-known) plus the target URL itself; without a spec,
 * the target URL and a short list of common paths.
 */
export async function discover(
  client: HttpClient,
  target: URL,
  options: { spec?: string; specLocations: number; warn: (m: string) => void },
): Promise<Discovery> {
  const found = options.spec ? await explicitSpec(client, options.spec) : await wellKnownSpec(client, target, options.specLocations, options.warn);
  const targetPath = target.pathname + target.search;
  if (found) {
    const known = new Set(found.operations.map((o) => `${o.method} ${o.path}`));
    const operations = known.has(`GET ${targetPath}`) ? found.operations : [guessed(targetPath, 'target'), ...found.operations];
    return { ...found, operations };
  }
  const paths = [targetPath, ...COMMON_PATHS.filter((p) => p !== targetPath)];
  return { operations: paths.map((p, i) => guessed(p, i === 0 ? 'target' : 'guess')) };
}
