import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

import { Unzip, UnzipInflate } from 'fflate';

import {
  ARCHIVE_COMMENT_BYTES,
  ARCHIVE_SIGNATURE_PREFIX,
  archiveSigningInput,
  MANIFEST_FILE,
  PACK_FORMAT,
  PUBLIC_KEY_FILE,
  publicKeyFingerprint,
  SIGNATURE_FILE,
  signatureHolds,
  type PackManifest,
} from './pack-manifest';

/** The outcome of checking a pack: valid only when `problems` is empty. */
export interface PackVerification {
  readonly valid: boolean;
  readonly problems: readonly string[];
  /** Fingerprint of the key that signed it (SHA-256 of its SPKI DER), when the key could be read. */
  readonly publicKeySha256: string | null;
  readonly files: number;
}

const SIGNED_FILES = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE]);

/**
 * Checks an evidence pack read chunk by chunk: every file the manifest lists is there with its
 * SHA-256 and size, no other file is, the manifest's Ed25519 signature holds for the public key in
 * the pack, and (when `trustedKey` is given) that key is the trusted one. Any altered byte fails one
 * of these. The pack's files are hashed as they inflate, never held whole (only the three small
 * signature files are).
 */
export async function verifyEvidencePack(
  chunks: AsyncIterable<Uint8Array>,
  trustedKey?: KeyObject,
): Promise<PackVerification> {
  const problems: string[] = [];
  const digests = new Map<string, { sha256: string; bytes: number }>();
  const small = new Map<string, Buffer>();
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    if (digests.has(file.name) || small.has(file.name)) problems.push(`${file.name}: appears twice`);
    const hash = createHash('sha256');
    const kept: Uint8Array[] = [];
    let bytes = 0;
    file.ondata = (error, data, final) => {
      if (error !== null) {
        problems.push(`${file.name}: cannot be read (${error.message})`);
        return;
      }
      hash.update(data);
      bytes += data.length;
      if (SIGNED_FILES.has(file.name)) kept.push(data);
      if (final) {
        digests.set(file.name, { sha256: hash.digest('hex'), bytes });
        if (SIGNED_FILES.has(file.name)) small.set(file.name, Buffer.concat(kept));
      }
    };
    file.start();
  };
  // The last ARCHIVE_COMMENT_BYTES are the archive signature; every byte before them is hashed.
  const archiveHash = createHash('sha256');
  let tail = Buffer.alloc(0);
  try {
    for await (const chunk of chunks) {
      unzip.push(chunk, false);
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > ARCHIVE_COMMENT_BYTES) {
        archiveHash.update(tail.subarray(0, tail.length - ARCHIVE_COMMENT_BYTES));
        tail = tail.subarray(tail.length - ARCHIVE_COMMENT_BYTES);
      }
    }
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    problems.push(`not a readable ZIP archive (${error instanceof Error ? error.message : String(error)})`);
  }

  const manifestBytes = small.get(MANIFEST_FILE);
  const signature = small.get(SIGNATURE_FILE);
  const keyPem = small.get(PUBLIC_KEY_FILE);
  for (const name of SIGNED_FILES) if (!small.has(name)) problems.push(`${name}: missing`);
  if (manifestBytes === undefined || signature === undefined || keyPem === undefined) {
    return { valid: false, problems, publicKeySha256: null, files: digests.size };
  }

  let publicKey: KeyObject | null = null;
  try {
    publicKey = createPublicKey(keyPem);
    if (publicKey.asymmetricKeyType !== 'ed25519') {
      problems.push(`${PUBLIC_KEY_FILE}: not an Ed25519 key`);
      publicKey = null;
    }
  } catch {
    problems.push(`${PUBLIC_KEY_FILE}: not a public key`);
  }
  if (publicKey !== null) {
    let holds = false;
    try {
      holds = signatureHolds(manifestBytes, signature.toString('utf8'), publicKey);
    } catch {
      holds = false;
    }
    if (!holds) problems.push(`${SIGNATURE_FILE}: the signature does not match ${MANIFEST_FILE}`);
    if (!archiveSignatureHolds(tail, archiveHash.digest(), publicKey)) {
      problems.push('the archive signature (ZIP comment) does not match the archive: a byte was changed');
    }
    if (trustedKey !== undefined && publicKeyFingerprint(trustedKey) !== publicKeyFingerprint(publicKey)) {
      problems.push(`${PUBLIC_KEY_FILE}: signed with another key than the trusted one`);
    }
  }

  const manifest = parseManifest(manifestBytes, problems);
  if (manifest !== null) {
    const listed = new Set(manifest.files.map((entry) => entry.path));
    for (const entry of manifest.files) {
      const found = digests.get(entry.path);
      if (found === undefined) problems.push(`${entry.path}: listed in the manifest but missing`);
      else if (found.sha256 !== entry.sha256 || found.bytes !== entry.bytes) {
        problems.push(`${entry.path}: altered (SHA-256 ${found.sha256}, the manifest says ${entry.sha256})`);
      }
    }
    for (const name of digests.keys()) {
      if (!listed.has(name) && !SIGNED_FILES.has(name)) problems.push(`${name}: not in the manifest`);
    }
    if (publicKey !== null && manifest.publicKeySha256 !== publicKeyFingerprint(publicKey)) {
      problems.push(`${MANIFEST_FILE}: names another signing key than ${PUBLIC_KEY_FILE}`);
    }
  }
  return {
    valid: problems.length === 0,
    problems,
    publicKeySha256: publicKey === null ? null : publicKeyFingerprint(publicKey),
    files: digests.size,
  };
}

function archiveSignatureHolds(comment: Buffer, sha256: Buffer, publicKey: KeyObject): boolean {
  const text = comment.toString('latin1');
  if (comment.length !== ARCHIVE_COMMENT_BYTES || !text.startsWith(ARCHIVE_SIGNATURE_PREFIX)) return false;
  const encoded = text.slice(ARCHIVE_SIGNATURE_PREFIX.length);
  const signature = Buffer.from(encoded, 'base64');
  // Node's base64 decoder skips characters it does not know: only the exact encoding counts.
  if (signature.toString('base64') !== encoded) return false;
  try {
    return verify(null, archiveSigningInput(sha256), publicKey, signature);
  } catch {
    return false;
  }
}

function parseManifest(bytes: Buffer, problems: string[]): PackManifest | null {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Partial<PackManifest>;
    if (parsed.format !== PACK_FORMAT || !Array.isArray(parsed.files)) {
      problems.push(`${MANIFEST_FILE}: not a ${PACK_FORMAT} manifest`);
      return null;
    }
    return parsed as PackManifest;
  } catch {
    problems.push(`${MANIFEST_FILE}: not JSON`);
    return null;
  }
}
