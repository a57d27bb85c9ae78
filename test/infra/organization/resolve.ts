/**
 * Evaluates the CloudFormation intrinsics our templates use (Ref, Fn::Join, Fn::GetAtt ... Arn) against given
 * values, so policies from a synthesized template can be fed to iam-simulate as deployed.
 */
export function resolveIntrinsics(value: unknown, refs: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, refs));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const [key] = Object.keys(object);
  if (Object.keys(object).length === 1 && key === 'Ref') {
    const name = object.Ref as string;
    const resolved = refs[name];
    if (resolved === undefined) throw new Error(`No value given for Ref ${name}`);
    return resolved;
  }
  if (Object.keys(object).length === 1 && key === 'Fn::GetAtt') {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    const resolved = refs[`${logicalId}.${attribute}`];
    if (resolved === undefined) throw new Error(`No value given for Fn::GetAtt ${logicalId}.${attribute}`);
    return resolved;
  }
  if (Object.keys(object).length === 1 && key === 'Fn::Join') {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveIntrinsics(part, refs)).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolveIntrinsics(v, refs)]));
}
