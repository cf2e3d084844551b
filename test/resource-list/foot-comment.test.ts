import assert from 'node:assert/strict';
import { footCommentEnd, footCommentGap } from '../../fn/resource-list/foot-comment.js';

describe('foot-comment', () => {
  const item = '- kind: A\n  spec: {}\n';

  it('takes the comment lines indented into the item, not those at the dash', () => {
    const text = `${item}  # end of a.yaml\n    # more\n# about what follows\nfunctionConfig: {}\n`;
    assert.equal(text.slice(item.length, footCommentEnd(text, item.length, 0)), '  # end of a.yaml\n    # more\n');
  });

  it('finds nothing where no comment follows', () => {
    const text = `${item}- kind: B\n`;
    assert.equal(footCommentEnd(text, item.length, 0), item.length);
    assert.equal(footCommentGap(text, item.length, 0), undefined);
  });

  it('wants a blank line after the comment unless one is there', () => {
    const comment = '  # end\n';
    assert.equal(footCommentGap(`${item}${comment}- kind: B\n`, item.length, 0), item.length + comment.length);
    assert.equal(footCommentGap(`${item}${comment}\n- kind: B\n`, item.length, 0), undefined);
    // At the end of the text something is still written after it (new items, results).
    assert.equal(footCommentGap(`${item}${comment}`, item.length, 0), item.length + comment.length);
  });

  it('respects the items indentation and CRLF', () => {
    const nested = 'items:\r\n  - kind: A\r\n    x: 1\r\n';
    assert.equal(footCommentEnd(`${nested}  # at the dash\r\n`, nested.length, 2), nested.length);
    assert.equal(footCommentGap(`${nested}    # in the item\r\nresults: []\r\n`, nested.length, 2), nested.length + '    # in the item\r\n'.length);
  });
});
