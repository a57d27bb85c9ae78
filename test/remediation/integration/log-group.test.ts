import { describe, expect, it } from 'vitest';
import { describeSubscriptionFilters } from '../../../remediation/integration/log-group.js';

describe('describeSubscriptionFilters', () => {
  it.each([
    [[], 'none'],
    [[{ name: 'a', destinationArn: 'arn:1' }], 'a -> arn:1'],
    [
      [
        { name: 'a', destinationArn: 'arn:1' },
        { name: 'b', destinationArn: 'arn:2' },
      ],
      'a -> arn:1, b -> arn:2',
    ],
  ])('describes %j as "%s"', (filters, text) => {
    expect(describeSubscriptionFilters(filters)).toBe(text);
  });
});
