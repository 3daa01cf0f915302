import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';

import { unzipSync, zipSync } from 'fflate';

import { evidencePack } from './evidence-pack';
import { jsonLine, type EvidenceSection } from './evidence-section';
import { MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, type PackManifest } from './pack-manifest';
import { REPORT_FILE } from './report-html';
import { verifyEvidencePack } from './verify-pack';

const signingKey = generateKeyPairSync('ed25519').privateKey;
const generatedAt = new Date('2026-12-01T00:00:00.000Z');
const header = {
  from: new Date('2026-11-01T00:00:00.000Z'),
  to: new Date('2026-12-01T00:00:00.000Z'),
  accounts: ['prod'],
  product: { name: 'Seed', version: '0.1.0' },
  generatedAt,
};

/** A section of `count` numbered rows whose report part counts them. */
function numbers(count: number): EvidenceSection {
  return {
    file: 'numbers.jsonl',
    title: 'Numbers <b>',
    description: 'Numbered rows',
    rows: () => Readable.from(Array.from({ length: count }, (_, n) => ({ n }))) as AsyncIterable<unknown>,
    line: jsonLine,
    report: () => {
      let seen = 0;
      return { add: () => (seen += 1), html: () => `<p>${seen} rows</p>` };
    },
  };
}

async function pack(sections: readonly EvidenceSection[], key = signingKey): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of evidencePack({ header, sections, signingKey: key, generatedAt }))
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

function inChunks(bytes: Uint8Array, size = 4096): AsyncIterable<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks) as AsyncIterable<Uint8Array>;
}

describe('evidence pack', () => {
  it('holds each section, report.html, a manifest of SHA-256s, its signature and the public key', async () => {
    const files = unzipSync(await pack([numbers(3)]));
    expect(Object.keys(files).sort()).toEqual(
      [MANIFEST_FILE, 'numbers.jsonl', PUBLIC_KEY_FILE, REPORT_FILE, SIGNATURE_FILE].sort(),
    );
    expect(Buffer.from(files['numbers.jsonl'] ?? []).toString()).toBe('{"n":0}\n{"n":1}\n{"n":2}\n');
    const manifest = JSON.parse(Buffer.from(files[MANIFEST_FILE] ?? []).toString()) as PackManifest;
    expect(manifest.files.map((entry) => entry.path)).toEqual(['numbers.jsonl', REPORT_FILE]);
    const report = Buffer.from(files[REPORT_FILE] ?? []).toString();
    expect(report).toContain('<h2>Numbers &#60;b&#62;</h2>');
    expect(report).toContain('<p>3 rows</p>');
  });

  it('verifies as valid when nothing changed, read in chunks', async () => {
    const verification = await verifyEvidencePack(inChunks(await pack([numbers(20_000)])));
    expect(verification).toMatchObject({ valid: true, problems: [], files: 5 });
  });

  it('fails on a flipped byte anywhere: in a file, in a header, in the directory', async () => {
    const bytes = await pack([numbers(20_000)]);
    for (const at of [40, Math.floor(bytes.length / 2), bytes.length - 150, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at] = (altered[at] ?? 0) ^ 0x01;
      const verification = await verifyEvidencePack(inChunks(altered));
      expect({ at, valid: verification.valid }).toEqual({ at, valid: false });
    }
  });

  it('fails when a file is missing or one was added, naming it', async () => {
    const files = unzipSync(await pack([numbers(3)]));
    const { [REPORT_FILE]: _report, ...withoutReport } = files;
    const missing = await verifyEvidencePack(inChunks(zipSync(withoutReport)));
    expect(missing.problems).toContain(`${REPORT_FILE}: listed in the manifest but missing`);
    const extra = await verifyEvidencePack(inChunks(zipSync({ ...files, 'extra.txt': new Uint8Array([1]) })));
    expect(extra.problems).toContain('extra.txt: not in the manifest');
  });

  it('fails when the signature is not the trusted key’s', async () => {
    const other = generateKeyPairSync('ed25519');
    const verification = await verifyEvidencePack(
      inChunks(await pack([numbers(3)], other.privateKey)),
      signingKey,
    );
    expect(verification.problems).toContain(
      `${PUBLIC_KEY_FILE}: signed with another key than the trusted one`,
    );
  });

  it('refuses a signing key that is not Ed25519', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    await expect(pack([numbers(1)], rsa)).rejects.toThrow('must be an Ed25519 private key');
  });
});
