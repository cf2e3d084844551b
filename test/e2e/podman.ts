// The real container runtime for the image tests: podman (Debian's, set up by scripts/container/setup.sh)
// and the image built from the unchanged Dockerfile by scripts/container/build-image.sh, once per run.
// Where podman cannot run (a developer without root, another OS) the image tests fail under CI=true and
// are skipped with a loud note otherwise: a skip in CI would hide that the image went untested.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, run, type RunOptions, type RunResult } from './support.js';

/** The tag the tests build and run; not a published name, so nothing is ever pulled for it. */
export const TEST_IMAGE = 'localhost/registry-proxy:e2e';
export const PODMAN = '/usr/bin/podman';
/** kpt's and kustomize's flags for a container function (krm-contract.md, containers.md). */
export const ORCHESTRATOR_FLAGS = ['--network', 'none', '--user', 'nobody', '--security-opt=no-new-privileges'] as const;
const STAND_IN_LABEL = 'dev.registry-proxy.stand-in.differs';
const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface BuiltImage {
  image: string;
  /** One line per base image that is a local stand-in: what differs from the real one. */
  standIns: string[];
}

export function podman(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(PODMAN, args, options);
}

/** Why podman cannot run containers here, or undefined when it can. */
function podmanUnusable(): string | undefined {
  try {
    execFileSync(PODMAN, ['info', '--format', '{{.Host.OCIRuntime.Name}}'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim().split('\n').at(-1);
    return `${PODMAN} info failed: ${stderr || (error as Error).message} (run scripts/container/setup.sh as root)`;
  }
}

let built: Promise<BuiltImage> | undefined;

/**
 * For a `before` hook: the image, built from the current tree (warm: podman's layer cache makes it seconds).
 * Skips the suite with a note when podman is unusable, except under CI=true, where that fails it.
 */
export async function requireImage(context: Mocha.Context): Promise<BuiltImage> {
  const reason = podmanUnusable();
  if (reason !== undefined) {
    if (process.env['CI'] === 'true') throw new Error(`the container image cannot be tested: ${reason}`);
    console.warn(`\n    !!! NOTE (container image tests): SKIPPED: ${reason}; CI=true makes this a failure !!!\n`);
    context.skip();
  }
  context.timeout(BUILD_TIMEOUT_MS);
  built ??= buildImage();
  const image = await built;
  for (const note of image.standIns) console.warn(`\n    !!! NOTE (container image tests): run on a STAND-IN base image: ${note} !!!\n`);
  return image;
}

async function buildImage(): Promise<BuiltImage> {
  const script = join(REPO_ROOT, 'scripts', 'container', 'build-image.sh');
  const result = await run(script, [], { cwd: REPO_ROOT, env: { ...process.env, REGISTRY_PROXY_IMAGE: TEST_IMAGE }, timeoutMs: BUILD_TIMEOUT_MS });
  if (result.exitCode !== 0) {
    throw new Error(`scripts/container/build-image.sh failed (exit ${result.exitCode}; the stand-in bases come from scripts/container/setup.sh):\n${result.stderr.split('\n').slice(-15).join('\n')}`);
  }
  const standIns: string[] = [];
  for (const base of baseImages()) {
    const inspect = await podman(['image', 'inspect', '--format', `{{ index .Labels "${STAND_IN_LABEL}" }}`, base]);
    const differs = inspect.stdout.trim();
    if (inspect.exitCode === 0 && differs !== '' && differs !== '<no value>') standIns.push(`${base}: ${differs}`);
  }
  return { image: TEST_IMAGE, standIns };
}

/** The base images the Dockerfile's FROM lines name, as podman resolves them. */
export function baseImages(): string[] {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  return [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(node:\S+)/gm)].map((match) => `docker.io/library/${match[1] ?? ''}`);
}
