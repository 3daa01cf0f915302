import { formatPath } from './config-issues';

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], '(root)'],
    [['accounts'], 'accounts'],
    [['accounts', 1, 'credentials', 'type'], 'accounts[1].credentials.type'],
    [['alerts', 'channels', 0, 'accounts', 2], 'alerts.channels[0].accounts[2]'],
    [['policy', 'severities', 'bucket', 'oss_aes256'], 'policy.severities.bucket.oss_aes256'],
    [['accounts', 0, 'odd key'], 'accounts[0]["odd key"]'],
  ])('formats %j as %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});
