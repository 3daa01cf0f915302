import { SetMetadata } from '@nestjs/common';

/** Who may call a route: anyone, or API keys of at least this role. */
export type RouteAccess = 'public' | 'reader' | 'admin';

export const ROUTE_ACCESS = Symbol('ROUTE_ACCESS');

/** Declares a route's access; `ApiEndpoint` applies it, so the document and the guard agree. */
export const Access = (access: RouteAccess): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, access);
