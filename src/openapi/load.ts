import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { describeError } from '../core/errors.js';
import { normalizeOperations } from './operations.js';
import type { ApiModel } from './types.js';

/** Thrown when a document is not a usable Swagger 2.0 / OpenAPI 3.x description. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/** JSON or YAML text to a value; undefined when it is neither. */
export function parseDocumentText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return parseYaml(text, { maxAliasCount: 100 }) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** Looks like a description we can read (cheap test before the parser runs). */
export function specFormatOf(document: unknown): ApiModel['format'] | undefined {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const doc = document as Record<string, unknown>;
  const hasPaths = typeof doc['paths'] === 'object' && doc['paths'] !== null;
  if (doc['swagger'] === '2.0' && hasPaths) return 'swagger-2.0';
  if (typeof doc['openapi'] === 'string' && (hasPaths || typeof doc['webhooks'] === 'object')) {
    if (doc['openapi'].startsWith('3.0')) return 'openapi-3.0';
    if (doc['openapi'].startsWith('3.1')) return 'openapi-3.1';
  }
  return undefined;
}

/**
 * Dereferences a parsed description (internal $refs, circular ones left as they are) and
 * normalizes its operations. External $refs are never fetched: a spec must not steer the scanner
 * to other hosts or local files.
 */
export async function loadSpec(document: unknown, source: string): Promise<ApiModel> {
  const format = specFormatOf(document);
  if (!format) throw new SpecError(`${source} is not a Swagger 2.0 or OpenAPI 3.0/3.1 document`);
  let dereferenced: unknown;
  try {
    dereferenced = await SwaggerParser.dereference(structuredClone(document) as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    });
  } catch (error) {
    throw new SpecError(`${source}: cannot resolve the document: ${describeError(error)}`);
  }
  return normalizeOperations(dereferenced as Record<string, unknown>, format);
}

/** Parses text and loads it. */
export async function loadSpecText(text: string, source: string): Promise<ApiModel> {
  return loadSpec(parseDocumentText(text), source);
}
