import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Agent } from 'undici';

import { sendRequest } from './send-request';

/** A local server whose answer per path the test decides; hung responses are released at close. */
async function startServer(answer: (path: string, res: ServerResponse) => void): Promise<{
  origin: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    answer(req.url ?? '/', res);
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port.toString()}`,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const LIMITS = { attemptTimeoutMs: 2_000, maxResponseBytes: 1024 };

describe('sendRequest', () => {
  let agent: Agent;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeEach(async () => {
    agent = new Agent({ connections: 1, pipelining: 1 });
    server = await startServer((path, res) => {
      if (path === '/hang') return;
      if (path === '/big-declared') {
        res.writeHead(200, { 'content-length': '5000' });
        res.end('x'.repeat(5000));
      } else if (path === '/big-chunked') {
        res.writeHead(200);
        for (let i = 0; i < 10; i += 1) res.write('y'.repeat(500));
        res.end();
      } else {
        res.writeHead(200, { 'x-oss-request-id': 'ABC', 'content-type': 'application/xml' });
        res.end(`<ok path="${path}"/>`);
      }
    });
  });
  afterEach(async () => {
    await agent.destroy();
    await server.close();
  });

  it('answers with status, lower-cased headers and the whole body', async () => {
    const outcome = await sendRequest(agent, { origin: server.origin, path: '/a?x=1', headers: {} }, LIMITS);
    if (!outcome.ok) throw new Error(`expected an answer, got ${outcome.failure.code}`);
    const { status, statusText, headers, body } = outcome.response;
    expect({ status, statusText }).toEqual({ status: 200, statusText: 'OK' });
    expect(headers['x-oss-request-id']).toBe('ABC');
    expect(headers['content-type']).toBe('application/xml');
    expect(body.toString('utf8')).toBe('<ok path="/a?x=1"/>');
  });

  it('refuses a declared Content-Length over the cap without reading it, and drops that connection', async () => {
    const outcome = await sendRequest(
      agent,
      { origin: server.origin, path: '/big-declared', headers: {} },
      LIMITS,
    );
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'response_too_large', code: 'ResponseTooLarge' },
    });
    const next = await sendRequest(agent, { origin: server.origin, path: '/after', headers: {} }, LIMITS);
    expect(next.ok).toBe(true);
    expect(server.connections()).toBe(2);
  });

  it('cuts an undeclared body as soon as it crosses the cap', async () => {
    const outcome = await sendRequest(
      agent,
      { origin: server.origin, path: '/big-chunked', headers: {} },
      LIMITS,
    );
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'response_too_large' } });
  });

  it('answers AttemptTimeout at the deadline even for a request still queued behind a hung one', async () => {
    const limits = { ...LIMITS, attemptTimeoutMs: 300 };
    const hung = sendRequest(agent, { origin: server.origin, path: '/hang', headers: {} }, limits);
    // One connection per origin: this request waits for the hung one's socket.
    const queued = sendRequest(agent, { origin: server.origin, path: '/queued', headers: {} }, limits);
    const [hungOutcome, queuedOutcome] = await Promise.all([hung, queued]);
    expect(hungOutcome).toMatchObject({ ok: false, failure: { kind: 'timeout', code: 'AttemptTimeout' } });
    expect(queuedOutcome).toMatchObject({ ok: false, failure: { kind: 'timeout', code: 'AttemptTimeout' } });
    // The cut exchanges free the pool: a later request is answered on a fresh connection.
    const later = await sendRequest(agent, { origin: server.origin, path: '/later', headers: {} }, LIMITS);
    expect(later.ok).toBe(true);
  });

  it('reports a refused connection as a network failure with the system code', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const outcome = await sendRequest(agent, { origin: closed.origin, path: '/', headers: {} }, LIMITS);
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'network', code: 'ECONNREFUSED' } });
  });
});
