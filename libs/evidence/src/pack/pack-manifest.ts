import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** Format tag of manifest.json; changes when its meaning does. */
export const PACK_FORMAT = 'seed-evidence-pack/1';
export const MANIFEST_FILE = 'manifest.json';
/** Ed25519 signature of manifest.json's exact bytes, base64. */
export const SIGNATURE_FILE = 'manifest.sig';
/** The public key (SPKI PEM) that checks the signature. */
export const PUBLIC_KEY_FILE = 'public-key.pem';

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly description: string;
}

export interface PackManifest {
  readonly format: typeof PACK_FORMAT;
  readonly generatedAt: string;
  readonly period: {
    readonly from: string;
    readonly to: string;
    readonly accounts: readonly string[] | null;
  };
  readonly product: { readonly name: string; readonly version: string };
  /** SHA-256 of the signing public key's DER (SPKI), hex: what a reader compares with the key they trust. */
  readonly publicKeySha256: string;
  readonly files: readonly ManifestEntry[];
}

/**
 * The ZIP archive comment that signs the archive itself: `SEED-SIG1 ` then the base64 Ed25519
 * signature of the SHA-256 of every byte before the comment. The manifest proves the files; this
 * proves every other byte (headers, directory, timestamps). Always this many bytes long.
 */
export const ARCHIVE_SIGNATURE_PREFIX = 'SEED-SIG1 ';
export const ARCHIVE_COMMENT_BYTES = ARCHIVE_SIGNATURE_PREFIX.length + 88;

/** What the archive signature signs: a fixed text naming the digest, never the raw bytes. */
export function archiveSigningInput(sha256: Buffer): Buffer {
  return Buffer.from(`${PACK_FORMAT} archive sha256:${sha256.toString('hex')}`, 'utf8');
}

/** The exact bytes of a manifest (sorted file list, two-space JSON, trailing newline). */
export function manifestBytes(manifest: PackManifest): Buffer {
  const files = [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Buffer.from(`${JSON.stringify({ ...manifest, files }, null, 2)}\n`, 'utf8');
}

export function signManifest(bytes: Buffer, privateKey: KeyObject): string {
  return sign(null, bytes, privateKey).toString('base64');
}

export function signatureHolds(bytes: Buffer, signatureBase64: string, publicKey: KeyObject): boolean {
  return verify(null, bytes, publicKey, Buffer.from(signatureBase64.trim(), 'base64'));
}

/** SHA-256 (hex) of a public key's SPKI DER: its fingerprint. */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** The public half of a private key, as SPKI PEM. */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}
