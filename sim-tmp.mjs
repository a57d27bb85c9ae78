import { runSimulation } from '@cloud-copilot/iam-simulate';

const id = (stmts) => [{ name: 'p', policy: { Version: '2012-10-17', Statement: stmts } }];
async function sim(action, resource, account, ctx, stmts, extra = {}) {
  const r = await runSimulation(
    {
      request: {
        principal: 'arn:aws:sts::111111111111:assumed-role/hub-fix/fn',
        action,
        resource: { resource, accountId: account },
        contextVariables: ctx,
      },
      identityPolicies: id(stmts),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...extra,
    },
    {},
  );
  return r.resultType === 'error'
    ? JSON.stringify(r.errors)
    : `${r.resultType} ${r.overallResult} rt=${r.result?.resourceType} ignored=${JSON.stringify(r.result?.ignoredContextKeys)}`;
}
const t0 = Date.now();
console.log(
  await sim(
    'iam:CreateRole',
    'arn:aws:iam::111111111111:role/cloudtrail-logs-guard/x',
    '111111111111',
    { 'iam:PermissionsBoundary': 'arn:aws:iam::111111111111:policy/b' },
    [
      {
        Effect: 'Allow',
        Action: 'iam:CreateRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::111111111111:policy/b' } },
      },
    ],
  ),
);
console.log(
  await sim('cloudtrail:DescribeTrails', '*', '111111111111', {}, [
    { Effect: 'Allow', Action: 'cloudtrail:DescribeTrails', Resource: '*' },
  ]),
);
console.log(await sim('sts:GetCallerIdentity', '*', '111111111111', {}, []));
console.log(
  await sim('logs:DescribeLogGroups', '*', '111111111111', {}, [
    {
      Effect: 'Allow',
      Action: 'logs:DescribeLogGroups',
      Resource: 'arn:aws:logs:us-east-1:111111111111:log-group:*',
    },
  ]),
);
const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:role/hub-fix' },
      Action: 'sts:AssumeRole',
    },
  ],
};
console.log(
  'xacct',
  await sim(
    'sts:AssumeRole',
    'arn:aws:iam::123456789012:role/spoke-fix',
    '123456789012',
    { 'aws:ResourceOrgID': 'o-x', 'aws:PrincipalOrgID': 'o-x' },
    [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: 'arn:aws:iam::*:role/spoke-fix',
        Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-x' } },
      },
    ],
    { resourcePolicy: trust },
  ),
);
console.log(
  'xacct no trust',
  await sim(
    'sts:AssumeRole',
    'arn:aws:iam::123456789012:role/spoke-fix',
    '123456789012',
    { 'aws:ResourceOrgID': 'o-x' },
    [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
  ),
);
console.log(
  await sim('logs:CreateLogGroup', 'arn:aws:logs:us-east-1:111111111111:log-group:/x:*', '111111111111', {}, [
    {
      Effect: 'Allow',
      Action: 'logs:CreateLogGroup',
      Resource: 'arn:aws:logs:us-east-1:111111111111:log-group:/x',
    },
  ]),
);
console.log(
  await sim(
    'iam:PassRole',
    'arn:aws:iam::111111111111:role/cloudtrail-logs-guard/x',
    '111111111111',
    { 'iam:PassedToService': 'cloudtrail.amazonaws.com' },
    [
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
      },
    ],
  ),
);
console.log(
  await sim(
    'iam:PutRolePolicy',
    'arn:aws:iam::111111111111:role/cloudtrail-logs-guard/x',
    '111111111111',
    {},
    [
      { Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 'iam:PutRolePolicy',
        Resource: '*',
        Condition: { StringNotEquals: { 'iam:PermissionsBoundary': 'b' } },
      },
    ],
  ),
);
console.log(
  await sim('account:ListRegions', 'arn:aws:account::111111111111:account', '111111111111', {}, [
    { Effect: 'Allow', Action: 'account:ListRegions', Resource: '*' },
  ]),
);
const t1 = Date.now();
for (let i = 0; i < 200; i++)
  await sim(
    'iam:CreateRole',
    `arn:aws:iam::111111111111:role/cloudtrail-logs-guard/x${i}`,
    '111111111111',
    {},
    [{ Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*' }],
  );
console.log('200 sims ms', Date.now() - t1, 'first', t1 - t0);
