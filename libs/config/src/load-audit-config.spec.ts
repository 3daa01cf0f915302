import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { DEFAULT_FINDING_POLICY, evaluateFindings, type EncryptionObservation } from '@app/audit';
import { parse as parseYaml } from 'yaml';

import type { AuditConfig } from './audit-config.types';
import type { ConfigEnvironment } from './audit-config.schema';
import { ConfigError, type ConfigIssue } from './config-error';
import {
  loadAuditConfig,
  loadDatabaseUrl,
  parseAuditConfig,
  parseAuditConfigText,
} from './load-audit-config';

const EXAMPLE_PATH = join(__dirname, '..', '..', '..', 'audit.config.example.yaml');

// Fake values for every variable the example names; each is distinctive so a leak is easy to spot.
const EXAMPLE_SECRETS = {
  DATABASE_URL: 'postgres://seed:db-pass-7f3a@127.0.0.1:5432/seed',
  SEED_PROD_ACCESS_KEY_SECRET: 'prod-ak-secret-9c1e',
  SEED_DEV_ACCESS_KEY_SECRET: 'sts-ak-secret-44d0',
  SEED_DEV_SECURITY_TOKEN: 'sts-token-b8e2',
  SEED_WEBHOOK_URL: 'http://127.0.0.1:8099/hook-path-5e7d',
  SEED_WEBHOOK_SECRET: 'webhook-hmac-secret-1a2b',
  SEED_DINGTALK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-3c4d',
  SEED_DINGTALK_SECRET: 'SECding-sign-secret-5e6f',
  SEED_SLACK_URL: 'https://hooks.slack.com/services/T000/B000/slack-secret-7a8b',
};
const EXAMPLE_ENV: ConfigEnvironment = {
  ...EXAMPLE_SECRETS,
  SEED_PROD_ACCESS_KEY_ID: 'prod-ak-id',
  SEED_DEV_ACCESS_KEY_ID: 'STS.sts-ak-id',
};

const BASE_ENV: ConfigEnvironment = { DATABASE_URL: 'postgres://seed:pw@localhost:5432/seed' };

type Document = Record<string, unknown>;

function minimalAccount(overrides: Document = {}): Document {
  return { alias: 'prod', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'], ...overrides };
}

function documentWith(overrides: Document = {}, account: Document = {}): Document {
  return { accounts: [minimalAccount(account)], ...overrides };
}

function load(document: unknown, env: ConfigEnvironment = BASE_ENV): AuditConfig {
  return parseAuditConfig(document, { env, source: 'test.yaml' });
}

function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function issuesOf(document: unknown, env: ConfigEnvironment = BASE_ENV): readonly ConfigIssue[] {
  return configErrorOf(() => load(document, env)).issues;
}

function loadExample(): AuditConfig {
  return loadAuditConfig({ path: EXAMPLE_PATH, env: EXAMPLE_ENV });
}

describe('the example configuration file', () => {
  it('loads with its environment variables set', () => {
    const config = loadExample();
    expect(config.accounts.map((account) => account.alias)).toEqual(['acme-prod', 'acme-dev']);
    expect(config.alerts.channels.map((channel) => channel.type)).toEqual(['webhook', 'dingtalk', 'slack']);
  });

  it('points both accounts at the emulator over http, allowed explicitly, path-style', () => {
    const endpoints = loadExample().accounts.map((account) => account.endpoints);
    expect(endpoints).toEqual([
      {
        oss: 'http://127.0.0.1:9000',
        tables: 'http://127.0.0.1:9000',
        kms: 'http://127.0.0.1:9000',
        addressing: 'path',
        internal: false,
        allowInsecureHttp: true,
      },
      {
        oss: 'http://127.0.0.1:9000',
        tables: 'http://127.0.0.1:9000',
        kms: 'http://127.0.0.1:9000',
        addressing: 'path',
        internal: false,
        allowInsecureHttp: true,
      },
    ]);
  });

  it('resolves every secret it names from the environment', () => {
    const config = loadExample();
    const [prod, dev] = config.accounts;
    const [webhook, dingtalk, slack] = config.alerts.channels;
    const revealed = [
      config.database.url.reveal(),
      prod?.credentials.type === 'access_key' ? prod.credentials.accessKeySecret.reveal() : null,
      dev?.credentials.type === 'access_key' ? dev.credentials.accessKeySecret.reveal() : null,
      dev?.credentials.type === 'access_key' ? dev.credentials.securityToken?.reveal() : null,
      webhook?.url.reveal(),
      webhook?.type === 'webhook' ? webhook.secret.reveal() : null,
      dingtalk?.url.reveal(),
      dingtalk?.type === 'dingtalk' ? dingtalk.secret?.reveal() : null,
      slack?.url.reveal(),
    ];
    expect(revealed).toEqual([
      EXAMPLE_SECRETS.DATABASE_URL,
      EXAMPLE_SECRETS.SEED_PROD_ACCESS_KEY_SECRET,
      EXAMPLE_SECRETS.SEED_DEV_ACCESS_KEY_SECRET,
      EXAMPLE_SECRETS.SEED_DEV_SECURITY_TOKEN,
      EXAMPLE_SECRETS.SEED_WEBHOOK_URL,
      EXAMPLE_SECRETS.SEED_WEBHOOK_SECRET,
      EXAMPLE_SECRETS.SEED_DINGTALK_URL,
      EXAMPLE_SECRETS.SEED_DINGTALK_SECRET,
      EXAMPLE_SECRETS.SEED_SLACK_URL,
    ]);
  });

  it('writes out every key of the file format', () => {
    const keyPaths = new Set<string>();
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) {
        value.forEach((item) => {
          walk(item, `${path}[]`);
        });
      } else if (typeof value === 'object' && value !== null) {
        for (const [key, child] of Object.entries(value)) {
          const childPath = path === '' ? key : `${path}.${key}`;
          keyPaths.add(childPath);
          walk(child, childPath);
        }
      }
    };
    walk(parseYaml(readFileSync(EXAMPLE_PATH, 'utf8')), '');
    const account = [
      'alias',
      'accountId',
      'credentials',
      'credentials.type',
      'credentials.accessKeyIdEnv',
      'credentials.accessKeySecretEnv',
      'credentials.securityTokenEnv',
      'regions',
      'tableRegions',
      'discover',
      'discover.buckets',
      'discover.tableBuckets',
      'buckets',
      'buckets[].name',
      'buckets[].region',
      'tableBuckets',
      'include',
      'exclude',
      'endpoints',
      'endpoints.oss',
      'endpoints.tables',
      'endpoints.kms',
      'endpoints.addressing',
      'endpoints.internal',
      'endpoints.allowInsecureHttp',
      'signatureVersion',
      'rate',
      'rate.initialRps',
      'rate.maxRps',
      'rate.minRps',
      'rate.concurrency',
    ].map((key) => `accounts[].${key}`);
    const channel = [
      'type',
      'name',
      'urlEnv',
      'secretEnv',
      'minSeverity',
      'rules',
      'accounts',
      'includeNonKms',
      'allowInsecureHttp',
    ].map((key) => `alerts.channels[].${key}`);
    const classes = ['none', 'oss_aes256', 'oss_sm4', 'kms_default', 'unknown'];
    const expected = [
      'accounts',
      ...account,
      'schedule',
      'schedule.cron',
      'schedule.timeZone',
      'schedule.enabled',
      'scan',
      'scan.auditBatchSize',
      'scan.globalConcurrency',
      'scan.requestTimeoutMs',
      'scan.throttledRereads',
      'scan.throttledRereads.delaySeconds',
      'scan.throttledRereads.rounds',
      'scan.maxAttempts',
      'scan.maxResponseBytes',
      'scan.jobs',
      'scan.jobs.expireInSeconds',
      'scan.jobs.leaseSeconds',
      'scan.jobs.retryLimit',
      'scan.jobs.retryDelaySeconds',
      'scan.jobs.pollingIntervalSeconds',
      'scan.jobs.maintenanceIntervalSeconds',
      'scan.jobs.auditConcurrency',
      'scan.jobs.enumerateConcurrency',
      'policy',
      'policy.severities',
      'policy.severities.bucket',
      ...classes.map((cls) => `policy.severities.bucket.${cls}`),
      'policy.severities.table_bucket',
      ...classes.map((cls) => `policy.severities.table_bucket.${cls}`),
      'policy.approvedKmsKeys',
      'policy.keyNotApprovedSeverity',
      'policy.disabledRules',
      'retention',
      'retention.historyMonths',
      'retention.scanRecordsDays',
      'database',
      'database.poolSize',
      'api',
      'api.port',
      'api.rateLimitPerMinute',
      'api.publicBaseUrl',
      'api.trustProxy',
      'worker',
      'worker.metricsPort',
      'alerts',
      'alerts.channels',
      ...channel,
      'logging',
      'logging.level',
    ];
    expect([...keyPaths].sort()).toEqual([...expected].sort());
  });

  it('is found through AUDIT_CONFIG when no path is given', () => {
    const config = loadAuditConfig({ env: { ...EXAMPLE_ENV, AUDIT_CONFIG: EXAMPLE_PATH } });
    expect(config.accounts[0]?.alias).toBe('acme-prod');
  });

  it('is read from the explicit path before AUDIT_CONFIG', () => {
    const config = loadAuditConfig({
      path: EXAMPLE_PATH,
      env: { ...EXAMPLE_ENV, AUDIT_CONFIG: join(__dirname, 'no-such-config.yaml') },
    });
    expect(config.accounts).toHaveLength(2);
  });
});

