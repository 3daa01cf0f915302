import { Controller, Get, Req } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '../errors/api-error';
import { ApiEndpoint } from '../http/openapi';
import type { AuthenticatedRequest } from './api-key.guard';

const API_KEY_IDENTITY = z
  .object({
    id: z.number().int().meta({ description: 'The key’s id (`npm run api-key -- list`)' }),
    name: z.string(),
    role: z
      .enum(['reader', 'admin'])
      .meta({ description: 'reader: read everything; admin: also start scans' }),
  })
  .meta({ id: 'ApiKeyIdentity' });

/**
 * `GET /v1/me`: which key the request was made with (never its token), so a client such as the
 * console can offer only what the key's role allows. The server enforces roles either way.
 */
@Controller('v1/me')
export class MeController {
  @Get()
  @ApiEndpoint({
    summary: 'The API key making the request: its id, name and role',
    access: 'reader',
    responses: { 200: { description: 'The key', schema: API_KEY_IDENTITY } },
  })
  me(@Req() request: AuthenticatedRequest): z.input<typeof API_KEY_IDENTITY> {
    const key = request.apiKey;
    if (key === undefined) {
      // The guard sets the key on every request it lets through to a reader route.
      throw new ApiError('unauthenticated', 'A valid API key is required: Authorization: Bearer <key>');
    }
    return { id: key.id, name: key.name, role: key.role };
  }
}
