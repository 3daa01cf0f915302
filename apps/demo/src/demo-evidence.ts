import { generateKeyPairSync } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { AuditConfig } from '@app/config';
import { periodEvidencePack, verifyEvidencePack } from '@app/evidence';
import {
  ControlResultRepository,
  DriftQueryRepository,
  ExceptionRepository,
  EvidenceQueryRepository,
  FindingQueryRepository,
} from '@app/persistence';
import type { DataSource } from 'typeorm';

import { DemoError } from './demo-error';

/** The environment variable the demo's configuration names for its evidence signing key. */
export const DEMO_SIGNING_KEY_ENV = 'SEED_DEMO_EVIDENCE_SIGNING_KEY';

/** A fresh Ed25519 key pair for the demo's packs: the private half as PEM, the public half as PEM. */
export function demoSigningKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface DemoEvidencePack {
  readonly path: string;
  readonly publicKeyPath: string;
  readonly files: number;
}

/**
 * Builds the evidence pack of the demo's scans into `outputDirectory` (with the public key beside
 * it), then verifies it as an auditor would: a pack that does not verify fails the demo.
 */
export async function writeDemoEvidencePack(
  config: AuditConfig,
  dataSource: DataSource,
  request: { from: Date; to: Date; outputDirectory: string; publicPem: string },
): Promise<DemoEvidencePack> {
  const directory = resolve(request.outputDirectory);
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'seed-evidence-demo.zip');
  const publicKeyPath = join(directory, 'evidence-public-key.pem');
  await writeFile(publicKeyPath, request.publicPem);
  const pack = await periodEvidencePack(
    {
      evidence: new EvidenceQueryRepository(dataSource),
      findings: new FindingQueryRepository(dataSource),
      drift: new DriftQueryRepository(dataSource),
      controlResults: new ControlResultRepository(dataSource),
      exceptions: new ExceptionRepository(dataSource),
    },
    {
      period: { from: request.from, to: request.to },
      signingKey: config.evidence.signingKey,
      generatedAt: new Date(),
      policy: config.policy,
    },
  );
  await pipeline(Readable.from(pack), createWriteStream(path));
  const verification = await verifyEvidencePack(createReadStream(path) as AsyncIterable<Uint8Array>);
  if (!verification.valid) {
    throw new DemoError(
      'SCAN_NOT_AS_EXPECTED',
      `the evidence pack does not verify: ${verification.problems.join('; ')}`,
    );
  }
  return { path, publicKeyPath, files: verification.files };
}

/** Where the pack went, and how to check it. */
export function formatEvidencePack(pack: DemoEvidencePack): string {
  return [
    `Evidence pack of both scans written to ${pack.path}`,
    `  ${pack.files.toString()} files, signed and verified; open report.html inside it to read it`,
    `  check it yourself: npm run evidence -- verify ${pack.path} --public-key ${pack.publicKeyPath}`,
  ].join('\n');
}
