// Plain JavaScript (typed by redis-cluster.d.ts), like redis-server.js: a jest global setup can start the
// cluster with Node's own module loader, outside the TypeScript transform.
import { execFile } from 'node:child_process';
import { freePort } from './free-port.js';
import { infoFields, redisCommand, waitForRedis, waitForReplicaInSync } from './redis-command.js';
import { startRedisServer } from './redis-server.js';

const slotCount = 16384;
// Generous: on a busy 2-core machine; a healthy cluster forms in a few seconds.
const createTimeoutMs = 60_000;
const healthyTimeoutMs = 60_000;
// Free cluster bus ports found for a node that then could not bind them, before giving up.
const busPortAttempts = 5;

// Every node: cluster mode, its nodes.conf in its own data dir (a relative path is read from the --dir it
// runs in), a 1 s node timeout so a killed primary fails over within seconds (chaos tests), every write on
// disk before it is acknowledged, as in production, and a replica's first sync at once (a primary waits
// 5 s by default for more replicas to sync with together; each has one).
const nodeArgs = [
  ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000'],
  ...['--appendonly', 'yes', '--appendfsync', 'always', '--repl-diskless-sync-delay', '0'],
];

/**
 * Starts a private Redis Cluster on free loopback ports, each node with a temporary data dir, and resolves
 * once it is healthy: every node sees all slots covered, the expected primaries and replicas, and every
 * replica is in sync with its primary.
 */
export async function startRedisCluster({ primaries = 3, replicasPerPrimary = 1 } = {}) {
  const starts = await Promise.allSettled(
    Array.from({ length: primaries * (1 + replicasPerPrimary) }, () => startNode()),
  );
  const nodes = starts.filter((start) => start.status === 'fulfilled').map((start) => start.value);
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    await createCluster(nodes, replicasPerPrimary);
    await waitUntilHealthy(nodes, primaries);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    seeds: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    primaryPorts: () => primaryPorts(nodes),
    restartNode: async (port) => {
      const index = nodes.findIndex((node) => node.port === port);
      if (index < 0) throw new Error(`No node of this cluster on port ${port}`);
      // Its data dir keeps nodes.conf (its identity and its bus port), so it rejoins as itself; its primary
      // was failed over meanwhile, so the cluster makes it a replica of the one promoted in its place.
      const { dir, busPort } = nodes[index];
      nodes[index] = Object.assign(
        await startRedisServer({ port, dir, ownsDir: true, args: [...nodeArgs, '--cluster-port', String(busPort)] }),
        { busPort },
      );
      await waitForReplicaInSync(port, healthyTimeoutMs);
    },
    stop,
  };
}

// The cluster bus listens on a port of its own (port + 10000 by default, which may be taken or beyond
// 65535), so each node gets a free one too; a bus port taken before the node could bind it means another.
async function startNode() {
  const failures = [];
  for (let attempt = 1; attempt <= busPortAttempts; attempt += 1) {
    const busPort = await freePort();
    try {
      return Object.assign(await startRedisServer({ args: [...nodeArgs, '--cluster-port', String(busPort)] }), {
        busPort,
      });
    } catch (error) {
      failures.push(error.message);
      if (!/address already in use/i.test(error.message)) break;
    }
  }
  throw new Error(`Cannot start a Redis Cluster node: ${failures.join('; ')}`);
}

function createCluster(nodes, replicasPerPrimary) {
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  const args = ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicasPerPrimary), '--cluster-yes'];
  return new Promise((resolve, reject) =>
    execFile('redis-cli', args, { timeout: createTimeoutMs }, (error, stdout, stderr) => {
      if (!error) return resolve();
      reject(
        new Error(`redis-cli --cluster create ${addresses.join(' ')} failed: ${error.message}\n${stdout}${stderr}`),
      );
    }),
  );
}

async function waitUntilHealthy(nodes, primaries) {
  await waitForRedis(
    `a healthy cluster (${primaries} primaries, ${nodes.length - primaries} replicas in sync, all slots covered)`,
    healthyTimeoutMs,
    async () => {
      const views = await Promise.all(nodes.map((node) => nodeView(node.port)));
      const healthy = (view) =>
        view.state === 'ok' &&
        view.slotsOk === slotCount &&
        view.primaries.length === primaries &&
        view.replicas === nodes.length - primaries &&
        view.replicaLinkUp;
      return { done: views.every(healthy), state: JSON.stringify(views) };
    },
  );
}

// How one node sees the cluster: its CLUSTER INFO, the roles in its CLUSTER NODES, and (for a replica)
// whether its link to its primary is up.
async function nodeView(port) {
  const [info, nodesReply, replication] = await Promise.all([
    redisCommand(port, 'CLUSTER', 'INFO'),
    redisCommand(port, 'CLUSTER', 'NODES'),
    redisCommand(port, 'INFO', 'replication'),
  ]);
  const fields = infoFields(info);
  const table = clusterNodes(nodesReply);
  const role = infoFields(replication);
  return {
    port,
    state: fields.cluster_state,
    slotsOk: Number(fields.cluster_slots_ok),
    primaries: table.filter((node) => node.serving).map((node) => node.port),
    replicas: table.filter((node) => node.flags.includes('slave')).length,
    replicaLinkUp: role.role !== 'slave' || role.master_link_status === 'up',
  };
}

// CLUSTER NODES lines: "<id> <ip>:<port>@<bus port> <flags> <primary id> <ping> <pong> <epoch> <link> <slots>...".
function clusterNodes(reply) {
  return String(reply)
    .trim()
    .split('\n')
    .map((line) => {
      const [, address = '', flagList = '', , , , , , ...slots] = line.trim().split(' ');
      const flags = flagList.split(',');
      return {
        port: Number(/:(\d+)@/.exec(address)?.[1]),
        flags,
        serving: flags.includes('master') && !flags.includes('fail') && slots.length > 0,
      };
    });
}

// Asks the nodes in turn (a chaos test may have killed some) until one answers.
async function primaryPorts(nodes) {
  const failures = [];
  for (const node of nodes) {
    try {
      const table = clusterNodes(await redisCommand(node.port, 'CLUSTER', 'NODES'));
      return table
        .filter((entry) => entry.serving)
        .map((entry) => entry.port)
        .sort((a, b) => a - b);
    } catch (error) {
      failures.push(`port ${node.port}: ${error.message}`);
    }
  }
  throw new Error(`No cluster node answered CLUSTER NODES: ${failures.join('; ')}`);
}
