import { describe, expect, it } from 'vitest';
import { renderCsv, renderJson, renderTable } from '../../cli/render.js';

describe('renderTable', () => {
  it('pads every column but the last to its widest cell, two spaces apart', () => {
    expect(
      renderTable(
        ['TRAIL', 'VERDICT', 'REASON'],
        [
          ['a-long-trail-name', 'COMPLIANT', 'Integrated.'],
          ['t1', 'NON_COMPLIANT', 'Not configured.'],
        ],
      ),
    ).toBe(
      [
        'TRAIL              VERDICT        REASON',
        'a-long-trail-name  COMPLIANT      Integrated.',
        't1                 NON_COMPLIANT  Not configured.',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header when there are no rows', () => {
    expect(renderTable(['A', 'B'], [])).toBe('A  B\n');
  });

  it('wraps the last column onto indented lines to fit the width', () => {
    expect(renderTable(['TRAIL', 'REASON'], [['t1', 'one two three four five six seven eight']], 40)).toBe(
      ['TRAIL  REASON', 't1     one two three four five six seven', '       eight', ''].join('\n'),
    );
  });

  it('puts the last column under each row when the other columns leave it under 30 characters', () => {
    const reason = 'Integrated: the trail sends events to CloudWatch Logs log group /demo/organization-wide.';
    const table = renderTable(
      ['TRAIL', 'ACCOUNT', 'HOME REGION', 'VERDICT', 'REASON'],
      [['organization-wide', '123456789012', 'eu-west-1', 'COMPLIANT', reason]],
      80,
    );
    expect(table).toBe(
      [
        'TRAIL              ACCOUNT       HOME REGION  VERDICT    REASON',
        'organization-wide  123456789012  eu-west-1    COMPLIANT',
        '    Integrated: the trail sends events to CloudWatch Logs log group',
        '    /demo/organization-wide.',
        '',
      ].join('\n'),
    );
    expect(Math.max(...table.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('leaves no trailing spaces when the last cells are empty', () => {
    expect(renderTable(['NAME', 'NOTE'], [['x', '']])).toBe('NAME  NOTE\nx\n');
  });
});

describe('renderCsv', () => {
  it.each([
    ['a plain field', 'plain', 'plain'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'one\ntwo', '"one\ntwo"'],
    ['an empty field', '', ''],
  ])('writes %s as RFC 4180 does', (_name, value, field) => {
    expect(renderCsv(['h'], [[value]])).toBe(`h\r\n${field}\r\n`);
  });

  it('writes the header row first and ends every row with CRLF', () => {
    expect(
      renderCsv(
        ['a', 'b'],
        [
          ['1', '2'],
          ['3', '4'],
        ],
      ),
    ).toBe('a,b\r\n1,2\r\n3,4\r\n');
  });
});

describe('renderJson', () => {
  it('indents by two spaces and ends with a newline', () => {
    expect(renderJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
