/**
 * One HTTP POST to a channel. `url` is a secret (it carries the channel's token): it is used to
 * send and never logged, stored or put in an error.
 */
export interface ChannelRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sent with every message: lets receivers tell our requests apart in their logs. */
export const USER_AGENT = 'seed-alerting/1';
