import { join } from 'node:path';

import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AUDIT_CONFIG, AuditConfigModule, InjectAuditConfig } from './audit-config.module';
import type { AuditConfig } from './audit-config.types';
import { ConfigError } from './config-error';
import { parseAuditConfig } from './load-audit-config';

const EXAMPLE_PATH = join(__dirname, '..', '..', '..', 'audit.config.example.yaml');
const DATABASE_ENV = { DATABASE_URL: 'postgres://seed:pw@localhost:5432/seed' };

@Injectable()
class ScheduleReader {
  constructor(@InjectAuditConfig() readonly config: AuditConfig) {}
}

// A feature module that does not import AuditConfigModule: the config must reach it as a global.
@Module({ providers: [ScheduleReader], exports: [ScheduleReader] })
class FeatureModule {}

describe('AuditConfigModule', () => {
  it('loads the file once and injects the config into any module', async () => {
    const env = {
      ...DATABASE_ENV,
      SEED_PROD_ACCESS_KEY_ID: 'id',
      SEED_PROD_ACCESS_KEY_SECRET: 's',
      SEED_DEV_ACCESS_KEY_ID: 'id',
      SEED_DEV_ACCESS_KEY_SECRET: 's',
      SEED_DEV_SECURITY_TOKEN: 't',
      SEED_WEBHOOK_URL: 'http://127.0.0.1:8099/h',
      SEED_WEBHOOK_SECRET: 's',
      SEED_DINGTALK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=t',
      SEED_DINGTALK_SECRET: 's',
      SEED_SLACK_URL: 'https://hooks.slack.com/services/x',
    };
    const moduleRef = await Test.createTestingModule({
      imports: [AuditConfigModule.forRoot({ path: EXAMPLE_PATH, env }), FeatureModule],
    }).compile();
    const reader = moduleRef.get(ScheduleReader);
    expect([reader.config.schedule.cron, reader.config === moduleRef.get<AuditConfig>(AUDIT_CONFIG)]).toEqual(
      ['0 2 * * *', true],
    );
  });

  it('provides a configuration handed over as it is', async () => {
    const config = parseAuditConfig(
      { accounts: [{ alias: 'prod', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'] }] },
      { env: DATABASE_ENV },
    );
    const moduleRef = await Test.createTestingModule({
      imports: [AuditConfigModule.forRoot({ config }), FeatureModule],
    }).compile();
    expect(moduleRef.get(ScheduleReader).config).toBe(config);
  });

  it('fails startup with the ConfigError of an invalid configuration', async () => {
    const compiling = Test.createTestingModule({
      imports: [AuditConfigModule.forRoot({ path: EXAMPLE_PATH, env: DATABASE_ENV })],
    }).compile();
    await expect(compiling).rejects.toBeInstanceOf(ConfigError);
  });
});
