import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DeliveryBoundary } from '../../infra/delivery-boundary.js';
import {
  RemediationFunction,
  remediationScopeOf,
  remediationStatements,
} from '../../infra/remediation-function.js';
import { SYNTH_TIMEOUT_MS } from './support.js';

const BOUNDARY = 'arn:aws:iam::111122223333:policy/cloudtrail-logs-guard/boundary';

function statementOf(statements: ReturnType<typeof remediationStatements>, sid: string) {
  const stack = new Stack();
  const found = statements.find((statement) => statement.sid === sid);
  return found === undefined ? undefined : stack.resolve(found.toStatementJson());
}

describe('remediationStatements', () => {
  it('keeps the statements of deployments before the boundary when the scope names none (organization spoke)', () => {
    const statements = remediationStatements(remediationScopeOf(new Stack()));
    expect(statements.map((statement) => statement.sid)).not.toContain('WriteOwnRolesWithinBoundary');
    expect(statementOf(statements, 'ManageOwnRoles')?.Action).toEqual(
      expect.arrayContaining(['iam:CreateRole', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']),
    );
    expect(statementOf(statements, 'DenyManagedPoliciesAndBoundaries')?.Action).toEqual([
      'iam:AttachRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:DeleteRolePermissionsBoundary',
    ]);
  });

  it('allows the role writes only with the boundary the scope names, and denies them with any other', () => {
    const statements = remediationStatements(remediationScopeOf(new Stack(), BOUNDARY));
    const writes = [
      'iam:CreateRole',
      'iam:PutRolePermissionsBoundary',
      'iam:PutRolePolicy',
      'iam:UpdateAssumeRolePolicy',
    ];
    const manage: string[] = statementOf(statements, 'ManageOwnRoles')?.Action;
    for (const write of writes) expect(manage).not.toContain(write);
    expect(statementOf(statements, 'WriteOwnRolesWithinBoundary')).toMatchObject({
      Effect: 'Allow',
      Action: writes,
      Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
    });
    expect(statementOf(statements, 'DenyRoleWritesOutsideBoundary')).toEqual({
      Sid: 'DenyRoleWritesOutsideBoundary',
      Effect: 'Deny',
      Action: writes,
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
    });
  });
});

describe('RemediationFunction', () => {
  it.each([
    ['without deliveryBoundary (the organization hub)', {}, 0, undefined],
    ['with deliveryBoundary', { deliveryBoundary: true }, 1, 'PERMISSIONS_BOUNDARY_ARN'],
  ])('%s', { timeout: SYNTH_TIMEOUT_MS }, (_name, props, policies, variable) => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack');
    const construct = new RemediationFunction(stack, 'Remediation', {
      logRetentionDays: 30,
      logLevel: 'INFO',
      ...props,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', policies);
    expect(construct.deliveryBoundary === undefined).toBe(policies === 0);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(Object.keys(fn?.Properties.Environment?.Variables ?? {})).toEqual(
      [variable].filter((key) => key !== undefined),
    );
  });
});

describe('DeliveryBoundary', () => {
  it('is retained on deletion and replacement but removed when the first create rolls back', () => {
    const stack = new Stack();
    new DeliveryBoundary(stack, 'Boundary');
    Template.fromStack(stack).hasResource('AWS::IAM::ManagedPolicy', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('has a generated name, so a retained copy never blocks a later create in the same account', () => {
    const stack = new Stack();
    new DeliveryBoundary(stack, 'Boundary');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: Match.absent(),
      Path: '/cloudtrail-logs-guard/',
    });
  });
});
