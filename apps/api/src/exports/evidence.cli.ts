import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';

import { loadAuditConfig } from '@app/config';
import { errorMessage, failureReport, readCommandLine, USAGE_ERROR_EXIT_CODE } from '@app/entrypoint';
import { periodEvidencePack, verifyEvidencePack } from '@app/evidence';
import {
  assertDatabaseMigrated,
  createDataSource,
  ControlResultRepository,
  DriftQueryRepository,
  ExceptionRepository,
  EvidenceQueryRepository,
  FindingQueryRepository,
} from '@app/persistence';

import { parseWithQuerySchema, writeWhole } from './command-line-io';
import { EVIDENCE_QUERY, evidenceFileName } from './exports.schemas';

const EVIDENCE_COMMAND = {
  help: `Usage: npm run evidence -- --from <instant> --to <instant> [--accounts a,b] [--out <file>] [--config <file>]
       npm run evidence -- verify <pack.zip> [--public-key <pem>]

Builds the evidence pack of the scans started in [from, to) (instants: 2026-11-01 or
2026-11-01T00:00:00Z; a date is its midnight UTC), optionally for some accounts only: one ZIP with
report.html (posture, scans, coverage with failures and their reasons, drift), findings as OCSF,
scans, coverage, drift and every observation with its request id, and manifest.json listing every
file's SHA-256, signed with the Ed25519 key of evidence.signingKeyFile / evidence.signingKeyEnv
(manifest.sig, public-key.pem; the ZIP comment signs the archive's every byte).

verify checks a pack: every file listed with its SHA-256, no file missing or added, both signatures
valid; with --public-key, signed by that key (otherwise compare the printed fingerprint with the
one you trust).

Options:
  --from <instant>      scans started at or after (required to build)
  --to <instant>        scans started before (required to build)
  --accounts a,b        only these account aliases (default: every account)
  --out <file>          where the pack goes (default: ./seed-evidence-<from>-<to>.zip)
  --public-key <pem>    verify: the public (or private) key the pack must be signed with
  --config <file>       the configuration file (default: $AUDIT_CONFIG, else ./audit.config.yaml)
  -h, --help            this help

Exit code: 0 built, or verified valid; 1 failed, or the pack is not valid (each problem is printed);
2 bad options.`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    accounts: { type: 'string' },
    out: { type: 'string' },
    'public-key': { type: 'string' },
    config: { type: 'string' },
  },
  allowPositionals: true,
} as const;

function usageError(problem: string): number {
  process.stderr.write(`${problem}\n\n${EVIDENCE_COMMAND.help}\n`);
  return USAGE_ERROR_EXIT_CODE;
}

async function main(): Promise<number> {
  const command = readCommandLine(EVIDENCE_COMMAND);
  if (!command.run) return command.exitCode;
  const { values, positionals } = command;
  const [verb, ...rest] = positionals;
  if (verb === 'verify') {
    if (rest.length !== 1 || rest[0] === undefined) return usageError('verify takes one pack file');
    return verify(rest[0], values['public-key']);
  }
  if (verb !== undefined) return usageError(`Unexpected argument: ${positionals.join(' ')}`);
  if (values['public-key'] !== undefined) return usageError('--public-key is an option of verify');
  const parsed = parseWithQuerySchema(EVIDENCE_QUERY, {
    from: values.from,
    to: values.to,
    accounts: values.accounts,
  });
  if (!parsed.ok) return usageError(parsed.problem);
  const { from, to, accounts } = parsed.query;
  const out = resolve(values.out ?? evidenceFileName(from, to));

  const config = loadAuditConfig(values.config === undefined ? {} : { path: values.config });
  await assertDatabaseMigrated(config.database.url.reveal());
  const dataSource = await createDataSource({ url: config.database.url.reveal(), poolSize: 1 }).initialize();
  try {
    const pack = await periodEvidencePack(
      {
        evidence: new EvidenceQueryRepository(dataSource),
        findings: new FindingQueryRepository(dataSource),
        drift: new DriftQueryRepository(dataSource),
        controlResults: new ControlResultRepository(dataSource),
        exceptions: new ExceptionRepository(dataSource),
      },
      {
        period: { from, to, ...(accounts === undefined ? {} : { accountAliases: accounts }) },
        signingKey: config.evidence.signingKey,
        policy: config.policy,
        generatedAt: new Date(),
      },
    );
    await writeWhole(Readable.from(pack), out);
  } finally {
    await dataSource.destroy();
  }
  const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
  console.log(`Evidence pack written to ${out}`);
  console.log(`  ${statSync(out).size.toString()} bytes, SHA-256 ${sha256}`);
  console.log(
    `  scans started from ${from.toISOString()} to ${to.toISOString()}, ${accounts?.join(', ') ?? 'every account'}`,
  );
  return 0;
}

async function verify(path: string, publicKeyPath: string | undefined): Promise<number> {
  let trusted: KeyObject | undefined;
  if (publicKeyPath !== undefined) {
    try {
      trusted = createPublicKey(readFileSync(publicKeyPath, 'utf8'));
    } catch (error) {
      return usageError(`--public-key: cannot read a key from ${publicKeyPath} (${errorMessage(error)})`);
    }
  }
  const verification = await verifyEvidencePack(createReadStream(path) as AsyncIterable<Uint8Array>, trusted);
  if (verification.valid) {
    console.log(`VALID: ${path}`);
    console.log(`  ${verification.files.toString()} files; every byte as signed`);
    console.log(
      `  signed by the Ed25519 key with SHA-256 fingerprint ${verification.publicKeySha256 ?? ''}${trusted === undefined ? '' : ` (the key of ${publicKeyPath ?? ''})`}`,
    );
    return 0;
  }
  process.stderr.write(`NOT VALID: ${path}\n`);
  for (const problem of verification.problems) process.stderr.write(`  - ${problem}\n`);
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(failureReport('evidence', error));
      process.exitCode = 1;
    },
  );
}
