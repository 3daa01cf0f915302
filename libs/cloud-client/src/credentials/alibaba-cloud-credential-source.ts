import { inspect } from 'node:util';

import type { CredentialsProvider } from '@alicloud/credentials';
import {
  CLIProfileCredentialsProvider,
  DefaultCredentialsProvider,
  ECSRAMRoleCredentialsProvider,
  OIDCRoleArnCredentialsProvider,
  ProfileCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  StaticAKCredentialsProvider,
  StaticSTSCredentialsProvider,
} from '@alicloud/credentials';
import type { SigningCredentials } from '@app/signing';

import type { CredentialSource } from './credential-source';

/** A long-lived AccessKey pair. */
export interface AccessKeyCredentialSpec {
  readonly type: 'access_key';
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** A fixed STS token (it is not renewed; use `ram_role_arn` for a renewing one). */
export interface StsCredentialSpec {
  readonly type: 'sts';
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
}

/** STS AssumeRole with an AccessKey (or STS) identity: the usual cross-account setup. */
export interface RamRoleArnCredentialSpec {
  readonly type: 'ram_role_arn';
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  /** `acs:ram::{account}:role/{name}`. */
  readonly roleArn: string;
  readonly roleSessionName?: string;
  /** Session length; at least 900 s, default 3600 s. */
  readonly durationSeconds?: number;
  readonly policy?: string;
  readonly externalId?: string;
  /** e.g. `sts.cn-hangzhou.aliyuncs.com`; default `sts.aliyuncs.com`. */
  readonly stsEndpoint?: string;
  readonly stsRegionId?: string;
}

/** The RAM role attached to the ECS instance, from the metadata service. */
export interface EcsRamRoleCredentialSpec {
  readonly type: 'ecs_ram_role';
  /** Discovered from the metadata service when absent. */
  readonly roleName?: string;
  /** Refuse the token-less IMDSv1 fallback; default true. */
  readonly disableImdsV1?: boolean;
}

/** OIDC (RRSA on ACK): AssumeRoleWithOIDC with the projected service-account token. */
export interface OidcRoleArnCredentialSpec {
  readonly type: 'oidc_role_arn';
  readonly roleArn: string;
  readonly oidcProviderArn: string;
  readonly oidcTokenFilePath: string;
  readonly roleSessionName?: string;
  readonly durationSeconds?: number;
  readonly policy?: string;
  readonly stsEndpoint?: string;
  readonly stsRegionId?: string;
}

/** A named profile of `~/.alibabacloud/credentials` (`profile`) or `~/.aliyun/config.json` (`cli_profile`). */
export interface ProfileCredentialSpec {
  readonly type: 'profile' | 'cli_profile';
  readonly profileName?: string;
}

/** The library's default chain: environment, OIDC, CLI profile, profile file, ECS role, credentials URI. */
export interface DefaultChainCredentialSpec {
  readonly type: 'default';
}

/** How one account gets its credentials through `@alicloud/credentials`. */
export type AlibabaCloudCredentialSpec =
  | AccessKeyCredentialSpec
  | StsCredentialSpec
  | RamRoleArnCredentialSpec
  | EcsRamRoleCredentialSpec
  | OidcRoleArnCredentialSpec
  | ProfileCredentialSpec
  | DefaultChainCredentialSpec;

function staticProvider(
  accessKeyId: string,
  accessKeySecret: string,
  securityToken?: string,
): CredentialsProvider {
  return securityToken === undefined
    ? StaticAKCredentialsProvider.builder()
        .withAccessKeyId(accessKeyId)
        .withAccessKeySecret(accessKeySecret)
        .build()
    : StaticSTSCredentialsProvider.builder()
        .withAccessKeyId(accessKeyId)
        .withAccessKeySecret(accessKeySecret)
        .withSecurityToken(securityToken)
        .build();
}

function buildProvider(spec: AlibabaCloudCredentialSpec): CredentialsProvider {
  switch (spec.type) {
    case 'access_key':
      return staticProvider(spec.accessKeyId, spec.accessKeySecret);
    case 'sts':
      return staticProvider(spec.accessKeyId, spec.accessKeySecret, spec.securityToken);
    case 'ram_role_arn': {
      const builder = RAMRoleARNCredentialsProvider.builder()
        .withCredentialsProvider(staticProvider(spec.accessKeyId, spec.accessKeySecret, spec.securityToken))
        .withRoleArn(spec.roleArn);
      if (spec.roleSessionName !== undefined) builder.withRoleSessionName(spec.roleSessionName);
      if (spec.durationSeconds !== undefined) builder.withDurationSeconds(spec.durationSeconds);
      if (spec.policy !== undefined) builder.withPolicy(spec.policy);
      if (spec.externalId !== undefined) builder.withExternalId(spec.externalId);
      if (spec.stsEndpoint !== undefined) builder.withStsEndpoint(spec.stsEndpoint);
      if (spec.stsRegionId !== undefined) builder.withStsRegionId(spec.stsRegionId);
      return builder.build();
    }
    case 'ecs_ram_role': {
      const builder = ECSRAMRoleCredentialsProvider.builder().withDisableIMDSv1(spec.disableImdsV1 ?? true);
      if (spec.roleName !== undefined) builder.withRoleName(spec.roleName);
      return builder.build();
    }
    case 'oidc_role_arn': {
      const builder = OIDCRoleArnCredentialsProvider.builder()
        .withRoleArn(spec.roleArn)
        .withOIDCProviderArn(spec.oidcProviderArn)
        .withOIDCTokenFilePath(spec.oidcTokenFilePath);
      if (spec.roleSessionName !== undefined) builder.withRoleSessionName(spec.roleSessionName);
      if (spec.durationSeconds !== undefined) builder.withDurationSeconds(spec.durationSeconds);
      if (spec.policy !== undefined) builder.withPolicy(spec.policy);
      if (spec.stsEndpoint !== undefined) builder.withStsEndpoint(spec.stsEndpoint);
      if (spec.stsRegionId !== undefined) builder.withStsRegionId(spec.stsRegionId);
      return builder.build();
    }
    case 'profile': {
      const builder = ProfileCredentialsProvider.builder();
      if (spec.profileName !== undefined) builder.withProfileName(spec.profileName);
      return builder.build();
    }
    case 'cli_profile': {
      const builder = CLIProfileCredentialsProvider.builder();
      if (spec.profileName !== undefined) builder.withProfileName(spec.profileName);
      return builder.build();
    }
    case 'default':
      return DefaultCredentialsProvider.builder().build();
  }
}

/**
 * Credentials of one account through `@alicloud/credentials`. Caching and renewal are the
 * library's: its session providers (AssumeRole, OIDC, ECS role) keep the token and fetch a new
 * one once it is within 15 minutes of expiry (`SessionCredentialProvider`, STALE_TIME = 15 min),
 * so this class adds no cache of its own. It only makes concurrent callers share one in-flight
 * fetch: the library has no such guard, and a scan starting 64 requests at once would otherwise
 * send 64 AssumeRole calls.
 *
 * Nothing secret is kept where `inspect`, `toString` or JSON could reach it.
 */
export class AlibabaCloudCredentialSource implements CredentialSource {
  readonly #provider: CredentialsProvider;
  readonly #label: string;
  #inFlight: Promise<SigningCredentials> | null = null;

  /** From a spec, or from a ready provider of the library (a custom chain). */
  constructor(specOrProvider: AlibabaCloudCredentialSpec | CredentialsProvider) {
    if ('getCredentials' in specOrProvider) {
      this.#provider = specOrProvider;
      this.#label = specOrProvider.getProviderName();
    } else {
      this.#provider = buildProvider(specOrProvider);
      this.#label = specOrProvider.type;
    }
  }

  getCredentials(): Promise<SigningCredentials> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<SigningCredentials> {
    const credentials = await this.#provider.getCredentials();
    return {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
    };
  }

  toString(): string {
    return `AlibabaCloudCredentialSource(${this.#label})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
