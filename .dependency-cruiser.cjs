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

/**
 * One forbidden import, an error: `from` and `to` are a path pattern, or a dependency-cruiser condition where a
 * path alone does not say it.
 * @returns {import('dependency-cruiser').IForbiddenRuleType}
 */
function forbid(name, comment, from, to) {
  const condition = (side) => (typeof side === 'string' ? { path: side } : side);
  return { name, severity: 'error', comment, from: condition(from), to: condition(to) };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'no-circular',
      'No import cycles anywhere: each module can be read, tested and loaded after what it imports.',
      {},
      { circular: true },
    ),
    forbid(
      'common-is-the-bottom',
      'common/ is shared by both Lambdas, the CLI and infra: it imports nothing else of the project.',
      '^common/',
      '^(rule|remediation|infra|cli|scripts|bench|test)/',
    ),
    forbid(
      'rule-not-remediation',
      'The two Lambdas are separate bundles: rule/ never imports remediation/.',
      '^rule/',
      '^remediation/',
    ),
    forbid(
      'remediation-not-rule',
      'The two Lambdas are separate bundles: remediation/ never imports rule/.',
      '^remediation/',
      '^rule/',
    ),
    forbid(
      'lambdas-not-up',
      'The Lambda code and common/ never import infra/, the CLI, the scripts, the bench or the tests.',
      '^(common|rule|remediation)/',
      '^(infra|cli|scripts|bench|test)/',
    ),
    forbid(
      'lambdas-no-cdk',
      'The Lambda bundles hold no CDK or build tooling.',
      '^(common|rule|remediation)/',
      '(^|/)node_modules/(aws-cdk-lib|aws-cdk|constructs|cdk-nag|esbuild)/',
    ),
    forbid(
      'infra-only-definitions',
      `infra/ takes only definitions and bundling data from the Lambdas: ${INFRA_MAY_IMPORT}.`,
      '^infra/',
      { path: '^(rule|remediation)/', pathNot: INFRA_MAY_IMPORT },
    ),
    forbid(
      'infra-reaches-no-aws-code',
      'Nothing infra/ imports, directly or through other modules, is a handler, a client or an AWS call of a Lambda.',
      '^infra/',
      {
        path: [
          '^(rule|remediation)/handler\\.ts$',
          '^(rule|remediation)/clients\\.ts$',
          '^common/account-(clients|credentials)\\.ts$',
          '-api\\.ts$',
        ],
        reachable: true,
      },
    ),
    forbid(
      'infra-not-up',
      'infra/ never imports the CLI, the scripts or the bench.',
      '^infra/',
      '^(cli|scripts|bench)/',
    ),
    forbid(
      'cli-not-up',
      'The CLI uses everything below it, never the scripts or the bench.',
      '^cli/',
      '^(scripts|bench)/',
    ),
    forbid(
      'source-not-tests',
      "Shipped code never imports tests. scripts/ may use the e2e tier's emulator helpers (the demo runs on moto); bench/ may use the AWS models the tests run on (test/rule/config-history.ts), so it measures what they prove, and the e2e tier's emulator and fault proxy (the CLI's scan is timed on moto with added latency).",
      '^(common|rule|remediation|infra|cli|bench)/',
      { path: '^test/', pathNot: '^test/(rule/config-history|e2e/(emulator|fault-proxy|moto-server))\\.ts$' },
    ),
    forbid(
      'remediation-rooms-not-sideways',
      'integration/, monitoring/ and organization/ never import each other: what they share lives at the top of remediation/.',
      '^remediation/([^/]+)/',
      { path: '^remediation/[^/]+/', pathNot: '^remediation/$1/' },
    ),
    forbid(
      'remediation-rooms-not-up',
      'The rooms of remediation/ never import the handler or the orchestrator (remediate.ts).',
      '^remediation/[^/]+/',
      '^remediation/(handler|remediate)\\.ts$',
    ),
    forbid(
      'monitoring-lazy-without-clients',
      'monitoring/ is loaded lazily; a value import of remediation/clients.ts from it makes esbuild keep ~270 KB more of the IAM and Organizations clients (types are fine).',
      '^remediation/monitoring/',
      { path: '^remediation/clients\\.ts$', dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'remediation-pure-no-io',
      'The pure modules of remediation/ import no AWS SDK, no reader or writer, no clients, no credentials or log.',
      PURE_REMEDIATION,
      {
        path: [
          '(^|/)node_modules/@aws-sdk/',
          '-api\\.ts$',
          '^remediation/(clients|handler|remediate)\\.ts$',
          '^common/(account-clients|account-credentials|log)\\.ts$',
        ],
      },
    ),
    forbid(
      'remediation-readers-not-planners',
      'Readers and writers (*-api.ts) never call a planner: they share state and operation types, nothing else.',
      '^remediation/.+-api\\.ts$',
      PLANNERS,
    ),
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
