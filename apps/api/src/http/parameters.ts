import {
  ENCRYPTION_CLASSES,
  type EncryptionClass,
  FINDING_RULES,
  type FindingRule,
  RESOURCE_KINDS,
  type ResourceKind,
  SEVERITIES,
  type Severity,
} from '@app/audit';
import { MAX_CURSOR_LENGTH, PAGE_SIZE } from '@app/persistence';
import { z } from 'zod';

export const RESOURCE_KIND_VALUES = RESOURCE_KINDS as readonly [ResourceKind, ...ResourceKind[]];
export const ENCRYPTION_CLASS_VALUES = ENCRYPTION_CLASSES as readonly [EncryptionClass, ...EncryptionClass[]];
export const SEVERITY_VALUES = SEVERITIES as readonly [Severity, ...Severity[]];
export const FINDING_RULE_VALUES = FINDING_RULES as readonly [FindingRule, ...FindingRule[]];

/** A positive integer within `max`, written in decimal digits. */
export function integerParameter(options: { min: number; max: number; description: string }) {
  const message = `must be an integer from ${options.min} to ${options.max}`;
  return z
    .string({ error: message })
    .regex(/^\d{1,16}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(options.min, { error: message }).max(options.max, { error: message }))
    .meta({ description: options.description });
}

/** One value of a closed list. */
export function enumParameter<const Values extends readonly [string, ...string[]]>(
  values: Values,
  description: string,
) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).meta({ description });
}

/** Most values one list parameter takes: more than any closed list has, few enough to stay cheap. */
const MAX_LIST_VALUES = 50;
/** Longest value repeated in a refusal: a client may send kilobytes of one. */
const MAX_ECHOED_VALUE = 64;

/**
 * A comma-separated list (`rule=unencrypted,non_kms`), each value checked by `item`; a value it
 * refuses is named in the 400. Duplicates are dropped. Documented as a string: that is what travels.
 */
export function listParameter<Item>(item: z.ZodType<Item, string>, description: string) {
  return z
    .string({ error: 'must be a single comma-separated list' })
    .transform((text, context) => {
      const values = text.split(',');
      if (values.length > MAX_LIST_VALUES) {
        context.issues.push({
          code: 'custom',
          input: text,
          message: `must list at most ${MAX_LIST_VALUES} values`,
        });
        return z.NEVER;
      }
      const parsed: Item[] = [];
      for (const value of values) {
        const result = item.safeParse(value);
        if (!result.success) {
          const reason = result.error.issues[0]?.message ?? 'is not valid';
          // A value with control characters is not repeated: they would land in logs and terminals.
          const named = CONTROL_CHARACTER.test(value)
            ? ''
            : `value "${value.length > MAX_ECHOED_VALUE ? `${value.slice(0, MAX_ECHOED_VALUE)}…` : value}" `;
          context.issues.push({ code: 'custom', input: text, message: `${named}${reason}` });
          return z.NEVER;
        }
        if (!parsed.includes(result.data)) parsed.push(result.data);
      }
      return parsed;
    })
    .meta({ type: 'string', description: `${description}; several as a comma-separated list` });
}

/** A comma-separated list of values of a closed list. */
export function enumListParameter<const Values extends readonly [string, ...string[]]>(
  values: Values,
  description: string,
) {
  return listParameter(
    z.enum(values, { error: `is not one of ${values.join(', ')}` }),
    `${description}: ${values.join(', ')}`,
  );
}

/** A comma-separated list of free-text values, each bounded and without control characters. */
export function textListParameter(description: string) {
  return listParameter(textParameter(description), description);
}

/** `true` or `false`. */
export function booleanParameter(description: string) {
  return z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((text) => text === 'true')
    .meta({ type: 'string', enum: ['true', 'false'], description });
}

/**
 * Control characters (Unicode category Cc: C0, DEL, C1). Postgres refuses NUL in text outright (a
 * server error if it got that far), and none of them is in an account alias, region or name.
 */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A free-text filter of bounded length, without control characters. */
export function textParameter(description: string) {
  return z
    .string({ error: 'must be a single text value' })
    .min(1, { error: 'must not be empty' })
    .max(255, { error: 'must be at most 255 characters' })
    .refine((text) => !CONTROL_CHARACTER.test(text), { error: 'must not contain control characters' })
    .meta({ description });
}

/** An instant: ISO 8601 date-time with offset, or a date (midnight UTC). */
export function instantParameter(description: string) {
  return z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'must be an ISO 8601 date-time with offset (2026-03-05T02:00:00Z) or a date (2026-03-05)',
    })
    .transform((text) => new Date(text))
    .meta({ type: 'string', format: 'date-time', description });
}

/** `limit` and `cursor` of a keyset-paginated list. */
export const PAGE_PARAMETERS = {
  limit: integerParameter({
    min: 1,
    max: PAGE_SIZE.max,
    description: `Page size, 1 to ${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`,
  })
    .optional()
    .default(PAGE_SIZE.default),
  cursor: z
    .string({ error: 'must be a single cursor value' })
    .min(1, { error: 'must not be empty' })
    .max(MAX_CURSOR_LENGTH, { error: 'is not a cursor this service issued' })
    .optional()
    .meta({ description: 'Opaque cursor from the previous page’s `nextCursor`' }),
};

/** The `{id}` of a resource (a bigint row id). */
export const RESOURCE_ID_PARAMETERS = z.strictObject({
  id: integerParameter({ min: 1, max: Number.MAX_SAFE_INTEGER, description: 'Resource id' }),
});

/** The `{id}` of a scan (an integer row id). */
export const SCAN_ID_PARAMETERS = z.strictObject({
  id: integerParameter({ min: 1, max: 2_147_483_647, description: 'Scan id' }),
});
