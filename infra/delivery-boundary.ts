import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LOG_GROUP_PREFIX, ROLE_PATH } from '../remediation/definition.js';

/**
 * The delivery boundary: the permissions boundary of every role the remediation creates. A role's effective
 * permissions are the intersection of its policies and its boundary, so whatever trust or inline policy a
 * compromised or buggy remediation Lambda writes on a role under ROLE_PATH, that role can at most write log
 * events to the project's log groups. The Lambda's own policy (remediationStatements) allows role writes only
 * with this boundary.
 */

/**
 * Exactly what CloudTrail needs of a delivery role (remediation/integration/policies.ts grants a subset of it per trail):
 * logs:CreateLogStream and logs:PutLogEvents on streams of log groups under LOG_GROUP_PREFIX, in any region of
 * `scope`'s account (IAM is global; trails of other regions get roles too).
 */
export function deliveryBoundaryStatements(scope: Construct): iam.PolicyStatement[] {
  const { partition, account } = Stack.of(scope);
  return [
    new iam.PolicyStatement({
      sid: 'DeliverToProjectLogGroups',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`arn:${partition}:logs:*:${account}:log-group:${LOG_GROUP_PREFIX}*:log-stream:*`],
    }),
  ];
}

/**
 * The delivery boundary as a customer managed policy under ROLE_PATH, with a name CloudFormation generates.
 * Retained when the stack is deleted or the policy replaced: the roles the remediation created outlive the
 * stack, still deliver the trails' events, and keep it as boundary (whether IAM would delete a policy still
 * used as a boundary is not documented). Deleted when the stack's first create rolls back
 * (`RetainExceptOnCreate`): no role uses it yet, and nothing is left behind. The generated name means a
 * retained copy never blocks a later create (an account that leaves and rejoins a StackSet's target OUs);
 * a fixed name would.
 */
export class DeliveryBoundary extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      path: ROLE_PATH,
      description:
        'Permissions boundary of the roles the cloudtrail-logs-guard remediation creates: CloudTrail delivery ' +
        `to log groups under ${LOG_GROUP_PREFIX} only.`,
      statements: deliveryBoundaryStatements(this),
    });
    this.policy.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    Validations.of(this.policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:${LOG_GROUP_PREFIX}*:log-stream:*]`,
      reason:
        'A permissions boundary, attached to no principal as a policy: it caps the roles the remediation creates ' +
        `(one per trail, names known only at remediation) at writing log events to log groups under ${LOG_GROUP_PREFIX}, ` +
        'in any region because IAM roles are global.',
    });
  }

  /** The ARN to set as PermissionsBoundary and to require in iam:PermissionsBoundary conditions. */
  get policyArn(): string {
    return this.policy.managedPolicyArn;
  }
}
