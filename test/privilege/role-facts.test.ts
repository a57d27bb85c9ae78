import { describe, expect, it } from 'vitest';
import { readAwsRequest } from './aws-request.js';
import { OK, queryRequest, response } from './exchanges.js';
import { ScenarioRoleFacts } from './role-facts.js';

const ACCOUNT = '123456789012';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/b`;

function learnt(
  ...calls: [ReturnType<typeof queryRequest>, ReturnType<typeof response>][]
): ScenarioRoleFacts {
  const facts = new ScenarioRoleFacts();
  for (const [request, answer] of calls) facts.learn(readAwsRequest(request, answer), ACCOUNT);
  return facts;
}

describe('ScenarioRoleFacts', () => {
  it('learns path and boundary from a successful CreateRole', () => {
    const facts = learnt([
      queryRequest('iam', 'CreateRole', { RoleName: 'r', Path: '/p/', PermissionsBoundary: BOUNDARY }),
      OK,
    ]);
    expect([facts.path(ACCOUNT, 'r'), facts.boundary(ACCOUNT, 'r')]).toEqual(['/p/', BOUNDARY]);
  });

  it('learns path and boundary (or none) from a GetRole answer', () => {
    const withBoundary = `<Role><Path>/p/</Path><PermissionsBoundary><PermissionsBoundaryArn>${BOUNDARY}</PermissionsBoundaryArn></PermissionsBoundary></Role>`;
    const facts = learnt(
      [queryRequest('iam', 'GetRole', { RoleName: 'r' }), response(200, withBoundary)],
      [queryRequest('iam', 'GetRole', { RoleName: 'plain' }), response(200, '<Role><Path>/</Path></Role>')],
    );
    expect([
      facts.boundary(ACCOUNT, 'r'),
      facts.path(ACCOUNT, 'plain'),
      facts.boundary(ACCOUNT, 'plain'),
    ]).toEqual([BOUNDARY, '/', undefined]);
  });

  it('learns the boundary PutRolePermissionsBoundary sets', () => {
    const facts = learnt(
      [queryRequest('iam', 'CreateRole', { RoleName: 'r' }), OK],
      [
        queryRequest('iam', 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: BOUNDARY }),
        OK,
      ],
    );
    expect(facts.boundary(ACCOUNT, 'r')).toBe(BOUNDARY);
  });

  it('learns nothing from a failed request, nor about another account', () => {
    const facts = learnt([
      queryRequest('iam', 'CreateRole', { RoleName: 'r', Path: '/p/' }),
      response(409, '<Error><Code>EntityAlreadyExists</Code></Error>'),
    ]);
    expect([facts.path(ACCOUNT, 'r'), facts.path('999999999999', 'r')]).toEqual([undefined, undefined]);
  });
});
