import type { Pool } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';

import { PersistenceError } from './persistence-error';

/** One Postgres session (a pooled connection, possibly inside a transaction). */
export interface SqlSession {
  /** Runs one statement with positional parameters; returns its rows (RETURNING rows for writes). */
  rows<T>(text: string, parameters?: readonly unknown[]): Promise<T[]>;
  /** Runs one statement; returns how many rows it affected. */
  affected(text: string, parameters?: readonly unknown[]): Promise<number>;
}

interface StructuredResult<T> {
  records: T[];
  affected?: number;
}

function sessionOf(runner: QueryRunner): SqlSession {
  const run = async <T>(text: string, parameters: readonly unknown[]): Promise<StructuredResult<T>> =>
    (await runner.query(text, [...parameters], true)) as StructuredResult<T>;
  return {
    rows: async <T>(text: string, parameters: readonly unknown[] = []) =>
      (await run<T>(text, parameters)).records,
    affected: async (text, parameters = []) => (await run(text, parameters)).affected ?? 0,
  };
}

/** Runs `work` on one pooled connection, outside any transaction. */
export async function withSession<T>(
  dataSource: DataSource,
  work: (sql: SqlSession) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    return await work(sessionOf(runner));
  } finally {
    await runner.release();
  }
}

/**
 * Runs one statement that needs no session on the data source's pool (checked out for it and
 * back in by node-postgres) and returns its rows. For the hot read paths: under a TypeORM
 * QueryRunner the rows of a result outlived two young-generation collections and were promoted,
 * which made garbage collection the largest cost of a findings page (docs/operations.md#api-performance).
 */
export async function poolRows<T>(
  dataSource: DataSource,
  text: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  // The postgres driver's `master` is the node-postgres Pool it opened (typed `any` by TypeORM).
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const result = await pool.query(text, [...parameters]);
  return result.rows as T[];
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(
  dataSource: DataSource,
  work: (sql: SqlSession) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await work(sessionOf(runner));
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) {
      await runner.rollbackTransaction();
    }
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * A Postgres bigint as a JavaScript number. Identity sequences stay far below 2^53, so ids travel as
 * numbers; a value beyond that would be silently rounded, hence the check.
 */
export function toSafeInteger(value: string | number): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new PersistenceError('INVALID_INPUT', `Integer out of the safe range: ${String(value)}`);
  }
  return parsed;
}

/**
 * Advisory lock namespaces: the first key of the two-key lock functions. `scanEvaluation` is taken
 * per transaction (`pg_advisory_xact_lock`); `accountLease` and `queueSetup` per session, for the
 * length of a piece of work (`AdvisoryLockRepository`).
 */
export const ADVISORY_LOCK = {
  scanEvaluation: 0x5eed_0001,
  accountLease: 0x5eed_0002,
  queueSetup: 0x5eed_0003,
} as const;
