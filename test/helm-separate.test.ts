// Helm 4's `separate` post-render strategy, as helm pkg/action/action.go makes it: the hooks and the
// other templates are each merged into one stream (every document annotated with
// postrenderer.helm.sh/postrender-filename) and post-rendered in two invocations, whose outputs Helm
// then merges. The pull Secret must come out once, not once per invocation; the hooks still get the
// proxy and imagePullSecrets. Through the built bundle, on the chart of the case testdata/post-render-helm-chart.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const bundle = fileURLToPath(new URL('../../dist/registry-proxy.cjs', import.meta.url));
/** A file of the case testdata/post-render-helm-chart: input.yaml (the chart), config.yaml, expected-stdout. */
const fixture = (name: string): string => fileURLToPath(new URL(`../../testdata/post-render-helm-chart/${name}`, import.meta.url));
const LICENSE = 'helm-separate-license-8c1f0a';
const FILENAME_ANNOTATION = 'postrenderer.helm.sh/postrender-filename';

const MIGRATION_HOOK = `# Source: my-app/templates/migrate-job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: "release-name-my-app-migrate"
  annotations:
    "helm.sh/hook": pre-upgrade,post-install
    "helm.sh/hook-delete-policy": before-hook-creation
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "quay.io/my-org/migrate:2.3"
`;

interface Doc {
  source: string;
  text: string;
  isHook: boolean;
}

/** The chart's documents, each with its `# Source:` file, hooks told apart as Helm's SortManifests does. */
function chartDocuments(): Doc[] {
  const stream = `${readFileSync(fixture('input.yaml'), 'utf8')}---\n${MIGRATION_HOOK}`;
  return stream
    .split(/^---[ \t]*\n/m)
    .filter((text) => /^(apiVersion|kind):/m.test(text))
    .map((text) => ({ source: /^# Source: (.+)$/m.exec(text)?.[1] ?? 'unknown.yaml', text, isHook: /^\s+"?helm\.sh\/hook"?:/m.test(text) }));
}

/** annotateAndMerge: the filename annotation on every document, one stream. */
function merge(docs: readonly Doc[]): string {
  return docs
    .map(({ source, text }) => {
      const body = text.replace(/^# Source: .+\n/m, '');
      const annotated = /^ {2}annotations:\n/m.test(body)
        ? body.replace(/^ {2}annotations:\n/m, `  annotations:\n    ${FILENAME_ANNOTATION}: ${source}\n`)
        : body.replace(/^metadata:\n/m, `metadata:\n  annotations:\n    ${FILENAME_ANNOTATION}: ${source}\n`);
      return `---\n${annotated}`;
    })
    .join('');
}

function postRender(stream: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [bundle, '--config', fixture('config.yaml')], {
    input: stream,
    env: { PATH: process.env['PATH'] ?? '', REGISTRY_PROXY_LICENSE_ID: LICENSE },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

type Json = { kind?: string; metadata?: { name?: string }; spec?: { template?: { spec?: { imagePullSecrets?: unknown; containers?: Array<{ image: string }> } } } };

function objects(stream: string): Json[] {
  return parseAllDocuments(stream).map((document) => document.toJS() as Json).filter((object) => object !== null);
}

describe('Helm 4 postRenderStrategy separate: two invocations, one pull Secret', () => {
  const docs = chartDocuments();
  const hooks = docs.filter((doc) => doc.isHook);
  const templates = docs.filter((doc) => !doc.isHook);

  it('the fixture has hooks and templates', () => {
    assert.ok(hooks.length >= 2 && templates.length >= 3, `${hooks.length} hooks, ${templates.length} templates`);
  });

  it('the hook pass rewrites and patches the hooks and generates no Secret; the templates pass generates it once', () => {
    const hookPass = postRender(merge(hooks));
    assert.equal(hookPass.status, 0, hookPass.stderr);
    assert.match(hookPass.stderr, /registry-proxy: warning: every document is a Helm hook/);
    const templatesPass = postRender(merge(templates));
    assert.equal(templatesPass.status, 0, templatesPass.stderr);
    const merged = [...objects(hookPass.stdout), ...objects(templatesPass.stdout)];
    assert.equal(merged.filter((object) => object.kind === 'Secret').length, 1, 'one pull Secret across both invocations');
    const migrate = merged.find((object) => object.metadata?.name === 'release-name-my-app-migrate');
    assert.deepEqual(migrate?.spec?.template?.spec?.imagePullSecrets, [{ name: 'my-app-registry' }]);
    assert.equal(migrate?.spec?.template?.spec?.containers?.[0]?.image, 'proxy.replicated.com/proxy/my-app/quay.io/my-org/migrate:2.3');
    assert.equal(merged.length, docs.length + 1, 'every document came back, plus the one Secret');
  });

  it('combined (one invocation with hooks and templates) also gives exactly one Secret and no warning', () => {
    const combined = postRender(merge(docs));
    assert.equal(combined.status, 0, combined.stderr);
    assert.equal(combined.stderr, '');
    assert.equal(objects(combined.stdout).filter((object) => object.kind === 'Secret').length, 1);
  });
});
