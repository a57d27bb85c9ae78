import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MONITORING_NAME_PREFIX } from '../remediation/definition.js';

export interface MonitoringTopicProps {
  /**
   * Email addresses and HTTPS endpoints subscribed to the topic: Security Hub's CloudWatch.1-14 pass only once
   * the topic has a confirmed subscriber. Each confirms once (the link in SNS's email, or the endpoint answering
   * SNS's SubscriptionConfirmation). @default none: the remediation then warns of the missing subscriber
   */
  readonly emails?: readonly string[];
  readonly httpsEndpoints?: readonly string[];
}

/**
 * The SNS topic the CIS monitoring alarms notify (context `monitoring`), encrypted with a customer managed key: the
 * AWS managed key of SNS cannot be used, since its key policy does not let CloudWatch encrypt messages for it.
 *
 * Only the project's alarms in this account and region may publish: an Allow for cloudwatch.amazonaws.com with
 * aws:SourceAccount and aws:SourceArn (the alarm; the keys SNS documents for CloudWatch alarms publishing, in
 * "Allow CloudWatch alarms to publish to a topic in another account",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html), and two explicit Denies that hold
 * against every other principal, including anyone of the account whose identity policy allows sns:Publish: a
 * request without this account as aws:SourceAccount, or without one of the project's alarms as aws:SourceArn, is
 * denied (a principal's own call carries neither key, so it is denied). Only over TLS.
 */
export class MonitoringTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: MonitoringTopicProps = {}) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };
    const projectAlarms = `arn:${partition}:cloudwatch:${region}:${account}:alarm:${MONITORING_NAME_PREFIX}*`;
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
        conditions: { ...fromThisAccount, ArnLike: { 'aws:SourceArn': projectAlarms } },
      }),
    );
    // Two statements, not one: each condition alone must deny (conditions of one statement must all hold).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyPublishNotFromThisAccount',
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        // A missing key (a principal's own call) makes StringNotEquals true: denied.
        conditions: { StringNotEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyPublishNotFromItsAlarms',
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnNotLike: { 'aws:SourceArn': projectAlarms } },
      }),
    );
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    for (const url of props.httpsEndpoints ?? []) {
      this.topic.addSubscription(
        new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
  }
}
