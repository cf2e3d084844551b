import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  formatDockerRef,
  formatFamiliar,
  formatNormalized,
  isImageId,
  parseImageReference,
} from '../fn/image-reference.js';
import type { ImageReference, ReferenceErrorCode } from '../fn/image-reference.js';

// Columns of test/fixtures/image-references.json (the Go library's own tables, as data):
//   input       the reference as written
//   source      the Go test table it comes from
//   valid       whether ParseDockerRef accepts it
//   domain, path, normalized, familiar, dockerRef   for valid ones (absent on the one "note" row)
//   err         for invalid ones: the exact error text
//   note        why we differ from the Go test binary
interface Vector {
  input: string;
  source: string;
  valid: boolean;
  domain?: string;
  path?: string;
  normalized?: string;
  familiar?: string;
  dockerRef?: string;
  err?: string;
  note?: string;
}

interface VectorFile {
  about: string;
  source: string;
  vectors: Vector[];
}

const expectedVectorCount = 280;
const invalidFormat = 'invalid reference format';
const tooLong = 'repository name must not be more than 255 characters';

function loadVectors(): VectorFile {
  const url = new URL('../../test/fixtures/image-references.json', import.meta.url);
  const data: unknown = JSON.parse(readFileSync(url, 'utf8'));
  assert.ok(isVectorFile(data), 'test/fixtures/image-references.json: expected {about, source, vectors[]}');
  return data;
}

function isVectorFile(data: unknown): data is VectorFile {
  if (typeof data !== 'object' || data === null) return false;
  const file = data as Record<string, unknown>;
  return (
    typeof file['about'] === 'string' &&
    typeof file['source'] === 'string' &&
    Array.isArray(file['vectors']) &&
    file['vectors'].every(isVector)
  );
}

function isVector(data: unknown): data is Vector {
  if (typeof data !== 'object' || data === null) return false;
  const row = data as Record<string, unknown>;
  return (
    typeof row['input'] === 'string' && typeof row['source'] === 'string' && typeof row['valid'] === 'boolean'
  );
}

function parseOk(input: string): ImageReference {
  const parsed = parseImageReference(input);
  assert.ok(parsed.ok, `expected ${JSON.stringify(input)} to parse, got: ${parsed.ok ? '' : parsed.error}`);
  return parsed.ref;
}

// The code each error text must come with: the Go sentinel behind the text (the two formatted errors
// by their shape), so a code can never drift from the message a user reads.
const codeByText: ReadonlyMap<string, ReferenceErrorCode> = new Map([
  ['invalid reference format', 'ErrReferenceInvalidFormat'],
  ['repository name must have at least one component', 'ErrNameEmpty'],
  ['repository name must be lowercase', 'ErrNameContainsUppercase'],
  ['repository name must not be more than 255 characters', 'ErrNameTooLong'],
  ['invalid checksum digest format', 'ErrDigestInvalidFormat'],
  ['invalid checksum digest length', 'ErrDigestInvalidLength'],
  ['unsupported digest algorithm', 'ErrDigestUnsupported'],
]);

function expectedCode(error: string): ReferenceErrorCode | undefined {
  if (/^invalid reference format: repository name \(.*\) must be lowercase$/s.test(error)) return 'ErrNameContainsUppercase';
  if (/^invalid repository name \([a-f0-9]{64}\), cannot specify 64-byte hexadecimal strings$/.test(error)) return 'ErrNameIsIdentifier';
  return codeByText.get(error);
}

function parseError(input: string): string {
  const parsed = parseImageReference(input);
  assert.ok(!parsed.ok, `expected ${JSON.stringify(input)} to be rejected`);
  assert.equal(parsed.code, expectedCode(parsed.error), `the code of "${parsed.error}"`);
  return parsed.error;
}

