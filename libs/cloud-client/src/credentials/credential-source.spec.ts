import { inspect } from 'node:util';

import { StaticCredentialSource } from './credential-source';

const SECRET = 'sk-very-secret-value-0001';
const TOKEN = 'sts-token-very-secret-0001';

describe('StaticCredentialSource', () => {
  const source = new StaticCredentialSource({
    accessKeyId: 'LTAI5tExampleKey',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
  });

  it('returns the credentials it was given', async () => {
    await expect(source.getCredentials()).resolves.toEqual({
      accessKeyId: 'LTAI5tExampleKey',
      accessKeySecret: SECRET,
      securityToken: TOKEN,
    });
  });

  it('shows only a masked key id through toString, inspect and JSON', () => {
    const renderings = [
      String(source),
      inspect(source, { depth: 10, showHidden: true }),
      JSON.stringify({ source }),
    ];
    for (const rendering of renderings) {
      expect(rendering).toContain('LTAI***');
      expect(rendering).not.toContain(SECRET);
      expect(rendering).not.toContain(TOKEN);
      expect(rendering).not.toContain('LTAI5tExampleKey');
    }
  });
});
