import { measureRedisBytes } from './redis-bytes.js';

// node --import tsx scripts/bench/measure-redis-bytes.ts [events]: the Redis bytes per queued and per
// processed event (docs/scaling.md, "Redis memory: sizing"), on a private redis-server.
const events = Number(process.argv[2] ?? 50_000);
console.log(JSON.stringify(await measureRedisBytes(events), null, 2));