function describeInput(input: string): string {
  if (input.length <= 70) return JSON.stringify(input);
  const shown = `${input.slice(0, 40)}…${input.slice(-20)}`;
  return `${JSON.stringify(shown)} (${input.length} chars)`;
}

const vectorFile = loadVectors();

describe('image-reference: distribution/reference vectors', () => {
  let run = 0;

  it('keeps the about text and names its source', () => {
    assert.match(vectorFile.about, /distribution\/reference/);
    assert.match(vectorFile.source, /distribution\/reference v0\.6\.0/);
  });

  for (const vector of vectorFile.vectors) {
    const outcome = vector.valid ? 'is valid' : 'is rejected';
    it(`${vector.source}: ${describeInput(vector.input)} ${outcome}`, () => {
      run += 1;
      const parsed = parseImageReference(vector.input);
      if (!vector.valid) {
        assert.ok(!parsed.ok, 'expected an error');
        assert.equal(parsed.error, vector.err);
        assert.equal(parsed.code, expectedCode(vector.err ?? ''));
        return;
      }
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      const { ref } = parsed;
      assert.equal(ref.raw, vector.input);
      assert.equal(ref.repository, `${ref.domain}/${ref.path}`);
      if (vector.domain !== undefined) assert.equal(ref.domain, vector.domain);
      if (vector.path !== undefined) assert.equal(ref.path, vector.path);
      if (vector.normalized !== undefined) assert.equal(formatNormalized(ref), vector.normalized);
      if (vector.familiar !== undefined) assert.equal(formatFamiliar(ref), vector.familiar);
      if (vector.dockerRef !== undefined) assert.equal(formatDockerRef(ref), vector.dockerRef);
      // Round trip: the pieces put back together are the input.
      const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
      const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
      assert.equal(ref.name + tag + digest, vector.input);
    });
  }

  // Last in this block, so it sees every row above: a truncated file fails here.
  it(`ran all ${expectedVectorCount} vectors`, () => {
    assert.equal(vectorFile.vectors.length, expectedVectorCount);
    assert.equal(run, expectedVectorCount);
  });
});

