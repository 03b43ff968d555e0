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
    {
      name: 'render-and-slack-are-pure',
      severity: 'error',
      comment:
        'src/render and src/slack turn findings into text and Block Kit: pure data in, data out, so they are unit-tested ' +
        'in memory. No BullMQ, Redis, AWS SDK, node network/file/process I/O, adapters, handlers or queue machinery. ' +
        'Exception: src/queue/contracts.ts is the plain-JSON job contract (Question, Asker) and imports nothing ' +
        '(rule queue-contracts-are-plain-data keeps it so); importing it pulls no queue code.',
      from: { path: '^src/(render|slack)/' },
      to: {
        path: [
          '(^|/)node_modules/(bullmq|ioredis)/',
          '(^|/)node_modules/@(aws-sdk|smithy)/',
          '^(node:)?(http|https|http2|net|tls|dgram|dns|fs|child_process|cluster|worker_threads)(/|$)',
          '^src/queue/',
          '^src/collect/adapters/',
          '^handlers/',
        ],
        pathNot: '^src/queue/contracts\\.ts$',
      },
    },
    {
      name: 'only-poster-talks-to-slack',
      severity: 'error',
      comment:
        'src/slack/poster.ts is the one module that calls Slack (@slack/web-api); the rest of src/render and src/slack ' +
        'only build data, so they import no Slack package but @slack/types: the Block Kit shapes, data and no I/O ' +
        '(blocks.ts and limits.ts type their blocks with it; it is a devDependency, so rule ' +
        'no-dev-dependencies-at-runtime keeps those imports type-only, erased at compile time). Even a type from ' +
        '@slack/bolt or @slack/web-api (a client, a listener, respond arguments) means Slack calls creeping in: that ' +
        'code belongs in handlers/slack or poster.ts.',
      from: { path: '^src/(render|slack)/', pathNot: '^src/slack/poster\\.ts$' },
      to: { path: '(^|/)node_modules/@slack/', pathNot: '(^|/)node_modules/@slack/types/' },
    },
    {
      name: 'no-dev-dependencies-at-runtime',
      severity: 'error',
      comment:
        'src and handlers are what runs in production, and a production install drops devDependencies (the Procfile ' +
        'buildpack prunes them, as does npm ci --omit=dev): a value import of one (aws-sdk-client-mock, @slack/types, ...) ' +
        'would fail at start. Type-only imports are erased by tsc, so they are fine.',
      from: { path: '^(src|handlers)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'queue-contracts-are-plain-data',
      severity: 'error',
      comment: 'src/queue/contracts.ts is plain JSON shapes shared by web and worker (and src/slack); it imports nothing.',
      from: { path: '^src/queue/contracts\\.ts$' },
      to: {},
    },
    {
      name: 'aws-sdk-only-in-adapters',
      severity: 'error',
      comment:
        'The AWS SDK is an adapter detail: only src/collect/adapters/aws/ imports @aws-sdk/* or @smithy/*; the core ' +
        'talks to AWS through the ports in src/collect/ports.ts. Exception: src/collect/adapters/sandbox/ builds ' +
        'real SDK clients whose middleware answers every command from an in-memory world (clients.ts), so the aws ' +
        'adapters run unchanged against it, and types its fixtures with the SDK\'s own shapes.',
      // Tests (when test/ is cruised) drive the SDK through aws-sdk-client-mock, so the rule covers shipped code only.
      from: { path: '^(src|handlers)/', pathNot: '^src/collect/adapters/(aws|sandbox)/' },
      to: { path: '(^|/)node_modules/@(aws-sdk|smithy)/' },
    },
    {
      name: 'slack-handlers-do-not-import-job-handlers',
      severity: 'error',
      comment: 'handlers/slack runs in the web process and only enqueues; the job handlers run in the worker. They share src/queue contracts, not code.',
      from: { path: '^handlers/slack/' },
      to: { path: '^handlers/jobs/' },
    },
    {
      name: 'job-handlers-do-not-import-slack-handlers',
      severity: 'error',
      comment: 'handlers/jobs runs in the worker; it reaches Slack through src/slack/poster.ts, never through the web process\'s handlers/slack.',
      from: { path: '^handlers/jobs/' },
      to: { path: '^handlers/slack/' },
    },
    {
      name: 'unit-tests-are-in-memory',
      severity: 'error',
      comment:
        'test/unit runs in memory (test/README.md): no Redis or BullMQ client, no sockets, HTTP, DNS or child ' +
        'processes, and none of the helpers that start them (processes.ts runs the built processes, fake-slack.ts is ' +
        'an HTTP server). Such a test belongs in test/integration. Only direct imports are seen: a src module that ' +
        'connects (producerConnection) is still the reviewer\'s to spot. Reading fixtures with node:fs is fine.',
      from: { path: '^test/unit/' },
      to: {
        path: [
          '(^|/)node_modules/(bullmq|ioredis)/',
          '^(node:)?(http|https|http2|net|tls|dgram|dns|child_process|cluster|worker_threads)(/|$)',
          '^test/helpers/(processes|fake-slack)\\.ts$',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // node_modules must not be excluded, or every rule about a package (@slack/, bullmq, @aws-sdk/) sees nothing.
    exclude: { path: '^dist/' },
  },
};
