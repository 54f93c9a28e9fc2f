import { archiveWriter } from './archive-outbox.js';
import type { RepartitionResult, RepartitionStep } from './repartition.js';

// What npm run repartition prints: a line per step as it happens (so an interrupted run shows how far it
// got), then the outcome.

const receiversNote =
  'Receivers cannot be checked from Redis (they leave no trace there): this assumes every receiver is stopped.';

/** The line(s) for a step just done. */
export function describeStep(step: RepartitionStep): string {
  switch (step.step) {
    case 'archived':
      return step.entries === 0
        ? 'No archive lines were waiting in the outbox'
        : `Wrote ${step.entries} outbox entr(ies), ${step.lines} archive line(s), to the archive (writer ` +
            `${archiveWriter}) and removed them from the outbox`;
    case 'cleared':
      return step.deleted === 0
        ? 'Nothing left over from an interrupted run'
        : `Deleted ${step.deleted} key(s) an interrupted run had left outside the recorded layout`;
    case 'copied': {
      const { copied: c, written, carried, otherGenerations } = step;
      const [first = 'partition 0'] = Object.keys(written);
      return [
        'Copied into the new layout:',
        `  ${c.seen} idempotency key(s), each into its event's partition`,
        `  ${c.legacySeen} older idempotency key(s) (no placement stored), into every partition`,
        `  ${c.perUser} per-user hash(es), each into its user's partition`,
        `  ${c.userScores} active-user index(es), split by user`,
        `  ${c.summable} analytics and ${c.queueHashes} queue hash(es), summed into ${first}`,
        `  live analytics generation ${carried.live} and ack sequence ${carried.sequence} (acks go on from there), ` +
          'into every partition',
        ...(otherGenerations === 0
          ? []
          : [`Not copied: ${otherGenerations} analytics key(s) of other generations (a rebuild's leftovers)`]),
        `Keys written per new partition: ${Object.entries(written)
          .map(([partition, keys]) => `${partition} ${keys}`)
          .join(', ')}`,
      ].join('\n');
    }
    case 'switched':
      return `Switched ${step.record} to ${step.to} (the commit point)`;
    case 'deleted':
      return `Deleted ${step.deleted} key(s) of the old layout`;
  }
}

/** The lines for how it ended. */
export function describeResult(result: RepartitionResult): string[] {
  switch (result.outcome) {
    case 'unchanged':
      return [
        `${result.queue} already has ${result.partitions} partition(s): nothing to move` +
          (result.deleted > 0 ? ` (deleted ${result.deleted} key(s) an interrupted run had left)` : ''),
      ];
    case 'refused':
      return [
        `Refused to repartition ${result.queue}${result.from === undefined ? '' : ` from ${result.from}`} to ` +
          `${result.to} partition(s); the recorded layout is unchanged:`,
        ...result.reasons.map((reason) => `- ${reason}`),
        receiversNote,
      ];
    case 'repartitioned':
      return [
        `Done: ${result.queue} now has ${result.to} partition(s) (was ${result.from}). Start every process with ` +
          `DAY15_PARTITIONS=${result.to}.`,
        receiversNote,
      ];
  }
}
