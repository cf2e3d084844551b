import assert from 'node:assert/strict';
import { formatDay, parseIsoDate } from '../../fn/license/iso-date.js';

describe('parseIsoDate', () => {
  const cases: Array<[string, string | undefined]> = [
    ['2026-01-23T00:00:00Z', '2026-01-23T00:00:00.000Z'],
    ['2026-01-23', '2026-01-23T00:00:00.000Z'],
    ['2026-01-23T10:30:00+02:00', '2026-01-23T08:30:00.000Z'],
    ['2026-01-23T10:30:00.5-0100', '2026-01-23T11:30:00.500Z'],
    ['2026-01-23T10:30', '2026-01-23T10:30:00.000Z'],
    // Forms Date.parse would accept or roll over.
    ['2026-02-30', undefined],
    ['2026-13-01', undefined],
    ['2026-01-23T24:00:00Z', undefined],
    ['31/01/2026', undefined],
    ['January 23, 2026', undefined],
    ['1769126400', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} -> ${expected ?? 'not a date'}`, () => {
      assert.equal(parseIsoDate(text)?.toISOString(), expected);
    });
  }
});

describe('formatDay', () => {
  it('shows a midnight-UTC instant as its day, anything else in full', () => {
    assert.equal(formatDay(new Date('2026-01-23T00:00:00Z')), '2026-01-23');
    assert.equal(formatDay(new Date('2026-01-23T08:30:00Z')), '2026-01-23T08:30:00Z');
  });
});
