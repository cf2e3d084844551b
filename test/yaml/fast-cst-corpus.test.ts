// fn/yaml/fast-cst.ts against yaml's Parser on every chunk of the corpus (test/fixtures/corpus), each
// document of each file as the post-renderer cuts it and as an item of a ResourceList as the reader
// cuts it, and on 5,000 more mutants: the full run of test/yaml/fast-cst.test.ts's contract, too slow
// for the inner loop (yaml's Parser takes about 10 s over the 3.5 MB twice), so it runs in `npm test`.
import assert from 'node:assert/strict';
import { asResourceList, check, checkMutants, corpusFiles, documentChunks, itemChunks, newTally, report } from '../helpers/fast-cst-diff.js';

describe("parseCst (fn/yaml/fast-cst.ts) gives exactly yaml's CST on the whole corpus", function () {
  this.timeout(300_000);
  const files = corpusFiles();

  it('on every item and every document chunk, and takes the fast path for nearly all', () => {
    const items = newTally();
    const documents = newTally();
    let itemCount = 0;
    let documentCount = 0;
    for (const { name, text } of files) {
      const asItems = itemChunks(asResourceList(text));
      const asDocuments = documentChunks(text);
      asItems.forEach((chunk, index) => check(chunk, items, `${name} item ${index}`));
      asDocuments.forEach((chunk, index) => check(chunk, documents, `${name} document ${index}`));
      itemCount += asItems.length;
      documentCount += asDocuments.length;
    }
    report('corpus items', items, itemCount);
    report('corpus documents', documents, documentCount);
    // The reason the fast path exists: real manifests are nearly all in its subset.
    assert.ok(items.fast >= 0.9 * itemCount, `only ${items.fast} of ${itemCount} items on the fast path`);
    assert.ok(documents.fast >= 0.9 * documentCount, `only ${documents.fast} of ${documentCount} documents on the fast path`);
  });

  it('on 5,000 mutants of corpus chunks, on both sides of the subset', () => checkMutants(7, 5000));
});
