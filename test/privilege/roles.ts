import type { DeploymentName, LambdaFunction } from '../e2e/principals.js';
import {
  type CfnTemplate,
  constructName,
  type DeploymentTemplates,
  type Placement,
  type PolicyDocument,
  resolveIntrinsics,
  type StackKind,
  type Statement,
} from './templates.js';

/**
 * Every IAM role the stacks create, by a readable label, and its policies resolved at a placement: the statements
 * of its inline and attached policies (one unit each: the check drops or adds them one at a time), its
 * permissions boundary and its trust policy. A role of a template that the catalogue does not name fails the
 * check, so a new role cannot escape it.
 */

export interface CatalogueEntry {
  readonly label: string;
  readonly stack: StackKind;
  /** Deployments whose templates hold it (a variant's statements differ, e.g. with monitoring). */
  readonly deployments: readonly DeploymentName[];
  /** Its logical id without the hash CDK appends. */
  readonly construct: string;
  /** The Lambda function whose execution role it is, if any. */
  readonly function?: LambdaFunction;
}

const SINGLE_ACCOUNT: readonly DeploymentName[] = ['single-account', 'single-account-monitoring'];
const ORGANIZATION: readonly DeploymentName[] = ['organization'];

export const ROLE_CATALOGUE: readonly CatalogueEntry[] = [
  {
    label: 'single-account rule Lambda',
    stack: 'guard',
    deployments: SINGLE_ACCOUNT,
    construct: 'RuleFunctionLambdaRole',
    function: 'rule',
  },
  {
    label: 'single-account remediation Lambda',
    stack: 'guard',
    deployments: SINGLE_ACCOUNT,
    construct: 'RemediationFunctionLambdaRole',
    function: 'remediation',
  },
  {
    label: 'single-account SSM Automation role',
    stack: 'guard',
    deployments: SINGLE_ACCOUNT,
    construct: 'RemediationAutomationAutomationRole',
  },
  {
    label: 'organization hub rule Lambda',
    stack: 'hub',
    deployments: ORGANIZATION,
    construct: 'RuleFunctionLambdaRole',
    function: 'rule',
  },
  {
    label: 'organization hub remediation Lambda',
    stack: 'hub',
    deployments: ORGANIZATION,
    construct: 'RemediationFunctionLambdaRole',
    function: 'remediation',
  },
  {
    label: 'organization aggregator role',
    stack: 'hub',
    deployments: ORGANIZATION,
    construct: 'AggregatorRole',
  },
  {
    label: 'organization spoke rule role',
    stack: 'spoke',
    deployments: ORGANIZATION,
    construct: 'RuleExecutionRole',
  },
  {
    label: 'organization spoke remediation role',
    stack: 'spoke',
    deployments: ORGANIZATION,
    construct: 'RemediationExecutionRole',
  },
  {
    label: 'organization spoke SSM Automation role',
    stack: 'spoke',
    deployments: ORGANIZATION,
    construct: 'AutomationRole',
  },
];

/** The command line's principal: the policy docs/cli.md documents. */
export const OPERATOR_LABEL = 'command-line operator';

/** One statement of a role's policies, resolved, with where it comes from. */
export interface Grant {
  /** `<policy>/<Sid>` (or `<policy>/statement <n>` without a Sid): unique within the role. */
  readonly key: string;
  readonly sid: string;
  readonly statement: Statement;
}

export interface ResolvedRole {
  readonly label: string;
  readonly deployment: DeploymentName | 'operator';
  readonly placement: Placement;
  readonly roleName: string;
  readonly arn: string;
  readonly grants: readonly Grant[];
  /** AWS managed policies attached (not in any template, so not evaluated: each must be reviewed). */
  readonly managedPolicyArns: readonly string[];
  readonly boundary: PolicyDocument | undefined;
  readonly trust: PolicyDocument | undefined;
  /** The environment of the function it is the execution role of, resolved (undefined: none). */
  readonly functionEnvironment: Readonly<Record<string, string>> | undefined;
}

