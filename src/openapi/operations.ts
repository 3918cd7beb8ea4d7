import { exampleValue } from './examples.js';
import type { ApiModel, Operation, Parameter, SchemeType, SecurityScheme } from './types.js';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PARAM_LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);

function asObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function schemeOf(name: string, raw: Json): SecurityScheme {
  const type = String(raw['type'] ?? '');
  const scheme = String(raw['scheme'] ?? '').toLowerCase();
  let kind: SchemeType;
  if (type === 'basic' || (type === 'http' && scheme === 'basic')) kind = 'basic';
  else if (type === 'http' && scheme === 'bearer') kind = 'bearer';
  else if (type === 'http') kind = 'http';
  else if (type === 'apiKey' || type === 'oauth2' || type === 'openIdConnect' || type === 'mutualTLS') kind = type;
  else kind = 'http';
  const result: SecurityScheme = { name, type: kind };
  if (kind === 'apiKey') {
    const where = String(raw['in'] ?? 'header');
    result.in = where === 'query' || where === 'cookie' ? where : 'header';
    result.paramName = String(raw['name'] ?? '');
  }
  return result;
}

/** The path part of the first server (3.x, variables at their defaults) or basePath (2.0). */
function basePathOf(doc: Json): string {
  if (typeof doc['basePath'] === 'string') return doc['basePath'].replace(/\/+$/, '');
  const server = asObject(asArray(doc['servers'])[0]);
  let url = typeof server['url'] === 'string' ? server['url'] : '';
  for (const [name, variable] of Object.entries(asObject(server['variables']))) {
    url = url.replaceAll(`{${name}}`, String(asObject(variable)['default'] ?? ''));
  }
  try {
    return new URL(url, 'http://base.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function parametersOf(pathItem: Json, operation: Json): Parameter[] {
  const merged = new Map<string, Json>();
  for (const raw of [...asArray(pathItem['parameters']), ...asArray(operation['parameters'])]) {
    const p = asObject(raw);
    const where = String(p['in'] ?? '');
    if (!PARAM_LOCATIONS.has(where) || typeof p['name'] !== 'string') continue;
    merged.set(`${where}:${p['name']}`, p);
  }
  return [...merged.values()].map((p) => ({
    name: String(p['name']),
    in: p['in'] as Parameter['in'],
    required: p['in'] === 'path' || p['required'] === true,
    value: exampleValue(p),
  }));
}

function fillPath(template: string, parameters: Parameter[]): string {
  let path = template.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const p = parameters.find((x) => x.in === 'path' && x.name === name);
    return encodeURIComponent(p?.value ?? '1');
  });
  const query = parameters.filter((p) => p.in === 'query' && p.required);
  if (query.length > 0) path += `?${new URLSearchParams(query.map((p): [string, string] => [p.name, p.value])).toString()}`;
  return path;
}

function securityOf(requirements: unknown, schemes: Map<string, SecurityScheme>): SecurityScheme[][] {
  return asArray(requirements).map((requirement) =>
    Object.keys(asObject(requirement)).map((name) => schemes.get(name) ?? { name, type: 'http' as const }),
  );
}

/** Dereferenced Swagger 2.0 / OpenAPI 3.x document to the normalized model. */
export function normalizeOperations(doc: Json, format: ApiModel['format']): ApiModel {
  const definitions = format === 'swagger-2.0' ? asObject(doc['securityDefinitions']) : asObject(asObject(doc['components'])['securitySchemes']);
  const schemes = new Map(Object.entries(definitions).map(([name, raw]) => [name, schemeOf(name, asObject(raw))]));
  const globalSecurity = doc['security'];
  const base = basePathOf(doc);
  const operations: Operation[] = [];
  for (const [template, rawItem] of Object.entries(asObject(doc['paths']))) {
    const pathItem = asObject(rawItem);
    for (const method of METHODS) {
      if (!(method in pathItem)) continue;
      const raw = asObject(pathItem[method]);
      const parameters = parametersOf(pathItem, raw);
      const security = securityOf('security' in raw ? raw['security'] : globalSecurity, schemes);
      const pathTemplate = `${base}${template.startsWith('/') ? '' : '/'}${template}`;
      const operation: Operation = {
        method: method.toUpperCase(),
        pathTemplate,
        path: fillPath(pathTemplate, parameters),
        parameters,
        security,
        requiresAuth: security.length > 0 && security.every((alternative) => alternative.length > 0),
        source: 'spec',
      };
      if (typeof raw['summary'] === 'string') operation.summary = raw['summary'];
      operations.push(operation);
    }
  }
  const info = asObject(doc['info']);
  return { format, title: typeof info['title'] === 'string' ? info['title'] : '', operations, schemes: [...schemes.values()] };
}
