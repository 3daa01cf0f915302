// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The dependency graph, enforced: which of our libraries each project's production code may import.
 * Test files and test helpers (`testing/` folders, `libs/testing`) may also import the emulator and
 * `@app/testing`.
 * docs/architecture.md draws this graph; change both together.
 */
const ALLOWED_LIBRARIES = {
  'libs/audit': [],
  'libs/signing': [],
  'libs/compliance': ['audit'],
  'libs/entrypoint': [],
  'libs/config': ['audit'],
  'libs/cloud-client': ['signing'],
  // config and entrypoint: for the `migrate` command only (DATABASE_URL, --help).
  'libs/persistence': ['audit', 'compliance', 'config', 'entrypoint', 'migrations'],
  'libs/metrics': ['persistence'],
  'libs/alerting': ['audit', 'config', 'persistence'],
  // Exports and evidence packs: pure mapping over the read side, the pack's I/O at its edges.
  'libs/evidence': ['audit', 'compliance', 'config', 'persistence'],
  'libs/scanner': ['audit', 'cloud-client', 'compliance', 'config', 'persistence'],
  'libs/oss-emulator': ['signing'],
  'libs/testing': [
    'audit',
    'compliance',
    'config',
    'entrypoint',
    'oss-emulator',
    'persistence',
    'scanner',
    'signing',
  ],
  'apps/api': [
    'alerting',
    'audit',
    'compliance',
    'config',
    'entrypoint',
    'evidence',
    'metrics',
    'persistence',
    'scanner',
  ],
  'apps/worker': ['alerting', 'audit', 'config', 'entrypoint', 'metrics', 'persistence', 'scanner'],
  'apps/oss-emulator': ['entrypoint', 'oss-emulator'],
  // The demo and the benchmarks drive the whole product on laptops and in CI; they ship in no image.
  'apps/demo': ['*'],
  'apps/bench': ['*'],
  migrations: [],
};
const LIBRARIES = [
  'alerting',
  'audit',
  'cloud-client',
  'compliance',
  'config',
  'entrypoint',
  'evidence',
  'metrics',
  'migrations',
  'oss-emulator',
  'persistence',
  'scanner',
  'signing',
  'testing',
];
/** Libraries that stay pure: nothing but Node's own modules, their own files and their allowed libraries. */
const PURE = new Set(['libs/audit', 'libs/signing', 'libs/compliance']);
const TEST_FILES = [
  '**/*.spec.ts',
  '**/*.integration-spec.ts',
  '**/*.e2e-spec.ts',
  '**/testing/**/*.ts',
  'apps/api/test/**',
];

/** `no-restricted-imports` patterns of one project's production code (`tests`: of its test files). */
function importBoundaries(project, tests) {
  const allowed = ALLOWED_LIBRARIES[project];
  const patterns = [
    {
      // Going up out of a project and into another one: use the aliases (@app/..., @apps/...).
      regex: '^(\\.\\./)+((apps|libs|migrations)(/|$)|[^./][^/]*/src(/|$))',
      message:
        'Import another project through its alias (@app/<lib>, @apps/<app>), never by a relative path.',
    },
  ];
  if (PURE.has(project)) {
    const libraries = allowed.map((name) => `@app/${name}$`);
    const ownLibraries = allowed.map((name) => `@app/${name}`).join(', ');
    patterns.push({
      regex: tests
        ? `^@apps?/(?!(${['testing', ...allowed].join('|')})$)`
        : `^(?!${['node:', '\\.', ...libraries].join('|')})`,
      message: `${project} is pure: it imports only node: modules, its own files${ownLibraries === '' ? '' : ` and ${ownLibraries}`}.`,
    });
  } else if (!allowed.includes('*')) {
    // Tests also use the real parts: the emulator, and the shared test helpers.
    const reachable = tests ? [...allowed, 'oss-emulator', 'testing'] : allowed;
    const forbidden = LIBRARIES.filter((name) => !reachable.includes(name) && `libs/${name}` !== project);
    if (forbidden.length > 0) {
      patterns.push({
        group: forbidden.map((name) => `@app/${name}`),
        message: `${project} may import only ${allowed.map((name) => `@app/${name}`).join(', ') || 'no library of ours'} (eslint.config.mjs ALLOWED_LIBRARIES).`,
      });
    }
  }
  if (project.startsWith('libs/') || project === 'migrations') {
    patterns.push({ group: ['@apps/*'], message: 'Libraries never import apps.' });
  }
  if (!tests && !allowed.includes('*')) {
    patterns.push({
      regex: '(^|/)testing(/|$)',
      message: 'Production code never imports test helpers (testing/ folders, @app/testing).',
    });
  }
  return ['error', { patterns }];
}

const boundaries = Object.keys(ALLOWED_LIBRARIES).flatMap((project) => {
  const files = [`${project}/**/*.ts`];
  return [
    { files, ignores: TEST_FILES, rules: { 'no-restricted-imports': importBoundaries(project, false) } },
    {
      files: TEST_FILES.map((glob) => `${project}/${glob}`),
      rules: { 'no-restricted-imports': importBoundaries(project, true) },
    },
  ];
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'bench-results/**',
      'test-results/**',
      'coverage/**',
      '.tmp/**',
      '*.js',
      '*.mjs',
      // Build configuration in plain JavaScript, like the root's; and generated types.
      'apps/console/vite.config.mjs',
      'apps/console/src/api/schema.d.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      // Nest modules and DTOs are classes with only decorators by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
      // Nest declares its option bags as classes; passing object literals to them is the documented use.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      '**/*.browser-spec.ts',
      'libs/testing/**/*.ts',
      '**/testing/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...boundaries,
  {
    // Command-line entry points talk to a terminal on purpose.
    files: [
      'apps/**/cli/**/*.ts',
      'apps/**/*.cli.ts',
      'apps/bench/**/*.ts',
      'apps/demo/**/*.ts',
      'scripts/**/*.cli.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);
