import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` next to the caller (`callerUrl` is its import.meta.url): the built
 * `.js` (its bundle, `name.bundle.js`, when the build made one: a thread loading one file starts sooner), or
 * the `.ts` source through tsx's loader when running from sources.
 */
export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) {
    const bundle = new URL(`./${name}.bundle.js`, callerUrl);
    return new Worker(existsSync(bundle) ? bundle : new URL(`./${name}.js`, callerUrl), { workerData });
  }
  // Loader hooks given with --import do not reach worker threads on Node 20: register tsx in the worker.
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
