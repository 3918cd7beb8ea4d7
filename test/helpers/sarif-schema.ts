import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv04Module from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';

// The official SARIF 2.1.0 (rtm.5) schema, as published in Microsoft's @microsoft/jest-sarif package.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

// CommonJS default export under NodeNext interop.
const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module }).default ?? Ajv04Module;

let validator: ValidateFunction | undefined;

/** Problems of a SARIF log against the official 2.1.0 schema; empty when valid. */
export function validateSarif(log: unknown): string[] {
  validator ??= new (Ajv04 as unknown as new (o: object) => { compile: (s: object) => ValidateFunction })({
    allErrors: true,
    strict: false,
    validateFormats: false,
    unicodeRegExp: false,
  }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  const validate = validator;
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
