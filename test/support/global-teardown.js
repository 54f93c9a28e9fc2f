export default async function globalTeardown() {
  await globalThis.day15RedisCluster?.stop();
  await globalThis.day15RedisServer?.stop();
}
