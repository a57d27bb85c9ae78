import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { REPOSITORY_ROOT } from '../../../infra/bundling.js';

/**
 * Validators of the two finding formats against their vendored schemas (test/fixtures/schemas): ASFF against
 * AWS's own service model of BatchImportFindings' AwsSecurityFinding (Security Hub API 2018-10-26, from
 * botocore), turned into JSON Schema here, with the attributes ASFF documents as required; OCSF against the
 * Compliance Finding schema written from the OCSF 1.3.0 definitions (see its $comment).
 */

const SCHEMAS = join(REPOSITORY_ROOT, 'test', 'fixtures', 'schemas');

interface SmithyMember {
  readonly shape: string;
}

interface SmithyShape {
  readonly type: string;
  readonly members?: Readonly<Record<string, SmithyMember>>;
  readonly required?: readonly string[];
  readonly member?: SmithyMember;
  readonly key?: SmithyMember;
  readonly value?: SmithyMember;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
}

interface VendoredModel {
  readonly source: string;
  readonly version: string;
  readonly root: string;
  readonly shapes: Readonly<Record<string, SmithyShape>>;
}

const ref = (member: SmithyMember) => ({ $ref: `#/$defs/${member.shape}` });

/** One service-model shape as JSON Schema: structures are closed (an unknown member is an error). */
export function shapeSchema(shape: SmithyShape): Record<string, unknown> {
  switch (shape.type) {
    case 'structure':
      return {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(shape.members ?? {}).map(([name, m]) => [name, ref(m)]),
        ),
        ...(shape.required === undefined ? {} : { required: shape.required }),
        additionalProperties: false,
      };
    case 'list':
      if (shape.member === undefined) throw new Error('a list shape without a member');
      return {
        type: 'array',
        items: ref(shape.member),
        ...(shape.min === undefined ? {} : { minItems: shape.min }),
        ...(shape.max === undefined ? {} : { maxItems: shape.max }),
      };
    case 'map':
      if (shape.key === undefined || shape.value === undefined)
        throw new Error('a map shape without key or value');
      return { type: 'object', propertyNames: ref(shape.key), additionalProperties: ref(shape.value) };
    case 'string':
      return {
        type: 'string',
        ...(shape.enum === undefined ? {} : { enum: shape.enum }),
        ...(shape.pattern === undefined ? {} : { pattern: shape.pattern }),
        ...(shape.min === undefined ? {} : { minLength: shape.min }),
        ...(shape.max === undefined ? {} : { maxLength: shape.max }),
      };
    case 'integer':
    case 'long':
      return { type: 'integer' };
    case 'double':
    case 'float':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      throw new Error(`shape type ${shape.type} is not in the vendored model; extend shapeSchema`);
  }
}

/** ISO 8601 date-time with a zone, the form ASFF timestamps take ("2017-03-22T13:22:13.933Z"). */
const TIMESTAMP = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
};

/**
 * What the ASFF pages document beyond the model: the required top-level attributes
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html) and the length limits
 * the API reference states in prose (AwsSecurityFinding: Id and GeneratorId 512, Title 256, Description 1024,
 * Types 50 items, Resources 32, ProductFields 50 pairs with keys of 128 and values of 2048 characters).
 */
const ASFF_DOCUMENTED = {
  type: 'object',
  required: [
    'AwsAccountId',
    'CreatedAt',
    'Description',
    'GeneratorId',
    'Id',
    'ProductArn',
    'Resources',
    'SchemaVersion',
    'Severity',
    'Title',
    'Types',
    'UpdatedAt',
  ],
  properties: {
    SchemaVersion: { const: '2018-10-08' },
    AwsAccountId: { type: 'string', pattern: '^\\d{12}$' },
    Id: { type: 'string', maxLength: 512 },
    GeneratorId: { type: 'string', maxLength: 512 },
    Title: { type: 'string', maxLength: 256 },
    Description: { type: 'string', maxLength: 1024 },
    Types: { type: 'array', minItems: 1, maxItems: 50 },
    Resources: { type: 'array', minItems: 1, maxItems: 32 },
    CreatedAt: TIMESTAMP,
    UpdatedAt: TIMESTAMP,
    ProductFields: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { type: 'string', maxLength: 128 },
      additionalProperties: { type: 'string', maxLength: 2048 },
    },
  },
};

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as T;
}

/** The vendored Security Hub model: its source and version, and its shapes. */
export function asffModel(): VendoredModel {
  return readJson<VendoredModel>('securityhub-2018-10-26-asff.json');
}

/** Validates one ASFF finding (AwsSecurityFinding) against the model and the documented attributes. */
export function asffValidator(): ValidateFunction {
  const model = asffModel();
  const schema = {
    $defs: Object.fromEntries(
      Object.entries(model.shapes).map(([name, shape]) => [name, shapeSchema(shape)]),
    ),
    allOf: [{ $ref: `#/$defs/${model.root}` }, ASFF_DOCUMENTED],
  };
  // The documented required attributes are properties of the model's shape, the other branch of allOf.
  return new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
}

/** Validates one OCSF Compliance Finding event. */
export function ocsfValidator(): ValidateFunction {
  return new Ajv2020({ allErrors: true, strict: true }).compile(
    readJson<object>('ocsf-1.3.0-compliance-finding.schema.json'),
  );
}
