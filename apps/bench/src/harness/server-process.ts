import { fork, type ChildProcess } from 'node:child_process';

/** What a server process has done so far: its CPU time and the requests it answered. */
export interface ServerUsage {
  readonly cpuMs: number;
  readonly requests: number;
}

/** A server alone in a child process: its own event loop, so it never shares the bench's. */
export interface ServerProcess {
  readonly url: string;
  /** What the child said of itself when it listened, besides its URL (e.g. an admin token). */
  readonly details: Readonly<Record<string, string>>;
  usage(): Promise<ServerUsage>;
  stop(): void;
}

/** A server as the child runs it. */
export interface ChildServer {
  readonly url: string;
  readonly details?: Record<string, string>;
  requests(): number;
  close(): Promise<void>;
}

type ChildMessage =
  | { readonly type: 'ready'; readonly url: string; readonly details: Record<string, string> }
  | ({ readonly type: 'usage' } & ServerUsage);

/** Parent side: forks `entry` (which calls {@link serveFromChild}) and resolves once it listens. */
export function startServerProcess(
  name: string,
  entry: string,
  args: readonly string[],
): Promise<ServerProcess> {
  const child: ChildProcess = fork(entry, [...args], { execArgv: ['-r', '@swc-node/register'] });
  // A benchmark without its server measures nothing: stop the run, naming why.
  const onExit = (code: number | null) => {
    console.error(`the ${name} process exited with ${String(code)} during the benchmark`);
    process.exit(1);
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the ${name} process exited with ${String(code)} before it listened`));
    });
    child.once('message', (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      child.removeAllListeners('exit');
      child.once('exit', onExit);
      resolve({
        url: message.url,
        details: message.details,
        usage: () =>
          new Promise((answer) => {
            child.once('message', (reply: ChildMessage) => {
              if (reply.type === 'usage') answer({ cpuMs: reply.cpuMs, requests: reply.requests });
            });
            child.send({ type: 'usage' });
          }),
        stop: () => {
          child.off('exit', onExit);
          child.disconnect();
        },
      });
    });
  });
}

/** Child side: starts the server, answers usage queries, closes it when the parent lets go. */
export async function serveFromChild(start: () => Promise<ChildServer>): Promise<void> {
  const server = await start();
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'usage') return;
    const cpu = process.cpuUsage();
    send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, requests: server.requests() });
  });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
  send({ type: 'ready', url: server.url, details: server.details ?? {} });
}

/** `after - before`, for a window of work. */
export function usageBetween(before: ServerUsage, after: ServerUsage): ServerUsage {
  return { cpuMs: after.cpuMs - before.cpuMs, requests: after.requests - before.requests };
}