describe('secret redaction of a whole loaded configuration', () => {
  const secrets = Object.values(EXAMPLE_SECRETS);

  it.each<[string, (config: AuditConfig) => string]>([
    ['JSON.stringify', (config) => JSON.stringify(config)],
    ['util.inspect', (config) => inspect(config, { depth: null, showHidden: true })],
    ['a template string of every value', (config) => JSON.stringify(templated(config))],
  ])('shows no secret through %s', (_way, render) => {
    const text = render(loadExample());
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  // Renders every leaf with a template string, as a careless log line would.
  function templated(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map(templated);
    }
    if (typeof value === 'object' && value !== null && value.constructor === Object) {
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, templated(child)]));
    }
    return `value: ${value as string}`;
  }

  it('keeps the AccessKey id readable: an identifier, not a secret', () => {
    const [prod] = loadExample().accounts;
    expect(prod?.credentials).toMatchObject({ type: 'access_key', accessKeyId: 'prod-ak-id' });
  });
});

describe('a loaded configuration', () => {
  it('is deeply frozen', () => {
    const config = loadExample();
    const mutate = (): void => {
      (config.accounts[0]?.rate as { maxRps: number }).maxRps = 1000;
    };
    expect(mutate).toThrow(TypeError);
    expect([
      Object.isFrozen(config),
      Object.isFrozen(config.accounts),
      Object.isFrozen(config.policy.severities),
    ]).toEqual([true, true, true]);
  });
});

