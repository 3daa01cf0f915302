import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SEED_PRODUCT } from './period-evidence-pack';

describe('Seed as producer', () => {
  it('names the version package.json has', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(SEED_PRODUCT.version).toBe(manifest.version);
  });
});
