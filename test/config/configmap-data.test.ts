import assert from 'node:assert/strict';
import { convertConfigMapData } from '../../fn/config/configmap-data.js';

/** The converted spec, failing the test when conversion reported problems. */
function spec(data: Record<string, string>): Record<string, unknown> {
  const converted = convertConfigMapData(data);
  assert.ok(converted.ok, converted.ok ? '' : JSON.stringify(converted.problems));
  return converted.spec;
}

describe('convertConfigMapData: each key', () => {
  // Columns: the ConfigMap data (beside appSlug); the RegistryProxy spec entries it must become.
  const table: Array<[Record<string, string>, Record<string, unknown>]> = [
    [{ licenseID: ' abc ' }, { licenseID: 'abc' }],
    [{ licenseIDFromEnv: 'LICENSE_ID' }, { licenseIDFromEnv: 'LICENSE_ID' }],
    [{ proxyDomain: 'proxy.example.com', registryDomain: 'registry.example.com' }, { proxyDomain: 'proxy.example.com', registryDomain: 'registry.example.com' }],
    [{ proxyPublicImages: 'true' }, { proxyPublicImages: true }],
    [{ proxyPublicImages: 'false' }, { proxyPublicImages: false }],
    [{ additionalNamespaces: 'monitoring, ,logging,*' }, { additionalNamespaces: ['monitoring', 'logging', '*'] }],
    [{ additionalNamespaces: '' }, { additionalNamespaces: [] }],
    [
      { knownImages: 'nginx:1.25=public, quay.io/org/api=private,redis=true,memcached=false' },
      {
        knownImages: [
          { image: 'nginx:1.25', isPrivate: false },
          { image: 'quay.io/org/api', isPrivate: true },
          { image: 'redis', isPrivate: true },
          { image: 'memcached', isPrivate: false },
        ],
      },
    ],
    [
      // The verdict is after the last `=`: an image never holds one, a digest's `:` is fine.
      { knownImages: `localhost:5000/app:1=private,quay.io/a@sha256:${'f'.repeat(64)}=public` },
      {
        knownImages: [
          { image: 'localhost:5000/app:1', isPrivate: true },
          { image: `quay.io/a@sha256:${'f'.repeat(64)}`, isPrivate: false },
        ],
      },
    ],
    [
      { rules: 'quay.io/org/**=private,docker.io/**=public' },
      {
        rules: [
          { match: 'quay.io/org/**', private: true },
          { match: 'docker.io/**', private: false },
        ],
      },
    ],
    // Annotation and label values may hold `=`: the key ends at the first one.
    [{ secretAnnotations: 'a=b, c=d=e' }, { secretAnnotations: { a: 'b', c: 'd=e' } }],
    [{ secretLabels: 'app.kubernetes.io/name=my-app' }, { secretLabels: { 'app.kubernetes.io/name': 'my-app' } }],
    [
      { imageFields: 'spec/image, Task:spec/steps[]/image,v1/Foo:spec/a,tekton.dev/v1/Pipeline:spec/tasks[]/image' },
      {
        imageFields: [
          { path: 'spec/image' },
          { kind: 'Task', path: 'spec/steps[]/image' },
          { version: 'v1', kind: 'Foo', path: 'spec/a' },
          { group: 'tekton.dev', version: 'v1', kind: 'Pipeline', path: 'spec/tasks[]/image' },
        ],
      },
    ],
    [
      { unknownImages: 'error', pullSecretName: 'pull', patchWorkloads: 'proxied', invalidImages: 'warn', patchServiceAccounts: 'items' },
      { unknownImages: 'error', pullSecretName: 'pull', patchWorkloads: 'proxied', invalidImages: 'warn', patchServiceAccounts: 'items' },
    ],
    [
      {
        'probe.enabled': 'false',
        'probe.timeoutSeconds': ' 2.5 ',
        'probe.deadlineSeconds': '30',
        'probe.concurrency': '2',
        'probe.perRegistryConcurrency': '1',
        'probe.insecureRegistries': 'localhost:5000, reg.local',
      },
      { probe: { enabled: false, timeoutSeconds: 2.5, deadlineSeconds: 30, concurrency: 2, perRegistryConcurrency: 1, insecureRegistries: ['localhost:5000', 'reg.local'] } },
    ],
    [{ 'probe.enabled': 'true' }, { probe: { enabled: true } }],
    [{ 'probe.allowPrivateAddresses': 'true' }, { probe: { allowPrivateAddresses: true } }],
    [
      { 'kyvernoClonePolicy.enabled': 'true', 'kyvernoClonePolicy.sourceNamespace': ' my-app ' },
      { kyvernoClonePolicy: { enabled: true, sourceNamespace: 'my-app' } },
    ],
    [{ 'kyvernoClonePolicy.enabled': 'false' }, { kyvernoClonePolicy: { enabled: false } }],
  ];
  for (const [data, expected] of table) {
    it(JSON.stringify(data), () => {
      assert.deepEqual(spec({ appSlug: 'my-app', ...data }), { appSlug: 'my-app', ...expected });
    });
  }
});

