import assert from 'node:assert/strict';
import type { Config } from '../../fn/config/config.js';
import { testConfig } from '../helpers/config-fixture.js';
import { parseImageReference } from '../../fn/image-reference.js';
import { createVisibilityPolicy, repositoryKey, type Verdict } from '../../fn/policy/decide-visibility.js';

const config = testConfig;

/** The policy's verdict for an image as written, with the repository key the pipeline computes. */
function decide(cfg: Config, image: string): Verdict | undefined {
  const parsed = parseImageReference(image);
  assert.ok(parsed.ok, `${image} must parse`);
  return createVisibilityPolicy(cfg).decide(image, repositoryKey(parsed.ref));
}

describe('repositoryKey', () => {
  // Columns: image as written; the key rules and knownImages match on (host lowercased).
  const table: Array<[string, string]> = [
    ['nginx:1.25', 'docker.io/library/nginx'],
    ['index.docker.io/nginx', 'docker.io/library/nginx'],
    ['Quay.IO/org-x/app:1', 'quay.io/org-x/app'],
    ['quay.io/org/app@sha256:' + 'a'.repeat(64), 'quay.io/org/app'],
    ['localhost:5000/app', 'localhost:5000/app'],
  ];
  for (const [image, key] of table) {
    it(`${image} -> ${key}`, () => {
      const parsed = parseImageReference(image);
      assert.ok(parsed.ok);
      assert.equal(repositoryKey(parsed.ref), key);
    });
  }
});

describe('createVisibilityPolicy: precedence', () => {
  const everything: Partial<Config> = {
    proxyPublicImages: true,
    rules: [{ match: 'quay.io/org/**', private: false }],
    knownImages: [
      { image: 'quay.io/org/app:1', isPrivate: false },
      { image: 'quay.io/org/other:9', isPrivate: true },
    ],
  };
  // Columns:
  //   name     which source must decide
  //   config   the configuration (every other source that would decide differently is present)
  //   image    the image as written
  //   verdict  the whole verdict (undefined: only the probe or the fallback can decide)
  const table: Array<{ name: string; config: Partial<Config>; image: string; verdict: Verdict | undefined }> = [
    {
      name: 'proxyPublicImages beats rules and knownImages',
      config: everything,
      image: 'quay.io/org/app:1',
      verdict: { isPrivate: true, source: 'proxyPublicImages', detail: 'proxyPublicImages is true' },
    },
    {
      name: 'rules beat knownImages',
      config: { ...everything, proxyPublicImages: false },
      image: 'quay.io/org/other:9',
      verdict: { isPrivate: false, source: 'rules', detail: 'rule "quay.io/org/**"' },
    },
    {
      name: 'the first matching rule wins',
      config: {
        rules: [
          { match: 'quay.io/org/secret-*', private: true },
          { match: 'quay.io/org/**', private: false },
        ],
      },
      image: 'quay.io/org/secret-api:1',
      verdict: { isPrivate: true, source: 'rules', detail: 'rule "quay.io/org/secret-*"' },
    },
    {
      name: 'rules match the normalized repository (docker.io/library/ added, host lowercased)',
      config: { rules: [{ match: 'docker.io/library/*', private: true }, { match: 'quay.io/**', private: true }] },
      image: 'nginx:1.25',
      verdict: { isPrivate: true, source: 'rules', detail: 'rule "docker.io/library/*"' },
    },
    {
      name: 'rules see the lowercase host',
      config: { rules: [{ match: 'quay.io/org/*', private: true }] },
      image: 'QUAY.IO/org/app:1',
      verdict: { isPrivate: true, source: 'rules', detail: 'rule "quay.io/org/*"' },
    },
    {
      name: 'knownImages: the exact string beats another entry of the same repository',
      config: {
        knownImages: [
          { image: 'quay.io/org/app:2', isPrivate: true },
          { image: 'quay.io/org/app:1', isPrivate: false },
        ],
      },
      image: 'quay.io/org/app:1',
      verdict: { isPrivate: false, source: 'knownImages', detail: 'knownImages' },
    },
    {
      name: 'knownImages by repository: another tag of a known repository',
      config: { knownImages: [{ image: 'quay.io/org/app:2', isPrivate: true }] },
      image: 'quay.io/org/app:3',
      verdict: { isPrivate: true, source: 'knownImages', detail: 'knownImages (repository quay.io/org/app)' },
    },
    {
      name: 'knownImages by repository: another spelling of a known repository',
      config: { knownImages: [{ image: 'nginx:1.25', isPrivate: false }] },
      image: 'docker.io/library/nginx:1.27',
      verdict: { isPrivate: false, source: 'knownImages', detail: 'knownImages (repository docker.io/library/nginx)' },
    },
    {
      name: 'knownImages by repository: the first entry of a repository decides',
      config: {
        knownImages: [
          { image: 'quay.io/org/app:1', isPrivate: false },
          { image: 'quay.io/org/app:2', isPrivate: true },
        ],
      },
      image: 'quay.io/org/app:3',
      verdict: { isPrivate: false, source: 'knownImages', detail: 'knownImages (repository quay.io/org/app)' },
    },
    {
      name: 'knownImages: a public verdict (false) is an answer, not a miss',
      config: { knownImages: [{ image: 'quay.io/org/app:1', isPrivate: false }], unknownImages: 'error' },
      image: 'quay.io/org/app:1',
      verdict: { isPrivate: false, source: 'knownImages', detail: 'knownImages' },
    },
    {
      name: 'a knownImages entry that is not a reference matches only exactly',
      config: { knownImages: [{ image: 'Not A Reference', isPrivate: true }] },
      image: 'quay.io/org/app:1',
      verdict: undefined,
    },
    {
      name: 'nothing decides: the probe or the fallback must',
      config: { rules: [{ match: 'ghcr.io/**', private: true }], knownImages: [{ image: 'quay.io/other/app', isPrivate: true }] },
      image: 'quay.io/org/app:1',
      verdict: undefined,
    },
  ];
  for (const row of table) {
    it(row.name, () => assert.deepEqual(decide(config(row.config), row.image), row.verdict));
  }
});

