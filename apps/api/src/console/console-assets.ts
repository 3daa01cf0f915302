import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where the console is served: every file of the build under this prefix. */
export const CONSOLE_PREFIX = '/console/';

/** The build's folder (`npm run console:build`), from this file's place in the repository. */
export const DEFAULT_CONSOLE_DIRECTORY = join(__dirname, '..', '..', '..', '..', 'dist', 'console');

/**
 * The console's Content-Security-Policy: its own scripts, styles and API only; nothing inline, no
 * frames, no plugins, no other origin. The API key lives in the page, so script injection is the
 * threat this closes.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every console response, on top of its type and cache policy. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Hashed build output: its name changes with its content, so browsers may keep it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files: revalidated on every load, so a new build is picked up at once. */
const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Files smaller than this are sent as they are: gzip would save less than its own framing. */
const GZIP_MIN_BYTES = 1024;

/** One file of the build, ready to send. */
export interface ConsoleAsset {
  readonly body: Buffer;
  /** The gzip form, when the file is text and large enough to gain from it. */
  readonly gzip: Buffer | null;
  readonly contentType: string;
  readonly cacheControl: string;
  /** A strong validator of the content, for `If-None-Match`. */
  readonly etag: string;
}

/** The build, by URL path under `CONSOLE_PREFIX` (`index.html`, `assets/index-3f2a.js`). */
export type ConsoleAssets = ReadonlyMap<string, ConsoleAsset>;

/** The media type of a build file; unknown extensions are opaque bytes, never sniffed. */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Vite names every file of `assets/` after its content hash; everything else may change in place. */
export function cacheControlOf(path: string): string {
  return path.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
}

/** Whether a response of this type gains from gzip. */
function compressible(contentType: string): boolean {
  return /^(text\/|application\/json|image\/svg\+xml)/.test(contentType);
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/**
 * Reads the whole build into memory (a few files, tens of kilobytes): requests are then answered
 * from a fixed table, so no request path ever reaches the file system. Null when the folder has no
 * `index.html`: the console was not built.
 */
export function loadConsoleAssets(directory: string): ConsoleAssets | null {
  const index = join(directory, 'index.html');
  if (!existsSync(index) || !statSync(index).isFile()) return null;
  const assets = new Map<string, ConsoleAsset>();
  for (const file of filesUnder(directory)) {
    const path = relative(directory, file).split(sep).join('/');
    const body = readFileSync(file);
    const contentType = contentTypeOf(path);
    assets.set(path, {
      body,
      gzip: compressible(contentType) && body.length >= GZIP_MIN_BYTES ? gzipSync(body, { level: 9 }) : null,
      contentType,
      cacheControl: cacheControlOf(path),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return assets;
}

/** What a request asks of the console: a redirect to it, one of its files, or nothing of it. */
export type ConsoleTarget =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'none' };

/**
 * Maps a GET or HEAD request's URL to the console: `/` and `/console` lead to `/console/`, which is
 * `index.html`; `/console/<path>` is that file of the build. Other methods and paths are the API's.
 */
export function consoleTarget(method: string, url: string): ConsoleTarget {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'none' };
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === '/' || path === '/console') return { kind: 'redirect', location: CONSOLE_PREFIX };
  if (!path.startsWith(CONSOLE_PREFIX)) return { kind: 'none' };
  const file = path.slice(CONSOLE_PREFIX.length);
  return { kind: 'file', path: file === '' ? 'index.html' : file };
}
