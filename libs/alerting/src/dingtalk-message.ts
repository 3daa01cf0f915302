import { type AlertDigest, describeAlert, describeSeverityCounts } from './alert-digest';
import { type ChannelRequest, USER_AGENT } from './channel-request';
import { dingTalkSignedUrl } from './message-signing';

/** A DingTalk custom-robot markdown message. */
export interface DingTalkMarkdownMessage {
  readonly msgtype: 'markdown';
  readonly markdown: { readonly title: string; readonly text: string };
}

/**
 * The DingTalk custom-robot request: a markdown message, to the robot URL signed with
 * `timestamp` (ms of `signedAt`) and `sign` when the robot has a secret. The title starts with
 * "Seed", which robots protected by a keyword can use as theirs.
 */
export function dingTalkRequest(
  url: string,
  secret: string | null,
  digest: AlertDigest,
  signedAt: Date,
): ChannelRequest {
  const message = dingTalkMessage(digest);
  return {
    url: secret === null ? url : dingTalkSignedUrl(url, secret, signedAt.getTime()),
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT },
    body: JSON.stringify(message),
  };
}

/** The markdown message of a digest: heading, counts, one list item per alert, link, delivery key. */
export function dingTalkMessage(digest: AlertDigest): DingTalkMarkdownMessage {
  const lines = digest.alerts.map((event) => {
    const line = describeAlert(event);
    const where = line.where === null ? '' : ` (${line.where})`;
    return `- **${line.severity.toUpperCase()}** ${line.subject}${where}: ${line.what}`;
  });
  if (digest.omitted > 0) {
    lines.push(`- and ${digest.omitted.toString()} more`);
  }
  const paragraphs = [
    `### ${digest.title}`,
    `Scan #${digest.scanId.toString()}: ${describeSeverityCounts(digest.severityCounts)}`,
    lines.join('\n'),
  ];
  if (digest.link !== null) {
    paragraphs.push(`[All ${digest.total.toString()} alerts of this message](${digest.link})`);
  }
  paragraphs.push(`Delivery ${digest.dedupeKey}`);
  return { msgtype: 'markdown', markdown: { title: digest.title, text: paragraphs.join('\n\n') } };
}
