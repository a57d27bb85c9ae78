// The project's layers, checked by dependency-cruiser in `npm test` (`npm run layers`). Each rule names what
// may not import what; docs/contributing.md ("Project layout") describes the same map in prose, and
// test/layers/rules.test.ts runs this very file over test/fixtures/layers to show that a forbidden import fails.
//
// Bottom to top: common/ -> rule/ | remediation/ -> infra/ -> cli/ -> scripts/ and bench/; tests may import
// anything. Paths are relative to where depcruise runs (the repository root, or a fixture tree shaped like it).

const path = require('node:path');

// What infra/ may take from the Lambdas: names, payload keys, the SSM document and ARN parsing. Pure data and
// functions; none of them reaches an AWS SDK client (rule infra-reaches-no-aws-code checks that too).
const INFRA_MAY_IMPORT = '^(rule/definition|remediation/(definition|arns|automation-document))\\.ts$';

// The modules of remediation/ that decide or describe, without I/O: they may not import an AWS SDK client, a
// reader or writer (*-api.ts), the clients, or common/'s credentials and logging.
const PURE_REMEDIATION =
  '^remediation/((actions|arns|automation-document|definition|environment|errors|payload|retry)' +
  '|integration/(integrate|log-group|operations|policies|repair|role|state|summary|trail)' +
  '|monitoring/(controls|names|plan|state)' +
  '|organization/(execution-proof|request-scope|state))\\.ts$';

// The planners a reader or writer may not call: the orchestrator (remediation/remediate.ts) passes state
// from readers to planners and plans from planners to writers.
const PLANNERS =
  '^remediation/(integration/(integrate|log-group|repair|role|summary|trail)|monitoring/plan' +
  '|organization/(execution-proof|gate|request-scope))\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere: each module can be read, tested and loaded after what it imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-is-the-bottom',
      severity: 'error',
      comment:
        'common/ is shared by both Lambdas, the CLI and infra: it imports nothing else of the project.',
      from: { path: '^common/' },
      to: { path: '^(rule|remediation|infra|cli|scripts|bench|test)/' },
    },
    {
      name: 'rule-not-remediation',
      severity: 'error',
      comment: 'The two Lambdas are separate bundles: rule/ never imports remediation/.',
      from: { path: '^rule/' },
      to: { path: '^remediation/' },
    },
    {
      name: 'remediation-not-rule',
      severity: 'error',
      comment: 'The two Lambdas are separate bundles: remediation/ never imports rule/.',
      from: { path: '^remediation/' },
      to: { path: '^rule/' },
    },
    {
      name: 'lambdas-not-up',
      severity: 'error',
      comment:
        'The Lambda code and common/ never import infra/, the CLI, the scripts, the bench or the tests.',
      from: { path: '^(common|rule|remediation)/' },
      to: { path: '^(infra|cli|scripts|bench|test)/' },
    },
    {
      name: 'lambdas-no-cdk',
      severity: 'error',
      comment: 'The Lambda bundles hold no CDK or build tooling.',
      from: { path: '^(common|rule|remediation)/' },
      to: { path: '(^|/)node_modules/(aws-cdk-lib|aws-cdk|constructs|cdk-nag|esbuild)/' },
    },
    {
      name: 'infra-only-definitions',
      severity: 'error',
      comment: `infra/ takes only definitions and bundling data from the Lambdas: ${INFRA_MAY_IMPORT}.`,
      from: { path: '^infra/' },
      to: { path: '^(rule|remediation)/', pathNot: INFRA_MAY_IMPORT },
    },
    {
      name: 'infra-reaches-no-aws-code',
      severity: 'error',
      comment:
        'Nothing infra/ imports, directly or through other modules, is a handler, a client or an AWS call of a Lambda.',
      from: { path: '^infra/' },
      to: {
        path: [
          '^(rule|remediation)/handler\\.ts$',
          '^(rule|remediation)/clients\\.ts$',
          '^common/account-(clients|credentials)\\.ts$',
          '-api\\.ts$',
        ],
        reachable: true,
      },
    },
    {
      name: 'infra-not-up',
      severity: 'error',
      comment: 'infra/ never imports the CLI, the scripts or the bench.',
      from: { path: '^infra/' },
      to: { path: '^(cli|scripts|bench)/' },
    },
    {
      name: 'cli-not-up',
      severity: 'error',
      comment: 'The CLI uses everything below it, never the scripts or the bench.',
      from: { path: '^cli/' },
      to: { path: '^(scripts|bench)/' },
    },
    {
      name: 'source-not-tests',
      severity: 'error',
      comment:
        "Shipped code never imports tests. scripts/ may use the e2e tier's emulator helpers (the demo runs on moto); bench/ may use the AWS models the tests run on (test/rule/config-history.ts), so it measures what they prove, and the e2e tier's emulator and fault proxy (the CLI's scan is timed on moto with added latency).",
      from: { path: '^(common|rule|remediation|infra|cli|bench)/' },
      to: {
        path: '^test/',
        pathNot: '^test/(rule/config-history|e2e/(emulator|fault-proxy|moto-server))\\.ts$',
      },
    },
    {
      name: 'remediation-rooms-not-sideways',
      severity: 'error',
      comment:
        'integration/, monitoring/ and organization/ never import each other: what they share lives at the top of remediation/.',
      from: { path: '^remediation/([^/]+)/' },
      to: { path: '^remediation/[^/]+/', pathNot: '^remediation/$1/' },
    },
    {
      name: 'remediation-rooms-not-up',
      severity: 'error',
      comment: 'The rooms of remediation/ never import the handler or the orchestrator (remediate.ts).',
      from: { path: '^remediation/[^/]+/' },
      to: { path: '^remediation/(handler|remediate)\\.ts$' },
    },
    {
      name: 'monitoring-lazy-without-clients',
      severity: 'error',
      comment:
        'monitoring/ is loaded lazily; a value import of remediation/clients.ts from it makes esbuild keep ~270 KB more of the IAM and Organizations clients (types are fine).',
      from: { path: '^remediation/monitoring/' },
      to: { path: '^remediation/clients\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'remediation-pure-no-io',
      severity: 'error',
      comment:
        'The pure modules of remediation/ import no AWS SDK, no reader or writer, no clients, no credentials or log.',
      from: { path: PURE_REMEDIATION },
      to: {
        path: [
          '(^|/)node_modules/@aws-sdk/',
          '-api\\.ts$',
          '^remediation/(clients|handler|remediate)\\.ts$',
          '^common/(account-clients|account-credentials|log)\\.ts$',
        ],
      },
    },
    {
      name: 'remediation-readers-not-planners',
      severity: 'error',
      comment:
        'Readers and writers (*-api.ts) never call a planner: they share state and operation types, nothing else.',
      from: { path: '^remediation/.+-api\\.ts$' },
      to: { path: PLANNERS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The fixture tree of test/layers/rules.test.ts breaks the rules on purpose; that test cruises it on its own.
    exclude: { path: '^(test/fixtures/|cdk\\.out/|dist/|reports/|\\.stryker-tmp/)' },
    // Type-only imports count: a layer that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
