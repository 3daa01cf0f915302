import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ConsoleAssets,
  CONSOLE_SECURITY_HEADERS,
  consoleTarget,
  loadConsoleAssets,
} from './console-assets';

/** What the console route answers while the build is missing, so the cause and the fix are plain. */
export const CONSOLE_NOT_BUILT =
  'The Seed console is not built. Run `npm run console:build` (npm run demo and npm test build it), then reload. The API itself is at /v1 (OpenAPI at /docs).';

function send(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: Buffer | string,
  head: boolean,
): void {
  response.writeHead(status, { ...CONSOLE_SECURITY_HEADERS, ...headers });
  response.end(head ? undefined : body);
}

function sendText(response: ServerResponse, status: number, text: string, head: boolean): void {
  send(
    response,
    status,
    { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    text,
    head,
  );
}

/**
 * Express middleware serving the console's build from memory under `/console/`, with its security
 * headers, and redirecting `/` there. Every other request goes on to the API untouched. The build
 * is read on the first console request and kept; while it is missing, the console route answers
 * 503 with how to build it, and looks again on the next request.
 */
export function serveConsole(
  directory: string,
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  let assets: ConsoleAssets | null = null;
  return (request, response, next) => {
    const target = consoleTarget(request.method ?? '', request.url ?? '/');
    if (target.kind === 'none') {
      next();
      return;
    }
    const head = request.method === 'HEAD';
    if (target.kind === 'redirect') {
      send(response, 302, { Location: target.location, 'Cache-Control': 'no-cache' }, '', head);
      return;
    }
    assets ??= loadConsoleAssets(directory);
    if (assets === null) {
      sendText(response, 503, CONSOLE_NOT_BUILT, head);
      return;
    }
    const asset = assets.get(target.path);
    if (asset === undefined) {
      sendText(response, 404, `No console file at ${request.url ?? ''}`, head);
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': asset.contentType,
      'Cache-Control': asset.cacheControl,
      ETag: asset.etag,
      Vary: 'Accept-Encoding',
    };
    if (request.headers['if-none-match'] === asset.etag) {
      send(response, 304, headers, '', true);
      return;
    }
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '') ? asset.gzip : null;
    if (gzip !== null) headers['Content-Encoding'] = 'gzip';
    const body = gzip ?? asset.body;
    headers['Content-Length'] = body.length.toString();
    send(response, 200, headers, body, head);
  };
}
