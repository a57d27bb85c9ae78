import { type DeploymentName, STAND_IN } from '../e2e/principals.js';
import { partitionOf } from './authorization.js';

/**
 * The synthesized templates of a deployment (synthesis.ts makes them) and their CloudFormation intrinsics
 * resolved as CloudFormation would for one account and region: pseudo parameters, the spoke's HubAccountId
 * parameter, and each resource's Ref and Arn (generated names by the stand-ins the tier configured the Lambdas
 * with, so a condition on them compares what the Lambda really sent).
 */

/** An IAM policy document, as a template holds it once resolved. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Statement[];
}

export type Statement = Readonly<Record<string, unknown>>;

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** Which stack of a deployment a template is. */
export type StackKind = 'guard' | 'hub' | 'spoke';

export interface DeploymentTemplates {
  readonly deployment: DeploymentName;
  /** The single-account stack, the hub of each governed region, and the spoke (the StackSet's TemplateBody). */
  readonly stacks: readonly {
    readonly kind: StackKind;
    readonly region?: string;
    readonly template: CfnTemplate;
  }[];
}

/** Where a template is resolved: the values CloudFormation would give it there. */
export interface Placement {
  readonly account: string;
  readonly region: string;
  /** The spoke's HubAccountId parameter. */
  readonly hubAccount?: string;
  /** For the documentation: a name CloudFormation generates shows as `<LogicalId>` (its hash left out). */
  readonly display?: boolean;
}

/** A logical id without the hash CDK appends (`RuleFunctionLambdaRole25EF5E14` -> `RuleFunctionLambdaRole`). */
export function constructName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

/** A template reference this resolver has no value for: it names the construct to give one to. */
export class UnresolvableReferenceError extends Error {
  constructor(what: string) {
    super(`Cannot resolve ${what}: add a value for it to test/privilege/templates.ts.`);
    this.name = 'UnresolvableReferenceError';
  }
}

function physicalName(
  template: CfnTemplate,
  logicalId: string,
  property: string,
  placement: Placement,
): string {
  const name = template.Resources[logicalId]?.Properties?.[property];
  if (name !== undefined) return String(resolveIntrinsics(template, name, placement));
  return placement.display === true ? `<${constructName(logicalId)}>` : logicalId;
}

function refOf(template: CfnTemplate, name: string, placement: Placement): string {
  const { account, region } = placement;
  switch (name) {
    case 'AWS::AccountId':
      return account;
    case 'AWS::Region':
      return region;
    case 'AWS::Partition':
      return partitionOf(region);
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
  }
  if (template.Parameters?.[name] !== undefined) {
    if (name === 'HubAccountId' && placement.hubAccount !== undefined) return placement.hubAccount;
    throw new UnresolvableReferenceError(`parameter ${name}`);
  }
  const resource = template.Resources[name];
  switch (resource?.Type) {
    case 'AWS::IAM::ManagedPolicy':
      // The only managed policy of the stacks is the delivery boundary, named by CloudFormation.
      return STAND_IN.deliveryBoundaryArn(account);
    case 'AWS::SNS::Topic':
      return STAND_IN.monitoringTopicArn(region, account);
    case 'AWS::IAM::Role':
      return physicalName(template, name, 'RoleName', placement);
    case 'AWS::Lambda::Function':
      return physicalName(template, name, 'FunctionName', placement);
    case undefined:
      throw new UnresolvableReferenceError(`Ref ${name}`);
    default:
      return name;
  }
}

function arnOf(template: CfnTemplate, logicalId: string, placement: Placement): string {
  const { account, region } = placement;
  const partition = partitionOf(region);
  const type = template.Resources[logicalId]?.Type;
  switch (type) {
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${physicalName(template, logicalId, 'RoleName', placement)}`;
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${physicalName(template, logicalId, 'FunctionName', placement)}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${partition}:logs:${region}:${account}:log-group:${physicalName(template, logicalId, 'LogGroupName', placement)}:*`;
    case 'AWS::Config::ConfigRule':
      // Config generates the id in the ARN (config-rule/config-rule-a1b2c3): a stand-in of that shape.
      return placement.display === true
        ? `arn:${partition}:config:${region}:${account}:config-rule/<${constructName(logicalId)} id>`
        : `arn:${partition}:config:${region}:${account}:config-rule/config-rule-${logicalId.toLowerCase()}`;
    case 'AWS::KMS::Key':
      return `arn:${partition}:kms:${region}:${account}:key/${logicalId}`;
    default:
      throw new UnresolvableReferenceError(`Fn::GetAtt ${logicalId}.Arn (${type ?? 'no such resource'})`);
  }
}

/** `value` with every intrinsic of `template` replaced by its value at `placement`. */
export function resolveIntrinsics(template: CfnTemplate, value: unknown, placement: Placement): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(template, item, placement));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    const [intrinsic, argument] = first;
    const resolved = (item: unknown) => resolveIntrinsics(template, item, placement);
    switch (intrinsic) {
      case 'Ref':
        return refOf(template, String(argument), placement);
      case 'Fn::GetAtt': {
        const [logicalId = '', attribute] = argument as string[];
        if (attribute !== 'Arn') throw new UnresolvableReferenceError(`Fn::GetAtt ${logicalId}.${attribute}`);
        return arnOf(template, logicalId, placement);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return parts.map((part) => resolved(part)).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [number, unknown];
        return (resolved(list) as unknown[])[Number(resolved(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return String(resolved(source)).split(separator);
      }
      default:
        throw new UnresolvableReferenceError(intrinsic);
    }
  }
  return Object.fromEntries(
    entries.map(([key, item]) => [key, resolveIntrinsics(template, item, placement)]),
  );
}

/**
 * The resource policy of the resource `arn` names among the stacks of `templates` at `placement`: an SNS topic's
 * AWS::SNS::TopicPolicy (the other resources the Lambdas call have none in the templates). Undefined otherwise.
 */
export function resourcePolicyOf(
  templates: DeploymentTemplates,
  arn: string,
  placement: Placement,
): PolicyDocument | undefined {
  for (const { template, region } of templates.stacks) {
    if (region !== undefined && region !== placement.region) continue;
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::SNS::TopicPolicy') continue;
      const topics = resolveIntrinsics(template, resource.Properties?.Topics ?? [], placement) as string[];
      if (topics.includes(arn)) {
        return resolveIntrinsics(template, resource.Properties?.PolicyDocument, placement) as PolicyDocument;
      }
    }
  }
  return undefined;
}
