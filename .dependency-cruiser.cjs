/**
 * Layer rules, checked in CI (`npm run lint:boundaries`). Pure packages hold the election's rules
 * and data; they may not reach a framework, a database, the network or the file system.
 * The set of pure packages is exported so the test that proves this check fires uses the same list.
 */
const purePackages = ['packages/domain', 'packages/reference-data'];
const pureSources = `^(${purePackages.join('|')})/src/`;

const forbiddenInPure = [
  '^@nestjs/',
  '^@prisma/',
  '^prisma$',
  '^@nats-io/',
  '^nats$',
  '^pg$',
  '^pg-',
  '^react',
  '^fastify',
  '^@fastify/',
  '^@opentelemetry/',
  '^pino',
  '^@kurrent/',
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads)$',
  '^@hpe/(?!domain$|reference-data$)',
];

module.exports = {
  purePackages,
  forbidden: [
    {
      name: 'pure-package-imports-io-or-framework',
      comment:
        'packages/domain and packages/reference-data are pure: no framework, storage, network or file-system imports (conventions, practice 1).',
      severity: 'error',
      from: { path: pureSources, pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'core', 'local', 'aliased-workspace', 'aliased'], path: forbiddenInPure },
    },
    {
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', 'dist'] },
    exclude: { path: ['node_modules', '/dist/', '\\.d\\.ts$', 'src/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default', 'types'],
    },
  },
};
