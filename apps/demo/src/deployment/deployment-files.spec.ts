import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseAuditConfigText } from '@app/config';
import { parse } from 'yaml';

/**
 * No Docker engine runs in CI, so docker-compose.yml, the Dockerfile and deploy/ are checked here
 * as data: the services and their wiring, healthchecks, replicas, profiles, that no secret is
 * written in them, and that the configurations they mount are valid. They are the repository's
 * own files, read as they are committed.
 */

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  read_only?: boolean;
  tmpfs?: string[];
  command?: string[];
  environment?: Record<string, string>;
  env_file?: unknown;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  profiles?: string[];
  restart?: string;
  stop_grace_period?: string;
  init?: boolean;
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

function service(name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The services that run the auditor's own image. */
const SEED_SERVICES = ['migrate', 'worker', 'api'] as const;

/**
 * The TypeScript source `npm run build` compiles to `dist/<path>.js`, when it exists and is no test
 * or test helper; undefined otherwise.
 */
function compiledSource(command: string | undefined): string | undefined {
  const source = /^dist\/(.+)\.js$/.exec(command ?? '')?.[1];
  if (source === undefined || /(^|\/)(testing|test)\/|spec$/.test(source)) return undefined;
  return existsSync(join(ROOT, `${source}.ts`)) ? `${source}.ts` : undefined;
}

/** `45s`, `1m30s` -> seconds. */
function seconds(duration: string | undefined): number {
  let total = 0;
  for (const [, amount, unit] of (duration ?? '').matchAll(/(\d+)(h|m|s)/g)) {
    total += Number(amount) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  }
  return total;
}

/** Every string in a parsed document (compose interpolates values, not comments). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** A dotenv file's assignments (no quoting or expansion: the example uses none). */
function dotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) env[match[1]] = match[2] ?? '';
  }
  return env;
}

