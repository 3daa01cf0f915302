import { dingTalkSignature, dingTalkSignedUrl, webhookSignature } from './message-signing';

// Vectors computed outside Node, with OpenSSL:
//   printf '1700000000.{"hello":"world"}' | openssl dgst -sha256 -hmac 'whsec-test'
//   printf '1700000000000\nSEC0123456789abcdef' | openssl dgst -sha256 -hmac 'SEC0123456789abcdef' -binary | base64
describe('webhookSignature', () => {
  it('is sha256= and the hex HMAC-SHA256 of "{timestamp}.{body}"', () => {
    expect(webhookSignature('whsec-test', '1700000000', '{"hello":"world"}')).toBe(
      'sha256=d2f87610c84b65860686f28ca20a297cdbae7281e8a598d8e50924282655c6c4',
    );
  });
});

describe('dingTalkSignature', () => {
  it('is the base64 HMAC-SHA256 of "{timestamp}\\n{secret}" keyed with the secret', () => {
    expect(dingTalkSignature('SEC0123456789abcdef', 1_700_000_000_000)).toBe(
      'TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=',
    );
  });

  it('goes into the robot URL URL-encoded, after the access token', () => {
    expect(
      dingTalkSignedUrl(
        'https://oapi.dingtalk.com/robot/send?access_token=abc',
        'SEC0123456789abcdef',
        1_700_000_000_000,
      ),
    ).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D',
    );
  });
});
