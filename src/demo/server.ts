import { startVulnerableApi } from './vulnerable-api.js';

// Runs the demo API as its own process (what `probe` starts): `node dist/demo/server.js [port]`.
const port = Number(process.argv[2] ?? process.env['PORT'] ?? 0);
const api = await startVulnerableApi({ port: Number.isInteger(port) && port >= 0 ? port : 0, log: (line) => console.log(line) });
console.log(`demo API listening on ${api.url}`);
const stop = () => void api.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
