import { z } from 'zod';

import type { KmsKeySpec } from './fleet.types';

/** Runtime shapes of KMS keys in the fleet file and of the admin API's key bodies. */

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date-time');
const keyState = z.enum(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']);
const rotation = z.enum(['Enabled', 'Disabled', 'Suspended']);
const onOff = z.enum(['Enabled', 'Disabled']);
const rotationInterval = z.string().regex(/^\d+s$/, 'must be seconds, e.g. 31536000s');
const kmsDeny = z.union([z.literal('all'), z.array(z.literal('DescribeKey'))]);

export const kmsKeySpecSchema = z.strictObject({
  keyId: z.string().min(1),
  region: z.string().min(1),
  keyState: keyState.optional(),
  creator: z.string().min(1).optional(),
  origin: z.enum(['Aliyun_KMS', 'EXTERNAL']).optional(),
  protectionLevel: z.enum(['SOFTWARE', 'HSM']).optional(),
  keySpec: z.string().min(1).optional(),
  keyUsage: z.string().min(1).optional(),
  description: z.string().optional(),
  creationDate: isoDate.optional(),
  automaticRotation: rotation.optional(),
  rotationInterval: rotationInterval.optional(),
  lastRotationDate: isoDate.optional(),
  nextRotationDate: isoDate.optional(),
  deletionProtection: onOff.optional(),
  deletionProtectionDescription: z.string().optional(),
  deleteDate: isoDate.optional(),
  materialExpireTime: isoDate.optional(),
  primaryKeyVersion: z.string().min(1).optional(),
  aliases: z.array(z.string()).optional(),
  deny: kmsDeny.optional(),
}) satisfies z.ZodType<KmsKeySpec>;

/**
 * What the admin API may change on a live key (drift tests): state, rotation, deletion protection,
 * schedules and the deny. `null` clears an optional date.
 */
export const kmsKeyPatchSchema = z.strictObject({
  keyState: keyState.optional(),
  deleteDate: isoDate.nullable().optional(),
  automaticRotation: rotation.optional(),
  rotationInterval: rotationInterval.optional(),
  lastRotationDate: isoDate.optional(),
  nextRotationDate: isoDate.nullable().optional(),
  deletionProtection: onOff.optional(),
  deletionProtectionDescription: z.string().optional(),
  materialExpireTime: isoDate.nullable().optional(),
  deny: kmsDeny.nullable().optional(),
});

export type KmsKeyPatch = z.infer<typeof kmsKeyPatchSchema>;