describe('defaults', () => {
  it('fills every default into a minimal configuration', () => {
    const config = load(documentWith());
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      accounts: [
        {
          alias: 'prod',
          accountId: null,
          credentials: { type: 'default_chain' },
          regions: ['cn-hangzhou'],
          tableRegions: ['cn-hangzhou'],
          discover: { buckets: true, tableBuckets: true, tables: true },
          buckets: [],
          tableBuckets: [],
          include: [],
          exclude: [],
          tables: { include: [], exclude: [] },
          endpoints: {
            oss: null,
            tables: null,
            kms: null,
            addressing: 'virtual-hosted',
            internal: false,
            allowInsecureHttp: false,
          },
          signatureVersion: 'v4',
          rate: { initialRps: 10, maxRps: 50, minRps: 1, concurrency: 8 },
        },
      ],
      extraRegions: [],
      organization: null,
      schedule: { cron: '0 2 * * *', timeZone: 'UTC', enabled: true },
      scan: {
        auditBatchSize: 200,
        globalConcurrency: 64,
        requestTimeoutMs: 15000,
        maxAttempts: 3,
        maxResponseBytes: 65536,
        throttledRereads: { rounds: 3, delaySeconds: 10 },
        jobs: {
          expireInSeconds: 1800,
          leaseSeconds: 60,
          retryLimit: 3,
          retryDelaySeconds: 10,
          pollingIntervalSeconds: 1,
          maintenanceIntervalSeconds: 120,
          auditConcurrency: 4,
          enumerateConcurrency: 2,
        },
      },
      policy: JSON.parse(JSON.stringify(DEFAULT_FINDING_POLICY)) as unknown,
      retention: { historyMonths: 13, scanRecordsDays: 90 },
      database: { url: '[redacted]', poolSize: 10 },
      exceptions: { file: null, maxDurationDays: 365, expiringWithinDays: 14 },
      api: { port: 3000, rateLimitPerMinute: 600, publicBaseUrl: null, trustProxy: false },
      worker: { metricsPort: 9464 },
      alerts: { channels: [] },
      logging: { level: 'info' },
      evidence: { signingKey: null },
    });
  });

  it.each<[unknown, unknown]>([
    [1, 1],
    [
      ['10.0.0.0/8', 'fd00::/8', '192.0.2.7', 'loopback'],
      ['10.0.0.0/8', 'fd00::/8', '192.0.2.7', 'loopback'],
    ],
    [false, false],
  ])('takes api.trustProxy %j: hops, or proxy addresses and ranges', (trustProxy, expected) => {
    expect(load(documentWith({ api: { trustProxy } })).api.trustProxy).toEqual(expected);
  });

  it('resolves DATABASE_URL into a Secret', () => {
    expect(load(documentWith()).database.url.reveal()).toBe(BASE_ENV.DATABASE_URL);
  });

  it('fills channel routing defaults', () => {
    const config = load(
      documentWith({ alerts: { channels: [{ type: 'slack', name: 'sec', urlEnv: 'SLACK' }] } }),
      {
        ...BASE_ENV,
        SLACK: 'https://hooks.slack.com/services/x',
      },
    );
    expect(config.alerts.channels[0]).toMatchObject({
      name: 'sec',
      minSeverity: 'high',
      rules: null,
      accounts: null,
      includeNonKms: false,
      allowInsecureHttp: false,
    });
  });
});

