import OSS from 'ali-oss';

/**
 * Runs `ali-oss` calls in a child process on behalf of a Jest test (see ali-oss-process.ts): Jest's
 * resolver prefers the `.ts` sources ali-oss ships next to its `.js` files and cannot load them,
 * while Node's own resolver loads the `.js` files. Messages in: {@link DriverCall}; out:
 * {@link DriverReply}. Only plain data crosses the boundary.
 */

export interface DriverCall {
  readonly id: number;
  readonly options: Record<string, unknown>;
  readonly method: 'listBuckets' | 'getBucketEncryption' | 'putBucketEncryption' | 'deleteBucketEncryption';
  readonly args: readonly unknown[];
}

export interface DriverError {
  readonly name: string;
  readonly code: string;
  readonly status: number;
  readonly ecCode?: string;
  readonly requestId?: string;
  readonly message: string;
}

export type DriverReply =
  | { readonly id: number; readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly id: number; readonly ok: false; readonly error: DriverError };

type Invocable = Record<
  DriverCall['method'],
  (...args: readonly unknown[]) => Promise<Record<string, unknown>>
>;

/** Keeps what a test can assert on; drops the raw response objects. */
function plain(result: Record<string, unknown>): Record<string, unknown> {
  const { res: _res, ...rest } = result;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

function describeError(error: unknown): DriverError {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : undefined);
  const ecCode = text('ecCode');
  const requestId = text('requestId');
  return {
    name: text('name') ?? 'Error',
    code: text('code') ?? '',
    status: typeof fields.status === 'number' ? fields.status : 0,
    message: text('message') ?? String(error),
    ...(ecCode === undefined ? {} : { ecCode }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

async function run(call: DriverCall): Promise<DriverReply> {
  const client = new OSS(call.options as unknown as OSS.Options) as unknown as Invocable;
  try {
    return { id: call.id, ok: true, value: plain(await client[call.method](...call.args)) };
  } catch (error) {
    return { id: call.id, ok: false, error: describeError(error) };
  }
}

process.on('message', (call: DriverCall) => {
  void run(call).then((reply) => process.send?.(reply));
});
// The test process went away without stopping us.
process.on('disconnect', () => process.exit(0));
