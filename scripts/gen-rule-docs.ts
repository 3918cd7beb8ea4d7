import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALL_RULES } from '../src/catalog.js';
import { expectedRuleDocs } from '../src/core/rule-docs-files.js';

// Regenerates docs/rules/ from rule metadata: `npm run docs`. The catalog test fails when it is stale.
const dir = path.resolve(import.meta.dirname, '../docs/rules');
await mkdir(dir, { recursive: true });
const files = expectedRuleDocs(ALL_RULES);
for (const existing of await readdir(dir)) if (!files.has(existing)) await rm(path.join(dir, existing));
for (const [name, text] of files) await writeFile(path.join(dir, name), text);
console.log(`wrote ${files.size} files to docs/rules/`);
