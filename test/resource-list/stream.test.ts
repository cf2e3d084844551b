import assert from 'node:assert/strict';
import { splitStream } from '../../fn/resource-list/stream.js';

describe('splitStream', () => {
  // Columns:
  //   name       what the row covers
  //   text       a multi-document YAML stream, as `helm template` writes it
  //   documents  the item chunks: each runs from its `---` line to the next one
  const table: Array<{ name: string; text: string; documents: string[] }> = [
    { name: 'two documents', text: 'a: 1\n---\nb: 2\n', documents: ['a: 1\n', '---\nb: 2\n'] },
    { name: 'a leading `---` starts the first document', text: '---\na: 1\n---\nb: 2\n', documents: ['---\na: 1\n', '---\nb: 2\n'] },
    {
      name: 'comments after `---` (Helm\'s "# Source:") stay with their document',
      text: '---\n# Source: chart/templates/a.yaml\na: 1\n--- # second\nb: 2\n',
      documents: ['---\n# Source: chart/templates/a.yaml\na: 1\n', '--- # second\nb: 2\n'],
    },
    { name: 'a comment before the first `---` is a chunk of its own', text: '# header\n---\na: 1\n', documents: ['# header\n', '---\na: 1\n'] },
    {
      name: 'an indented `---` inside a block scalar is content, not a separator',
      text: 'a: |\n  x\n  ---\n  y\n---\nb: 2\n',
      documents: ['a: |\n  x\n  ---\n  y\n', '---\nb: 2\n'],
    },
    { name: 'an indented `---` in a map is not a separator', text: 'a: 1\n  ---\nb: 2\n', documents: ['a: 1\n  ---\nb: 2\n'] },
    { name: '`----` is not a separator', text: 'a: 1\n----\nb: 2\n', documents: ['a: 1\n----\nb: 2\n'] },
    { name: '`---x` is not a separator', text: 'a: 1\n---x\nb: 2\n', documents: ['a: 1\n---x\nb: 2\n'] },
    { name: '`---` then a tab is a separator', text: 'a: 1\n---\tx\nb: 2\n', documents: ['a: 1\n', '---\tx\nb: 2\n'] },
    { name: '`---` with a document on the same line', text: 'a: 1\n--- b: 2\n', documents: ['a: 1\n', '--- b: 2\n'] },
    { name: 'empty documents', text: '---\n---\na: 1\n', documents: ['---\n', '---\na: 1\n'] },
    { name: 'a trailing `---`', text: 'a: 1\n---\n', documents: ['a: 1\n', '---\n'] },
    { name: 'a trailing `---` without newline', text: 'a: 1\n---', documents: ['a: 1\n', '---'] },
    { name: 'no trailing newline', text: 'a: 1\n---\nb: 2', documents: ['a: 1\n', '---\nb: 2'] },
    { name: 'CRLF line ends', text: 'a: 1\r\n---\r\nb: 2\r\n', documents: ['a: 1\r\n', '---\r\nb: 2\r\n'] },
    { name: 'a document end marker stays in its document', text: 'a: 1\n...\n---\nb: 2\n', documents: ['a: 1\n...\n', '---\nb: 2\n'] },
    { name: 'empty text is one empty chunk', text: '', documents: [''] },
  ];

  for (const row of table) {
    it(row.name, () => {
      const skeleton = splitStream(row.text);
      assert.deepEqual(
        skeleton.items.map((span) => row.text.slice(span.start, span.end)),
        row.documents,
      );
      // The chunks are the whole text, in order: nothing lies outside them.
      assert.equal(skeleton.items.map((span) => row.text.slice(span.start, span.end)).join(''), row.text);
      assert.deepEqual(skeleton.itemsStyle, { type: 'documents' });
      assert.equal(skeleton.headerText, '');
      assert.equal(skeleton.insertItemsAt, row.text.length);
      assert.equal(skeleton.appendAt, row.text.length);
      assert.equal(skeleton.topLevelStyle, 'block');
      assert.equal(skeleton.results, undefined);
      assert.equal(skeleton.text, row.text);
    });
  }
});
