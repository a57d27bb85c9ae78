import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeError, invocationLog, stackLines } from '../../common/log.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('describeError', () => {
  it('keeps type, message and the chain of causes', () => {
    const root = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    const wrapped = new TypeError('could not write', { cause: root });
    expect(describeError(wrapped)).toEqual({
      type: 'TypeError',
      message: 'could not write',
      causes: [{ type: 'AccessDenied', message: 'Access Denied', causes: [] }],
    });
  });

  it("lists an AggregateError's errors after its cause", () => {
    const error = new AggregateError([new Error('first'), 'second'], 'both failed', {
      cause: new Error('why'),
    });
    expect(describeError(error).causes.map(({ type, message }) => [type, message])).toEqual([
      ['Error', 'why'],
      ['Error', 'first'],
      ['string', 'second'],
    ]);
  });

  it('reads nothing but name, message and causes (no SDK response, no credentials)', () => {
    const error = Object.assign(new Error('Throttled'), {
      name: 'ThrottlingException',
      $response: { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIASECRET' } },
      credentials: { secretAccessKey: 'secret' },
    });
    expect(JSON.stringify(describeError(error))).toBe(
      '{"type":"ThrottlingException","message":"Throttled","causes":[]}',
    );
  });

  it('stops following causes after five levels, so a cycle cannot loop', () => {
    const error = new Error('loop');
    Object.assign(error, { cause: error });
    let depth = 0;
    for (let level = describeError(error); level.causes[0] !== undefined; level = level.causes[0]) depth += 1;
    expect(depth).toBe(5);
  });
});

describe('stackLines', () => {
  it('gives the frames of an error without its first line', () => {
    const lines = stackLines(new Error('x'));
    expect(lines[0]).toMatch(/^at /);
    expect(lines.join('\n')).not.toContain('Error: x');
  });

  it('gives nothing for a value that is not an Error', () => {
    expect(stackLines('boom')).toEqual([]);
  });
});

describe('invocationLog', () => {
  it('writes debug, info and error lines through the matching console method', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = invocationLog('request-1');
    log.debug('parsed', { a: 1 });
    log.info('done', { b: 'two', skipped: undefined });
    log.error('failed', new RangeError('bad'), { c: true });
    expect(debug.mock.calls).toEqual([[{ event: 'parsed', requestId: 'request-1', a: 1 }]]);
    expect(info.mock.calls).toEqual([
      [{ event: 'done', requestId: 'request-1', b: 'two', skipped: undefined }],
    ]);
    expect(error.mock.calls).toEqual([
      [
        {
          event: 'failed',
          requestId: 'request-1',
          c: true,
          error: { type: 'RangeError', message: 'bad', causes: [] },
          stack: expect.arrayContaining([expect.stringMatching(/^at /)]),
        },
      ],
    ]);
  });
});
