// REFERENCE CEILING, NOT A PRODUCT: a bare node:http server that only parses the JSON body and LPUSHes it
// to Redis, with no validation, no deduplication, no logging. It shows the most a single-event receiver
// can accept on this machine; the benchmark compares the real receiver against it in the same run.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';

const redis = new Redis(process.argv[2] ?? 'redis://127.0.0.1:6379');
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    redis.lpush('bench:bare', body).then(
      () => res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"accepted"}'),
      () => res.writeHead(503).end(),
    );
  });
});
server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`bare server listening on ${typeof address === 'object' && address ? address.port : '?'}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
