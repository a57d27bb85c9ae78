import { describe, expect, it } from 'vitest';
import { ANNOTATION, truncateAnnotation } from '../../rule/evaluate.js';
import { reasonCode } from '../../rule/reason-code.js';

const LONG = `/aws/${'x'.repeat(400)}`;

describe('reasonCode', () => {
  it.each([
    ['notConfigured', ANNOTATION.notConfigured],
    ['leftScope', ANNOTATION.leftScope],
    ['gone', ANNOTATION.gone],
    ['noRole', ANNOTATION.noRole('/g')],
    ['noLogGroup', ANNOTATION.noLogGroup('arn:aws:iam::111122223333:role/r')],
    ['integrated', ANNOTATION.integrated('/g')],
    ['delivering', ANNOTATION.delivering('/g', '5 hours', '24 hours')],
    ['grace', ANNOTATION.grace('/g', '3 minutes')],
    ['stale', ANNOTATION.stale('/g', '3 days', '24 hours') + ANNOTATION.deliveryError('AccessDenied')],
    ['never', ANNOTATION.never('/g', '24 hours')],
    [
      'predates',
      ANNOTATION.predates('/g', '97 minutes', '90 minutes') + ANNOTATION.deliveryError('AccessDenied'),
    ],
    ['regionCopy', ANNOTATION.regionCopy('t', 'us-east-1')],
    ['accountCopy', ANNOTATION.accountCopy('t', '999988887777', 'us-east-1')],
    ['deleted', ANNOTATION.deleted('ResourceDeleted')],
    ['notRecorded', ANNOTATION.notRecorded('ResourceNotRecorded')],
    ['otherResourceType', ANNOTATION.otherResourceType('AWS::S3::Bucket')],
    ['integrated', truncateAnnotation(ANNOTATION.integrated(LONG))],
    ['exempt', ANNOTATION.exempt('2026-12-15', 'Data events cost.', 'SEC-1234')],
    ['exemptionExpired', ANNOTATION.exemptionExpired('2026-11-20', 'SEC-1234', ANNOTATION.notConfigured)],
  ])('gives %s for its annotation', (code, annotation) => {
    expect(reasonCode(annotation)).toBe(code);
  });

  it("gives every reason of the rule its own table key, so a new annotation cannot go without a code and no reason's fixed text can start another's", () => {
    const reasons = Object.entries(ANNOTATION).filter(([key]) => key !== 'deliveryError');
    for (const [key, entry] of reasons) {
      const text = typeof entry === 'string' ? entry : (entry as (...v: string[]) => string)('a', 'b', 'c');
      expect([key, reasonCode(text)]).toEqual([key, key]);
    }
  });

  it.each([
    ['text the rule does not write', 'Something else entirely.'],
    ['a delivery error alone, which only continues a reason', ANNOTATION.deliveryError('AccessDenied')],
    ['an empty annotation', ''],
    ['a reason cut before its value', ANNOTATION.integrated('/g').slice(0, 20)],
  ])('gives unknown for %s', (_, annotation) => {
    expect(reasonCode(annotation)).toBe('unknown');
  });
});