describe('convertConfigMapData: field paths of the spec, in ConfigMap terms', () => {
  // Columns: a spec path as ajv reports it; the ConfigMap key the user wrote.
  const table: Array<[string, string]> = [
    ['.appSlug', 'data.appSlug'],
    ['.knownImages[2].image', 'data.knownImages'],
    ['.rules[0].private', 'data.rules'],
    ['.additionalNamespaces[1]', 'data.additionalNamespaces'],
    ['.imageFields[0].path', 'data.imageFields'],
    ['.probe', 'data.probe'],
    ['.probe.concurrency', 'data.probe.concurrency'],
    ['.probe.insecureRegistries[0]', 'data.probe.insecureRegistries'],
    ['.kyvernoClonePolicy.sourceNamespace', 'data.kyvernoClonePolicy.sourceNamespace'],
    // The spec itself (the license oneOf): the data map, not "data.".
    ['', 'data'],
  ];
  for (const [specPath, field] of table) {
    it(`${JSON.stringify(specPath)} -> ${field}`, () => {
      const converted = convertConfigMapData({ appSlug: 'my-app' });
      assert.ok(converted.ok);
      assert.equal(converted.fieldOf(specPath), field);
    });
  }
});

describe('convertConfigMapData: problems', () => {
  // Columns: the data (beside appSlug); every problem, in order.
  const table: Array<[Record<string, string>, Array<{ field: string; message: string }>]> = [
    [{ knownImages: 'nginx' }, [{ field: 'data.knownImages', message: 'data.knownImages: entries must look like key=value, separated by commas' }]],
    [{ knownImages: '=private' }, [{ field: 'data.knownImages', message: 'data.knownImages: entries must look like key=value, separated by commas' }]],
    [{ knownImages: 'nginx=maybe' }, [{ field: 'data.knownImages', message: 'data.knownImages: verdicts must be "private" or "public"' }]],
    [{ rules: 'quay.io/**=yes' }, [{ field: 'data.rules', message: 'data.rules: verdicts must be "private" or "public"' }]],
    [{ secretAnnotations: '=v' }, [{ field: 'data.secretAnnotations', message: 'data.secretAnnotations: entries must look like key=value, separated by commas' }]],
    [{ secretLabels: 'novalue' }, [{ field: 'data.secretLabels', message: 'data.secretLabels: entries must look like key=value, separated by commas' }]],
    [{ 'probe.timeoutSeconds': 'ten' }, [{ field: 'data.probe.timeoutSeconds', message: 'data.probe.timeoutSeconds: must be a number' }]],
    [{ 'probe.deadlineSeconds': ' ' }, [{ field: 'data.probe.deadlineSeconds', message: 'data.probe.deadlineSeconds: must be a number' }]],
    [{ 'probe.concurrency': 'Infinity' }, [{ field: 'data.probe.concurrency', message: 'data.probe.concurrency: must be a number' }]],
    [
      { knownImages: 'a,b=private', rules: 'x=maybe', 'probe.perRegistryConcurrency': 'many' },
      [
        { field: 'data.knownImages', message: 'data.knownImages: entries must look like key=value, separated by commas' },
        { field: 'data.rules', message: 'data.rules: verdicts must be "private" or "public"' },
        { field: 'data.probe.perRegistryConcurrency', message: 'data.probe.perRegistryConcurrency: must be a number' },
      ],
    ],
  ];
  for (const [data, problems] of table) {
    it(JSON.stringify(data), () => {
      const converted = convertConfigMapData({ appSlug: 'my-app', ...data });
      assert.equal(converted.ok, false);
      assert.deepEqual(converted.ok ? [] : converted.problems, problems);
    });
  }

  it('a selector of more than group/version/Kind is a problem, not a broader match', () => {
    // `a/b/c/D` would otherwise become {kind: D}: every D of every group.
    const converted = convertConfigMapData({ appSlug: 'my-app', imageFields: 'example.com/v1/extra/Task:spec/image' });
    assert.deepEqual(
      converted.ok ? { imageFields: converted.spec['imageFields'] } : { fields: converted.problems.map((problem) => problem.field) },
      { fields: ['data.imageFields'] },
    );
  });
});
