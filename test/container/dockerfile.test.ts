// The image, checked without a container engine: the Dockerfile read by a real parser against the rules
// in image-rules.ts, and each rule shown to fail on a copy of the Dockerfile broken for it, so a passing
// rule means something.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseStages } from './dockerfile-model.js';
import { frontendProblems, imageRules } from './image-rules.js';
import type { RuleContext } from './image-rules.js';
import { DOCKERFILE_PATH, DOCKERIGNORE_PATH, findRuntimeNode } from './runtime-node.js';

const dockerfile = readFileSync(DOCKERFILE_PATH, 'utf8');

interface Mutation {
  rule: string; // the id of the rule it must break
  change: string; // what it does to the Dockerfile
  edit: (text: string) => string;
}

const lastFrom = /^FROM [^\n]+$(?![\s\S]*^FROM )/m;
const firstFrom = /^FROM [^\n]+$/m;

/** Puts `line` just before the runtime stage's USER instruction. */
function insertInRuntime(line: string): (text: string) => string {
  return (text) => text.replace(/^USER /m, `${line}\nUSER `);
}

function bumpMinor(text: string, from: RegExp): string {
  return text.replace(from, (instruction) => instruction.replace(/node:(\d+)\.(\d+)\.\d+/, (_, major: string, minor: string) => `node:${major}.${Number(minor) + 1}.0`));
}

const mutations: readonly Mutation[] = [
  { rule: 'multi-stage', change: 'only the runtime stage', edit: (text) => text.slice(text.search(lastFrom)) },
  { rule: 'runtime-base', change: 'node:latest', edit: (text) => text.replace(lastFrom, 'FROM node:latest') },
  { rule: 'runtime-base', change: 'a floating major tag', edit: (text) => text.replace(lastFrom, 'FROM node:26-alpine') },
  { rule: 'runtime-base', change: 'an odd (non-LTS) major', edit: (text) => text.replace(lastFrom, 'FROM node:25.9.0-alpine3.23') },
  { rule: 'runtime-base', change: 'the version from a build argument', edit: (text) => text.replace(lastFrom, 'ARG NODE_VERSION=26.12.1\nFROM node:${NODE_VERSION}-alpine') },
  { rule: 'runtime-base', change: 'not the node image', edit: (text) => text.replace(lastFrom, 'FROM alpine:3.24') },
  { rule: 'node-version', change: 'runtime stage on another Node release', edit: (text) => bumpMinor(text, lastFrom) },
  { rule: 'node-version', change: 'build stage on another Node release', edit: (text) => bumpMinor(text, firstFrom) },
  { rule: 'bundle-only', change: 'sources copied from the build context', edit: insertInRuntime('COPY fn/ /app/fn/') },
  { rule: 'bundle-only', change: 'node_modules copied from the build stage', edit: insertInRuntime('COPY --from=build /src/node_modules /app/node_modules') },
  { rule: 'bundle-only', change: 'a file fetched with ADD', edit: insertInRuntime('ADD https://example.com/extra.js /app/') },
  { rule: 'bundle-only', change: 'a file copied from another image', edit: insertInRuntime('COPY --from=node:26 /usr/local/bin/node /usr/bin/node') },
  { rule: 'bundle-only', change: 'the bundle copied from the build context', edit: (text) => text.replace(/^COPY --from=\S+ /m, 'COPY ') },
  { rule: 'bundle-only', change: 'the entry point without its bundle', edit: (text) => text.replace(' /src/dist/registry-proxy.bundle.js ', ' ') },
  { rule: 'bundle-only', change: 'the entry point without its code cache', edit: (text) => text.replace(' /src/dist/registry-proxy.*.code-cache ', ' ') },
  { rule: 'bundle-only', change: 'the bundle copied apart from the entry point', edit: (text) => text.replace(' /src/dist/registry-proxy.bundle.js /src/dist/registry-proxy.probe.cjs', ' /src/dist/registry-proxy.probe.cjs').replace(/^USER /m, 'COPY --from=build /src/dist/registry-proxy.bundle.js /app/\nUSER ') },
  { rule: 'non-root', change: 'no USER', edit: (text) => text.replace(/^USER [^\n]+\n/m, '') },
  { rule: 'non-root', change: 'USER 0', edit: (text) => text.replace(/^USER [^\n]+$/m, 'USER 0') },
  { rule: 'non-root', change: 'USER root:root', edit: (text) => text.replace(/^USER [^\n]+$/m, 'USER root:root') },
  { rule: 'entrypoint', change: 'shell form', edit: (text) => text.replace(/^ENTRYPOINT [^\n]+$/m, 'ENTRYPOINT node /app/registry-proxy.cjs') },
  { rule: 'entrypoint', change: 'a path the bundle is not copied to', edit: (text) => text.replace(/^ENTRYPOINT [^\n]+$/m, 'ENTRYPOINT ["node", "/app/main.cjs"]') },
  { rule: 'entrypoint', change: 'through a shell', edit: (text) => text.replace(/^ENTRYPOINT [^\n]+$/m, 'ENTRYPOINT ["sh", "-c", "node /app/registry-proxy.cjs"]') },
  { rule: 'entrypoint', change: 'no ENTRYPOINT (the base image runs docker-entrypoint.sh)', edit: (text) => text.replace(/^ENTRYPOINT [^\n]+\n/m, '') },
  { rule: 'no-run', change: 'a RUN that writes into the image', edit: insertInRuntime('RUN mkdir -p /var/lib/registry-proxy') },
  { rule: 'build-steps', change: 'npm install instead of npm ci', edit: (text) => text.replace(/^( +)npm ci --ignore-scripts/m, '$1npm install --ignore-scripts') },
  { rule: 'build-steps', change: 'no npm run build', edit: (text) => text.replace(/^RUN npm run build\n/m, '') },
  { rule: 'oci-labels', change: 'no licenses label', edit: (text) => text.replace('org.opencontainers.image.licenses=', 'org.opencontainers.image.x-licenses=') },
  { rule: 'build-labels', change: 'a version written in', edit: (text) => text.replace('org.opencontainers.image.version="$VERSION"', 'org.opencontainers.image.version="0.1.0"') },
  { rule: 'build-labels', change: 'no revision label', edit: (text) => text.replace('org.opencontainers.image.revision=', 'org.opencontainers.image.x-revision=') },
  { rule: 'build-labels', change: 'an undeclared argument', edit: (text) => text.replace(/^ARG REVISION=unknown\n/m, '') },
  { rule: 'build-platform', change: 'no --platform on the build stage', edit: (text) => text.replace('FROM --platform=$BUILDPLATFORM ', 'FROM ') },
  { rule: 'npm-secrets', change: 'no CA secret', edit: (text) => text.replace(/^ *--mount=type=secret,id=npm-ca,required=false \\\n/m, '') },
  { rule: 'npm-secrets', change: 'a required npmrc', edit: (text) => text.replace('id=npmrc,required=false', 'id=npmrc') },
];

