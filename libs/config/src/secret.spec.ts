import { format, inspect } from 'node:util';

import { Secret } from './secret';

const VALUE = 'LTAI-super-secret-value';

describe('Secret', () => {
  const secret = new Secret(VALUE);

  it('reveals its value on request', () => {
    expect(secret.reveal()).toBe(VALUE);
  });

  it.each<[string, () => string]>([
    ['a template string', () => `secret: ${secret as unknown as string}`],
    ['String()', () => String(secret)],
    ['concatenation', () => 'value: ' + (secret as unknown as string)],
    ['JSON.stringify', () => JSON.stringify({ secret })],
    ['util.inspect', () => inspect({ nested: { secret } }, { depth: 10, showHidden: true })],
    ['util.format %s / %o / %j', () => format('%s %o %j', secret, secret, secret)],
  ])('is [redacted] through %s', (_way, render) => {
    const text = render();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(VALUE);
  });

  it('has no own property that would copy the value', () => {
    expect([Object.getOwnPropertyNames(secret), Object.assign({}, secret)]).toEqual([[], {}]);
  });
});
