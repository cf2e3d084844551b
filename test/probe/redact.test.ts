import assert from 'node:assert/strict';
import { redactMessage } from '../../fn/probe/redact.js';

describe('redactMessage', () => {
  it('strips user-info from URLs', () => {
    assert.equal(redactMessage('connect to http://alice:s3cret@proxy.corp:3128 failed'), 'connect to http://proxy.corp:3128 failed');
    assert.equal(redactMessage('https://token@host/x'), 'https://host/x');
  });
  it('removes known secrets, longest first', () => {
    assert.equal(redactMessage('pw hunter22 and hunter22x', ['hunter22', 'hunter22x']), 'pw *** and ***');
  });
  it('folds to one bounded line', () => {
    assert.equal(redactMessage('a\n  b\r\nc'), 'a b c');
    assert.equal(redactMessage('x'.repeat(1000)).length, 300);
  });
});
