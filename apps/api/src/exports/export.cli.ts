import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { loadAuditConfig } from '@app/config';
import { failureReport, readCommandLine, USAGE_ERROR_EXIT_CODE } from '@app/entrypoint';
import { findingsExport } from '@app/evidence';
import { assertDatabaseMigrated, createDataSource, FindingQueryRepository } from '@app/persistence';

import { findingFilterOf } from '../findings/findings.schemas';
import { parseWithQuerySchema, writeWhole } from './command-line-io';
import { FINDINGS_EXPORT_QUERY } from './exports.schemas';

const EXPORT_COMMAND = {
  help: `Usage: npm run export -- --format ocsf|csv [filters] [--out <file>] [--config <file>]

Exports findings, streamed from the database: OCSF 1.8.0 Compliance Finding JSON Lines (one event
per line; unverifiable findings have compliance status Warning) or RFC 4180 CSV with a header row
(cells that a spreadsheet would run as a formula are prefixed with '). The filters are those of
GET /v1/findings, with the same rules: the list ones take several values separated by commas.

Options:
  --format ocsf|csv          the format (required)
  --status open|resolved|all default open
  --rule <rules>             e.g. unencrypted,non_kms,unverifiable
  --severity <severities>    info, low, medium, high, critical
  --min-severity <severity>  this severity and the more severe ones
  --kind <kinds>             bucket, table_bucket, table, kms_key
  --account <accounts>       aliases or uids
  --region <regions>         e.g. cn-hangzhou
  --control <control id>     the findings of the rules this control evaluates
  --name-prefix <text>       resource names starting with this text
  --opened-since <instant>   opened at or after (2026-03-05 or 2026-03-05T02:00:00Z)
  --resolved-since <instant> resolved at or after
  --stale true|false         open findings the latest scan could not re-check, or the others
  --at <instant>             as of this instant: the findings and their status then
  --out <file>               write here (default: standard output)
  --config <file>            the configuration file (default: $AUDIT_CONFIG, else ./audit.config.yaml)
  -h, --help                 this help

Exit code: 0 written; 1 failed (configuration, database: the reason is printed; no partial file is
left); 2 bad options.`,
  options: {
    format: { type: 'string' },
    status: { type: 'string' },
    rule: { type: 'string' },
    severity: { type: 'string' },
    'min-severity': { type: 'string' },
    kind: { type: 'string' },
    account: { type: 'string' },
    region: { type: 'string' },
    control: { type: 'string' },
    'name-prefix': { type: 'string' },
    'opened-since': { type: 'string' },
    'resolved-since': { type: 'string' },
    stale: { type: 'string' },
    at: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
  },
} as const;

async function main(): Promise<number> {
  const command = readCommandLine(EXPORT_COMMAND);
  if (!command.run) return command.exitCode;
  const { values } = command;
  const parsed = parseWithQuerySchema(FINDINGS_EXPORT_QUERY, {
    format: values.format,
    status: values.status,
    rule: values.rule,
    severity: values.severity,
    minSeverity: values['min-severity'],
    kind: values.kind,
    account: values.account,
    region: values.region,
    control: values.control,
    namePrefix: values['name-prefix'],
    openedSince: values['opened-since'],
    resolvedSince: values['resolved-since'],
    stale: values.stale,
    at: values.at,
  });
  if (!parsed.ok) {
    process.stderr.write(`${parsed.problem}\n\n${EXPORT_COMMAND.help}\n`);
    return USAGE_ERROR_EXIT_CODE;
  }
  const config = loadAuditConfig(values.config === undefined ? {} : { path: values.config });
  await assertDatabaseMigrated(config.database.url.reveal());
  const dataSource = await createDataSource({ url: config.database.url.reveal(), poolSize: 1 }).initialize();
  try {
    const lines = Readable.from(
      findingsExport(
        new FindingQueryRepository(dataSource),
        findingFilterOf(parsed.query),
        parsed.query.format,
      ),
    );
    if (values.out === undefined) {
      await pipeline(lines, process.stdout, { end: false });
    } else {
      await writeWhole(lines, values.out);
      process.stderr.write(`Findings exported to ${values.out}\n`);
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(failureReport('export', error));
      process.exitCode = 1;
    },
  );
}
