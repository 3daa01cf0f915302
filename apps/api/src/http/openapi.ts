import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

import { Access } from '../auth/access';
import { API_ERROR_STATUS, type ApiErrorCode } from '../errors/api-error';

/**
 * OpenAPI from the zod schemas that validate the requests and type the responses, so the document
 * cannot drift from the code. Schemas named with `.meta({ id })` become `components.schemas`
 * entries, collected here as routes are declared and added to the document by `withComponents`.
 */
const components = new Map<string, SchemaObject>();

type JsonSchema = Record<string, unknown>;

/** The OpenAPI 3.0 form of a zod schema; named sub-schemas become `$ref`s to components. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const { definitions, ...root } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as JsonSchema & { definitions?: Record<string, JsonSchema> };
  for (const [name, definition] of Object.entries(definitions ?? {})) {
    components.set(name, toComponentRefs(definition) as SchemaObject);
  }
  return toComponentRefs(root) as SchemaObject;
}

function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string'
        ? child.replace('#/definitions/', '#/components/schemas/')
        : toComponentRefs(child),
    ]),
  );
}

/** The document with every named schema the routes referenced. */
export function withComponents(document: OpenAPIObject): OpenAPIObject {
  return {
    ...document,
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, ...Object.fromEntries(components) },
    },
  };
}

/** The body of every error response. */
const ERROR_BODY = z
  .object({
    error: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    parameter: z.string().optional().meta({ description: 'The parameter at fault (invalid_parameter only)' }),
  })
  .meta({ id: 'Error', description: 'Why a request failed' });

export interface EndpointSpec {
  readonly summary: string;
  readonly description?: string;
  /** `public`: no API key; otherwise the least role the route needs. */
  readonly access: 'public' | 'reader' | 'admin';
  readonly query?: z.ZodObject;
  readonly params?: z.ZodObject;
  /** The JSON request body, documented (the route validates it). */
  readonly body?: { readonly description: string; readonly schema: z.ZodType };
  /** Success responses by status. */
  readonly responses: Readonly<
    Record<
      number,
      { readonly description: string; readonly schema: z.ZodType; readonly contentType?: string }
    >
  >;
  /** Error statuses the route can answer besides the ones every protected route has. */
  readonly errors?: readonly (400 | 403 | 404 | 409 | 503)[];
}

/**
 * Declares one route's access (enforced by `ApiKeyGuard`) and documents it: operation, parameters
 * with their schemas, success and error responses.
 */
export function ApiEndpoint(spec: EndpointSpec): MethodDecorator {
  const decorators: MethodDecorator[] = [
    Access(spec.access),
    ApiOperation({
      summary: spec.summary,
      ...(spec.description === undefined ? {} : { description: spec.description }),
    }),
  ];
  for (const parameter of parametersOf(spec.query)) decorators.push(ApiQuery(parameter));
  for (const parameter of parametersOf(spec.params))
    decorators.push(ApiParam({ ...parameter, required: true }));
  if (spec.body !== undefined) {
    decorators.push(
      ApiBody({ description: spec.body.description, schema: openApiSchema(spec.body.schema, 'input') }),
    );
  }
  for (const [status, response] of Object.entries(spec.responses)) {
    const schema = openApiSchema(response.schema);
    decorators.push(
      response.contentType === undefined
        ? ApiResponse({ status: Number(status), description: response.description, schema })
        : ApiResponse({
            status: Number(status),
            description: response.description,
            content: { [response.contentType]: { schema } },
          }),
    );
  }
  const errorStatuses = new Set<number>(spec.errors ?? []);
  if (spec.access !== 'public') {
    decorators.push(ApiBearerAuth());
    errorStatuses.add(401).add(429);
    if (spec.access === 'admin') errorStatuses.add(403);
  }
  if (spec.query !== undefined || spec.params !== undefined || spec.body !== undefined)
    errorStatuses.add(400);
  const errorSchema = openApiSchema(ERROR_BODY);
  for (const status of [...errorStatuses].sort()) {
    decorators.push(
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'Error', schema: errorSchema }),
    );
  }
  return applyDecorators(...decorators);
}

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'A parameter is invalid: `parameter` names it',
  401: 'No API key, or not a valid one',
  403: 'The API key’s role may not do this',
  404: 'No such id',
  409: 'The state of the resource does not allow this',
  429: 'Rate limit reached; see Retry-After',
  503: 'Not ready',
};

interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  readonly schema: SchemaObject;
}

/** One OpenAPI parameter per property: the parsed (output) type, required when the input requires it. */
function parametersOf(schema: z.ZodObject | undefined): Parameter[] {
  if (schema === undefined) return [];
  const output = openApiSchema(schema, 'output');
  const input = openApiSchema(schema, 'input');
  const required = new Set(input.required ?? []);
  return Object.entries(output.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property as SchemaObject;
    return {
      name,
      required: required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: propertySchema,
    };
  });
}
