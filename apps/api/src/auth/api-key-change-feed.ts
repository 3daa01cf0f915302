import { type AuditConfig, AUDIT_CONFIG } from '@app/config';
import {
  API_KEY_CHANGES_CHANNEL,
  listenForNotifications,
  type NotificationSubscription,
} from '@app/persistence';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { ApiKeyService } from './api-key.service';

/**
 * Tells ApiKeyService what the database announces about API keys: while this process listens
 * (`api_keys_changed`, a trigger on every revocation, whoever commits it) the service may keep the
 * active keys' rows and skip a database round trip per request; each announcement drops them; while
 * the connection is down the service reads every request's row again, as it does before the first
 * connection. The start does not wait for it: a database that cannot be reached fails the start
 * through the pool already.
 */
@Injectable()
export class ApiKeyChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ApiKeyChangeFeed');
  private subscription: NotificationSubscription | null = null;
  private lost = false;

  constructor(
    private readonly keys: ApiKeyService,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = listenForNotifications(this.config.database.url.reveal(), API_KEY_CHANGES_CHANNEL, {
      onListening: () => {
        this.keys.keyChangesAnnounced(true);
        if (this.lost) this.logger.log('Key changes are announced to this process again');
        this.lost = false;
      },
      onNotification: () => {
        this.keys.keysChanged();
      },
      onLost: (error) => {
        this.keys.keyChangesAnnounced(false);
        if (!this.lost) {
          this.logger.warn(
            `Key changes are not announced to this process (${error.message}): every request reads its key's row until they are`,
          );
        }
        this.lost = true;
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
