import type { DataSource } from 'typeorm';

import { ADVISORY_LOCK, withSession } from './sql';

/** Whether the lease was had, and what the work returned. */
export type LeaseOutcome<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/**
 * Exclusive work per cloud account across every worker replica: a session-level Postgres advisory
 * lock held for the duration of the work. It is how the per-account request concurrency holds
 * across replicas: only one replica audits an account at a time, at that account's own rate and
 * in-flight limits. A replica that dies drops its connection and with it the lease.
 */
export class AccountLeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  async runExclusive<T>(accountAlias: string, work: () => Promise<T>): Promise<LeaseOutcome<T>> {
    return withSession(this.dataSource, async (sql) => {
      const [lock] = await sql.rows<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock($1, hashtext($2)) AS "acquired"`,
        [ADVISORY_LOCK.accountLease, accountAlias],
      );
      if (lock?.acquired !== true) return { acquired: false };
      try {
        return { acquired: true, value: await work() };
      } finally {
        await sql.rows(`SELECT pg_advisory_unlock($1, hashtext($2))`, [
          ADVISORY_LOCK.accountLease,
          accountAlias,
        ]);
      }
    });
  }
}
