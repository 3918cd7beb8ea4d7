import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exampleValue } from './examples.js';
import { loadSpec, loadSpecText, SpecError } from './load.js';

const swagger2 = {
  swagger: '2.0',
  info: { title: 'v2', version: '1' },
  basePath: '/v2/',
  securityDefinitions: { basic: { type: 'basic' }, key: { type: 'apiKey', in: 'header', name: 'X-API-Key' }, oauth: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://example.com/auth', scopes: {} } },
  security: [{ basic: [] }],
  parameters: { userId: { name: 'userId', in: 'path', required: true, type: 'string', format: 'uuid' } },
  paths: {
    '/users/{userId}': {
      parameters: [{ $ref: '#/parameters/userId' }],
      get: { parameters: [{ name: 'verbose', in: 'query', required: true, type: 'boolean' }], responses: { '200': { description: 'ok' } } },
      delete: { security: [{ key: [] }, { oauth: [] }], responses: { '204': { description: 'gone' } } },
    },
    '/ping': { get: { security: [], responses: { '200': { description: 'ok' } } } },
  },
};

const openapi31 = {
  openapi: '3.1.0',
  info: { title: 'v31', version: '1' },
  servers: [{ url: 'https://{host}/api/{version}', variables: { host: { default: 'example.com' }, version: { default: 'v3' } } }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://example.com/.well-known/openid-configuration' } },
    schemas: {
      // Circular: a node refers to itself through its children.
      Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
      Kind: { type: 'string', enum: ['book', 'film'] },
    },
  },
  paths: {
    '/items/{kind}/{id}': {
      get: {
        security: [{ bearer: [] }, {}],
        parameters: [
          { name: 'kind', in: 'path', required: true, schema: { $ref: '#/components/schemas/Kind' } },
          { name: 'id', in: 'path', required: true, schema: { type: ['integer', 'null'], minimum: 10 } },
          { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' }, examples: { one: { value: 'trace-1' } } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } },
      },
    },
    '/me': { get: { security: [{ oidc: [] }], responses: { '200': { description: 'ok' } } } },
  },
};

describe('loadSpec', () => {
  it('normalizes Swagger 2.0: basePath, $ref parameters, global and per-operation security', async () => {
    const api = await loadSpec(swagger2, 'test');
    expect(api.format).toBe('swagger-2.0');
    const byKey = Object.fromEntries(api.operations.map((o) => [`${o.method} ${o.pathTemplate}`, o]));
    expect(Object.keys(byKey).sort()).toEqual(['DELETE /v2/users/{userId}', 'GET /v2/ping', 'GET /v2/users/{userId}']);
    const get = byKey['GET /v2/users/{userId}']!;
    expect(get.path).toBe('/v2/users/00000000-0000-4000-8000-000000000001?verbose=true');
    expect(get.requiresAuth).toBe(true);
    expect(get.security).toEqual([[{ name: 'basic', type: 'basic' }]]);
    expect(byKey['DELETE /v2/users/{userId}']!.security.map((alt) => alt.map((s) => s.type))).toEqual([['apiKey'], ['oauth2']]);
    expect(byKey['DELETE /v2/users/{userId}']!.security[0]![0]).toEqual({ name: 'key', type: 'apiKey', in: 'header', paramName: 'X-API-Key' });
    expect(byKey['GET /v2/ping']!.requiresAuth).toBe(false);
  });

  it('normalizes OpenAPI 3.1 with a circular schema, server variables, enums via $ref and optional auth', async () => {
    const api = await loadSpec(openapi31, 'test');
    expect(api.format).toBe('openapi-3.1');
    const [items, me] = api.operations;
    expect(items!.pathTemplate).toBe('/api/v3/items/{kind}/{id}');
    expect(items!.path).toBe('/api/v3/items/book/10');
    expect(items!.parameters.find((p) => p.name === 'X-Trace')!.value).toBe('trace-1');
    // `{}` among the alternatives means anonymous access is allowed.
    expect(items!.requiresAuth).toBe(false);
    expect(me!.security).toEqual([[{ name: 'oidc', type: 'openIdConnect' }]]);
    expect(me!.requiresAuth).toBe(true);
  });

  it('reads OpenAPI 3.0 from YAML text', async () => {
    const text = stringify({
      openapi: '3.0.3',
      info: { title: 'yaml', version: '1' },
      components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } } },
      security: [{ basicAuth: [] }],
      paths: { '/a': { get: { responses: { '200': { description: 'ok' } } } } },
    });
    const api = await loadSpecText(text, 'yaml');
    expect(api.operations.map((o) => [o.method, o.path, o.requiresAuth])).toEqual([['GET', '/a', true]]);
    expect(api.schemes).toEqual([{ name: 'basicAuth', type: 'basic' }]);
  });

  it.each([
    ['an HTML page', '<html><body>Swagger UI</body></html>'],
    ['JSON that is not a spec', '{"status":"ok"}'],
    ['an unsupported version', '{"openapi":"4.0.0","paths":{}}'],
    ['Swagger 1.2', '{"swaggerVersion":"1.2","apis":[]}'],
    ['binary noise', '\u0000\u0001\u0002garbage'],
  ])('rejects %s with a SpecError', async (_name, text) => {
    await expect(loadSpecText(text, 'input')).rejects.toBeInstanceOf(SpecError);
  });

  it('never follows external $refs (no file or network access steered by the spec)', async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'ext', version: '1' },
      paths: { '/a': { get: { parameters: [{ $ref: 'file:///etc/passwd' }, { $ref: 'http://198.51.100.1/x.json#/p' }], responses: { '200': { description: 'ok' } } } } },
    };
    const api = await loadSpec(spec, 'ext');
    expect(api.operations).toHaveLength(1);
    expect(api.operations[0]!.parameters).toEqual([]);
  });

  it('handles a 10,000-operation spec', async () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) paths[`/resource${i}/{id}`] = { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'ok' } } } };
    const api = await loadSpec({ openapi: '3.0.3', info: { title: 'big', version: '1' }, paths }, 'big');
    expect(api.operations).toHaveLength(10_000);
    expect(api.operations[9_999]!.path).toBe('/resource9999/1');
  });
});

describe('exampleValue', () => {
  it.each([
    [{ name: 'x', example: 'ex' }, 'ex'],
    [{ name: 'x', schema: { type: 'string', enum: ['a', 'b'] } }, 'a'],
    [{ name: 'x', schema: { type: 'integer', default: 5 } }, '5'],
    [{ name: 'x', schema: { type: 'string', format: 'date' } }, '2024-01-01'],
    [{ name: 'x', schema: { type: 'string', format: 'email' } }, 'user@example.com'],
    [{ name: 'x', schema: { type: 'number', minimum: 3.5 } }, '4'],
    [{ name: 'x', type: 'boolean' }, 'true'],
    [{ name: 'user_id', schema: { type: 'string' } }, '1'],
    [{ name: 'slug', schema: { type: 'string' } }, 'portcullis'],
  ])('%j -> %s', (parameter, expected) => {
    expect(exampleValue(parameter)).toBe(expected);
  });
});
