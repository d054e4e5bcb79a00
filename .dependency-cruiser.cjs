/**
 * Layer rules, checked in CI (`npm run lint:boundaries`). Pure packages hold the election's rules
 * and data; they may not reach a framework, a database, the network or the file system.
 * tools/boundaries proves the check fires, on fixture trees that cross these lines.
 */
const purePackages = ['packages/domain', 'packages/reference-data'];
const pureSources = `^(${purePackages.join('|')})/src/`;

// Matched against the resolved path: an npm package resolves into node_modules, a Node core
// module to its bare name, a workspace package to its folder.
const forbiddenInPure = [
  '(^|/)node_modules/(@nestjs|@prisma|prisma|@nats-io|nats|pg|pg-[^/]+|pg-pool|postgres|react|react-dom|fastify|@fastify|@opentelemetry|pino|pino-[^/]+|@kurrent|kurrentdb|ioredis|axios|undici|express)/',
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads|readline|process)$',
  '^(packages/(?!domain/|reference-data/)|apps/|tools/)',
];

module.exports = {
  forbidden: [
    {
      name: 'pure-package-imports-io-or-framework',
      comment:
        'packages/domain and packages/reference-data are pure: no framework, storage, network or file-system imports (conventions, practice 1).',
      severity: 'error',
      from: { path: pureSources, pathNot: '\\.test\\.tsx?$' },
      to: { path: forbiddenInPure },
    },
    {
      name: 'pure-package-unresolvable-import',
      comment:
        'An import in a pure package that cannot be resolved cannot be checked: fail rather than pass it.',
      severity: 'error',
      from: { path: pureSources, pathNot: '\\.test\\.tsx?$' },
      to: { couldNotResolve: true },
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
    preserveSymlinks: false,
    exclude: { path: ['^tools/boundaries/fixtures/', '/dist/', '\\.d\\.ts$', 'src/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default', 'types'],
    },
  },
};
