import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// `npm run bench [engine...]`: runs each engine's benchmark in its own process and prints its figures.
const ENGINES = ['scan', 'code', 'probe', 'watch'];
const wanted = process.argv.slice(2);
const root = import.meta.dirname;
let failed = 0;
for (const engine of wanted.length > 0 ? wanted : ENGINES) {
  const entry = path.join(root, engine, 'run.ts');
  if (!existsSync(entry)) {
    console.log(`bench ${engine}: no benchmark (${path.relative(process.cwd(), entry)} missing)`);
    continue;
  }
  console.log(`\n=== bench ${engine} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
