import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { USAGE } from '../fn/usage.js';

describe('registry-proxy --help', () => {
  it('is the usage the README shows, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.ok(readme.includes(`\`\`\`text\n${USAGE}\`\`\``), 'README.md "Command line" differs from fn/usage.ts');
  });
});
