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
  presentChange,
  presentResource,
  presentResourceDetail,
  presentStateAt,
  type RESOURCE_DETAIL,
  type RESOURCES_PAGE,
  type RESOURCES_QUERY,
  type STATE_AT,
} from './resources.schemas';

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
        kind: query.kind,
        accountAlias: query.account,
        region: query.region,
        encryptionClass: query.class,
        namePrefix: query.namePrefix,
        parentKey: query.parent,
        stale: query.stale,
        at: query.at,
      },
      { limit: query.limit, cursor: query.cursor },
    );
    return { items: page.items.map(presentResource), nextCursor: page.nextCursor };
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
