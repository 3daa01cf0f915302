import { isIP } from 'node:net';

import {
  CONTEXT_RULES,
  DEFAULT_FINDING_POLICY,
  SEVERITIES,
  type ClassSeverities,
  type ContextRule,
  type FindingPolicy,
  type FlaggableEncryptionClass,
  type Severity,
} from '@app/audit';
import { z } from 'zod';

import type { ScanJobsConfig } from './audit-config.types';
import { canonicalTimeZone, cronExpressionProblem } from './schedule-validation';
import {
  findingRule,
  missingVariable,
  positiveInt,
  severity,
  unique,
  type ConfigEnvironment,
} from './schema-primitives';
import { Secret } from './secret';

// docs/operations.md: per-attempt deadline 15 s, responses capped at 64 KB.
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 65_536;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const severityOrIgnore = z.enum([...SEVERITIES, 'ignore']).optional();
const classSeverities = z
  .strictObject({
    none: severityOrIgnore,
    oss_aes256: severityOrIgnore,
    oss_sm4: severityOrIgnore,
    kms_default: severityOrIgnore,
    unknown: severityOrIgnore,
  } satisfies Record<FlaggableEncryptionClass, unknown>)
  .prefault({});

const ruleSeverities = z
  .strictObject(
    Object.fromEntries(CONTEXT_RULES.map((rule) => [rule, severityOrIgnore])) as Record<
      ContextRule,
      typeof severityOrIgnore
    >,
  )
  .prefault({});

/** The `policy` section, mapped onto the audit `FindingPolicy` over its defaults. */
export const policySchema = z
  .strictObject({
    severities: z
      .strictObject({
        bucket: classSeverities,
        table_bucket: classSeverities,
        table: classSeverities,
        kms_key: classSeverities,
      })
      .prefault({}),
    ruleSeverities,
    approvedKmsKeys: unique(z.string().min(1), (k) => k, 'key').default([]),
    keyNotApprovedSeverity: severity.default(DEFAULT_FINDING_POLICY.keyNotApprovedSeverity),
    disabledRules: unique(findingRule, (r) => r, 'rule').default([]),
    weakeningAlertSeverity: z
      .strictObject({
        toNone: severity.default(DEFAULT_FINDING_POLICY.weakeningAlertSeverity.toNone),
        other: severity.default(DEFAULT_FINDING_POLICY.weakeningAlertSeverity.other),
      })
      .prefault({}),
    exceptionAlertSeverity: z
      .strictObject({
        expiring: severity.default(DEFAULT_FINDING_POLICY.exceptionAlertSeverity.expiring),
        stale: severity.default(DEFAULT_FINDING_POLICY.exceptionAlertSeverity.stale),
      })
      .prefault({}),
  })
  .transform((value): FindingPolicy => ({
    severities: {
      bucket: mergeSeverities(DEFAULT_FINDING_POLICY.severities.bucket, value.severities.bucket),
      table_bucket: mergeSeverities(
        DEFAULT_FINDING_POLICY.severities.table_bucket,
        value.severities.table_bucket,
      ),
      table: mergeSeverities(DEFAULT_FINDING_POLICY.severities.table, value.severities.table),
      kms_key: mergeSeverities(DEFAULT_FINDING_POLICY.severities.kms_key, value.severities.kms_key),
    },
    ruleSeverities: Object.fromEntries(
      CONTEXT_RULES.map((rule) => {
        const chosen = value.ruleSeverities[rule];
        return [
          rule,
          chosen === undefined
            ? DEFAULT_FINDING_POLICY.ruleSeverities[rule]
            : chosen === 'ignore'
              ? null
              : chosen,
        ];
      }),
    ) as Record<ContextRule, Severity | null>,
    approvedKmsKeys: value.approvedKmsKeys,
    keyNotApprovedSeverity: value.keyNotApprovedSeverity,
    disabledRules: value.disabledRules,
    weakeningAlertSeverity: value.weakeningAlertSeverity,
    exceptionAlertSeverity: value.exceptionAlertSeverity,
  }))
  .prefault({});

/** The `schedule` section. */
export const scheduleSchema = z
  .strictObject({
    cron: z
      .string()
      .default('0 2 * * *')
      .superRefine((expression, ctx) => {
        const problem = cronExpressionProblem(expression);
        if (problem !== null) {
          ctx.addIssue({ code: 'custom', message: problem });
        }
      }),
    timeZone: z
      .string()
      .default('UTC')
      .transform((timeZone, ctx) => {
        const canonical = canonicalTimeZone(timeZone);
        if (canonical === null) {
          ctx.issues.push({
            code: 'custom',
            message: `"${timeZone}" is not an IANA time zone (e.g. UTC, Asia/Shanghai)`,
            input: timeZone,
          });
          return z.NEVER;
        }
        return canonical;
      }),
    enabled: z.boolean().default(true),
  })
  .prefault({});

/**
 * Job engine defaults: docs/operations.md (pg-boss expiry, retries, per-replica concurrency), but
 * for the retry delay (30 s there): a SIGKILLed replica's job must come back within 2 minutes, and
 * it takes the lease (60 s) + one renewal period to reap it (15 s) + its first retry delay (between
 * 1 and 2 times `retryDelaySeconds`, pg-boss's backoff: 20 s at most) + polling (1 s) = 96 s.
 */
export const DEFAULT_SCAN_JOBS: ScanJobsConfig = {
  expireInSeconds: 1800,
  leaseSeconds: 60,
  retryLimit: 3,
  retryDelaySeconds: 10,
  pollingIntervalSeconds: 1,
  maintenanceIntervalSeconds: 120,
  auditConcurrency: 4,
  enumerateConcurrency: 2,
};

