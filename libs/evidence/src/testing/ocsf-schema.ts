import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A validator of events against the OCSF 1.8.0 schema files vendored in `libs/evidence/ocsf-1.8.0/`
 * (byte copies of the upstream release, Apache 2.0; `OCSF_SCHEMA_DIR` to point elsewhere): classes
 * and objects resolved through `extends` and `$include`, attribute types from `dictionary.json`,
 * enums merged dictionary-then-class. It reads the upstream files; nothing here restates the schema.
 */
export function ocsfSchemaDirectory(): string {
  const candidates = [process.env.OCSF_SCHEMA_DIR, resolve(__dirname, '../../ocsf-1.8.0')].filter(
    (path): path is string => path !== undefined,
  );
  const found = candidates.find((path) => existsSync(join(path, 'dictionary.json')));
  if (found === undefined) {
    throw new Error(`OCSF schema files not found (looked in ${candidates.join(', ')}); set OCSF_SCHEMA_DIR`);
  }
  return found;
}

interface AttributeSpec {
  requirement?: string;
  type?: string;
  is_array?: boolean;
  enum?: Record<string, unknown>;
  profile?: string | null;
}

interface Definition {
  extends?: string;
  name: string;
  attributes: Record<string, AttributeSpec | string[]>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}

interface ResolvedAttribute {
  readonly requirement: string;
  readonly type: string;
  readonly isArray: boolean;
  readonly enumValues: ReadonlySet<number> | null;
  /** The profile the attribute belongs to; null: always part of the class or object. */
  readonly profile: string | null;
}

interface Resolved {
  readonly attributes: ReadonlyMap<string, ResolvedAttribute>;
  readonly atLeastOne: readonly string[];
  readonly justOne: readonly string[];
}

export class OcsfSchema {
  private readonly dictionary: Record<string, AttributeSpec>;
  private readonly types: Record<string, { type?: string; regex?: string }>;
  private readonly cache = new Map<string, Resolved>();

  constructor(private readonly directory: string = ocsfSchemaDirectory()) {
    const dictionary = this.read('dictionary.json') as {
      attributes: Record<string, AttributeSpec>;
      types: { attributes: Record<string, { type?: string; regex?: string }> };
    };
    this.dictionary = dictionary.attributes;
    this.types = dictionary.types.attributes;
  }

  get version(): string {
    return (this.read('version.json') as { version: string }).version;
  }

  /** The uid a class's events carry: category uid * 1000 + class uid. */
  classUid(path: string): number {
    const definition = this.read(path) as { uid: number; category?: string; extends?: string };
    let category = definition.category;
    let parent = definition.extends;
    while (category === undefined && parent !== undefined) {
      const next = this.read(this.eventPath(parent)) as { category?: string; extends?: string };
      category = next.category;
      parent = next.extends;
    }
    const categories = (this.read('categories.json') as { attributes: Record<string, { uid: number }> })
      .attributes;
    const categoryUid = category === undefined ? undefined : categories[category]?.uid;
    if (categoryUid === undefined) throw new Error(`no category for ${path}`);
    return categoryUid * 1000 + definition.uid;
  }

  /** Every problem of `event` against the class in `classPath` (e.g. `events/findings/compliance_finding.json`). */
  validateEvent(event: Record<string, unknown>, classPath: string): string[] {
    const profiles = new Set(
      ((event.metadata as { profiles?: unknown } | undefined)?.profiles as string[] | undefined) ?? [],
    );
    const problems: string[] = [];
    // The source files leave these enums at 0; a compiled class fixes them to its own uids.
    const classUid = this.classUid(classPath);
    const { class_uid: eventClass, category_uid: eventCategory, ...rest } = event;
    if (eventClass !== classUid) problems.push(`class_uid: must be ${classUid}, got ${String(eventClass)}`);
    const categoryUid = Math.floor(classUid / 1000);
    if (eventCategory !== categoryUid) {
      problems.push(`category_uid: must be ${categoryUid}, got ${String(eventCategory)}`);
    }
    if (event.type_uid !== classUid * 100 + Number(event.activity_id)) {
      problems.push('type_uid: must be class_uid * 100 + activity_id');
    }
    const required = ['class_uid', 'category_uid'].filter((name) => !(name in event));
    problems.push(...required.map((name) => `${name}: required, missing`));
    this.validateAgainst(
      rest,
      this.resolve(classPath),
      profiles,
      '',
      problems,
      new Set(['class_uid', 'category_uid']),
    );
    return problems;
  }

  private validateAgainst(
    value: Record<string, unknown>,
    resolved: Resolved,
    profiles: ReadonlySet<string>,
    path: string,
    problems: string[],
    checkedApart: ReadonlySet<string> = new Set(),
  ): void {
    for (const [name, attribute] of resolved.attributes) {
      if (checkedApart.has(name)) continue;
      const applies = attribute.profile === null || profiles.has(attribute.profile);
      if (applies && attribute.requirement === 'required' && !(name in value)) {
        problems.push(`${path}${name}: required, missing`);
      }
    }
    for (const [name, item] of Object.entries(value)) {
      const attribute = resolved.attributes.get(name);
      if (attribute === undefined) {
        problems.push(`${path}${name}: not an attribute here`);
        continue;
      }
      if (attribute.profile !== null && !profiles.has(attribute.profile)) {
        problems.push(`${path}${name}: belongs to profile ${attribute.profile}, not in metadata.profiles`);
      }
      if (attribute.isArray) {
        if (!Array.isArray(item)) problems.push(`${path}${name}: must be an array`);
        else
          item.forEach((element, index) => {
            this.validateValue(element, attribute, profiles, `${path}${name}[${index}]`, problems);
          });
      } else {
        this.validateValue(item, attribute, profiles, `${path}${name}`, problems);
      }
    }
    const present = (names: readonly string[]) => names.filter((name) => name in value).length;
    if (resolved.atLeastOne.length > 0 && present(resolved.atLeastOne) === 0) {
      problems.push(`${path || 'event'}: needs at least one of ${resolved.atLeastOne.join(', ')}`);
    }
    if (resolved.justOne.length > 0 && present(resolved.justOne) !== 1) {
      problems.push(`${path || 'event'}: needs exactly one of ${resolved.justOne.join(', ')}`);
    }
  }

