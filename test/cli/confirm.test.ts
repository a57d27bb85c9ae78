import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from '../../cli/confirm.js';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  return { input, output, written: () => written };
}

describe('confirm', () => {
  it.each([
    ['y', true],
    ['yes', true],
    ['YES', true],
    ['  Y  ', true],
    ['', false],
    ['n', false],
    ['no', false],
    ['yep', false],
  ])('answers %j as %s', async (answer, expected) => {
    const io = terminal();
    const result = confirm('Apply 4 changes?', io);
    io.input.write(`${answer}\n`);
    await expect(result).resolves.toBe(expected);
    expect(io.written()).toBe('Apply 4 changes? [y/N] ');
  });

  it('is a no when the input ends without an answer (Ctrl-D)', async () => {
    const io = terminal();
    const result = confirm('Apply 4 changes?', io);
    io.input.end();
    await expect(result).resolves.toBe(false);
    expect(io.written()).toBe('Apply 4 changes? [y/N] \n');
  });
});
