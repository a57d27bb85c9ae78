import type { RoleFacts } from './authorization.js';
import type { AwsRequest } from './aws-request.js';

/**
 * What a scenario's own requests tell about IAM roles, in request order: a role's path (part of the ARN IAM
 * evaluates) and its permissions boundary (iam:PermissionsBoundary of PutRolePolicy and the like). Learnt from
 * successful CreateRole and PutRolePermissionsBoundary requests and from GetRole answers; the remediation reads a
 * role before writing to it, so its writes find the role's state here. Each scenario starts from an emptied
 * emulator, so the facts start empty too.
 */
export class ScenarioRoleFacts implements RoleFacts {
  private readonly paths = new Map<string, string>();
  private readonly boundaries = new Map<string, string | undefined>();

  path(account: string, roleName: string): string | undefined {
    return this.paths.get(`${account}/${roleName}`);
  }

  boundary(account: string, roleName: string): string | undefined {
    return this.boundaries.get(`${account}/${roleName}`);
  }

  /** Learns from `request` (made in `account`) once it has been authorized. */
  learn(request: AwsRequest, account: string): void {
    if (request.service !== 'iam' || request.response.status !== 200) return;
    const roleName = request.input.RoleName;
    if (typeof roleName !== 'string') return;
    const key = `${account}/${roleName}`;
    const input = request.input as Readonly<Record<string, string | undefined>>;
    switch (request.operation) {
      case 'CreateRole':
        this.paths.set(key, input.Path ?? '/');
        this.boundaries.set(key, input.PermissionsBoundary);
        return;
      case 'GetRole': {
        const body = request.response.body;
        const path = /<Path>([^<]*)<\/Path>/.exec(body)?.[1];
        if (path !== undefined) this.paths.set(key, path);
        this.boundaries.set(key, /<PermissionsBoundaryArn>([^<]*)<\/PermissionsBoundaryArn>/.exec(body)?.[1]);
        return;
      }
      case 'PutRolePermissionsBoundary':
        this.boundaries.set(key, input.PermissionsBoundary);
        return;
      case 'DeleteRolePermissionsBoundary':
        this.boundaries.set(key, undefined);
        return;
      case 'DeleteRole':
        this.paths.delete(key);
        this.boundaries.delete(key);
        return;
    }
  }
}