export function grantsOf(policyName: string, document: PolicyDocument): Grant[] {
  return document.Statement.map((statement, index) => {
    const sid = typeof statement.Sid === 'string' ? statement.Sid : `statement ${index + 1}`;
    return { key: `${policyName}/${sid}`, sid, statement };
  });
}

/** The template of `stack` in `templates` that applies at `region` (a hub is regional). */
function templateOf(
  templates: DeploymentTemplates,
  stack: StackKind,
  region: string,
): CfnTemplate | undefined {
  return templates.stacks.find(
    (candidate) =>
      candidate.kind === stack && (candidate.region === undefined || candidate.region === region),
  )?.template;
}

/** Logical id of the catalogued role in `template`; undefined when the template has none. */
function logicalIdOf(template: CfnTemplate, entry: CatalogueEntry): string | undefined {
  return Object.entries(template.Resources).find(
    ([id, resource]) => resource.Type === 'AWS::IAM::Role' && constructName(id) === entry.construct,
  )?.[0];
}

function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value) === JSON.stringify({ Ref: logicalId });
}

/** The role of `entry` in `templates`, resolved at `placement`; undefined when the deployment has none there. */
export function resolveRole(
  templates: DeploymentTemplates,
  entry: CatalogueEntry,
  placement: Placement,
): ResolvedRole | undefined {
  const template = templateOf(templates, entry.stack, placement.region);
  if (template === undefined) return undefined;
  const logicalId = logicalIdOf(template, entry);
  if (logicalId === undefined) return undefined;
  const resolve = (value: unknown) => resolveIntrinsics(template, value, placement);
  const role = template.Resources[logicalId]?.Properties ?? {};
  const grants: Grant[] = [];
  for (const inline of (role.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]) {
    grants.push(...grantsOf(inline.PolicyName, resolve(inline.PolicyDocument) as PolicyDocument));
  }
  const managedPolicyArns: string[] = [];
  for (const arn of (role.ManagedPolicyArns ?? []) as unknown[]) {
    const ref = (arn as { Ref?: string }).Ref;
    const managed = ref === undefined ? undefined : template.Resources[ref];
    if (managed?.Type === 'AWS::IAM::ManagedPolicy') {
      grants.push(
        ...grantsOf(constructName(ref ?? ''), resolve(managed.Properties?.PolicyDocument) as PolicyDocument),
      );
    } else {
      managedPolicyArns.push(String(resolve(arn)));
    }
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = (resource.Properties?.Roles ?? []) as unknown[];
    if (!roles.some((reference) => refersTo(reference, logicalId))) continue;
    grants.push(
      ...grantsOf(constructName(id), resolve(resource.Properties?.PolicyDocument) as PolicyDocument),
    );
  }
  const boundaryRef = (role.PermissionsBoundary as { Ref?: string } | undefined)?.Ref;
  const boundaryPolicy = boundaryRef === undefined ? undefined : template.Resources[boundaryRef];
  const fn = Object.values(template.Resources).find(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' &&
      JSON.stringify(resource.Properties?.Role) === JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }),
  );
  const variables = (fn?.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables;
  const roleName = String(resolve({ Ref: logicalId }));
  return {
    label: entry.label,
    deployment: templates.deployment,
    placement,
    roleName,
    arn: String(resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
    grants,
    managedPolicyArns,
    boundary:
      boundaryPolicy === undefined
        ? undefined
        : (resolve(boundaryPolicy.Properties?.PolicyDocument) as PolicyDocument),
    trust: resolve(role.AssumeRolePolicyDocument) as PolicyDocument | undefined,
    functionEnvironment:
      fn === undefined ? undefined : ((resolve(variables ?? {}) as Record<string, string>) ?? {}),
  };
}

/** Every role of every stack of `templates` that the catalogue does not name, as `<stack> <logical id>`. */
export function uncataloguedRoles(templates: DeploymentTemplates): string[] {
  const found: string[] = [];
  for (const { kind, template } of templates.stacks) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      const known = ROLE_CATALOGUE.some(
        (entry) =>
          entry.stack === kind &&
          entry.deployments.includes(templates.deployment) &&
          entry.construct === constructName(id),
      );
      if (!known) found.push(`${templates.deployment} ${kind} stack: ${id}`);
    }
  }
  return found;
}