describe('docker-compose.yml', () => {
  it('runs postgres, a one-shot migrate, the worker, the API, and the emulator only with the local profile', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'emulator', 'migrate', 'postgres', 'worker']);
    const profiled = Object.entries(services).filter(([, s]) => s.profiles !== undefined);
    expect(profiled.map(([name, s]) => [name, s.profiles])).toEqual([['emulator', ['local']]]);
  });

  it('uses PostgreSQL 16 or newer with a readiness healthcheck', () => {
    const postgres = service('postgres');
    expect(Number(/^postgres:(\d+)/.exec(postgres.image ?? '')?.[1])).toBeGreaterThanOrEqual(16);
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it('migrates once the database is healthy, and starts the worker and the API once that succeeded', () => {
    expect(service('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service('migrate').restart).toBe('no');
    for (const name of ['worker', 'api']) {
      expect(service(name).depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('runs two worker replicas that get longer than their 30 s drain to stop', () => {
    expect(service('worker').deploy?.replicas).toBe(2);
    expect(seconds(service('worker').stop_grace_period)).toBeGreaterThan(30);
  });

  it('publishes the API on 3000 and probes its /healthz', () => {
    expect(service('api').ports).toEqual(['${SEED_API_PORT:-3000}:3000']);
    expect(service('api').healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/healthz');
    // The worker answers on its metrics port only while its event loop runs.
    expect(service('worker').healthcheck?.test.join(' ')).toContain('http://127.0.0.1:9464/metrics');
  });

  it('gives every long-running service a healthcheck and an init process', () => {
    for (const name of ['postgres', 'worker', 'api', 'emulator']) {
      expect(service(name).healthcheck?.test.length).toBeGreaterThan(1);
    }
    for (const name of ['migrate', 'worker', 'api', 'emulator']) expect(service(name).init).toBe(true);
  });

  it('runs the compiled build with node for migrate, the worker and the API, from the runtime target', () => {
    for (const name of SEED_SERVICES) {
      const s = service(name);
      expect([name, s.build]).toEqual([name, { context: '.', target: 'runtime' }]);
      expect([name, s.command?.[0], compiledSource(s.command?.[1])]).toEqual([
        name,
        'node',
        expect.any(String),
      ]);
      expect(s.command).toHaveLength(2);
    }
    expect(service('migrate').command?.[1]).toBe('dist/libs/persistence/src/migrate.cli.js');
    expect(service('worker').command?.[1]).toBe('dist/apps/worker/src/main.js');
    expect(service('api').command?.[1]).toBe('dist/apps/api/src/main.js');
  });

  it('runs the emulator from its own dev target and image, never from the runtime image', () => {
    const emulator = service('emulator');
    expect(emulator.build).toEqual({ context: '.', target: 'emulator' });
    expect(emulator.image).not.toBe(service('api').image);
    const entry = emulator.command?.find((part) => part.endsWith('.ts'));
    expect(entry !== undefined && existsSync(join(ROOT, entry))).toBe(true);
  });

  it('keeps the root filesystem of migrate, the worker and the API read-only, with a tmpfs /tmp', () => {
    for (const name of SEED_SERVICES) {
      expect([name, service(name).read_only, service(name).tmpfs]).toEqual([name, true, ['/tmp']]);
    }
  });

  it('mounts a configuration from deploy/ that exists by default', () => {
    const mount = service('worker').volumes?.[0] ?? '';
    expect(mount).toBe('./deploy/${SEED_CONFIG_FILE:-audit.config.yaml}:/etc/seed/audit.config.yaml:ro');
    expect(existsSync(join(ROOT, 'deploy', 'audit.config.yaml'))).toBe(true);
  });

  it('writes no secret: passwords, keys and tokens are ${...} from the environment', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN|KEY/.test(key))
          expect([name, key, value]).toEqual([
            name,
            key,
            expect.stringMatching(/^\$\{[A-Z_]+(:[-?][^}]*)?\}$/),
          ]);
        if (key === 'DATABASE_URL') {
          const password = /^postgres:\/\/[^:]+:(.+)@/.exec(value)?.[1];
          expect(password).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]*\}$/);
        }
      }
    }
    expect(composeText).not.toMatch(/LTAI[0-9A-Za-z]{6,}|seed_[A-Za-z0-9_-]{20,}|BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it('uses only valid ${NAME}, ${NAME:-default} and ${NAME:?message} interpolations', () => {
    const values = strings(compose);
    expect(values.filter((value) => /\$(?!\{)/.test(value))).toEqual([]);
    for (const value of values) {
      for (const [, inner] of value.matchAll(/\$\{([^}]*)\}/g)) {
        expect(inner).toMatch(/^[A-Z_][A-Z0-9_]*(:[-?].*)?$/);
      }
    }
  });
});

/** One instruction of a Dockerfile: its keyword and arguments, continuation lines joined. */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** A build stage: its name, its base (global ARGs substituted) and its instructions. */
interface Stage {
  readonly name: string;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

function dockerfileStages(text: string): Stage[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line): Instruction => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const globals = new Map<string, string>();
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    const current = stages.at(-1);
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      const base = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => globals.get(arg) ?? '');
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? '') : '', base, instructions: [] });
    } else if (current === undefined && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=');
      globals.set(name, value);
    } else {
      current?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON (exec) form of CMD/HEALTHCHECK CMD arguments. */
function execForm(args: string): string[] {
  return JSON.parse(args.replace(/^(--\S+\s+)*CMD\s+/, '')) as string[];
}

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const stage = (name: string): Stage => {
    const found = stages.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`The Dockerfile has no stage ${name}`);
    return found;
  };
  const runs = (name: string): string[] =>
    stage(name)
      .instructions.filter((instruction) => instruction.keyword === 'RUN')
      .map((instruction) => instruction.args);
  const copies = (name: string): string[] =>
    stage(name)
      .instructions.filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => instruction.args);
  const last = (name: string, keyword: string): string | undefined =>
    stage(name)
      .instructions.filter((instruction) => instruction.keyword === keyword)
      .at(-1)?.args;
  const runtime = stages.at(-1);

  it('builds in stages: build, production dependencies, the emulator (dev), and the runtime last, the default target', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'emulator', 'runtime']);
    expect(runtime?.name).toBe('runtime');
  });

  it('bases every stage on a Node.js LTS (even major) slim image pinned by digest', () => {
    for (const { name, base } of stages.filter((s) => !stages.some((other) => other.name === s.base))) {
      const match = /^node:(\d+)\.\d+\.\d+-[a-z]+-slim@sha256:[0-9a-f]{64}$/.exec(base);
      expect([name, base, match !== null]).toEqual([name, base, true]);
      expect(Number(match?.[1]) % 2).toBe(0);
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(22);
    }
    expect(stage('emulator').base).toBe('build');
  });

  it('typechecks and compiles in the build stage (the web console too), and installs production dependencies alone in another', () => {
    expect(runs('build')).toContain('npm run typecheck && npm run build && npm run console:build');
    expect(runs('prod-deps')).toEqual(['npm ci --omit=dev --no-audit --no-fund && npm cache clean --force']);
  });

  it('ships only the production dependencies and the compiled dist/ in the runtime stage', () => {
    expect(copies('runtime')).toEqual([
      '--from=prod-deps /app/node_modules ./node_modules',
      '--from=build /app/package.json ./',
      '--from=build /app/dist ./dist',
    ]);
    expect(runs('runtime')).toEqual([]);
  });

  it('starts the compiled worker with node by default, as the non-root node user, with a healthcheck', () => {
    const command = execForm(last('runtime', 'CMD') ?? 'null');
    expect([command[0], compiledSource(command[1]), command.length]).toEqual([
      'node',
      'apps/worker/src/main.ts',
      2,
    ]);
    expect(last('runtime', 'USER')).toBe('node');
    expect(execForm(last('runtime', 'HEALTHCHECK') ?? 'null').join(' ')).toContain(
      'http://127.0.0.1:9464/metrics',
    );
    expect(last('runtime', 'ENV')).toContain('NODE_ENV=production');
  });

  it('runs the emulator target as the node user too', () => {
    expect(last('emulator', 'USER')).toBe('node');
    expect(execForm(last('emulator', 'CMD') ?? 'null')).toContain('apps/oss-emulator/src/main.ts');
  });
});

