import { historyPartitionRepo, type Database } from '../src/index.ts';

// What the query-plan tests share: 30 days of synthetic history whose ids sort by creation time
// like Hookline's KSUIDs (prefix, then time, then a unique tail) and have their width, so id bounds
// from times select the same share of rows as in production; and partitions of that id space.

export const DAY = 86_400_000;
export const PARTITION_DAYS = 5;
export const NOW = Date.now();
export const T0 = NOW - 30 * DAY;

/** The history table a partition belongs to (message_attempt_p20261106t0000 → message_attempt). */
export const parentOf = (relation: string | undefined) => relation?.replace(/_(?:p\d{8}t\d{4}|legacy|default)$/, '');

/** The id of `prefix` at time `ms`, with an all-zero tail: the bound of a range. */
export const at = (ms: number, prefix: string) => `${prefix}_${String(Math.floor(ms)).padStart(13, '0')}${'0'.repeat(14)}`;

/**
 * Replaces the template's partitions below the real ids' range with partitions of this id space
 * (its ids sort below every real KSUID): PARTITION_DAYS each over the 30 days of history.
 */
export async function partitionSyntheticHistory(target: Database): Promise<void> {
  const legacy = (await historyPartitionRepo.listHistoryPartitions(target)).find((p) => p.suffix === 'legacy')!;
  await historyPartitionRepo.dropHistoryPartitionsBefore(target, legacy.to!);
  await target.transaction().execute(async (trx) => {
    for (let start = T0; start < NOW - DAY; start += PARTITION_DAYS * DAY) {
      // The last one also takes the newest message (created at NOW).
      const end = start + PARTITION_DAYS * DAY >= NOW - DAY ? NOW + DAY : start + PARTITION_DAYS * DAY;
      await historyPartitionRepo.createHistoryPartition(trx, {
        suffix: historyPartitionRepo.partitionSuffix(new Date(start)),
        from: at(start, 'msg'),
        to: at(end, 'msg'),
      });
    }
  });
}
