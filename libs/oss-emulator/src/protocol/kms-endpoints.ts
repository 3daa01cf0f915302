/** A KMS host name: `kms.{region}.aliyuncs.com`, or `kms-vpc.{region}.aliyuncs.com` from a VPC. */
export interface KmsHost {
  readonly region: string;
  readonly vpc: boolean;
}

const KMS_HOST = /^kms(-vpc)?\.([a-z0-9]+(?:-[a-z0-9]+)*)\.aliyuncs\.com$/;

/** The KMS region a host name addresses; undefined for any other host. */
export function parseKmsHost(hostname: string): KmsHost | undefined {
  const match = KMS_HOST.exec(hostname);
  return match?.[2] === undefined ? undefined : { region: match[2], vpc: match[1] !== undefined };
}

/** `kms.{region}.aliyuncs.com`. */
export function kmsEndpoint(region: string): string {
  return `kms.${region}.aliyuncs.com`;
}
