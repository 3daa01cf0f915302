/**
 * Test support for ali-oss-parity.integration-spec.ts: makes ali-oss calls in a child process.
 * ali-oss ships `.ts` sources next to its `.js` files and Jest's resolver (moduleFileExtensions
 * `ts` first) loads the untranspiled `.ts` ones, so the client cannot run inside Jest; plain Node
 * resolution picks the `.js` files. Run: `node -r @swc-node/register testing/ali-oss-signing-driver.ts <endpoint> <calls JSON>`.
 */
import OSS from 'ali-oss';

export interface AliOssCall {
  readonly operation: 'GetBucketEncryption' | 'ListBuckets';
  readonly authorizationV4: boolean;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/** ali-oss 6.23 methods and options that @types/ali-oss 6.23.3 does not declare. */
type AliOssClient = OSS & { getBucketEncryption(bucket: string): Promise<{ encryption: unknown }> };
type AliOssOptions = OSS.Options & { sldEnable: boolean };

/** The client set up as docs/wire/oss.md §4.1 recommends for a loopback server. */
function aliOssClient(endpoint: string, call: AliOssCall): AliOssClient {
  const options: AliOssOptions = {
    accessKeyId: call.accessKeyId,
    accessKeySecret: call.accessKeySecret,
    region: 'oss-cn-hangzhou',
    endpoint,
    sldEnable: true,
    authorizationV4: call.authorizationV4,
    // The interval only silences ali-oss's advice to configure STS refreshing.
    ...(call.securityToken === undefined
      ? {}
      : { stsToken: call.securityToken, refreshSTSTokenInterval: 3_600_000 }),
  };
  return new OSS(options) as AliOssClient;
}

async function run(endpoint: string, calls: readonly AliOssCall[]): Promise<void> {
  for (const call of calls) {
    const client = aliOssClient(endpoint, call);
    if (call.operation === 'GetBucketEncryption') await client.getBucketEncryption('examplebucket');
    else await client.listBuckets({ prefix: 'audit team/', marker: 'bucket-b', 'max-keys': '100' });
  }
}

const [endpoint, callsJson] = process.argv.slice(2);
if (endpoint !== undefined && callsJson !== undefined) {
  run(endpoint, JSON.parse(callsJson) as AliOssCall[]).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
