import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { ApiError } from '../errors/api-error';
import type { HttpRequest } from '../http/http-types';
import { RateLimiter, type RateLimitVerdict } from '../rate-limit/rate-limiter';
import { ROUTE_ACCESS, type RouteAccess } from './access';
import { ApiKeyService, type AuthenticatedKey } from './api-key.service';
import { misplacedApiKey } from './misplaced-api-keys';

/** A request that passed the guard carries the key it was made with. */
export interface AuthenticatedRequest extends HttpRequest {
  apiKey?: AuthenticatedKey;
}

/**
 * Who may call what, and how often. In order:
 * 1. A key anywhere but `Authorization` (URL, `X-Api-Key`...): 400, on every route.
 * 2. `public` routes (the probes, metrics) pass: neither a key nor the rate limit applies to them.
 * 3. A client address that has used up its budget with requests without a valid key: 429 before any
 *    key is looked up, so guessing keys stays throttled even when a guess would be right.
 * 4. No key, or an invalid, unknown or revoked one: counted against the address, then 401.
 * 5. A valid key: counted against the key (one budget per key across every route), 429 past it;
 *    an admin route with a reader key: 403.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const misplaced = misplacedApiKey(request.url ?? '', request.headers);
    if (misplaced !== null) {
      throw new ApiError(
        'invalid_request',
        `API keys go in the Authorization header only (Authorization: Bearer <key>), not in the ${misplaced}`,
      );
    }
    const access =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'reader';
    if (access === 'public') {
      return true;
    }
    const address = `address:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
    allowedOrThrow(this.limiter.peek(address));
    const key = await this.keys.authenticate(request.headers.authorization);
    if (key === null) {
      allowedOrThrow(this.limiter.consume(address));
      throw new ApiError('unauthenticated', 'A valid API key is required: Authorization: Bearer <key>');
    }
    allowedOrThrow(this.limiter.consume(`key:${key.id.toString()}`));
    request.apiKey = key;
    if (access === 'admin' && key.role !== 'admin') {
      throw new ApiError('forbidden', 'This route needs an admin key');
    }
    return true;
  }
}

function allowedOrThrow(verdict: RateLimitVerdict): void {
  if (!verdict.allowed) throw ApiError.rateLimited(verdict.retryAfterSeconds);
}
