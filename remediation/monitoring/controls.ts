/**
 * The CIS monitoring controls of Security Hub (CloudWatch.1 to CloudWatch.14) as data: one metric filter and one
 * alarm per control on the trail's log group. The one definition shared by the remediation, its tests, the docs
 * and infra. Pure: no I/O.
 *
 * Each pattern is copied character for character from the control's remediation steps on Security Hub's page
 * "Security Hub CSPM controls for Amazon CloudWatch" (CONTROLS_PAGE, anchor per control), as it reads today
 * (checked 2026-12-06; test/fixtures/remediation/security-hub-cloudwatch-controls.json holds the verbatim copy the
 * tests compare with, and where each text was read). CloudWatch.4 and CloudWatch.13 gained an `eventSource` prefix
 * since the 2023-03-10 text (AWS's published source of the guide, awsdocs/aws-security-hub-user-guide, commit
 * bda5bf7ddbdf498557b2ac6a538577528004e6d5) that earlier versions of this project wrote: that text is kept as
 * `previousPatterns`, so such a filter is recognised as the project's own and updated in place. Security Hub
 * fails these controls when the filter is not exactly the prescribed one, so a pattern is never "improved" here.
 */

export const CONTROLS_PAGE =
  'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html';

export interface MonitoringControl {
  /** Security Hub control id, e.g. `CloudWatch.1`. */
  readonly id: string;
  /** What the control watches, as Security Hub titles it (short form). */
  readonly title: string;
  /** Part of the filter, metric and alarm names: letters and digits, stable once released. */
  readonly key: string;
  /** The filter pattern exactly as the control's remediation steps give it today. */
  readonly filterPattern: string;
  /**
   * Earlier texts of the control's pattern that this project once wrote into its filters (newest first): a filter
   * of the project's name and metric with one of them is the project's own, brought up to `filterPattern`.
   */
  readonly previousPatterns: readonly string[];
  /** CONTROLS_PAGE with the control's anchor. */
  readonly citation: string;
}

function control(
  n: number,
  title: string,
  key: string,
  filterPattern: string,
  previousPatterns: readonly string[] = [],
): MonitoringControl {
  return {
    id: `CloudWatch.${n}`,
    title,
    key,
    filterPattern,
    previousPatterns,
    citation: `${CONTROLS_PAGE}#cloudwatch-${n}`,
  };
}

export const MONITORING_CONTROLS: readonly MonitoringControl[] = [
  control(
    1,
    'usage of the "root" user',
    'RootUserUsage',
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  ),
  control(
    2,
    'unauthorized API calls',
    'UnauthorizedApiCalls',
    '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  ),
  control(
    3,
    'Management Console sign-in without MFA',
    'ConsoleSignInWithoutMfa',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  ),
  control(
    4,
    'IAM policy changes',
    'IamPolicyChanges',
    '{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}',
    // The 2023-03-10 text, without the eventSource prefix.
    [
      '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
    ],
  ),
  control(
    5,
    'CloudTrail configuration changes',
    'CloudTrailChanges',
    '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
  ),
  control(
    6,
    'Management Console authentication failures',
    'ConsoleAuthenticationFailures',
    '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  ),
  control(
    7,
    'disabling or scheduled deletion of customer managed keys',
    'KmsKeyDisableOrDeletion',
    '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
  ),
  control(
    8,
    'S3 bucket policy changes',
    'S3BucketPolicyChanges',
    '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
  ),
  control(
    9,
    'AWS Config configuration changes',
    'ConfigChanges',
    '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
  ),
  control(
    10,
    'security group changes',
    'SecurityGroupChanges',
    '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
  ),
  control(
    11,
    'changes to Network Access Control Lists (NACL)',
    'NetworkAclChanges',
    '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
  ),
  control(
    12,
    'changes to network gateways',
    'NetworkGatewayChanges',
    '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
  ),
  control(
    13,
    'route table changes',
    'RouteTableChanges',
    '{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}',
    // The 2023-03-10 text, without the eventSource prefix.
    [
      '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
    ],
  ),
  control(
    14,
    'VPC changes',
    'VpcChanges',
    '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
  ),
];