describe('invalid configuration names the key path of each issue', () => {
  const env = { ...BASE_ENV, SET: 'value', HOOK: 'https://hooks.example.com/x' };
  const account = (overrides: Document): Document => documentWith({}, overrides);
  const channel = (overrides: Document): Document =>
    documentWith({ alerts: { channels: [{ type: 'slack', name: 'sec', urlEnv: 'HOOK', ...overrides }] } });

  const cases: [string, unknown, string, string][] = [
    ['no accounts key', {}, 'accounts', 'is required'],
    ['an empty account list', { accounts: [] }, 'accounts', 'at least one account'],
    ['a document that is not a mapping', ['x'], '(root)', 'expected object, got array'],
    ['an upper-case alias', account({ alias: 'Prod' }), 'accounts[0].alias', 'lowercase'],
    [
      'a duplicate alias',
      { accounts: [minimalAccount(), minimalAccount()] },
      'accounts[1].alias',
      'already the alias of accounts[0]',
    ],
    [
      'an unknown credentials type',
      { accounts: [minimalAccount(), minimalAccount({ alias: 'b', credentials: { type: 'password' } })] },
      'accounts[1].credentials.type',
      'expected one of: access_key, ram_role_arn, ecs_ram_role, oidc_role_arn, profile, default_chain',
    ],
    ['missing credentials', account({ credentials: undefined }), 'accounts[0].credentials', 'is required'],
    [
      'an env var name that is not one',
      account({
        credentials: { type: 'access_key', accessKeyIdEnv: 'SET', accessKeySecretEnv: 'not a name' },
      }),
      'accounts[0].credentials.accessKeySecretEnv',
      'is not an environment variable name (value hidden): use [A-Z_][A-Z0-9_]*',
    ],
    [
      'a RAM role ARN that is not one',
      account({
        credentials: {
          type: 'ram_role_arn',
          accessKeyIdEnv: 'SET',
          accessKeySecretEnv: 'SET',
          roleArn: 'role/x',
        },
      }),
      'accounts[0].credentials.roleArn',
      'RAM role ARN',
    ],
    [
      'a role duration below 900 s',
      account({
        credentials: {
          type: 'ram_role_arn',
          accessKeyIdEnv: 'SET',
          accessKeySecretEnv: 'SET',
          roleArn: 'acs:ram::123:role/auditor',
          durationSeconds: 60,
        },
      }),
      'accounts[0].credentials.durationSeconds',
      '900',
    ],
    ['a non-numeric account id', account({ accountId: 'abc' }), 'accounts[0].accountId', 'digits'],
    [
      'regions that are neither all nor a list',
      account({ regions: 'some' }),
      'accounts[0].regions',
      '"all" or a list',
    ],
    ['an empty region list', account({ regions: [] }), 'accounts[0].regions', '>=1'],
    [
      'an OSS region name',
      account({ regions: ['oss-cn-hangzhou'] }),
      'accounts[0].regions[0]',
      'cn-hangzhou',
    ],
    [
      'a duplicate region',
      account({ regions: ['cn-hangzhou', 'cn-hangzhou'] }),
      'accounts[0].regions[1]',
      'twice',
    ],
    [
      'all regions without table regions',
      account({ regions: 'all' }),
      'accounts[0].tableRegions',
      'per region',
    ],
    [
      'a bad explicit bucket name',
      account({ buckets: [{ name: 'Bad_Name', region: 'cn-hangzhou' }] }),
      'accounts[0].buckets[0].name',
      '3-63',
    ],
    [
      'a bad table bucket ARN',
      account({ tableBuckets: ['acs:osstables:cn-hangzhou:123:bucket/oss-lake'] }),
      'accounts[0].tableBuckets[0]',
      'must not start with "oss"',
    ],
    [
      'a table bucket of another account',
      account({ accountId: '111', tableBuckets: ['acs:osstables:cn-hangzhou:222:bucket/lake'] }),
      'accounts[0].tableBuckets[0]',
      'belongs to account 222',
    ],
    ['a bad name pattern', account({ include: ['Prod/*'] }), 'accounts[0].include[0]', 'name glob'],
    [
      'http without allowInsecureHttp',
      account({ endpoints: { oss: 'http://127.0.0.1:9000' } }),
      'accounts[0].endpoints.oss',
      'allowInsecureHttp: true',
    ],
    [
      'a tables endpoint over http without allowInsecureHttp',
      account({ endpoints: { tables: 'http://localhost:9000' } }),
      'accounts[0].endpoints.tables',
      'allowInsecureHttp: true',
    ],
    [
      'a KMS endpoint over http without allowInsecureHttp',
      account({ endpoints: { kms: 'http://127.0.0.1:9000' } }),
      'accounts[0].endpoints.kms',
      'allowInsecureHttp: true',
    ],
    [
      'a KMS endpoint with a path',
      account({ endpoints: { kms: 'https://kms.example.com/api' } }),
      'accounts[0].endpoints.kms',
      'must be an origin',
    ],
    [
      'an ftp endpoint',
      account({ endpoints: { oss: 'ftp://x.example.com' } }),
      'accounts[0].endpoints.oss',
      'http or https',
    ],
    [
      'an endpoint with a path',
      account({ endpoints: { oss: 'https://oss.example.com/base' } }),
      'accounts[0].endpoints.oss',
      'origin',
    ],
    [
      'an endpoint with credentials',
      account({ endpoints: { oss: 'https://user:pw@oss.example.com' } }),
      'accounts[0].endpoints.oss',
      'must not contain credentials',
    ],
    [
      'an unknown addressing style',
      account({ endpoints: { addressing: 'dns' } }),
      'accounts[0].endpoints.addressing',
      'expected "virtual-hosted" | "path"',
    ],
    [
      'signature v2',
      account({ signatureVersion: 'v2' }),
      'accounts[0].signatureVersion',
      'expected "v4" | "v1"',
    ],
    ['minRps above initialRps', account({ rate: { minRps: 20 } }), 'accounts[0].rate.minRps', 'initialRps'],
    [
      'initialRps above maxRps',
      account({ rate: { initialRps: 80 } }),
      'accounts[0].rate.maxRps',
      'initialRps',
    ],
    ['zero concurrency', account({ rate: { concurrency: 0 } }), 'accounts[0].rate.concurrency', '>=1'],
    ['a bad cron', documentWith({ schedule: { cron: '0 25 * * *' } }), 'schedule.cron', 'out of range'],
    ['a cron with 4 fields', documentWith({ schedule: { cron: '* * * *' } }), 'schedule.cron', '5 fields'],
    [
      'an unknown time zone',
      documentWith({ schedule: { timeZone: 'Mars/Base' } }),
      'schedule.timeZone',
      'IANA',
    ],
    [
      'a string for a boolean',
      documentWith({ schedule: { enabled: 'yes' } }),
      'schedule.enabled',
      'expected boolean',
    ],
    ['a zero batch size', documentWith({ scan: { auditBatchSize: 0 } }), 'scan.auditBatchSize', '>=1'],
    ['too many attempts', documentWith({ scan: { maxAttempts: 11 } }), 'scan.maxAttempts', '<=10'],
    [
      'a job expiry of a day',
      documentWith({ scan: { jobs: { expireInSeconds: 86_400 } } }),
      'scan.jobs.expireInSeconds',
      '<=86399',
    ],
    [
      'a negative retry limit',
      documentWith({ scan: { jobs: { retryLimit: -1 } } }),
      'scan.jobs.retryLimit',
      '>=0',
    ],
    [
      'job polling faster than pg-boss allows',
      documentWith({ scan: { jobs: { pollingIntervalSeconds: 0.1 } } }),
      'scan.jobs.pollingIntervalSeconds',
      '>=0.5',
    ],
    [
      'a tiny response cap',
      documentWith({ scan: { maxResponseBytes: 10 } }),
      'scan.maxResponseBytes',
      '>=1024',
    ],
    [
      'a fractional timeout',
      documentWith({ scan: { requestTimeoutMs: 1.5 } }),
      'scan.requestTimeoutMs',
      'expected int',
    ],
    [
      'an unknown severity',
      documentWith({ policy: { severities: { bucket: { none: 'severe' } } } }),
      'policy.severities.bucket.none',
      'expected "info"',
    ],
    [
      'an unknown rule to disable',
      documentWith({ policy: { disabledRules: ['unencrypted', 'bogus'] } }),
      'policy.disabledRules[1]',
      'expected "unencrypted"',
    ],
    [
      'a severity for not-approved keys that is not one',
      documentWith({ policy: { keyNotApprovedSeverity: 'ignore' } }),
      'policy.keyNotApprovedSeverity',
      'expected "info"',
    ],
    [
      'zero months of history',
      documentWith({ retention: { historyMonths: 0 } }),
      'retention.historyMonths',
      '>=1',
    ],
    ['a zero pool', documentWith({ database: { poolSize: 0 } }), 'database.poolSize', '>=1'],
    ['a port out of range', documentWith({ api: { port: 70000 } }), 'api.port', '<=65535'],
    [
      'a metrics port out of range',
      documentWith({ worker: { metricsPort: -1 } }),
      'worker.metricsPort',
      '>=0',
    ],
    [
      'a public URL that is not http',
      documentWith({ api: { publicBaseUrl: 'ftp://x' } }),
      'api.publicBaseUrl',
      'http',
    ],
    [
      'trusting every X-Forwarded-For',
      documentWith({ api: { trustProxy: true } }),
      'api.trustProxy',
      'a number of proxy hops',
    ],
    ['zero proxy hops', documentWith({ api: { trustProxy: 0 } }), 'api.trustProxy', '>=1'],
    [
      'a proxy range that is no CIDR',
      documentWith({ api: { trustProxy: ['10.0.0.0/33'] } }),
      'api.trustProxy[0]',
      'CIDR',
    ],
    [
      'a proxy that is a host name',
      documentWith({ api: { trustProxy: ['loopback', 'proxy.internal'] } }),
      'api.trustProxy[1]',
      'CIDR',
    ],
    [
      'an unknown channel type',
      documentWith({ alerts: { channels: [{ type: 'email', name: 'x' }] } }),
      'alerts.channels[0].type',
      'expected one of: webhook, dingtalk, slack',
    ],
    [
      'an unknown minimum severity',
      channel({ minSeverity: 'urgent' }),
      'alerts.channels[0].minSeverity',
      'expected',
    ],
    ['an unknown rule to route', channel({ rules: ['loud'] }), 'alerts.channels[0].rules[0]', 'expected'],
    ['an empty rule list', channel({ rules: [] }), 'alerts.channels[0].rules', '>=1'],
    [
      'routing to an unknown account',
      channel({ accounts: ['prod', 'nobody'] }),
      'alerts.channels[0].accounts[1]',
      'no account has the alias "nobody"',
    ],
    [
      'a duplicate channel name',
      documentWith({
        alerts: {
          channels: [
            { type: 'slack', name: 'sec', urlEnv: 'HOOK' },
            { type: 'slack', name: 'sec', urlEnv: 'HOOK' },
          ],
        },
      }),
      'alerts.channels[1].name',
      'already named "sec"',
    ],
    [
      'an unknown log level',
      documentWith({ logging: { level: 'loud' } }),
      'logging.level',
      'expected "fatal"',
    ],
  ];

  it.each(cases.map(([name, document, path, message]) => ({ name, document, path, message })))(
    'rejects $name at $path',
    ({ document, path, message }) => {
      const issues = issuesOf(document, env);
      expect(issues).toContainEqual({ path, message: expect.stringContaining(message) as string });
    },
  );

  it('reports every issue at once, not just the first', () => {
    const issues = issuesOf(
      documentWith(
        { schedule: { cron: 'x' }, logging: { level: 'loud' }, api: { port: 0 } },
        { alias: 'Bad', signatureVersion: 'v3' },
      ),
      env,
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        'accounts[0].alias',
        'accounts[0].signatureVersion',
        'api.port',
        'logging.level',
        'schedule.cron',
      ].sort(),
    );
  });

  it('puts every issue, one per line, in the error message', () => {
    const error = configErrorOf(() => load(documentWith({ logging: { level: 'loud' }, api: { port: 0 } })));
    expect([error.code, error.source]).toEqual(['CONFIG_INVALID', 'test.yaml']);
    expect(error.message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^ {2}- api\.port: /) as string,
      expect.stringMatching(/^ {2}- logging\.level: /) as string,
    ]);
  });
});