describe('Dockerfile', () => {
  let context: RuleContext;
  before(() => {
    context = { nodeVersion: findRuntimeNode().version };
  });

  for (const rule of imageRules) {
    it(rule.name, () => {
      assert.deepEqual(rule.check(parseStages(dockerfile), context), []);
    });
  }

  it('has no # syntax= line (no frontend image is pulled), and that check fails on one', () => {
    assert.deepEqual(frontendProblems(dockerfile), []);
    assert.notDeepEqual(frontendProblems(`# syntax=docker/dockerfile:1\n${dockerfile}`), []);
  });

  describe('each rule fails on a Dockerfile broken for it', () => {
    for (const mutation of mutations) {
      it(`${mutation.rule}: ${mutation.change}`, () => {
        const broken = mutation.edit(dockerfile);
        assert.notEqual(broken, dockerfile, 'the edit did not apply: update it to the Dockerfile');
        const rule = imageRules.find((candidate) => candidate.id === mutation.rule);
        assert.ok(rule !== undefined, `no rule ${mutation.rule}`);
        assert.notDeepEqual(rule.check(parseStages(broken), context), [], broken);
      });
    }
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, build, dist, .bench and .build-* out of the build context', () => {
    const patterns = new Set(
      readFileSync(DOCKERIGNORE_PATH, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
        .map((line) => line.replace(/^(?:\*\*\/|\/)/, '').replace(/\/$/, '')),
    );
    for (const required of ['node_modules', 'build', 'dist', '.bench', '.build-*']) {
      assert.ok(patterns.has(required), `${required} is not excluded`);
    }
  });
});
