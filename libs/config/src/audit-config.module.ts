import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';

import type { AuditConfig } from './audit-config.types';
import { loadAuditConfig, type LoadAuditConfigOptions } from './load-audit-config';

/** Injection token of the `AuditConfig`. */
export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

/** Injects the `AuditConfig`: `constructor(@InjectAuditConfig() private readonly config: AuditConfig)`. */
export const InjectAuditConfig = (): ParameterDecorator => Inject(AUDIT_CONFIG);

/** Load from a file and environment (the default), or hand over a configuration already built (tests). */
export type AuditConfigModuleOptions = LoadAuditConfigOptions | { readonly config: AuditConfig };

/**
 * Provides the validated configuration everywhere (global) under `AUDIT_CONFIG`. It is loaded once,
 * when the application starts; an invalid configuration fails startup with its `ConfigError`.
 * `@nestjs/config` is not used: its string-keyed `ConfigService` would add nothing to a typed,
 * frozen object and would read `.env` files beside it.
 */
@Global()
@Module({})
export class AuditConfigModule {
  static forRoot(options: AuditConfigModuleOptions = {}): DynamicModule {
    return {
      module: AuditConfigModule,
      global: true,
      providers: [
        {
          provide: AUDIT_CONFIG,
          useFactory: (): AuditConfig => ('config' in options ? options.config : loadAuditConfig(options)),
        },
      ],
      exports: [AUDIT_CONFIG],
    };
  }
}