  private validateValue(
    value: unknown,
    attribute: ResolvedAttribute,
    profiles: ReadonlySet<string>,
    path: string,
    problems: string[],
  ): void {
    const baseType = this.baseType(attribute.type);
    if (baseType === null) {
      if (attribute.type === 'object') {
        // The generic `object` type: any JSON object (e.g. `unmapped`).
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          problems.push(`${path}: must be an object`);
        }
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${path}: must be a ${attribute.type} object`);
        return;
      }
      this.validateAgainst(
        value as Record<string, unknown>,
        this.resolve(`objects/${attribute.type}.json`),
        profiles,
        `${path}.`,
        problems,
      );
      return;
    }
    const ok =
      baseType === 'string_t'
        ? typeof value === 'string'
        : baseType === 'integer_t' || baseType === 'long_t'
          ? Number.isInteger(value)
          : baseType === 'float_t'
            ? typeof value === 'number'
            : baseType === 'boolean_t'
              ? typeof value === 'boolean'
              : baseType === 'json_t' || baseType === 'object_t'
                ? value !== undefined
                : false;
    if (!ok) problems.push(`${path}: must be ${attribute.type} (${baseType}), got ${JSON.stringify(value)}`);
    const regex = this.types[attribute.type]?.regex;
    if (ok && typeof value === 'string' && regex !== undefined && !new RegExp(regex).test(value)) {
      problems.push(`${path}: does not match the ${attribute.type} pattern`);
    }
    if (ok && attribute.enumValues !== null && !attribute.enumValues.has(value as number)) {
      problems.push(`${path}: ${String(value)} is not one of ${[...attribute.enumValues].join(', ')}`);
    }
  }

  /** The primitive a type reduces to (`timestamp_t` -> `long_t`), or null for an object name. */
  private baseType(type: string): string | null {
    if (type === 'object_t' || type === 'json_t') return type;
    const definition = this.types[type];
    if (definition === undefined) return null;
    return definition.type === undefined ? type : this.baseType(definition.type);
  }

  private resolve(path: string): Resolved {
    const cached = this.cache.get(path);
    if (cached !== undefined) return cached;
    const definition = this.read(path) as Definition;
    const parent =
      definition.extends === undefined
        ? null
        : this.resolve(
            path.startsWith('objects/')
              ? `objects/${definition.extends}.json`
              : this.eventPath(definition.extends),
          );
    const specs = new Map<string, AttributeSpec>();
    const profileOf = new Map<string, string | null>();
    for (const [name, spec] of Object.entries(definition.attributes)) {
      if (name === '$include') {
        for (const include of spec as string[]) {
          const profile = this.read(include) as { name: string; attributes: Record<string, AttributeSpec> };
          for (const [profiled, profiledSpec] of Object.entries(profile.attributes)) {
            specs.set(profiled, { ...specs.get(profiled), ...profiledSpec });
            profileOf.set(profiled, profile.name);
          }
        }
        continue;
      }
      const own = spec as AttributeSpec;
      specs.set(name, { ...specs.get(name), ...own });
      if ('profile' in own) profileOf.set(name, own.profile ?? null);
    }
    const attributes = new Map(parent?.attributes ?? []);
    for (const [name, spec] of specs) {
      const inherited = attributes.get(name);
      const dictionary = this.dictionary[name];
      if (dictionary === undefined) throw new Error(`${path}: ${name} is not in dictionary.json`);
      const enumKeys = {
        ...dictionary.enum,
        ...(inherited?.enumValues === null || inherited === undefined
          ? {}
          : Object.fromEntries([...inherited.enumValues].map((key) => [String(key), true]))),
        ...spec.enum,
      };
      attributes.set(name, {
        requirement: spec.requirement ?? inherited?.requirement ?? 'optional',
        type: spec.type ?? inherited?.type ?? dictionary.type ?? 'string_t',
        isArray: dictionary.is_array === true,
        enumValues:
          dictionary.enum === undefined && spec.enum === undefined && inherited?.enumValues == null
            ? null
            : new Set(Object.keys(enumKeys).map(Number)),
        profile: profileOf.has(name) ? (profileOf.get(name) ?? null) : (inherited?.profile ?? null),
      });
    }
    const resolved: Resolved = {
      attributes,
      atLeastOne: definition.constraints?.at_least_one ?? parent?.atLeastOne ?? [],
      justOne: definition.constraints?.just_one ?? parent?.justOne ?? [],
    };
    this.cache.set(path, resolved);
    return resolved;
  }

  private eventPath(name: string): string {
    return name === 'base_event' ? 'events/base_event.json' : `events/findings/${name}.json`;
  }

  private read(path: string): unknown {
    return JSON.parse(readFileSync(join(this.directory, path), 'utf8'));
  }
}
