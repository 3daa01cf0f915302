import { AuditConfigModule, parseAuditConfig } from '@app/config';
import { AlertDeliveryRepository, PersistenceModule } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';

import { AlertDispatcher } from './alert-dispatcher';
import { AlertingModule } from './alerting.module';
import { type LoopbackReceiver, startLoopbackReceiver } from './testing/loopback-receiver';

const AT = new Date('2026-03-02T02:00:00.000Z');
import { recordBucketScan } from './testing/alert-fixtures';

describe('AlertingModule', () => {
  let db: TestDatabase;
  let hook: LoopbackReceiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    hook = await startLoopbackReceiver();
  });

  afterAll(async () => {
    await hook.close();
    await db.drop();
  });

  beforeEach(async () => {
    await db.truncate();
    hook.clearRequests();
  });

  async function startWorker(autoStart: boolean): Promise<INestApplicationContext> {
    const config = parseAuditConfig(
      {
        accounts: [
          {
            alias: 'prod',
            credentials: { type: 'access_key', accessKeyIdEnv: 'KEY_ID', accessKeySecretEnv: 'KEY_SECRET' },
            regions: ['cn-hangzhou'],
          },
        ],
        alerts: {
          channels: [
            {
              type: 'webhook',
              name: 'hook',
              urlEnv: 'HOOK_URL',
              secretEnv: 'HOOK_SECRET',
              allowInsecureHttp: true,
            },
          ],
        },
      },
      {
        env: {
          KEY_ID: 'LTAI5tModuleTest0001',
          KEY_SECRET: 'module-test-secret',
          DATABASE_URL: db.url,
          HOOK_URL: `${hook.origin}/in`,
          HOOK_SECRET: 'whsec-module',
        },
      },
    );
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuditConfigModule.forRoot({ config }),
        PersistenceModule.forRoot({ url: db.url, poolSize: 3 }),
        AlertingModule.forRoot({ autoStart, pollIntervalMs: 20, registry: new Registry(), clock: () => AT }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    moduleRef.enableShutdownHooks();
    return moduleRef.init();
  }

  it('lets the CLI deliver with runOnce when the loop is off', async () => {
    await recordBucketScan(db.dataSource, AT, [{ name: 'logs-archive', encryptionClass: 'none' }]);
    const worker = await startWorker(false);
    try {
      expect(await worker.get(AlertDispatcher).runOnce()).toMatchObject({ planned: 1, delivered: 1 });
    } finally {
      await worker.close();
    }
  });

  it('polls from start-up, and on shutdown finishes the attempt in flight before closing', async () => {
    await recordBucketScan(db.dataSource, AT, [{ name: 'logs-archive', encryptionClass: 'none' }]);
    let received: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      received = resolve;
    });
    let release: () => void = () => undefined;
    hook.answerWith(
      () =>
        new Promise((resolve) => {
          release = () => {
            resolve({ status: 204 });
          };
          received();
        }),
    );

    const worker = await startWorker(true);
    await arrived;
    const closing = worker.close();
    release();
    await closing;

    const [delivery] = (await new AlertDeliveryRepository(db.dataSource).listDeliveries({ limit: 1 })).items;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(hook.requests).toHaveLength(1);
  });
});