describe('createVisibilityPolicy: fallback (unknownImages)', () => {
  // Columns: unknownImages; the reason passed in (or none); the whole verdict.
  const table: Array<{ unknownImages: Config['unknownImages']; reason: string | undefined; verdict: Verdict }> = [
    {
      unknownImages: 'private',
      reason: undefined,
      verdict: {
        isPrivate: true,
        source: 'unknownImages',
        detail: 'unknownImages: private',
        warning: 'no rule, known image or probe decided; treated as private (unknownImages)',
      },
    },
    {
      unknownImages: 'public',
      reason: 'probe: deadline (60 s)',
      verdict: {
        isPrivate: false,
        source: 'unknownImages',
        detail: 'unknownImages: public',
        warning: 'probe: deadline (60 s); no rule, known image or probe decided; treated as public (unknownImages)',
      },
    },
    {
      unknownImages: 'error',
      reason: undefined,
      verdict: {
        isPrivate: false,
        source: 'unknownImages',
        detail: 'unknownImages: error',
        error: 'no rule or known image decides whether it is private (unknownImages: error)',
      },
    },
    {
      unknownImages: 'error',
      reason: 'no probe answer',
      verdict: {
        isPrivate: false,
        source: 'unknownImages',
        detail: 'unknownImages: error',
        error: 'no probe answer; no rule or known image decides whether it is private (unknownImages: error)',
      },
    },
  ];
  for (const row of table) {
    it(`${row.unknownImages}${row.reason ? `, because ${row.reason}` : ''}`, () => {
      assert.deepEqual(createVisibilityPolicy(config({ unknownImages: row.unknownImages })).fallback(row.reason), row.verdict);
    });
  }
});
