import { localRedisKinds, startLocalRedis, type LocalRedisKind } from './local-redis.js';

const usage = `Usage:
  npm run redis:local -- cluster     a local Redis Cluster: 3 primaries, 3 replicas
  npm run redis:local -- sentinel    a local Redis primary, its replica and 3 Sentinels
Either runs on free ports with temporary data dirs until Ctrl+C, which stops it and removes its data.`;

// npm run redis:local: a local Redis Cluster or Sentinel setup to run the pipeline against, for as long as
// this runs (redis-server and redis-cli from PATH).
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const kind = args[0] as LocalRedisKind;
  if (args.length !== 1 || !localRedisKinds.includes(kind)) {
    console.error(usage);
    return 1;
  }
  // Listening before anything starts: a Ctrl+C during the start still stops the servers (by default it
  // would end this process and leave them running), and a second one does not cut the stop short.
  const stopRequested = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve(signal));
  });
  const local = await startLocalRedis(kind);
  const variables = Object.entries(local.variables).map(([name, value]) => `${name}=${value}`);
  console.log(`${local.description}; data in temporary dirs, removed on stop`);
  console.log('Run the pipeline against it (from another terminal):');
  console.log(`  ${variables.join(' ')} npm run orchestrate`);
  console.log('Stop: Ctrl+C');
  const signal = await stopRequested;
  console.log(`${signal}: stopping every Redis process and removing its data`);
  await local.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`redis:local failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
