import { bucketResourceKey } from '@app/audit';
import {
  DriftQueryRepository,
  FindingQueryRepository,
  ResourceQueryRepository,
  ResourceRepository,
  type ResourceRecord,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';

import { ApiError } from '../errors/api-error';
import { presentFinding } from '../findings/findings.schemas';
import {
  type HISTORY_PAGE,
  type HISTORY_QUERY,
  type LOOKUP_QUERY,
  type LOOKUP_RESULT,
  presentChange,
  presentResource,
  presentResourceDetail,
  presentStateAt,
  type RESOURCE_DETAIL,
  type RESOURCES_PAGE,
  type RESOURCES_QUERY,
  type STATE_AT,
} from './resources.schemas';

/** Most resources one lookup returns: a name repeats once per account or table bucket at most. */
const LOOKUP_LIMIT = 100;

/**
 * An OSS bucket's ARN (`acs:oss:{region}:{uid}:{bucket}`, region and uid possibly `*` or empty) as
 * the bucket's resource key; every other ARN (table bucket, table, KMS key) is its resource key.
 */
const BUCKET_ARN = /^acs:oss:[^:]*:[^:]*:([a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/;

function resourceKeyOfArn(arn: string): string {
  const bucket = BUCKET_ARN.exec(arn)?.[1];
  return bucket === undefined ? arn : bucketResourceKey(bucket);
}

/** A resource has at most one open finding per rule: one page holds them all. */
const OPEN_FINDINGS_PER_RESOURCE = 50;

/** Resources: the current state from the resources table, the past from the change log. */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly list: ResourceQueryRepository,
    private readonly resources: ResourceRepository,
    private readonly findings: FindingQueryRepository,
    private readonly drift: DriftQueryRepository,
  ) {}

  async page(query: z.output<typeof RESOURCES_QUERY>): Promise<z.input<typeof RESOURCES_PAGE>> {
    const page = await this.list.list(
      {
        state: query.state,
        kinds: query.kind,
        accounts: query.account,
        regions: query.region,
        encryptionClasses: query.class,
        namePrefix: query.namePrefix,
        parentKey: query.parent,
        stale: query.stale,
        at: query.at,
      },
      { limit: query.limit, cursor: query.cursor },
    );
    return { items: page.items.map(presentResource), nextCursor: page.nextCursor };
  }

  /** The resources an ARN or a name names; a 404 when none does. */
  async lookup(query: z.output<typeof LOOKUP_QUERY>): Promise<z.input<typeof LOOKUP_RESULT>> {
    const found =
      query.arn === undefined
        ? await this.list.lookup({ name: query.name ?? '', kind: query.kind }, LOOKUP_LIMIT)
        : await this.list.lookup({ resourceKey: resourceKeyOfArn(query.arn) }, LOOKUP_LIMIT);
    if (found.length === 0) {
      throw ApiError.notFound(
        query.arn === undefined
          ? `No resource is named ${query.name ?? ''}${query.kind === undefined ? '' : ` (${query.kind})`}`
          : `No resource has the ARN ${query.arn}`,
      );
    }
    return { items: found.map(presentResource) };
  }

  async detail(id: number): Promise<z.input<typeof RESOURCE_DETAIL>> {
    const resource = await this.require(id);
    const open = await this.findings.list(
      { status: 'open', resourceId: id },
      { limit: OPEN_FINDINGS_PER_RESOURCE },
    );
    return presentResourceDetail(resource, open.items.map(presentFinding));
  }

  /** What was true at `at` (exactly, from the change log), or without `at` the change log itself. */
  async history(
    id: number,
    query: z.output<typeof HISTORY_QUERY>,
  ): Promise<z.input<typeof STATE_AT> | z.input<typeof HISTORY_PAGE>> {
    await this.require(id);
    if (query.at !== undefined) {
      if (query.cursor !== undefined) {
        throw ApiError.invalidParameter(
          'cursor',
          'cursor cannot be combined with at: `at` answers one state',
        );
      }
      const [state, presence] = await Promise.all([
        this.resources.stateAt(id, query.at),
        this.drift.lastPresenceChange(id, query.at),
      ]);
      return presentStateAt(id, query.at, state, presence);
    }
    const page = await this.resources.history(id, { limit: query.limit, cursor: query.cursor });
    return { items: page.items.map(presentChange), nextCursor: page.nextCursor };
  }

  private async require(id: number): Promise<ResourceRecord> {
    const resource = await this.resources.findById(id);
    if (resource === null) {
      throw ApiError.notFound(`Resource ${id} does not exist`);
    }
    return resource;
  }
}
