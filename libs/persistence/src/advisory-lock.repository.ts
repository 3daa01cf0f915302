import type { DataSource } from 'typeorm';

import { ADVISORY_LOCK, withSession } from './sql';

/** Whether the lock was had, and what the work returned. */
export type LeaseOutcome<T> = { readonly acquired: true; readonly value: T } | { readonly acquired: false };

/** The process-wide exclusions the service takes in PostgreSQL. */
export type AdvisoryLockName = 'accountLease' | 'queueSetup';

/**
 * Exclusive work across every process that shares the database: a session-level Postgres advisory
 * lock on a connection of its own, held for the duration of the work. A process that dies drops its
 * connection and with it the lock.
 * - `accountLease`: only one replica audits an account at a time, so the account's rate and
 *   in-flight limits hold across replicas.
 * - `queueSetup`: job-queue setup, which deadlocks when replicas starting together run it at once.
 */
export class AdvisoryLockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` if the lock is free now; otherwise returns `acquired: false` at once. */
  async tryRunExclusive<T>(
    lock: AdvisoryLockName,
    key: string,
    work: () => Promise<T>,
  ): Promise<LeaseOutcome<T>> {
    return withSession(this.dataSource, async (sql) => {
      const [row] = await sql.rows<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock($1, hashtext($2)) AS "acquired"`,
        [ADVISORY_LOCK[lock], key],
      );
      if (row?.acquired !== true) return { acquired: false };
      try {
        return { acquired: true, value: await work() };
      } finally {
        await sql.rows(`SELECT pg_advisory_unlock($1, hashtext($2))`, [ADVISORY_LOCK[lock], key]);
      }
    });
  }

  /** Waits for the lock, then runs `work` holding it. */
  async runExclusive<T>(lock: AdvisoryLockName, key: string, work: () => Promise<T>): Promise<T> {
    return withSession(this.dataSource, async (sql) => {
      await sql.rows(`SELECT pg_advisory_lock($1, hashtext($2))`, [ADVISORY_LOCK[lock], key]);
      try {
        return await work();
      } finally {
        await sql.rows(`SELECT pg_advisory_unlock($1, hashtext($2))`, [ADVISORY_LOCK[lock], key]);
      }
    });
  }
}
