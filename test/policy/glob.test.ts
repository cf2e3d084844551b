import assert from 'node:assert/strict';
import { compileGlob } from '../../fn/policy/glob.js';

describe('compileGlob', () => {
  // Columns: the glob (rules[].match); a normalized repository name; whether it matches.
  const table: Array<[string, string, boolean]> = [
    // `*` stays within one path segment.
    ['quay.io/org/*', 'quay.io/org/app', true],
    ['quay.io/org/*', 'quay.io/org/team/app', false],
    ['quay.io/org/*', 'quay.io/org', false],
    ['quay.io/*/app', 'quay.io/org/app', true],
    ['quay.io/*/app', 'quay.io/a/b/app', false],
    ['*', 'nginx', true],
    ['*', 'docker.io/library/nginx', false],
    ['*/nginx', 'docker.io/library/nginx', false],
    ['docker.io/library/ng*', 'docker.io/library/nginx', true],
    // `**` crosses segments.
    ['quay.io/org/**', 'quay.io/org/app', true],
    ['quay.io/org/**', 'quay.io/org/team/app', true],
    ['quay.io/org/**', 'quay.io/org', false],
    ['quay.io/org/**', 'quay.io/organization/app', false],
    ['**/nginx', 'docker.io/library/nginx', true],
    ['**', 'a/b/c', true],
    ['docker.io/**', 'quay.io/docker.io/app', false],
    // Anchored at both ends.
    ['docker.io/library/nginx', 'docker.io/library/nginx', true],
    ['docker.io/library/nginx', 'docker.io/library/nginx-unprivileged', false],
    ['library/nginx', 'docker.io/library/nginx', false],
    // `?` is one character within a segment.
    ['quay.io/org/ap?', 'quay.io/org/app', true],
    ['quay.io/org?app', 'quay.io/org/app', false],
    // Every regexp metacharacter is literal.
    ['quay.io/org/a.b', 'quay.io/org/aXb', false],
    ['quay.io/org/a.b', 'quay.io/org/a.b', true],
    ['a+b', 'aab', false],
    ['a+b', 'a+b', true],
    ['a(b)', 'ab', false],
    ['a(b)', 'a(b)', true],
    ['a|b', 'a', false],
    ['a|b', 'a|b', true],
    ['a[bc]', 'ab', false],
    ['a[bc]', 'a[bc]', true],
    ['a{2}', 'aa', false],
    ['a{2}', 'a{2}', true],
    ['^a$', 'a', false],
    ['^a$', '^a$', true],
    ['a\\d', 'a1', false],
    ['a\\d', 'a\\d', true],
  ];
  for (const [glob, repository, matches] of table) {
    it(`${JSON.stringify(glob)} ${matches ? 'matches' : 'does not match'} ${JSON.stringify(repository)}`, () => {
      assert.equal(compileGlob(glob).test(repository), matches);
    });
  }

  it('compiles every metacharacter without throwing', () => {
    assert.doesNotThrow(() => compileGlob('([{*+?.^$|\\'));
  });
});
