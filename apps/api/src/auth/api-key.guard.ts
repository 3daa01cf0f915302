import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { ApiError } from '../errors/api-error';
import type { HttpRequest } from '../http/http-types';
import { ROUTE_ACCESS, type RouteAccess } from './access';
import { ApiKeyService, type AuthenticatedKey } from './api-key.service';

/** A request that passed the guard carries the key it was made with. */
export interface AuthenticatedRequest extends HttpRequest {
  apiKey?: AuthenticatedKey;
}

/**
 * Every route needs an API key unless declared `public`; `admin` routes need an admin key. No key
 * or an invalid, unknown or revoked one: 401. A valid key of too small a role: 403.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'reader';
    if (access === 'public') {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = await this.keys.authenticate(request.headers.authorization);
    if (key === null) {
      throw new ApiError('unauthenticated', 'A valid API key is required: Authorization: Bearer <key>');
    }
    if (access === 'admin' && key.role !== 'admin') {
      throw new ApiError('forbidden', 'This route needs an admin key');
    }
    request.apiKey = key;
    return true;
  }
}
