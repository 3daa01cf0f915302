import type { ResourceIdentity } from '@app/persistence';
import { z } from 'zod';

import { ENCRYPTION_CLASS_VALUES, RESOURCE_KIND_VALUES } from './parameters';

/** An instant as the API writes it: ISO 8601 in UTC with milliseconds. */
export const TIMESTAMP = z.string().meta({ type: 'string', format: 'date-time' });

/** Which resource an item is about. */
export const RESOURCE_REF = z
  .object({
    id: z.number().int().meta({ description: 'Resource id (`/v1/resources/{id}`)' }),
    kind: z.enum(RESOURCE_KIND_VALUES),
    resourceKey: z.string().meta({ description: '`oss:{bucket}` or the table bucket ARN' }),
    accountAlias: z.string(),
    region: z.string(),
    name: z.string(),
  })
  .meta({ id: 'ResourceRef' });

/** Encryption as one observation saw it, with the change-log row that records it. */
export const ENCRYPTION_SNAPSHOT = z
  .object({
    class: z.enum(ENCRYPTION_CLASS_VALUES),
    algorithm: z.string().nullable(),
    kmsKeyId: z.string().nullable(),
    kmsDataEncryption: z.string().nullable(),
    changeId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The observation (change-log row) that proves it' }),
  })
  .meta({ id: 'EncryptionSnapshot' });

/** A keyset page of `item`. */
export function pageOf<Item extends z.ZodType>(item: Item, description: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
    })
    .meta({ description });
}

type ResourceRefBody = z.input<typeof RESOURCE_REF>;

export function presentResourceRef(resource: ResourceIdentity): ResourceRefBody {
  return {
    id: resource.id,
    kind: resource.kind,
    resourceKey: resource.resourceKey,
    accountAlias: resource.accountAlias,
    region: resource.region,
    name: resource.name,
  };
}

export function iso(date: Date): string {
  return date.toISOString();
}

export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
