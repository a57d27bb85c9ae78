import { describe, expect, it } from 'vitest';
import { CREATED_BY_TAGS, carriesCreatedByTags, PROJECT_NAME } from '../../common/project.js';

describe('CREATED_BY_TAGS', () => {
  it('marks what the project creates as managed by it', () => {
    expect(PROJECT_NAME).toBe('cloudtrail-logs-guard');
    expect(CREATED_BY_TAGS).toEqual({ 'managed-by': 'cloudtrail-logs-guard' });
  });
});

describe('carriesCreatedByTags', () => {
  it.each([
    ['the tag alone', { 'managed-by': 'cloudtrail-logs-guard' }, true],
    ['the tag among others', { team: 'security', 'managed-by': 'cloudtrail-logs-guard' }, true],
    ['the key with another value', { 'managed-by': 'terraform' }, false],
    ['the value under another key', { owner: 'cloudtrail-logs-guard' }, false],
    ['no tags', {}, false],
    ['tags not read', undefined, false],
  ])('%s: %s', (_, tags, expected) => {
    expect(carriesCreatedByTags(tags)).toBe(expected);
  });
});
