/** Safe, boring values for parameters: what the spec suggests, else a default that fits the format. */

type Schema = Record<string, unknown>;

const BY_FORMAT: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-000000000001',
  date: '2024-01-01',
  'date-time': '2024-01-01T00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
  byte: 'cG9ydGN1bGxpcw==',
};

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function firstExample(examples: unknown): string | undefined {
  if (Array.isArray(examples)) return scalar(examples[0]);
  if (examples && typeof examples === 'object') {
    for (const example of Object.values(examples as Record<string, unknown>)) {
      const value = scalar((example as { value?: unknown } | undefined)?.value);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** A value for one parameter (OpenAPI 3 `schema` or Swagger 2 inline type). */
export function exampleValue(parameter: Schema): string {
  const schema = (parameter['schema'] as Schema | undefined) ?? parameter;
  const candidates = [
    scalar(parameter['example']),
    firstExample(parameter['examples']),
    scalar(schema['example']),
    firstExample(schema['examples']),
    Array.isArray(schema['enum']) ? scalar(schema['enum'][0]) : undefined,
    scalar(schema['default']),
    scalar(schema['const']),
  ];
  const found = candidates.find((c) => c !== undefined);
  if (found !== undefined) return found;
  const format = typeof schema['format'] === 'string' ? schema['format'] : '';
  if (BY_FORMAT[format]) return BY_FORMAT[format];
  const type = Array.isArray(schema['type']) ? schema['type'].find((t) => t !== 'null') : schema['type'];
  if (type === 'integer' || type === 'number') {
    const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : 1;
    return String(Math.max(1, Math.ceil(minimum)));
  }
  if (type === 'boolean') return 'true';
  const name = String(parameter['name'] ?? '').toLowerCase();
  return name === 'id' || name.endsWith('_id') || name.endsWith('id') ? '1' : 'portcullis';
}
