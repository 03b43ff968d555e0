/**
 * Import zones (STYLE.md "Dependency direction") and the cycle check.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Import cycles hide the architecture.', from: {}, to: { circular: true } },
    {
      name: 'diagnosis-is-pure',
      severity: 'error',
      comment: 'src/diagnosis imports nothing of Slack, BullMQ, Redis, the AWS SDK or other layers.',
      from: { path: '^src/diagnosis/' },
      to: { path: ['^src/(?!diagnosis/)', '^handlers/', '@slack/', 'bullmq', 'ioredis', '@aws-sdk/'], pathNot: '^src/errors\\.ts$' },
    },
    {
      name: 'nothing-imports-bin',
      severity: 'error',
      comment: 'src/bin holds composition roots; nothing imports them.',
      from: { pathNot: '^src/bin/' },
      to: { path: '^src/bin/' },
    },
    {
      name: 'only-bin-imports-handlers',
      severity: 'error',
      comment: 'Handlers are wired up by the composition roots in src/bin only.',
      from: { path: '^src/', pathNot: '^src/bin/' },
      to: { path: '^handlers/' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      comment: 'Each adapter under src/collect/ depends on the core types, never on another adapter.',
      from: { path: '^src/collect/adapters/([^/]+)/' },
      to: { path: '^src/collect/adapters/', pathNot: '^src/collect/adapters/$1/' },
    },
    {
      name: 'core-ignores-config',
      severity: 'error',
      comment: 'Configuration is read by src/config.ts and passed in by the composition roots.',
      from: { path: '^src/(diagnosis|collect|slack|queue)/' },
      to: { path: '^src/config\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
