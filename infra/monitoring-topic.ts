import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The SNS topic the CIS monitoring alarms notify (context `monitoring`), encrypted with a customer managed key: the
 * AWS managed key of SNS cannot be used, since its key policy does not let CloudWatch encrypt messages for it. Only
 * CloudWatch alarms of this account may publish (aws:SourceAccount), and only over TLS.
 */
export class MonitoringTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { account } = Stack.of(this);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the SNS topic of the cloudtrail-logs-guard monitoring alarms.',
      enableKeyRotation: true,
      // Retained except on a failed first create (RETAIN_ON_UPDATE_OR_DELETE): messages in flight stay readable.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // CloudWatch publishes to an encrypted topic with these two actions on its key (SNS encryption at rest).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountEncryptForTheTopic',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'cloudtrail-logs-guard CIS monitoring alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
  }
}
