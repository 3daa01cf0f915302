import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';

import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

import { EvidenceError } from '../evidence-error';
import type { EvidenceSection, ReportPart } from './evidence-section';
import {
  ARCHIVE_COMMENT_BYTES,
  ARCHIVE_SIGNATURE_PREFIX,
  archiveSigningInput,
  MANIFEST_FILE,
  manifestBytes,
  PACK_FORMAT,
  PUBLIC_KEY_FILE,
  publicKeyFingerprint,
  publicKeyPem,
  SIGNATURE_FILE,
  signManifest,
  type ManifestEntry,
} from './pack-manifest';
import { reportHtml, REPORT_FILE, type ReportHeader } from './report-html';

export interface EvidencePackRequest {
  readonly header: ReportHeader;
  readonly sections: readonly EvidenceSection[];
  /** Ed25519 private key. It signs the manifest and never leaves this function. */
  readonly signingKey: KeyObject;
  readonly generatedAt: Date;
}

/** Text is gathered into chunks of about this size before it is compressed. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The evidence pack as ZIP bytes, produced as they are read: each section's rows are pulled one by
 * one, hashed and compressed, so a pack of millions of observations needs the memory of one chunk.
 * Then report.html (from the sections' report parts), manifest.json (every file's SHA-256), its
 * Ed25519 signature and the public key that checks it.
 */
export async function* evidencePack(request: EvidencePackRequest): AsyncGenerator<Uint8Array> {
  if (request.signingKey.asymmetricKeyType !== 'ed25519') {
    throw new EvidenceError('INVALID_SIGNING_KEY', 'The evidence signing key must be an Ed25519 private key');
  }
  const output: Uint8Array[] = [];
  const zipState: { failure: Error | null } = { failure: null };
  const zip = new Zip((error, chunk) => {
    if (error !== null) zipState.failure = error;
    else output.push(chunk);
  });
  // Everything but the end of the archive is hashed as it goes out, for the archive signature.
  const archiveHash = createHash('sha256');
  const drain = function* (): Generator<Uint8Array> {
    if (zipState.failure !== null) throw zipState.failure;
    for (const chunk of output.splice(0, output.length)) {
      archiveHash.update(chunk);
      yield chunk;
    }
  };
  const mtime = request.generatedAt;
  const entries: ManifestEntry[] = [];
  const parts: { title: string; part: ReportPart<unknown> }[] = [];

  const addFile = async function* (
    path: string,
    description: string,
    texts: AsyncIterable<string> | Iterable<string>,
  ): AsyncGenerator<Uint8Array> {
    const file = new ZipDeflate(path, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    const hash = createHash('sha256');
    let bytes = 0;
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = (final: boolean) => {
      const data = Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingLength = 0;
      hash.update(data);
      bytes += data.length;
      file.push(data, final);
    };
    for await (const text of texts) {
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= CHUNK_BYTES) {
        flush(false);
        yield* drain();
      }
    }
    flush(true);
    yield* drain();
    entries.push({ path, sha256: hash.digest('hex'), bytes, description });
  };

  for (const section of request.sections) {
    const part = section.report();
    parts.push({ title: section.title, part });
    const lines = async function* () {
      for await (const row of section.rows()) {
        part.add(row);
        yield section.line(row);
      }
    };
    yield* addFile(section.file, section.description, lines());
  }
  const report = reportHtml(
    request.header,
    parts.map(({ title, part }) => ({ title, html: part.html() })),
  );
  yield* addFile(REPORT_FILE, 'The report for people: posture, drift and coverage of the period', [report]);

  const publicKey = createPublicKey(request.signingKey);
  const manifest = manifestBytes({
    format: PACK_FORMAT,
    generatedAt: request.generatedAt.toISOString(),
    period: {
      from: request.header.from.toISOString(),
      to: request.header.to.toISOString(),
      accounts: request.header.accounts,
    },
    product: request.header.product,
    publicKeySha256: publicKeyFingerprint(publicKey),
    files: entries,
  });
  for (const [path, data] of [
    [MANIFEST_FILE, manifest],
    [SIGNATURE_FILE, Buffer.from(`${signManifest(manifest, request.signingKey)}\n`, 'utf8')],
    [PUBLIC_KEY_FILE, Buffer.from(publicKeyPem(request.signingKey), 'utf8')],
  ] as const) {
    // Stored uncompressed: small, and readable with any unzip tool byte for byte.
    const file = new ZipPassThrough(path);
    file.mtime = mtime;
    zip.add(file);
    file.push(data, true);
  }
  zip.end();
  if (zipState.failure !== null) throw zipState.failure;
  // The end-of-central-directory record closes the last chunk; its last two bytes are the comment
  // length, set before the archive is hashed so that the signature covers them too.
  const tail = Buffer.concat(output.splice(0, output.length));
  tail.writeUInt16LE(ARCHIVE_COMMENT_BYTES, tail.length - 2);
  archiveHash.update(tail);
  const signature = sign(null, archiveSigningInput(archiveHash.digest()), request.signingKey);
  yield tail;
  yield Buffer.from(`${ARCHIVE_SIGNATURE_PREFIX}${signature.toString('base64')}`, 'ascii');
}
