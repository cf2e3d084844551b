import assert from 'node:assert/strict';
import { redactLines, redactResults } from '../fn/redact.js';
import type { Result } from '../fn/results.js';

describe('redactResults / redactLines', () => {
  const secret = 'LIC-1234-secret';

  it('replaces the secret wherever a result holds it: message, field values, tags, keys', () => {
    const results: Result[] = [
      { severity: 'error', message: `bad license ${secret}`, field: { path: 'spec.licenseID', currentValue: `x${secret}x` } },
      { severity: 'info', message: 'fine', tags: { [`k-${secret}`]: secret } },
    ];
    assert.deepEqual(redactResults(results, secret), [
      { severity: 'error', message: 'bad license <redacted>', field: { path: 'spec.licenseID', currentValue: 'x<redacted>x' } },
      { severity: 'info', message: 'fine', tags: { 'k-<redacted>': '<redacted>' } },
    ]);
    assert.equal(results[0]!.message, `bad license ${secret}`, 'the results given are left as they were');
  });

  it('finds a secret holding characters JSON escapes (" and \\)', () => {
    const odd = 'ab"c\\d';
    assert.deepEqual(redactResults([{ severity: 'error', message: `got ${odd}` }], odd), [{ severity: 'error', message: 'got <redacted>' }]);
  });

  it('returns the same results when none holds the secret, and leaves secrets shorter than 4 alone', () => {
    const results: Result[] = [{ severity: 'info', message: 'nothing here' }];
    assert.equal(redactResults(results, secret), results);
    assert.deepEqual(redactResults([{ severity: 'info', message: 'abc' }], 'abc'), [{ severity: 'info', message: 'abc' }]);
    assert.deepEqual(redactLines([`line ${secret}`, 'other'], secret), ['line <redacted>', 'other']);
  });
});
