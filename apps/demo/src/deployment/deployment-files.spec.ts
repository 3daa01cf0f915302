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

  it('starts entry points that exist in the repository', () => {
    for (const [name, s] of Object.entries(services)) {
      const entry = s.command?.find((part) => part.endsWith('.ts'));
      if (name === 'postgres') continue;
      expect(entry !== undefined && existsSync(join(ROOT, entry))).toBe(true);
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

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .map((line) => line.trim());
  const finalStage = lines.slice(lines.map((line) => line.startsWith('FROM ')).lastIndexOf(true));

  it('is multi-stage and ships production dependencies only', () => {
    expect(lines.filter((line) => line.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
    expect(lines).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
  });

  it('builds the web console and ships only its build to the runtime image', () => {
    expect(lines).toContain('RUN npm run console:build');
    expect(finalStage).toContain('COPY --from=build /app/dist/console ./dist/console');
  });

  it('runs as the non-root node user with a healthcheck', () => {
    expect(finalStage.filter((line) => line.startsWith('USER '))).toEqual(['USER node']);
    expect(finalStage.some((line) => line.startsWith('HEALTHCHECK '))).toBe(true);
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

  it('grants the four read calls the auditor makes, and nothing else', () => {
    const policy = JSON.parse(read('deploy/ram-policy.json')) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    expect(policy.Statement.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(policy.Statement.flatMap((statement) => statement.Action).sort()).toEqual([
      'oss:GetBucketEncryption',
      'oss:GetTableBucketEncryption',
      'oss:ListBuckets',
      'oss:ListTableBuckets',
    ]);
  });
});
