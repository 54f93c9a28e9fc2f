import { outboxLines, type ArchiveStore } from '../../libs/archive/index.js';
import type { OutboxEntry, RedisClient } from '../../libs/queue/index.js';
import type { OldPartition } from './carried-state.js';
import { inPipelines } from './key-space.js';

/** The archive writer (the part's name) the outbox is written out as. */
export const archiveWriter = 'repartition';

export interface ArchivedOutbox {
  entries: number;
  lines: number;
}

/**
 * Writes the old partitions' outbox entries (archive lines that acks and dead-lettering committed and no
 * consumer wrote out before it stopped) to `archive` as of `at`, makes them durable, and only then removes
 * them: the outbox is not copied, so the old layout's deletion would lose them. Interrupted between the sync
 * and the removal, a rerun writes them again: duplicate lines, which archive readers drop, as after a
 * consumer that crashed there. Without an archive only an empty outbox passes (the survey refused otherwise).
 */
export async function archiveOutbox(
  redis: RedisClient,
  partitions: readonly OldPartition[],
  archive: Pick<ArchiveStore, 'append' | 'sync'> | undefined,
  at: number,
): Promise<ArchivedOutbox> {
  const replies = await inPipelines(redis, partitions, {
    keyOf: ({ keys }) => keys.outbox,
    add: (pipeline, { keys }) => pipeline.hgetall(keys.outbox),
  });
  const entries: OutboxEntry[] = partitions.flatMap(({ name }, partition) =>
    Object.entries((replies[partition]?.[0] ?? {}) as Record<string, string>).map(([field, value]) => ({
      queue: name,
      partition,
      field,
      value,
    })),
  );
  if (entries.length === 0) return { entries: 0, lines: 0 };
  if (!archive) {
    throw new Error(
      'Archive outbox entries appeared after the survey, and the archive is off: a consumer is still running. ' +
        'Stop every consumer and run this again',
    );
  }
  const lines = entries.flatMap(outboxLines);
  await archive.append(archiveWriter, lines, at);
  await archive.sync();
  const withEntries = partitions.flatMap((partition, i) => {
    const fields = entries.filter((entry) => entry.partition === i).map((entry) => entry.field);
    return fields.length === 0 ? [] : [{ key: partition.keys.outbox, fields }];
  });
  await inPipelines(redis, withEntries, {
    keyOf: ({ key }) => key,
    add: (pipeline, { key, fields }) => pipeline.hdel(key, ...fields),
  });
  return { entries: entries.length, lines: lines.length };
}
