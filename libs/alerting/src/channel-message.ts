import type { AlertChannelConfig } from '@app/config';

import type { AlertDigest } from './alert-digest';
import type { ChannelRequest } from './channel-request';
import { dingTalkRequest } from './dingtalk-message';
import { slackRequest } from './slack-message';
import { webhookRequest } from './webhook-message';

/** The request that sends a digest to a channel, in that channel's format, signed at `signedAt`. */
export function channelRequest(
  channel: AlertChannelConfig,
  digest: AlertDigest,
  signedAt: Date,
): ChannelRequest {
  switch (channel.type) {
    case 'webhook':
      return webhookRequest(channel.url.reveal(), channel.secret.reveal(), digest, signedAt);
    case 'dingtalk':
      return dingTalkRequest(channel.url.reveal(), channel.secret?.reveal() ?? null, digest, signedAt);
    case 'slack':
      return slackRequest(channel.url.reveal(), digest);
  }
}

/**
 * Why a channel's URL may not be used, or null: it must be https, or http on a channel that sets
 * `allowInsecureHttp` (a local receiver in tests). The configuration already refuses others; this
 * holds for channels built in code too. Never quotes the URL.
 */
export function channelUrlProblem(channel: AlertChannelConfig): string | null {
  const url = URL.canParse(channel.url.reveal()) ? new URL(channel.url.reveal()) : null;
  if (url === null) {
    return 'the channel URL is not a URL';
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && channel.allowInsecureHttp)) {
    return null;
  }
  return 'the channel URL must be https (http only with allowInsecureHttp)';
}

/** `text` with the channel's URL, its path and query, and its signing secret replaced by `[redacted]`. */
export function redactChannelSecrets(text: string, channel: AlertChannelConfig): string {
  const url = channel.url.reveal();
  const secrets = [url];
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    secrets.push(parsed.pathname, parsed.search.slice(1), ...parsed.searchParams.values());
  }
  const secret = channel.type === 'slack' ? null : channel.secret;
  if (secret !== null) {
    secrets.push(secret.reveal());
  }
  return secrets
    .filter((value) => value.length >= 4)
    .sort((a, b) => b.length - a.length)
    .reduce((redacted, value) => redacted.split(value).join('[redacted]'), text);
}
