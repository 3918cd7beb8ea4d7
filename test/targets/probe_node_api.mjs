// probe target, not Python: a Node HTTP API with Basic auth that logs auth events in logfmt with
// client, method, path and outcome (no request id), and keeps every decoded credential in a Map
// forever (the credential_store mistake of seed 004, in another language). Started with a second
// argument `noleak` it keeps nothing: the same app without the leak, for the negative case.
import { createServer } from 'node:http';

const USERS = new Map([['alice', 'node-secret-42']]);
const leak = process.argv[3] !== 'noleak';
const seen = new Map(); // Deliberate leak: one entry per distinct user, never evicted.

function decode(header) {
  if (!header || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? undefined : { user: decoded.slice(0, at), password: decoded.slice(at + 1), raw: decoded };
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const creds = decode(req.headers.authorization);
  if (creds && leak) seen.set(creds.user, { password: creds.password, raw: creds.raw, at: Date.now() });
  const ok = creds && USERS.get(creds.user) === creds.password;
  const outcome = ok ? 'success' : 'failure';
  console.log(`level=info event=auth_${outcome} user=${creds?.user ?? '-'} client_ip=${req.socket.remoteAddress} method=${req.method} path=${path} status=${ok ? 200 : 401}`);
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', ...(ok ? {} : { 'www-authenticate': 'Basic' }) });
  res.end(JSON.stringify(ok ? { user: creds.user } : { detail: 'Invalid credentials' }));
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.argv[2]), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
