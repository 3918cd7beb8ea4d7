// probe target: a Node API whose Basic decoder throws outside any try on a token without a
// colon, so one malformed header kills the whole process (Node exits on an uncaught exception).
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    if (!decoded.includes(':')) throw new Error(`malformed credentials: ${decoded}`);
    console.log(JSON.stringify({ event: 'auth_failure', user: decoded.split(':')[0], client_ip: req.socket.remoteAddress }));
  }
  res.writeHead(401, { 'www-authenticate': 'Basic' });
  res.end('unauthorized');
});
server.listen(Number(process.argv[2]), '127.0.0.1');
