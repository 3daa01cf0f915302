import { generateFleet } from '@app/oss-emulator';
import { ScanRepository } from '@app/persistence';
import {
  logMessage,
  startWorkerEnvironment,
  waitUntil,
  type ProxiedWorker,
  type WorkerEnvironment,
  type WorkerLogLine,
} from '@app/testing';

/**
 * Two replicas with the cron armed, firing every second: each tick asks for the scan of its slot
 * (apps/worker/src/scan-scheduler.ts: the nearest minute), and the database must let exactly one
 * of them start it, even after that scan has finished.
 */
const EVERY_SECOND = '* * * * * *';

interface SlotAttempt {
  readonly replica: string;
  readonly slot: string;
  readonly scanId: number;
  readonly created: boolean;
  readonly at: number;
}

function slotAttempts(worker: ProxiedWorker): SlotAttempt[] {
  return worker.process
    .logs()
    .filter((line: WorkerLogLine) =>
      ['scan started', 'scan already started'].includes(logMessage(line) ?? ''),
    )
    .map((line) => ({
      replica: worker.process.name,
      slot: String(line.slot),
      scanId: Number(line.scanId),
      created: line.created === true,
      // Log lines carry ISO timestamps.
      at: Date.parse(String(line.time)),
    }));
}

describe('two replicas with the cron armed', () => {
  const fleet = generateFleet({
    accounts: 1,
    regions: ['cn-hangzhou'],
    buckets: 30,
    tableBuckets: 3,
    seed: 41,
  });
  let env: WorkerEnvironment;
  let replicas: ProxiedWorker[];

  beforeAll(async () => {
    env = await startWorkerEnvironment({
      fleet,
      rate: { initialRps: 2000, maxRps: 4000, concurrency: 16 },
      scan: { jobs: { pollingIntervalSeconds: 0.5 } },
      extra: { schedule: { cron: EVERY_SECOND, timeZone: 'UTC', enabled: true } },
    });
    replicas = await Promise.all([env.startWorker('cron-a'), env.startWorker('cron-b')]);
  }, 120_000);
  afterAll(async () => {
    await env.close();
  }, 60_000);

  it('start exactly one scan per slot, and the slot, not only the running scan, stops the second', async () => {
    const scans = new ScanRepository(env.database.dataSource);
    const attempts = () => replicas.flatMap(slotAttempts);

    // A slot whose scan has finished, and which both replicas asked for again afterwards.
    const settled = await waitUntil(
      async () => {
        for (const creation of attempts().filter((attempt) => attempt.created)) {
          const scan = await scans.findById(creation.scanId);
          const finishedAt = scan?.finishedAt?.getTime();
          if (finishedAt === undefined) continue;
          const later = attempts().filter((a) => a.slot === creation.slot && a.at > finishedAt);
          if (replicas.every((r) => later.some((a) => a.replica === r.process.name))) {
            return { creation, scan: scan! };
          }
        }
        return null;
      },
      {
        timeoutMs: 150_000,
        intervalMs: 250,
        what: 'a finished scheduled scan both replicas ticked for again',
      },
    );

    const { creation, scan } = settled;
    expect(scan.trigger).toBe('schedule');
    expect(scan.scheduleSlot?.toISOString()).toBe(creation.slot);
    expect(scan.status).toBe('succeeded');
    const ofSlot = attempts().filter((attempt) => attempt.slot === creation.slot);
    expect(ofSlot.filter((attempt) => attempt.created)).toHaveLength(1);
    expect(new Set(ofSlot.map((attempt) => attempt.replica))).toEqual(new Set(['cron-a', 'cron-b']));
    // A tick that came while the previous slot's scan was still running was answered with that
    // scan (one scan at a time); every other answer for the slot is the slot's own scan.
    for (const attempt of ofSlot.filter((a) => a.scanId !== scan.id)) {
      const running = await scans.findById(attempt.scanId);
      expect(attempt.created).toBe(false);
      expect(running?.scheduleSlot?.toISOString()).not.toBe(creation.slot);
      expect(running?.finishedAt?.getTime() ?? Infinity).toBeGreaterThanOrEqual(attempt.at - 1_000);
    }

    // Over everything logged so far: no slot was started twice, and each start is one scan row.
    const created = attempts().filter((attempt) => attempt.created);
    expect(new Set(created.map((attempt) => attempt.slot)).size).toBe(created.length);
    const rows = await env.database.dataSource.query<{ id: number; schedule_slot: Date }[]>(
      `SELECT "id", "schedule_slot" FROM "scans" WHERE "id" = ANY($1::int[])`,
      [created.map((attempt) => attempt.scanId)],
    );
    expect(rows.map((row) => `${row.id.toString()} ${row.schedule_slot.toISOString()}`).sort()).toEqual(
      created.map((attempt) => `${attempt.scanId.toString()} ${attempt.slot}`).sort(),
    );
  }, 240_000);
});
