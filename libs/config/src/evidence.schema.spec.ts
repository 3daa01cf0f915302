import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ConfigEnvironment } from './audit-config.schema';
import { ConfigError, type ConfigIssue } from './config-error';
import { parseAuditConfig } from './load-audit-config';

const BASE_ENV: ConfigEnvironment = { DATABASE_URL: 'postgres://seed:pw@localhost:5432/seed' };
const ED25519_PEM = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

function load(evidence: unknown, env: ConfigEnvironment = BASE_ENV) {
  const document = {
    accounts: [{ alias: 'prod', credentials: { type: 'default_chain' }, regions: ['cn-hangzhou'] }],
    evidence,
  };
  return parseAuditConfig(document, { env, source: 'test.yaml' });
}

function issuesOf(evidence: unknown, env: ConfigEnvironment = BASE_ENV): readonly ConfigIssue[] {
  try {
    load(evidence, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('evidence.signingKey* configuration', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'seed-evidence-key-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('has no signing key by default', () => {
    expect(load(undefined).evidence.signingKey).toBeNull();
  });

  it('reads an Ed25519 key from the environment variable it names, kept as a secret', () => {
    const config = load(
      { signingKeyEnv: 'SEED_EVIDENCE_KEY' },
      { ...BASE_ENV, SEED_EVIDENCE_KEY: ED25519_PEM },
    );
    expect(config.evidence.signingKey?.reveal()).toBe(ED25519_PEM);
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
  });

  it('reads an Ed25519 key from the PEM file it names', () => {
    const path = join(directory, 'signing.pem');
    writeFileSync(path, ED25519_PEM);
    expect(load({ signingKeyFile: path }).evidence.signingKey?.reveal()).toBe(ED25519_PEM);
  });

  it('stops at startup naming the key when the file cannot be read', () => {
    expect(issuesOf({ signingKeyFile: join(directory, 'absent.pem') })).toEqual([
      { path: 'evidence.signingKeyFile', message: expect.stringContaining('cannot read') as string },
    ]);
  });

  it('stops naming the key, without its text, when the value is not a private key', () => {
    const issues = issuesOf({ signingKeyEnv: 'KEY' }, { ...BASE_ENV, KEY: 'not-a-key-5f2e' });
    expect(issues).toEqual([
      { path: 'evidence.signingKeyEnv', message: 'is not a PEM private key (value hidden)' },
    ]);
    expect(JSON.stringify(issues)).not.toContain('not-a-key-5f2e');
  });

  it('refuses a key that is not Ed25519', () => {
    expect(issuesOf({ signingKeyEnv: 'KEY' }, { ...BASE_ENV, KEY: RSA_PEM })).toEqual([
      { path: 'evidence.signingKeyEnv', message: 'must be an Ed25519 private key, not rsa' },
    ]);
  });

  it('refuses both a file and a variable, and a variable that is not set', () => {
    expect(
      issuesOf({ signingKeyFile: 'a.pem', signingKeyEnv: 'KEY' }, { ...BASE_ENV, KEY: ED25519_PEM }),
    ).toEqual([{ path: 'evidence.signingKeyEnv', message: 'set signingKeyFile or signingKeyEnv, not both' }]);
    expect(issuesOf({ signingKeyEnv: 'UNSET_KEY' })).toEqual([
      { path: 'evidence.signingKeyEnv', message: 'environment variable UNSET_KEY is not set' },
    ]);
  });
});
