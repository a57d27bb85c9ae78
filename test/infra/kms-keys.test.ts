import { describe, expect, it } from 'vitest';
import { InvalidContextError } from '../../infra/context.js';
import { kmsKeysByRegion, singleAccountKmsKey } from '../../infra/kms-keys.js';

const keyIn = (region: string) =>
  `arn:aws:kms:${region}:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe('kmsKeysByRegion', () => {
  it.each<[string, string[], string[], Record<string, string>]>([
    ['no key', [], ['eu-west-1', 'us-east-1'], {}],
    [
      'a key per governed region',
      [keyIn('us-east-1'), keyIn('eu-west-1')],
      ['eu-west-1', 'us-east-1'],
      { 'eu-west-1': keyIn('eu-west-1'), 'us-east-1': keyIn('us-east-1') },
    ],
    ['one key for its one region', [keyIn('eu-west-1')], ['eu-west-1'], { 'eu-west-1': keyIn('eu-west-1') }],
  ])('maps %s', (_name, keys, regions, expected) => {
    expect(kmsKeysByRegion(keys, regions)).toEqual(expected);
  });

  it.each<[string, string[], string[], string]>([
    [
      'one key for two regions',
      [keyIn('eu-west-1')],
      ['eu-west-1', 'us-east-1'],
      `one KMS key per governed region; ${keyIn('eu-west-1')} (eu-west-1) would be handed to us-east-1, where ` +
        'CloudWatch Logs cannot use it (a key encrypts log groups of its own region only): add a key of us-east-1 ' +
        '(for a multi-Region key, the ARN of its replica there)',
    ],
    [
      'a key of a region that is not governed',
      [keyIn('eu-west-1'), keyIn('eu-central-1')],
      ['eu-west-1'],
      `one KMS key per governed region (eu-west-1); key ${keyIn('eu-central-1')} is in eu-central-1, which is not ` +
        'governed: remove it or add its region to governedRegions',
    ],
  ])('refuses %s, naming the key and the regions', (_name, keys, regions, expected) => {
    expect(() => kmsKeysByRegion(keys, regions)).toThrow(
      new InvalidContextError('kmsKeyArn', keys.join(','), expected),
    );
  });
});

describe('singleAccountKmsKey', () => {
  it.each([
    [[], undefined],
    [[keyIn('eu-west-1')], keyIn('eu-west-1')],
  ])('takes %j: %s', (keys, expected) => {
    expect(singleAccountKmsKey(keys)).toBe(expected);
  });

  it('refuses several keys: the single-account stack is deployed to one region', () => {
    const keys = [keyIn('eu-west-1'), keyIn('us-east-1')];

    expect(() => singleAccountKmsKey(keys)).toThrow(
      new InvalidContextError(
        'kmsKeyArn',
        keys.join(','),
        'one KMS key ARN, of the region the single-account stack is deployed to (one key per region is for the ' +
          'organization app)',
      ),
    );
  });
});
