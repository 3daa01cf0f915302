import { InitialSchema1795296451186 } from './1795296451186-initial-schema';
import { ApiKeys1795300000000 } from './1795300000000-api-keys';
import { AlertDeliveries1795300001000 } from './1795300001000-alert-deliveries';
import { TablesKeysAndScope1795400000000 } from './1795400000000-tables-keys-and-scope';
import { ControlsAndExceptions1795500000000 } from './1795500000000-controls-and-exceptions';
import { Accounts1795700000000 } from './1795700000000-accounts';
import { FindingSorts1795800000000 } from './1795800000000-finding-sorts';
import { ExceptionAlerts1795900000000 } from './1795900000000-exception-alerts';
import { ApiKeyNotifications1796000000000 } from './1796000000000-api-key-notifications';

/**
 * Every migration, oldest first. Listed rather than globbed because tests (@swc/jest) and the CLI
 * (@swc-node/register) load TypeScript sources, where a `*.js` glob finds nothing.
 */
export const MIGRATIONS = [
  InitialSchema1795296451186,
  ApiKeys1795300000000,
  AlertDeliveries1795300001000,
  TablesKeysAndScope1795400000000,
  ControlsAndExceptions1795500000000,
  Accounts1795700000000,
  FindingSorts1795800000000,
  ExceptionAlerts1795900000000,
  ApiKeyNotifications1796000000000,
] as const;
