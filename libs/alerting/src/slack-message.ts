import { type AlertDigest, describeAlert, describeSeverityCounts } from './alert-digest';
import { type ChannelRequest, USER_AGENT } from './channel-request';

/** The Block Kit blocks this library sends. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText<'plain_text'> }
  | { readonly type: 'section'; readonly text: SlackText<'mrkdwn'> }
  | { readonly type: 'divider' }
  | { readonly type: 'context'; readonly elements: readonly SlackText<'mrkdwn'>[] };

interface SlackText<T extends 'plain_text' | 'mrkdwn'> {
  readonly type: T;
  readonly text: string;
}

/** A Slack incoming-webhook message: Block Kit blocks, with `text` for notifications and old clients. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Block Kit limits: a header's text is at most 150 characters, a section's 3000. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

/** The Slack incoming-webhook request. The URL is the credential; Slack signs nothing on this path. */
export function slackRequest(url: string, digest: AlertDigest): ChannelRequest {
  return {
    url,
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT },
    body: JSON.stringify(slackMessage(digest)),
  };
}

/** The Block Kit message of a digest. */
export function slackMessage(digest: AlertDigest): SlackMessage {
  const counts = describeSeverityCounts(digest.severityCounts);
  const lines = digest.alerts.map((event) => {
    const line = describeAlert(event);
    const where = line.where === null ? '' : ` (${escapeMrkdwn(line.where)})`;
    return `• *${line.severity.toUpperCase()}* ${escapeMrkdwn(line.subject)}${where}: ${escapeMrkdwn(line.what)}`;
  });
  const more: string[] = [];
  if (digest.omitted > 0) {
    more.push(`…and ${digest.omitted.toString()} more.`);
  }
  if (digest.link !== null) {
    more.push(`<${digest.link}|All ${digest.total.toString()} alerts of this message>`);
  }
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(digest.title, HEADER_MAX) } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Scan #${digest.scanId.toString()}*: ${counts}` } },
    { type: 'divider' },
    ...sections(lines).map((text): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  if (more.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: more.join(' ') } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Delivery ${digest.dedupeKey}` }] });
  return { text: `${digest.title} (scan #${digest.scanId.toString()}: ${counts})`, blocks };
}

/** Slack's three control characters in mrkdwn text. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Lines packed into as few sections as their 3000-character limit allows. */
function sections(lines: readonly string[]): string[] {
  const packed: string[] = [];
  let current = '';
  for (const line of lines.map((item) => truncate(item, SECTION_MAX))) {
    if (current !== '' && current.length + 1 + line.length > SECTION_MAX) {
      packed.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
  }
  if (current !== '') {
    packed.push(current);
  }
  return packed;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
