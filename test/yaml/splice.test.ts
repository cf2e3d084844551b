import assert from 'node:assert/strict';
import { applySplices, orderSplices, splicePieces, type Splice } from '../../fn/yaml/splice.js';

describe('applySplices', () => {
  // Columns: name; the splices (in the order given); the result of applying them to "abcdef".
  const table: Array<[string, Splice[], string]> = [
    ['no splices', [], 'abcdef'],
    ['one replacement', [{ start: 1, end: 3, text: 'XY' }], 'aXYdef'],
    ['an insertion', [{ start: 3, end: 3, text: '+' }], 'abc+def'],
    ['a deletion', [{ start: 0, end: 2, text: '' }], 'cdef'],
    ['at the very end', [{ start: 6, end: 6, text: '!' }], 'abcdef!'],
    ['the whole text', [{ start: 0, end: 6, text: 'z' }], 'z'],
    [
      'given out of order: applied by offset',
      [
        { start: 4, end: 5, text: 'X' },
        { start: 0, end: 1, text: 'Y' },
        { start: 2, end: 2, text: '+' },
      ],
      'Yb+cdXf',
    ],
    [
      'two insertions at one offset keep the order given',
      [
        { start: 2, end: 2, text: '1' },
        { start: 2, end: 2, text: '2' },
      ],
      'ab12cdef',
    ],
    [
      'an insertion where a replacement starts goes before it',
      [
        { start: 2, end: 4, text: 'R' },
        { start: 2, end: 2, text: 'I' },
      ],
      'abIRef',
    ],
    [
      'adjacent replacements',
      [
        { start: 1, end: 4, text: 'x' },
        { start: 4, end: 5, text: 'y' },
      ],
      'axyf',
    ],
    [
      'an insertion where a replacement ends',
      [
        { start: 1, end: 3, text: 'R' },
        { start: 3, end: 3, text: 'I' },
      ],
      'aRIdef',
    ],
  ];
  for (const [name, splices, expected] of table) {
    it(name, () => assert.equal(applySplices('abcdef', splices), expected));
  }

  // Columns: name; overlapping splices; the offset the error names.
  const overlaps: Array<[string, Splice[], number]> = [
    [
      'two replacements that overlap',
      [
        { start: 1, end: 4, text: 'x' },
        { start: 3, end: 5, text: 'y' },
      ],
      3,
    ],
    [
      'an insertion inside a replacement',
      [
        { start: 1, end: 5, text: 'y' },
        { start: 3, end: 3, text: 'x' },
      ],
      3,
    ],
    [
      'the same span twice',
      [
        { start: 2, end: 4, text: 'a' },
        { start: 2, end: 4, text: 'b' },
      ],
      2,
    ],
  ];
  for (const [name, splices, offset] of overlaps) {
    it(`refuses ${name}`, () => {
      assert.throws(() => applySplices('abcdef', splices), { message: `overlapping edits at offset ${offset}` });
    });
  }

  it('starts an own-line insertion on a new line, judged on the output so far', () => {
    assert.equal(applySplices('a: 1', [{ start: 4, end: 4, text: 'b: 2\n', ownLine: true }]), 'a: 1\nb: 2\n');
    assert.equal(applySplices('a: 1\n', [{ start: 5, end: 5, text: 'b: 2\n', ownLine: true }]), 'a: 1\nb: 2\n');
    // The edit before it already ended the line: no blank line (Helm input without a final newline).
    const edits: Splice[] = [
      { start: 0, end: 4, text: 'a: 1\nc: 3\n' },
      { start: 4, end: 4, text: 'b: 2\n', ownLine: true },
    ];
    assert.equal(applySplices('a: 1', edits), 'a: 1\nc: 3\nb: 2\n');
    assert.equal(applySplices('', [{ start: 0, end: 0, text: 'b\n', ownLine: true }]), 'b\n');
  });

  it('does not reorder the caller\'s array', () => {
    const splices: Splice[] = [
      { start: 4, end: 5, text: 'X' },
      { start: 0, end: 1, text: 'Y' },
    ];
    applySplices('abcdef', splices);
    assert.deepEqual(splices, [
      { start: 4, end: 5, text: 'X' },
      { start: 0, end: 1, text: 'Y' },
    ]);
  });

  it('takes text made of pieces: rendered as they are asked for, the last one judged by a later own-line insertion', () => {
    let rendered = 0;
    const lazy = { pieces: function* (): Generator<string> { rendered++; yield 'X'; yield ''; yield 'Y'; } };
    const splices: Splice[] = [
      { start: 2, end: 2, text: lazy },
      { start: 2, end: 2, text: 'z\n', ownLine: true },
    ];
    const pieces = splicePieces('abcdef', orderSplices(splices));
    assert.equal(rendered, 0, 'nothing rendered before the pieces are read');
    assert.deepEqual([...pieces], ['ab', 'X', 'Y', '\n', 'z\n', 'cdef']);
    assert.equal(applySplices('abcdef', splices), 'abXY\nz\ncdef');
  });

  it('refuses overlapping edits when ordering them, before any piece is made', () => {
    assert.throws(() => orderSplices([{ start: 1, end: 4, text: 'x' }, { start: 3, end: 5, text: 'y' }]), { message: 'overlapping edits at offset 3' });
  });
});
