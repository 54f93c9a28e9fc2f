// Moved to tools/redis-server.js. This re-export only serves libs/queue/test/redis-client.test.ts until
// that file imports tools/redis-server.js itself (its owner is changing libs/queue); then delete it.
export * from '../../tools/redis-server.js';
