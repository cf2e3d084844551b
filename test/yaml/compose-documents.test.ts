import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { composeDocuments } from '../../fn/yaml/compose-documents.js';
import { caseInputs, corpusFiles } from '../helpers/fast-cst-diff.js';
import { mutants, sampleDocuments } from '../helpers/yaml-samples.js';

const OPTIONS = { version: '1.1', uniqueKeys: true } as const;

/** What a reader of either sees: each document's errors, warnings and value. */
function observed(documents: ReturnType<typeof composeDocuments>): unknown[] {
  return documents.map((document) => ({
    errors: document.errors.map((error) => [error.code, error.message, error.pos]),
    warnings: document.warnings.map((warning) => [warning.code, warning.message, warning.pos]),
    value: document.errors.length > 0 ? undefined : valueOf(document),
  }));
}

function valueOf(document: ReturnType<typeof composeDocuments>[number]): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { thrown: error instanceof Error ? error.message : String(error) };
  }
}

describe('composeDocuments', () => {
  it("is yaml's parseAllDocuments without pretty errors, on the corpus, the cases and mutants", () => {
    const texts = [...corpusFiles().map((file) => file.text), ...caseInputs(), ...mutants(sampleDocuments(), 400), '', '---\n---\n', '# only a comment\n'];
    for (const text of texts) {
      const expected = observed(parseAllDocuments(text, { ...OPTIONS, prettyErrors: false }));
      assert.deepEqual(observed(composeDocuments(text, OPTIONS)), expected, text.slice(0, 200));
    }
  });
});