describe('unknown keys are rejected by name', () => {
  it.each<[string, unknown, string, string]>([
    ['at the top level', documentWith({ accountz: [] }), 'accountz', 'unknown key'],
    ['in an account', documentWith({}, { region: 'cn-hangzhou' }), 'accounts[0].region', 'unknown key'],
    [
      'in the account discovery',
      documentWith({}, { discover: { namespaces: true } }),
      'accounts[0].discover.namespaces',
      'unknown key',
    ],
    [
      'in endpoints',
      documentWith({}, { endpoints: { insecure: true } }),
      'accounts[0].endpoints.insecure',
      'unknown key',
    ],
    [
      'in a policy class table (kms_cmk raises nothing by itself)',
      documentWith({ policy: { severities: { bucket: { kms_cmk: 'low' } } } }),
      'policy.severities.bucket.kms_cmk',
      'unknown key',
    ],
    ['in a section', documentWith({ scan: { batchSize: 10 } }), 'scan.batchSize', 'unknown key'],
    [
      'for a literal AccessKey secret, pointing at the environment',
      documentWith(
        {},
        {
          credentials: {
            type: 'access_key',
            accessKeyIdEnv: 'SET',
            accessKeySecretEnv: 'SET',
            accessKeySecret: 'x',
          },
        },
      ),
      'accounts[0].credentials.accessKeySecret',
      'name it in accessKeySecretEnv',
    ],
    [
      'for a literal database URL, pointing at DATABASE_URL',
      documentWith({ database: { url: 'postgres://x' } }),
      'database.url',
      'DATABASE_URL',
    ],
    [
      'for a literal webhook URL, pointing at urlEnv',
      documentWith({ alerts: { channels: [{ type: 'slack', name: 's', urlEnv: 'SET', url: 'https://x' }] } }),
      'alerts.channels[0].url',
      'name it in urlEnv',
    ],
    [
      'for a key of another credentials type',
      documentWith({}, { credentials: { type: 'default_chain', roleArn: 'acs:ram::1:role/x' } }),
      'accounts[0].credentials.roleArn',
      'unknown key',
    ],
  ])('%s', (_case, document, path, message) => {
    expect(issuesOf(document, { ...BASE_ENV, SET: 'https://hooks.example.com/s' })).toContainEqual({
      path,
      message: expect.stringContaining(message) as string,
    });
  });
});