describe('image-reference: parts kept as written', () => {
  const a64 = `sha256:${'a'.repeat(64)}`;
  // Columns: input; then name, host, domain, path, tag, digest as parseImageReference must return them.
  const table: [string, string, string | undefined, string, string, string?, string?][] = [
    ['nginx', 'nginx', undefined, 'docker.io', 'library/nginx'],
    ['Quay.io:443/org/app:v1', 'Quay.io:443/org/app', 'Quay.io:443', 'Quay.io:443', 'org/app', 'v1'],
    ['index.docker.io/nginx:1.27', 'index.docker.io/nginx', 'index.docker.io', 'docker.io', 'library/nginx', '1.27'],
    ['registry-1.docker.io/nginx', 'registry-1.docker.io/nginx', 'registry-1.docker.io', 'registry-1.docker.io', 'nginx'],
    ['localhost:5000', 'localhost', undefined, 'docker.io', 'library/localhost', '5000'],
    ['[::1]:5000/app:Tag_1', '[::1]:5000/app', '[::1]:5000', '[::1]:5000', 'app', 'Tag_1'],
    [`ghcr.io/o/a:v2@${a64}`, 'ghcr.io/o/a', 'ghcr.io', 'ghcr.io', 'o/a', 'v2', a64],
    [`localhost@${a64}`, 'localhost', undefined, 'docker.io', 'library/localhost', undefined, a64],
  ];
  for (const [input, name, host, domain, path, tag, digest] of table) {
    it(`${describeInput(input)} has name ${JSON.stringify(name)}`, () => {
      assert.deepEqual(parseOk(input), {
        raw: input,
        name,
        ...(host === undefined ? {} : { host }),
        domain,
        path,
        repository: `${domain}/${path}`,
        ...(tag === undefined ? {} : { tag }),
        ...(digest === undefined ? {} : { digest }),
      });
    });
  }

  // distribution's splitDockerDomain: the first component is the host when it is "localhost", has a "."
  // or ":", or uppercase; the host comes back as written, index.docker.io included.
  const hosts: Array<[string, string | undefined]> = [
    ['nginx', undefined],
    ['library/nginx', undefined],
    ['myorg/app', undefined],
    ['quay.io/org/app', 'quay.io'],
    ['Quay.IO/org/app', 'Quay.IO'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['localhostx/app', undefined],
    ['Myorg/app', 'Myorg'],
    ['a:1/x', 'a:1'],
    ['[::1]/app', '[::1]'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['index.docker.io/library/nginx', 'index.docker.io'],
    ['my_registry.local/team/app', 'my_registry.local'],
  ];
  for (const [input, host] of hosts) {
    it(`${input} has host ${String(host)}`, () => assert.equal(parseOk(input).host, host));
  }

  it('prints a digest reference without its tag for the runtime, with it otherwise', () => {
    const ref = parseOk(`nginx:1.27@sha256:${'c'.repeat(64)}`);
    assert.equal(formatDockerRef(ref), `docker.io/library/nginx@sha256:${'c'.repeat(64)}`);
    assert.equal(formatNormalized(ref), `docker.io/library/nginx:1.27@sha256:${'c'.repeat(64)}`);
    assert.equal(formatFamiliar(ref), `nginx:1.27@sha256:${'c'.repeat(64)}`);
  });

  it('keeps "library/" in the familiar form when the official namespace is nested', () => {
    assert.equal(formatFamiliar(parseOk('library/foo/bar')), 'library/foo/bar');
    assert.equal(formatFamiliar(parseOk('docker.io/library/foo')), 'foo');
  });
});

describe('image-reference: tags', () => {
  const valid = ['latest', 'V1.2.3', '_x', '1', 'a-b_c.d', 'w'.repeat(128), '5000'];
  const invalid = ['', '.x', '-x', 'a~b', 'a/b', 'w'.repeat(129), '${IMAGE_TAG}', '{{ .Values.tag }}', 'a:b',
    'é'];
  for (const tag of valid) {
    it(`accepts tag ${describeInput(tag)}`, () => {
      assert.equal(parseOk(`example.com/app:${tag}`).tag, tag);
    });
  }
  for (const tag of invalid) {
    it(`rejects tag ${describeInput(tag)}`, () => {
      assert.equal(parseError(`example.com/app:${tag}`), invalidFormat);
    });
  }
});

describe('image-reference: digests', () => {
  const hex = (n: number, digit = 'f'): string => digit.repeat(n);
  const table: { digest: string; error?: string }[] = [
    { digest: `sha256:${hex(64)}` },
    { digest: `sha384:${hex(96)}` },
    { digest: `sha512:${hex(128)}` },
    { digest: `sha256:${hex(63)}`, error: 'invalid checksum digest length' },
    { digest: `sha256:${hex(65)}`, error: 'invalid checksum digest length' },
    { digest: `sha384:${hex(64)}`, error: 'invalid checksum digest length' },
    { digest: `sha512:${hex(96)}`, error: 'invalid checksum digest length' },
    { digest: `sha256:${hex(64, 'F')}`, error: 'invalid checksum digest format' },
    { digest: `md5:${hex(32)}`, error: 'unsupported digest algorithm' },
    { digest: `sha256+b64:${hex(64)}`, error: 'unsupported digest algorithm' },
    { digest: `blake3:${hex(64)}`, error: 'unsupported digest algorithm' },
    // go-digest's own pattern is lowercase: an uppercase algorithm is malformed, not unsupported.
    { digest: `SHA256:${hex(64)}`, error: 'invalid checksum digest format' },
    { digest: `sha256:${hex(31)}`, error: invalidFormat },
    { digest: `sha256:${hex(63)}g`, error: invalidFormat },
    { digest: `sha256${hex(64)}`, error: invalidFormat },
    { digest: `:${hex(64)}`, error: invalidFormat },
    { digest: `1sha:${hex(64)}`, error: invalidFormat },
  ];
  for (const row of table) {
    // Behind a tag, so the lowercase rule on the name (which runs up to the first ":") stays out of it.
    const input = `example.com/app:v1@${row.digest}`;
    const outcome = row.error === undefined ? 'is accepted' : `gives "${row.error}"`;
    it(`${describeInput(row.digest)} ${outcome}`, () => {
      if (row.error === undefined) assert.equal(parseOk(input).digest, row.digest);
      else assert.equal(parseError(input), row.error);
    });
  }

  it('reports an uppercase algorithm without a tag as an uppercase name, as Go does', () => {
    assert.equal(
      parseError(`app@SHA256:${hex(64)}`),
      'invalid reference format: repository name (library/app@SHA256) must be lowercase',
    );
  });

  it('rejects a second "@"', () => {
    assert.equal(parseError(`app@sha256:${hex(64)}@sha256:${hex(64)}`), invalidFormat);
  });
});

describe('image-reference: domains', () => {
  const table: { input: string; domain?: string; path?: string; error?: string }[] = [
    { input: 'example.com/app', domain: 'example.com', path: 'app' },
    { input: 'EXAMPLE/app', domain: 'EXAMPLE', path: 'app' },
    { input: 'localhost/app', domain: 'localhost', path: 'app' },
    { input: 'my-registry:5000/app', domain: 'my-registry:5000', path: 'app' },
    { input: 'a.b-c.d:1/x/y', domain: 'a.b-c.d:1', path: 'x/y' },
    { input: '10.0.0.1:65536/app', domain: '10.0.0.1:65536', path: 'app' },
    { input: 'team/app', domain: 'docker.io', path: 'team/app' },
    { input: 'registry/app', domain: 'docker.io', path: 'registry/app' },
    { input: 'index.docker.io/app', domain: 'docker.io', path: 'library/app' },
    { input: 'docker.io/team/app', domain: 'docker.io', path: 'team/app' },
    { input: 'ex_ample:5000/app', error: invalidFormat },
    { input: '-example.com/app', error: invalidFormat },
    { input: 'example-.com/app', error: invalidFormat },
    { input: 'example..com/app', error: invalidFormat },
    { input: 'example.com:/app', error: invalidFormat },
    { input: 'example.com:port/app', error: invalidFormat },
    { input: 'http://example.com/app', error: invalidFormat },
    { input: 'example.com//app', error: invalidFormat },
    { input: 'Example.com/App', error: 'invalid reference format: repository name (App) must be lowercase' },
    // Go lowers U+0130 (İ) to a plain "i", so the retry in Parse finds an uppercase name.
    { input: '\u0130.com/app', error: 'repository name must be lowercase' },
    { input: 'A_B/app', error: 'repository name must be lowercase' },
  ];
  for (const row of table) {
    const outcome = row.error === undefined ? `has domain ${row.domain ?? ''}` : 'is rejected';
    it(`${describeInput(row.input)} ${outcome}`, () => {
      if (row.error !== undefined) {
        assert.equal(parseError(row.input), row.error);
        return;
      }
      const ref = parseOk(row.input);
      assert.equal(ref.domain, row.domain);
      assert.equal(ref.path, row.path);
    });
  }

  it('names a first component with "_" and "." as the domain, printing what Go prints', () => {
    // Go's splitter calls "my_registry.local" a registry but its grammar does not, so Go leaves the
    // domain empty and the path whole; containerd contacts host "my_registry.local".
    const ref = parseOk('my_registry.local/team/app:v1');
    assert.equal(ref.domain, 'my_registry.local');
    assert.equal(ref.path, 'team/app');
    assert.equal(formatNormalized(ref), 'my_registry.local/team/app:v1');
    assert.equal(formatFamiliar(ref), 'my_registry.local/team/app:v1');
    assert.equal(formatDockerRef(ref), 'my_registry.local/team/app:v1');
    // Its length limit still counts the whole name, as Go's path.
    const prefix = 'my_registry.local/';
    assert.ok(parseImageReference(prefix + 'a'.repeat(255 - prefix.length)).ok);
    assert.equal(parseError(prefix + 'a'.repeat(256 - prefix.length)), tooLong);
  });

  it('counts the 255-character limit on the normalized path, not the domain', () => {
    assert.ok(parseImageReference(`${'d'.repeat(300)}.com/${'a'.repeat(255)}`).ok);
    assert.equal(parseError(`${'d'.repeat(300)}.com/${'a'.repeat(256)}`), tooLong);
    // A one-component Hub name gets "library/" (8 characters) before it is counted.
    assert.ok(parseImageReference('a'.repeat(247)).ok);
    assert.equal(parseError('a'.repeat(248)), tooLong);
  });
});

describe('image-reference: IPv6 hosts', () => {
  const table: { input: string; domain?: string; error?: string }[] = [
    { input: '[::1]/app', domain: '[::1]' },
    { input: '[::]:5000/app', domain: '[::]:5000' },
    { input: '[2001:DB8::1]:443/app:v1', domain: '[2001:DB8::1]:443' },
    { input: '[fe80::1%25eth0]:5000/app', error: invalidFormat },
    { input: '[::ffff:192.0.2.1]/app', error: invalidFormat },
    { input: '[]/app', error: invalidFormat },
    { input: '[::1/app', error: invalidFormat },
    { input: '::1/app', error: invalidFormat },
    { input: '[::1]', error: invalidFormat },
    { input: '[::1]:5000', error: invalidFormat },
    { input: '[::g]/app', error: invalidFormat },
  ];
  for (const row of table) {
    const outcome = row.error === undefined ? `has domain ${row.domain ?? ''}` : 'is rejected';
    it(`${describeInput(row.input)} ${outcome}`, () => {
      if (row.error !== undefined) assert.equal(parseError(row.input), row.error);
      else assert.equal(parseOk(row.input).domain, row.domain);
    });
  }
});

describe('image-reference: values that are not references', () => {
  const hexId = `f${'a'.repeat(63)}`;
  const table: { input: string; error: string }[] = [
    { input: '', error: invalidFormat },
    { input: ' ', error: invalidFormat },
    { input: ' nginx', error: invalidFormat },
    { input: 'nginx ', error: invalidFormat },
    { input: 'nginx:', error: invalidFormat },
    { input: 'a:b:c', error: invalidFormat },
    { input: '${image}', error: invalidFormat },
    // Go checks case before syntax, so a template with capitals is reported as an uppercase name.
    { input: '${IMAGE}', error: `${invalidFormat}: repository name (library/\${IMAGE}) must be lowercase` },
    { input: 'example.com/app:${IMAGE_TAG}', error: invalidFormat },
    { input: '{{ .values.image }}', error: invalidFormat },
    {
      input: '{{ .Values.image }}',
      error: 'invalid reference format: repository name (library/{{ .Values.image }}) must be lowercase',
    },
    { input: 'nginx\n', error: invalidFormat },
    { input: hexId, error: `invalid repository name (${hexId}), cannot specify 64-byte hexadecimal strings` },
  ];
  for (const row of table) {
    it(`rejects ${describeInput(row.input)}`, () => {
      assert.equal(parseError(row.input), row.error);
    });
  }

  it('never throws on a non-string from untyped YAML', () => {
    for (const value of [undefined, null, 5, {}, ['nginx']]) {
      const parsed = parseImageReference(value as unknown as string);
      assert.deepEqual(parsed, { ok: false, code: 'ErrReferenceInvalidFormat', error: invalidFormat });
      assert.equal(isImageId(value as unknown as string), false);
    }
  });
});

describe('image-reference: isImageId', () => {
  const id = 'da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821';
  const table: { input: string; expected: boolean }[] = [
    { input: `sha256:${id}`, expected: true },
    { input: id, expected: false },
    { input: `sha256:${id.toUpperCase()}`, expected: false },
    { input: `sha256:${id.slice(1)}`, expected: false },
    { input: `sha256:${id}0`, expected: false },
    { input: `sha512:${id}${id}`, expected: false },
    { input: `nginx@sha256:${id}`, expected: false },
    { input: `sha256:${id} `, expected: false },
    { input: 'nginx', expected: false },
  ];
  for (const row of table) {
    it(`${describeInput(row.input)} ${row.expected ? 'is' : 'is not'} an image ID`, () => {
      assert.equal(isImageId(row.input), row.expected);
    });
  }

  it('still parses an image ID as image "sha256" with a hex tag, as Go does', () => {
    const ref = parseOk(`sha256:${id}`);
    assert.equal(ref.path, 'library/sha256');
    assert.equal(ref.tag, id);
  });
});

describe('image-reference: linear time on hostile input', () => {
  // A backtracking port of the old `[-]*` separator takes exponential time on these; each must
  // come back in a few milliseconds. Budget is generous for slow CI; the real figure is far lower.
  const budgetMs = 25;
  const n = 50_000;
  const hostile: string[] = [
    `registry.example.com/team/my-application-service${'-'.repeat(n)}:\${IMAGE_TAG}`,
    `registry.example.com/team/my-application-service:\${IMAGE_TAG}`,
    `registry.example.com/team/${'a-'.repeat(n / 2)}!`,
    `registry.example.com/team/${'a_'.repeat(n / 2)}A`,
    `registry.example.com/team/${'a__'.repeat(n / 3)}_`,
    `registry.example.com/team/${'a.'.repeat(n / 2)}.`,
    `${'a'.repeat(n)}!`,
    `${'a-'.repeat(n / 2)}/`,
    `${'a.'.repeat(n / 2)}:1/`,
    `${'ab-'.repeat(n / 3)}.com:${'1'.repeat(n)}x/app`,
    `${'a/'.repeat(n / 2)}/`,
    `${'A'.repeat(n)}/app`,
    `[${':'.repeat(n)}/app`,
    `[${'a:'.repeat(n / 2)}]:${'9'.repeat(n)}`,
    `example.com/app:${'t'.repeat(n)}`,
    `example.com/app@sha256:${'f'.repeat(n)}!`,
    `example.com/app@${'a.'.repeat(n / 2)}:${'f'.repeat(64)}`,
    `example.com/app:v1@${'sha256-'.repeat(n / 7)}:${'f'.repeat(n)}`,
    `${':'.repeat(n)}`,
    `${'@'.repeat(n)}`,
    `example.com/${'app:'.repeat(n / 4)}`,
    `${'a'.repeat(n)}:${'b'.repeat(n)}@sha256:${'c'.repeat(n)}`,
  ];

  // The first call pays for compiling the regexps; time only warm calls.
  parseImageReference('warm-up/example:v1');

  for (const input of hostile) {
    it(`returns quickly for ${describeInput(input)}`, () => {
      // The fastest of five: a loaded machine slows some calls, a backtracking parser slows every one.
      let elapsedMs = Infinity;
      for (let attempt = 0; attempt < 5 && elapsedMs >= budgetMs; attempt++) {
        const started = process.hrtime.bigint();
        const parsed = parseImageReference(input);
        elapsedMs = Math.min(elapsedMs, Number(process.hrtime.bigint() - started) / 1e6);
        assert.equal(typeof parsed.ok, 'boolean');
      }
      assert.ok(elapsedMs < budgetMs, `took ${elapsedMs.toFixed(2)} ms`);
    });
  }
});
