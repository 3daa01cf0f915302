import { setTimeout as delay } from 'node:timers/promises';

import { AdvisoryLockRepository } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';

import { JobQueue, SCAN_QUEUES, type JobQueueOptions } from './job-queue';

function options(database: TestDatabase, overrides: Partial<JobQueueOptions> = {}): JobQueueOptions {
  return {
    connectionString: database.url,
    exclusiveSetup: (setup) =>
      new AdvisoryLockRepository(database.dataSource).runExclusive('queueSetup', 'scan queues', setup),
    maxConnections: 2,
    expireInSeconds: 1800,
    leaseSeconds: 60,
    retryLimit: 3,
    retryDelaySeconds: 30,
    maintenanceIntervalSeconds: 120,
    pollingIntervalSeconds: 1,
    ...overrides,
  };
}

async function queueSettings(
  database: TestDatabase,
): Promise<{ name: string; expire_seconds: number; retry_limit: number; retry_delay: number }[]> {
  return database.dataSource.query(
    `SELECT "name", "expire_seconds", "retry_limit", "retry_delay" FROM pgboss.queue ORDER BY "name"`,
  );
}

describe('the scan job queue on PostgreSQL', () => {
  let database: TestDatabase;
  const queues: JobQueue[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.allSettled(queues.splice(0).map((queue) => queue.stop(1_000)));
    await database.drop();
  });

  it('starts in every replica when several start together on a fresh database', async () => {
    queues.push(...[1, 2, 3, 4].map(() => new JobQueue(options(database))));

    const started = await Promise.allSettled(queues.map((queue) => queue.start(() => undefined)));

    expect(started.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect((await queueSettings(database)).map((queue) => queue.name).sort()).toEqual(
      Object.values(SCAN_QUEUES).sort(),
    );
  });

  it('wakes its idle consumer when this process sends, and hands out jobs sent together in the order given', async () => {
    // Idle, the consumer would look again only in an hour: the test would time out.
    const queue = new JobQueue(options(database, { pollingIntervalSeconds: 3600 }));
    queues.push(queue);
    await queue.start(() => undefined);
    const handled: number[] = [];
    const allHandled = new Promise<void>((resolve) => {
      queue.consume<{ n: number }>(SCAN_QUEUES.audit, 1, ({ n }) => {
        handled.push(n);
        if (handled.length === 5) resolve();
        return Promise.resolve();
      });
    });
    // The consumer finds the queue empty and goes idle.
    await delay(500);

    await queue.sendMany(
      SCAN_QUEUES.audit,
      [1, 2, 3, 4, 5].map((n) => ({ n })),
    );
    await allHandled;

    expect(handled).toEqual([1, 2, 3, 4, 5]);
  });

  it('applies the settings of the latest start to queues an earlier start created', async () => {
    const first = new JobQueue(options(database));
    queues.push(first);
    await first.start(() => undefined);
    await first.stop(1_000);

    const second = new JobQueue(
      options(database, { expireInSeconds: 5, retryLimit: 1, retryDelaySeconds: 2 }),
    );
    queues.push(second);
    await second.start(() => undefined);

    expect(await queueSettings(database)).toEqual(
      Object.values(SCAN_QUEUES)
        .sort()
        .map((name) => ({ name, expire_seconds: 5, retry_limit: 1, retry_delay: 2 })),
    );
  });
});