describe('package.json', () => {
  const manifest = JSON.parse(read('package.json')) as {
    dependencies: Record<string, string>;
    scripts: Record<string, string>;
  };

  it('lists no compiler, test or lint tool among the production dependencies', () => {
    const tools = Object.keys(manifest.dependencies).filter((name) =>
      /^(typescript|@swc\/|@swc-node\/|tsconfig-paths|ts-node|jest|@jest\/|@types\/|eslint|prettier|@nestjs\/(cli|testing|schematics)$|supertest)/.test(
        name,
      ),
    );
    expect(tools).toEqual([]);
  });

  it('starts every role from dist/ with node', () => {
    for (const script of ['start:migrate', 'start:worker', 'start:api', 'start:scan', 'start:api-key']) {
      const [node, entry, ...rest] = (manifest.scripts[script] ?? '').split(' ');
      expect([script, node, compiledSource(entry), rest]).toEqual([script, 'node', expect.any(String), []]);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local state and dependencies out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', '.git', 'node_modules', 'audit.config.yaml', 'deploy']) {
      expect(ignored).toContain(entry);
    }
  });
});

describe('deploy/', () => {
  const env = { ...dotenv(read('deploy/env.example')), DATABASE_URL: 'postgres://seed:x@postgres:5432/seed' };

  it.each(['audit.config.yaml', 'audit.config.emulator.yaml', 'audit.config.dev.yaml'])(
    '%s is a valid configuration with the variables deploy/env.example names',
    (file) => {
      const config = parseAuditConfigText(read(`deploy/${file}`), { env, source: file });
      expect(config.api.port).toBe(3000);
    },
  );

  it.each([
    ['audit.config.emulator.yaml', 'http://emulator:9000'],
    ['audit.config.dev.yaml', 'http://127.0.0.1:9000'],
  ])('%s points every account at the emulator (%s)', (file, url) => {
    const config = parseAuditConfigText(read(`deploy/${file}`), { env });
    for (const account of config.accounts) {
      expect([account.endpoints.oss, account.endpoints.tables]).toEqual([url, url]);
    }
  });

  it('grants the read calls the auditor makes, and nothing else', () => {
    const policy = JSON.parse(read('deploy/ram-policy.json')) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    expect(policy.Statement.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(policy.Statement.flatMap((statement) => statement.Action).sort()).toEqual([
      'kms:DescribeKey',
      'oss:GetBucketEncryption',
      'oss:GetTableBucketEncryption',
      'oss:GetTableEncryption',
      'oss:ListBuckets',
      'oss:ListNamespaces',
      'oss:ListTableBuckets',
      'oss:ListTables',
    ]);
  });

  describe('the organisation policies (deploy/organization)', () => {
    type Policy = { Statement: { Effect: string; Action: string[] | string; Resource?: string[] }[] };
    const policy = (file: string) => JSON.parse(read(`deploy/organization/${file}`)) as Policy;
    const actions = (document: Policy) =>
      document.Statement.flatMap((statement) =>
        Array.isArray(statement.Action) ? statement.Action : [statement.Action],
      ).sort();

    it('let the management account list members and assume the audit role, and nothing else', () => {
      const management = policy('management-policy.json');
      expect(management.Statement.every((statement) => statement.Effect === 'Allow')).toBe(true);
      expect(actions(management)).toEqual(['resourcemanager:ListAccounts', 'sts:AssumeRole']);
      const assume = management.Statement.find((statement) => statement.Action.includes('sts:AssumeRole'));
      expect(assume?.Resource).toEqual(['acs:ram::*:role/seedauditrole']);
    });

    it("grant the member role exactly the auditor's read calls", () => {
      expect(actions(policy('member-role-policy.json'))).toEqual(
        actions(JSON.parse(read('deploy/ram-policy.json')) as Policy),
      );
    });

    it('trust only the management account to assume the member role', () => {
      const trust = JSON.parse(read('deploy/organization/member-role-trust-policy.json')) as {
        Statement: { Action: string; Principal: { RAM: string[] } }[];
      };
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRole',
          Principal: { RAM: ['acs:ram::MANAGEMENT_ACCOUNT_UID:root'] },
        }),
      ]);
    });
  });
});
