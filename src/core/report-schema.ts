import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const schemaPath = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
// ajv-formats ships CommonJS; its default export arrives nested under NodeNext interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
}

/** Problems of a JSON report against schema/report.schema.json; empty when valid. */
export function validateReport(data: unknown): string[] {
  validator ??= compile();
  if (validator(data)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
