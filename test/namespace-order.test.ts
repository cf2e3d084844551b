import assert from 'node:assert/strict';
import { compareNamespaces } from '../fn/namespace-order.js';

describe('compareNamespaces', () => {
  it('orders DNS labels as the root and English collations do', () => {
    let seed = 7;
    const random = (limit: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    const names = ['', 'a', 'aa', 'a-a', 'a0', '0a', '-', 'z', 'default', 'kube-system'];
    for (let index = 0; index < 400; index++) {
      let name = '';
      for (let length = random(6); length > 0; length--) name += alphabet[random(alphabet.length)];
      names.push(name);
    }
    for (const locale of ['und', 'en', 'en-US']) {
      const collator = new Intl.Collator(locale);
      for (const a of names) for (const b of names) assert.equal(Math.sign(compareNamespaces(a, b)), Math.sign(collator.compare(a, b)), `${locale}: ${a} / ${b}`);
    }
  });

  it('leaves names that are not DNS labels to localeCompare', () => {
    assert.equal(compareNamespaces(undefined, 'a'), -1);
    assert.equal(Math.sign(compareNamespaces('Zeta', 'alpha')), Math.sign('Zeta'.localeCompare('alpha')));
  });
});
