import type { SqlSession } from './sql';

/**
 * Creates the monthly `observation_changes` partitions (UTC months) of the month of `at` (the
 * database clock when null) and of the next one, if missing. Cheap when they exist.
 */
export async function ensureHistoryPartitions(sql: SqlSession, at: Date | null): Promise<string[]> {
  const rows = await sql.rows<{ partition: string }>(
    `SELECT "ensure_observation_changes_partition"(
       ((coalesce($1::timestamptz, now()) AT TIME ZONE 'UTC') + make_interval(months => month_offset)) AT TIME ZONE 'UTC'
     ) AS "partition"
     FROM generate_series(0, 1) AS month_offset`,
    [at],
  );
  return rows.map((row) => row.partition);
}
