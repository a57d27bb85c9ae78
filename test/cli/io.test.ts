import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { endQuietlyOnClosedPipe } from '../../cli/io.js';
import { nodeSupportNotice } from '../../cli/node-support.js';

function streamError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

describe('endQuietlyOnClosedPipe', () => {
  it.each(['EPIPE', 'ERR_STREAM_DESTROYED'])('ignores %s, the reader having gone away', (code) => {
    const stream = new PassThrough();
    endQuietlyOnClosedPipe(stream);
    expect(() => stream.emit('error', streamError(code))).not.toThrow();
  });

  it('rethrows any other stream error', () => {
    const stream = new PassThrough();
    endQuietlyOnClosedPipe(stream);
    expect(() => stream.emit('error', streamError('ENOSPC'))).toThrow('write ENOSPC');
  });
});

describe('nodeSupportNotice', () => {
  it('says in one line which Node.js future SDK releases need, on Node.js 20', () => {
    expect(nodeSupportNotice('v20.20.2', 'cloudtrail-logs-guard')).toBe(
      'cloudtrail-logs-guard: note: running on Node.js v20.20.2; AWS SDK releases after the first week of January 2027 need Node.js 22 or later.',
    );
  });

  it.each(['v22.0.0', 'v24.1.0'])('says nothing on %s', (version) => {
    expect(nodeSupportNotice(version, 'cloudtrail-logs-guard')).toBeUndefined();
  });
});