// pg-boss refuses expiry and maintenance intervals of a day or more, and polling under 0.5 s.
const LESS_THAN_A_DAY = 86_399;

const scanJobsSchema = z
  .strictObject({
    expireInSeconds: positiveInt(DEFAULT_SCAN_JOBS.expireInSeconds, LESS_THAN_A_DAY),
    leaseSeconds: z.number().int().min(2).max(3600).default(DEFAULT_SCAN_JOBS.leaseSeconds),
    retryLimit: z.number().int().min(0).max(100).default(DEFAULT_SCAN_JOBS.retryLimit),
    retryDelaySeconds: positiveInt(DEFAULT_SCAN_JOBS.retryDelaySeconds, 3600),
    pollingIntervalSeconds: z.number().min(0.5).max(60).default(DEFAULT_SCAN_JOBS.pollingIntervalSeconds),
    maintenanceIntervalSeconds: positiveInt(DEFAULT_SCAN_JOBS.maintenanceIntervalSeconds, LESS_THAN_A_DAY),
    auditConcurrency: positiveInt(DEFAULT_SCAN_JOBS.auditConcurrency, 256),
    enumerateConcurrency: positiveInt(DEFAULT_SCAN_JOBS.enumerateConcurrency, 256),
  })
  .prefault({});

/** The `scan` section. */
export const scanSchema = z
  .strictObject({
    auditBatchSize: positiveInt(200, 5000),
    globalConcurrency: positiveInt(64, 1024),
    requestTimeoutMs: positiveInt(DEFAULT_REQUEST_TIMEOUT_MS, 600_000),
    maxAttempts: positiveInt(3, 10),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(DEFAULT_MAX_RESPONSE_BYTES),
    throttledRereads: z
      .strictObject({
        rounds: z.number().int().min(0).max(5).default(3),
        delaySeconds: positiveInt(10, 600),
      })
      .prefault({}),
    jobs: scanJobsSchema,
  })
  .prefault({});

/** The `retention` section. */
export const retentionSchema = z
  .strictObject({ historyMonths: positiveInt(13, 1200), scanRecordsDays: positiveInt(90, 36_500) })
  .prefault({});

/**
 * The `exceptions` section: accountable exceptions as code (a YAML file reviewed in git, read at
 * every scan), how long an exception may last, and how far ahead the expiry digest looks.
 */
export const exceptionsSchema = z
  .strictObject({
    file: z.string().min(1).nullable().default(null),
    maxDurationDays: positiveInt(365, 3650),
    expiringWithinDays: positiveInt(14, 365),
  })
  .prefault({});

/** Why `DATABASE_URL` cannot be used, or null when it can; never quotes the URL (it holds a password). */
export function databaseUrlProblem(url: string | undefined): string | null {
  if (url === undefined || url === '') {
    return missingVariable('DATABASE_URL');
  }
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    return 'DATABASE_URL must be a postgres:// or postgresql:// URL';
  }
  return null;
}

/** The `database` section; its URL comes from `DATABASE_URL`. */
export function databaseSchema(env: ConfigEnvironment) {
  return z
    .strictObject({ poolSize: positiveInt(10, 1000) })
    .transform((value, ctx) => {
      const url = env.DATABASE_URL;
      const problem = databaseUrlProblem(url);
      if (problem !== null || url === undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: problem ?? missingVariable('DATABASE_URL') });
        return z.NEVER;
      }
      return { url: new Secret(url), poolSize: value.poolSize };
    })
    .prefault({});
}

/** Express's names for address ranges it can trust as proxies (the `trust proxy` setting). */
const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or one of `NAMED_PROXY_RANGES`. */
function isProxyAddress(text: string): boolean {
  if (NAMED_PROXY_RANGES.has(text)) return true;
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const TRUST_PROXY_MESSAGE =
  'must be false, a number of proxy hops (1 to 10), or a list of proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal)';

/**
 * Which proxies' X-Forwarded-For the API believes for the client address (rate limiting, logs).
 * `true` (believe anyone) is refused: any client could then pick its own address.
 */
const trustProxySchema = z
  .union(
    [
      z.literal(false),
      z.number().int().min(1).max(10),
      z
        .array(
          z.string().refine(isProxyAddress, {
            error: 'must be an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal',
          }),
        )
        .min(1),
    ],
    { error: TRUST_PROXY_MESSAGE },
  )
  .default(false);

/** The `api` section. */
export const apiSchema = z
  .strictObject({
    port: z.number().int().min(1).max(65_535).default(3000),
    rateLimitPerMinute: positiveInt(600, 1_000_000),
    publicBaseUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .optional()
      .transform((url) => url ?? null),
    trustProxy: trustProxySchema,
  })
  .prefault({});

/** The `worker` section. */
export const workerSchema = z
  .strictObject({
    // Prometheus' port for exporters by convention; null: no metrics server; 0: any free port.
    metricsPort: z.number().int().min(0).max(65_535).nullable().default(9464),
  })
  .prefault({});

/** The `logging` section. */
export const loggingSchema = z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({});

// `ignore` in the file is null in the policy: that class raises no finding for that kind.
function mergeSeverities(
  defaults: ClassSeverities,
  overrides: Readonly<Partial<Record<FlaggableEncryptionClass, Severity | 'ignore'>>>,
): ClassSeverities {
  const pick = (encryptionClass: FlaggableEncryptionClass): Severity | null => {
    const value = overrides[encryptionClass];
    if (value === undefined) {
      return defaults[encryptionClass];
    }
    return value === 'ignore' ? null : value;
  };
  return {
    none: pick('none'),
    oss_aes256: pick('oss_aes256'),
    oss_sm4: pick('oss_sm4'),
    kms_default: pick('kms_default'),
    unknown: pick('unknown'),
  };
}