describe('environment resolution', () => {
  const withCredentials = (
    credentials: Document,
    env: ConfigEnvironment,
  ): AuditConfig['accounts'][number]['credentials'] => {
    const [account] = load(documentWith({}, { credentials }), { ...BASE_ENV, ...env }).accounts;
    if (account === undefined) {
      throw new Error('no account');
    }
    return account.credentials;
  };

  it('resolves an AccessKey pair and STS token from the variables named', () => {
    const credentials = withCredentials(
      { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK', securityTokenEnv: 'TOKEN' },
      { AK: 'id', SK: 'secret', TOKEN: 'token' },
    );
    expect(
      credentials.type === 'access_key'
        ? [credentials.accessKeyId, credentials.accessKeySecret.reveal(), credentials.securityToken?.reveal()]
        : null,
    ).toEqual(['id', 'secret', 'token']);
  });

  it('leaves the security token null when none is named', () => {
    const credentials = withCredentials(
      { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK' },
      { AK: 'id', SK: 'secret' },
    );
    expect(credentials.type === 'access_key' ? credentials.securityToken : 'wrong type').toBeNull();
  });

  it('names both the key and the variable when a variable is missing', () => {
    expect(
      issuesOf(
        documentWith(
          {},
          { credentials: { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK' } },
        ),
        {
          ...BASE_ENV,
          AK: 'id',
        },
      ),
    ).toEqual([
      { path: 'accounts[0].credentials.accessKeySecretEnv', message: 'environment variable SK is not set' },
    ]);
  });

  it('treats an empty variable as missing', () => {
    expect(
      issuesOf(
        documentWith(
          {},
          { credentials: { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK' } },
        ),
        {
          ...BASE_ENV,
          AK: '',
          SK: 'secret',
        },
      ),
    ).toEqual([
      { path: 'accounts[0].credentials.accessKeyIdEnv', message: 'environment variable AK is not set' },
    ]);
  });

  it('resolves the source keys of a RAM role and fills its defaults', () => {
    const credentials = withCredentials(
      {
        type: 'ram_role_arn',
        accessKeyIdEnv: 'AK',
        accessKeySecretEnv: 'SK',
        roleArn: 'acs:ram::123:role/auditor',
      },
      { AK: 'id', SK: 'secret' },
    );
    expect(JSON.parse(JSON.stringify(credentials))).toEqual({
      type: 'ram_role_arn',
      source: { accessKeyId: 'id', accessKeySecret: '[redacted]', securityToken: null },
      roleArn: 'acs:ram::123:role/auditor',
      roleSessionName: 'seed-auditor',
      durationSeconds: 3600,
      externalId: null,
    });
  });

  it('takes RRSA values from the file', () => {
    const credentials = withCredentials(
      {
        type: 'oidc_role_arn',
        roleArn: 'acs:ram::123:role/auditor',
        oidcProviderArn: 'acs:ram::123:oidc-provider/ack',
        oidcTokenFilePath: '/var/run/secrets/token',
        roleSessionName: 'from-file',
      },
      { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::999:role/ignored' },
    );
    expect(credentials).toEqual({
      type: 'oidc_role_arn',
      roleArn: 'acs:ram::123:role/auditor',
      oidcProviderArn: 'acs:ram::123:oidc-provider/ack',
      oidcTokenFilePath: '/var/run/secrets/token',
      roleSessionName: 'from-file',
      durationSeconds: 3600,
    });
  });

  it('takes RRSA values from the standard ALIBABA_CLOUD_* variables', () => {
    const credentials = withCredentials(
      { type: 'oidc_role_arn' },
      {
        ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::123:role/auditor',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::123:oidc-provider/ack',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/token',
        ALIBABA_CLOUD_ROLE_SESSION_NAME: 'pod-session',
      },
    );
    expect(credentials).toMatchObject({
      roleArn: 'acs:ram::123:role/auditor',
      oidcProviderArn: 'acs:ram::123:oidc-provider/ack',
      oidcTokenFilePath: '/var/run/secrets/token',
      roleSessionName: 'pod-session',
    });
  });

  it('names the RRSA keys and variables that are missing', () => {
    expect(issuesOf(documentWith({}, { credentials: { type: 'oidc_role_arn' } }))).toEqual([
      { path: 'accounts[0].credentials.roleArn', message: 'is required here or in ALIBABA_CLOUD_ROLE_ARN' },
      {
        path: 'accounts[0].credentials.oidcProviderArn',
        message: 'is required here or in ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
      },
      {
        path: 'accounts[0].credentials.oidcTokenFilePath',
        message: 'is required here or in ALIBABA_CLOUD_OIDC_TOKEN_FILE',
      },
    ]);
  });

  it('validates an RRSA value taken from the environment', () => {
    expect(
      issuesOf(documentWith({}, { credentials: { type: 'oidc_role_arn' } }), {
        ...BASE_ENV,
        ALIBABA_CLOUD_ROLE_ARN: 'not-an-arn',
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::123:oidc-provider/ack',
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/t',
      }),
    ).toEqual([
      {
        path: 'accounts[0].credentials.roleArn',
        message: 'the value of ALIBABA_CLOUD_ROLE_ARN must be a RAM role ARN acs:ram::{uid}:role/{name}',
      },
    ]);
  });

  it('takes the profile name from the file, else from ALIBABA_CLOUD_PROFILE', () => {
    const fromFile = withCredentials({ type: 'profile', profileName: 'audit' }, {});
    const fromEnv = withCredentials({ type: 'profile' }, { ALIBABA_CLOUD_PROFILE: 'env-profile' });
    const neither = withCredentials({ type: 'profile' }, {});
    expect([fromFile, fromEnv, neither]).toEqual([
      { type: 'profile', profileName: 'audit' },
      { type: 'profile', profileName: 'env-profile' },
      { type: 'profile', profileName: null },
    ]);
  });

  it('refuses profileFile, pointing at ALIBABA_CLOUD_CREDENTIALS_FILE, which @alicloud/credentials reads', () => {
    expect(
      issuesOf(
        documentWith({}, { credentials: { type: 'profile', profileFile: '/etc/alibaba/credentials' } }),
      ),
    ).toEqual([
      {
        path: 'accounts[0].credentials.profileFile',
        message:
          'unknown key: the profile file is ~/.alibabacloud/credentials, or the path in the ALIBABA_CLOUD_CREDENTIALS_FILE environment variable',
      },
    ]);
  });

  it('leaves the ECS role name to discovery when absent', () => {
    expect(withCredentials({ type: 'ecs_ram_role' }, {})).toEqual({ type: 'ecs_ram_role', roleName: null });
  });

  it('requires DATABASE_URL', () => {
    expect(issuesOf(documentWith(), {})).toEqual([
      { path: 'database.url', message: 'environment variable DATABASE_URL is not set' },
    ]);
  });

  it.each([
    [
      'an AccessKey secret pasted as the variable name',
      'accessKeySecretEnv',
      'xK9fGh2LmQ7rT4vWz1bN8cD5eJ3pS6',
    ],
    ['a lowercase secret-looking value', 'accessKeyIdEnv', 'ltai5tabcdefghijklmnop'],
    ['an STS token', 'accessKeySecretEnv', 'CAIS+gF1q6Ft5B2yfSjIr5b/Dc3Mj5hE'],
  ])('never quotes %s back: it is refused as a variable name, value hidden', (_what, key, value) => {
    const credentials = { type: 'access_key', accessKeyIdEnv: 'AK', accessKeySecretEnv: 'SK', [key]: value };
    const error = configErrorOf(() =>
      load(documentWith({}, { credentials }), { ...BASE_ENV, AK: 'id', SK: 'secret' }),
    );
    expect(error.issues).toEqual([
      {
        path: `accounts[0].credentials.${key}`,
        message: 'is not an environment variable name (value hidden): use [A-Z_][A-Z0-9_]*',
      },
    ]);
    expect(error.message).not.toContain(value);
  });

  it('quotes a variable name that is one when it is missing', () => {
    expect(
      issuesOf(
        documentWith({ alerts: { channels: [{ type: 'slack', name: 's', urlEnv: 'SEED_SLACK_URL' }] } }),
      ),
    ).toEqual([
      { path: 'alerts.channels[0].urlEnv', message: 'environment variable SEED_SLACK_URL is not set' },
    ]);
  });

  it('rejects a DATABASE_URL that is not postgres without echoing it', () => {
    const issues = issuesOf(documentWith(), { DATABASE_URL: 'mysql://root:hunter2@db/seed' });
    expect(issues).toEqual([
      { path: 'database.url', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' },
    ]);
  });

  it('resolves channel URLs and secrets; a DingTalk secret is optional', () => {
    const config = load(
      documentWith({
        alerts: {
          channels: [
            { type: 'webhook', name: 'hook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' },
            { type: 'dingtalk', name: 'ding', urlEnv: 'DING_URL' },
          ],
        },
      }),
      {
        ...BASE_ENV,
        HOOK_URL: 'https://hooks.example.com/a',
        HOOK_SECRET: 'hmac',
        DING_URL: 'https://oapi.dingtalk.com/robot/send?access_token=t',
      },
    );
    const [hook, ding] = config.alerts.channels;
    expect([
      hook?.url.reveal(),
      hook?.type === 'webhook' ? hook.secret.reveal() : 'wrong type',
      ding?.url.reveal(),
      ding?.type === 'dingtalk' ? ding.secret : 'wrong type',
    ]).toEqual([
      'https://hooks.example.com/a',
      'hmac',
      'https://oapi.dingtalk.com/robot/send?access_token=t',
      null,
    ]);
  });

  it('names the missing variable of a channel', () => {
    expect(
      issuesOf(
        documentWith({ alerts: { channels: [{ type: 'webhook', name: 'h', urlEnv: 'U', secretEnv: 'S' }] } }),
        {
          ...BASE_ENV,
          U: 'https://hooks.example.com/a',
        },
      ),
    ).toEqual([{ path: 'alerts.channels[0].secretEnv', message: 'environment variable S is not set' }]);
  });

  it.each<[string, string, boolean, string | null]>([
    [
      'an http URL without allowInsecureHttp',
      'http://127.0.0.1:8099/hook-secret-path',
      false,
      'must be https',
    ],
    ['an http URL with allowInsecureHttp', 'http://127.0.0.1:8099/hook-secret-path', true, null],
    ['a value that is not a URL', 'hook-secret-path', false, 'must hold a URL'],
  ])('checks a channel URL: %s', (_case, url, allowInsecureHttp, problem) => {
    const document = documentWith({
      alerts: { channels: [{ type: 'slack', name: 's', urlEnv: 'U', allowInsecureHttp }] },
    });
    const env = { ...BASE_ENV, U: url };
    if (problem === null) {
      expect(load(document, env).alerts.channels[0]?.url.reveal()).toBe(url);
    } else {
      const issues = issuesOf(document, env);
      expect(issues).toEqual([
        { path: 'alerts.channels[0].urlEnv', message: expect.stringContaining(problem) as string },
      ]);
      expect(JSON.stringify(issues)).not.toContain('hook-secret-path');
    }
  });

  it('requires the access_token of a DingTalk robot URL', () => {
    expect(
      issuesOf(documentWith({ alerts: { channels: [{ type: 'dingtalk', name: 'd', urlEnv: 'U' }] } }), {
        ...BASE_ENV,
        U: 'https://oapi.dingtalk.com/robot/send',
      }),
    ).toEqual([
      {
        path: 'alerts.channels[0].urlEnv',
        message: 'the DingTalk robot URL must carry its access_token query parameter',
      },
    ]);
  });
});

describe('resolved account settings', () => {
  const accountOf = (overrides: Document): AuditConfig['accounts'][number] => {
    const [account] = load(documentWith({}, overrides)).accounts;
    if (account === undefined) {
      throw new Error('no account');
    }
    return account;
  };

  it.each<[string, string, 'path' | 'virtual-hosted']>([
    ['an IPv4 address', 'http://127.0.0.1:9000', 'path'],
    ['an IPv6 address', 'http://[::1]:9000', 'path'],
    ['localhost', 'http://localhost:9000', 'path'],
    ['a host name', 'https://oss-proxy.example.com', 'virtual-hosted'],
  ])('addresses buckets by default by %s override: %s -> %s', (_case, oss, addressing) => {
    expect(accountOf({ endpoints: { oss, allowInsecureHttp: true } }).endpoints.addressing).toBe(addressing);
  });

  it('keeps an explicit addressing style', () => {
    expect(
      accountOf({
        endpoints: { oss: 'http://127.0.0.1:9000', allowInsecureHttp: true, addressing: 'virtual-hosted' },
      }).endpoints.addressing,
    ).toBe('virtual-hosted');
  });

  it('reads an endpoint without a scheme as https and keeps only the origin', () => {
    expect(accountOf({ endpoints: { oss: 'oss-cn-hangzhou.aliyuncs.com' } }).endpoints.oss).toBe(
      'https://oss-cn-hangzhou.aliyuncs.com',
    );
  });

  it('lists table buckets in the explicit regions by default', () => {
    expect(accountOf({ regions: ['cn-hangzhou', 'cn-beijing'] }).tableRegions).toEqual([
      'cn-hangzhou',
      'cn-beijing',
    ]);
  });

  it('lists table buckets in tableRegions when regions is all', () => {
    const account = accountOf({ regions: 'all', tableRegions: ['cn-shanghai'] });
    expect([account.regions, account.tableRegions]).toEqual(['all', ['cn-shanghai']]);
  });

  it('needs no table regions when table bucket discovery is off', () => {
    expect(accountOf({ regions: 'all', discover: { tableBuckets: false } }).tableRegions).toEqual([]);
  });

  it('splits explicit table bucket ARNs into their parts', () => {
    expect(
      accountOf({ tableBuckets: ['acs:osstables:cn-beijing:1234567890:bucket/demo-bucket'] }).tableBuckets,
    ).toEqual([
      {
        arn: 'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket',
        region: 'cn-beijing',
        accountId: '1234567890',
        name: 'demo-bucket',
      },
    ]);
  });

  it('canonicalises the time zone', () => {
    expect(load(documentWith({ schedule: { timeZone: 'asia/shanghai' } })).schedule.timeZone).toBe(
      'Asia/Shanghai',
    );
  });
});

describe('policy mapping into the audit FindingPolicy', () => {
  const tableObservation: EncryptionObservation = {
    encryptionClass: 'oss_aes256',
    algorithm: 'AES256',
    kmsKeyId: null,
    kmsDataEncryption: null,
    errorCode: null,
    errorMessage: null,
    requestId: null,
  };

  it('merges overrides over the defaults and maps ignore to null', () => {
    const { policy } = load(
      documentWith({
        policy: {
          severities: { bucket: { oss_sm4: 'low' }, table_bucket: { oss_aes256: 'ignore' } },
          approvedKmsKeys: ['key-1'],
          keyNotApprovedSeverity: 'high',
          disabledRules: ['kms_default_key'],
          weakeningAlertSeverity: { other: 'low' },
          exceptionAlertSeverity: { stale: 'info' },
          ruleSeverities: { kms_key_cross_account: 'medium', kms_key_rotation_disabled: 'ignore' },
        },
      }),
    );
    expect(policy).toEqual({
      severities: {
        bucket: { ...DEFAULT_FINDING_POLICY.severities.bucket, oss_sm4: 'low' },
        table_bucket: { ...DEFAULT_FINDING_POLICY.severities.table_bucket, oss_aes256: null },
        table: DEFAULT_FINDING_POLICY.severities.table,
        kms_key: DEFAULT_FINDING_POLICY.severities.kms_key,
      },
      ruleSeverities: {
        ...DEFAULT_FINDING_POLICY.ruleSeverities,
        kms_key_cross_account: 'medium',
        kms_key_rotation_disabled: null,
      },
      approvedKmsKeys: ['key-1'],
      keyNotApprovedSeverity: 'high',
      disabledRules: ['kms_default_key'],
      weakeningAlertSeverity: { toNone: 'high', other: 'low' },
      exceptionAlertSeverity: { expiring: 'medium', stale: 'info' },
    });
  });

  it('is what evaluateFindings applies: an ignored class raises nothing', () => {
    const { policy } = load(
      documentWith({ policy: { severities: { table_bucket: { oss_aes256: 'ignore' } } } }),
    );
    const resource = {
      kind: 'table_bucket' as const,
      resourceKey: 'acs:osstables:cn-hangzhou:1:bucket/lake',
      accountAlias: 'prod',
      region: 'cn-hangzhou',
      name: 'lake',
    };
    expect(evaluateFindings(resource, tableObservation, policy)).toEqual([]);
  });
});

describe('DATABASE_URL alone (migrate, the demo)', () => {
  it('returns it as a Secret', () => {
    expect(loadDatabaseUrl({ DATABASE_URL: 'postgres://seed@db/seed' }).reveal()).toBe(
      'postgres://seed@db/seed',
    );
  });

  it('names database.url when it is missing or not postgres, never quoting it', () => {
    const missing = configErrorOf(() => loadDatabaseUrl({}));
    const wrong = configErrorOf(() => loadDatabaseUrl({ DATABASE_URL: 'mysql://root:hunter2@db/x' }));
    expect([missing.issues, wrong.issues]).toEqual([
      [{ path: 'database.url', message: 'environment variable DATABASE_URL is not set' }],
      [{ path: 'database.url', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' }],
    ]);
    expect(wrong.message).not.toContain('hunter2');
  });
});

describe('reading the file', () => {
  it('fails with CONFIG_FILE_UNREADABLE naming the file and the reason', () => {
    const path = join(__dirname, 'no-such-config.yaml');
    const error = configErrorOf(() => loadAuditConfig({ path, env: BASE_ENV }));
    expect([error.code, error.source, error.issues]).toEqual([
      'CONFIG_FILE_UNREADABLE',
      path,
      [{ path: '(file)', message: 'cannot be read (ENOENT)' }],
    ]);
  });

  it('fails with CONFIG_FILE_MALFORMED on YAML syntax errors', () => {
    const error = configErrorOf(() =>
      parseAuditConfigText('accounts: [unclosed', { env: BASE_ENV, source: 'x.yaml' }),
    );
    expect([error.code, error.issues.length > 0]).toEqual(['CONFIG_FILE_MALFORMED', true]);
  });

  it('fails with CONFIG_FILE_MALFORMED on duplicate keys', () => {
    const error = configErrorOf(() => parseAuditConfigText('logging: {}\nlogging: {}\n', { env: BASE_ENV }));
    expect(error.code).toBe('CONFIG_FILE_MALFORMED');
  });

  it('reports an empty file as a document that is not a mapping', () => {
    const error = configErrorOf(() => parseAuditConfigText('', { env: BASE_ENV }));
    expect(error.issues).toEqual([{ path: '(root)', message: 'expected object, got null' }]);
  });

  it('fails with CONFIG_FILE_MALFORMED, not a ReferenceError, on a YAML alias bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const error = configErrorOf(() => parseAuditConfigText(bomb, { env: BASE_ENV, source: 'bomb.yaml' }));
    expect([error.code, error.issues]).toEqual([
      'CONFIG_FILE_MALFORMED',
      [{ path: '(file)', message: 'expands too many aliases (more than 100); write the values out' }],
    ]);
  });

  it('expands a few aliases as YAML does', () => {
    const text = [
      'accounts:',
      '  - alias: prod',
      '    credentials: {type: default_chain}',
      '    regions: &regions [cn-hangzhou, cn-shanghai]',
      '    tableRegions: *regions',
    ].join('\n');
    expect(parseAuditConfigText(text, { env: BASE_ENV }).accounts[0]?.tableRegions).toEqual([
      'cn-hangzhou',
      'cn-shanghai',
    ]);
  });

  it('accepts JSON, which is YAML', () => {
    const json = JSON.stringify(documentWith());
    expect(parseAuditConfigText(json, { env: BASE_ENV }).accounts[0]?.alias).toBe('prod');
  });
});

describe('region ids', () => {
  it('refuses a region OSS does not serve, naming the key path and the nearest region', () => {
    const issues = issuesOf(documentWith({}, { regions: ['cn-hangzou'] }));
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'accounts[0].regions[0]',
        message: expect.stringContaining(
          '"cn-hangzou" is not an OSS region; did you mean "cn-hangzhou"?',
        ) as string,
      }),
    ]);
  });

  it('checks table regions, configured buckets and table bucket ARNs the same way', () => {
    const paths = issuesOf(
      documentWith(
        {},
        {
          regions: ['cn-hangzhou'],
          tableRegions: ['cn-shanghia'],
          buckets: [{ name: 'ledger', region: 'eu-centrall-1' }],
          tableBuckets: ['acs:osstables:cn-beijng:1234567890:bucket/lake'],
        },
      ),
    ).map((issue) => issue.path);
    expect(paths).toEqual([
      'accounts[0].tableRegions[0]',
      'accounts[0].buckets[0].region',
      'accounts[0].tableBuckets[0]',
    ]);
  });

  it('accepts a region newer than the list when extraRegions vouches for it', () => {
    const config = load(documentWith({ extraRegions: ['xx-newland-1'] }, { regions: ['xx-newland-1'] }));
    expect(config.accounts[0]?.regions).toEqual(['xx-newland-1']);
  });
});
