import { channelUrlProblem, redactChannelSecrets } from './channel-message';
import { dingTalkChannel, slackChannel, webhookChannel } from './testing/alert-fixtures';

describe('channelUrlProblem', () => {
  it('accepts https', () => {
    expect(channelUrlProblem(slackChannel('https://hooks.slack.com/services/T/B/X'))).toBeNull();
  });

  it('refuses http unless the channel allows it, without quoting the URL', () => {
    const url = 'http://127.0.0.1:9/services/T/B/secret-token';
    const problem = channelUrlProblem(slackChannel(url));
    expect(problem).toBe('the channel URL must be https (http only with allowInsecureHttp)');
    expect(channelUrlProblem(slackChannel(url, { allowInsecureHttp: true }))).toBeNull();
  });
});

describe('redactChannelSecrets', () => {
  it('removes the URL, its token and the signing secret from a text', () => {
    const channel = dingTalkChannel(
      'https://oapi.dingtalk.com/robot/send?access_token=tok-123456',
      'SECsecret',
    );
    const text = 'failed https://oapi.dingtalk.com/robot/send?access_token=tok-123456 tok-123456 SECsecret';
    expect(redactChannelSecrets(text, channel)).toBe('failed [redacted] [redacted] [redacted]');
  });

  it('removes a webhook URL path, which carries the token', () => {
    const channel = webhookChannel('https://hooks.example.com/in/abcdef123', 'whsec');
    expect(redactChannelSecrets('POST /in/abcdef123 refused', channel)).toBe('POST [redacted] refused');
  });
});
