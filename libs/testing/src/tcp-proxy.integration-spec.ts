import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** Connects, sends `text`, and resolves with what comes back before the server closes, or the error. */
async function exchange(port: number, text: string): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<string>((resolve, reject) => {
    socket.on('end', () => {
      resolve(Buffer.concat(chunks).toString());
    });
    socket.on('error', reject);
  });
  socket.end(text);
  return ended;
}

describe('startTcpProxy', () => {
  let echo: Server;
  let proxy: TcpProxy;
  const held: Socket[] = [];

  beforeAll(async () => {
    // An upper-casing echo server that answers when the client has finished sending.
    echo = createServer((socket) => {
      held.push(socket);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => socket.end(Buffer.concat(chunks).toString().toUpperCase()));
      socket.on('error', () => undefined);
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    proxy = await startTcpProxy({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
  });

  afterAll(async () => {
    await proxy.close();
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('forwards both ways', async () => {
    expect(await exchange(proxy.port, 'hello')).toBe('HELLO');
    expect(proxy.connections()).toBe(1);
  });

  it('refuses connections while disabled, as a stopped server would, and forwards again on the same port', async () => {
    const port = proxy.port;
    await proxy.disable();
    expect(proxy.enabled).toBe(false);
    await expect(exchange(port, 'x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.enable();
    expect(proxy.port).toBe(port);
    expect(await exchange(port, 'back')).toBe('BACK');
  });

  it('cuts the connections open when it is disabled', async () => {
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    await once(socket, 'connect');
    const failed = new Promise<unknown>((resolve) => socket.on('error', resolve).on('close', resolve));
    await proxy.disable();
    await failed;
    expect(socket.destroyed).toBe(true);
    await proxy.enable();
  });

  it('rewrites a URL to go through it, keeping the rest', () => {
    expect(proxy.rewrite('postgres://user:pw@db.example:5432/test?sslmode=disable')).toBe(
      `postgres://user:pw@127.0.0.1:${proxy.port.toString()}/test?sslmode=disable`,
    );
  });
});
