// The image's start-up next to the exec path: `podman run` with the orchestrators' flags (what kpt and
// kustomize run per function call) on the image built from the current tree by
// scripts/container/build-image.sh. Where podman cannot run, the bench says so instead of measuring.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const PODMAN = '/usr/bin/podman';
export const BENCH_IMAGE = 'localhost/registry-proxy:bench';
/** kpt's and kustomize's flags for a container function (krm-contract.md). */
const ORCHESTRATOR_FLAGS = ['--network', 'none', '--user', 'nobody', '--security-opt=no-new-privileges'];

/**
 * Builds the image (seconds when podman's layer cache holds it). Resolves to the program spec and notes,
 * or to `{ skipped: reason }`.
 */
export function prepareContainerStartup(root) {
  try {
    execFileSync(PODMAN, ['info', '--format', '{{.Host.OCIRuntime.Name}}'], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    return { skipped: 'podman cannot run here (scripts/container/setup.sh, as root)' };
  }
  try {
    execFileSync(join(root, 'scripts', 'container', 'build-image.sh'), [], { cwd: root, env: { ...process.env, REGISTRY_PROXY_IMAGE: BENCH_IMAGE }, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    return { skipped: `build-image.sh failed: ${String(error.stderr ?? error.message).trim().split('\n').at(-1)}` };
  }
  const notes = [];
  const from = execFileSync(PODMAN, ['image', 'inspect', '--format', '{{ index .Labels "org.opencontainers.image.revision" }}', BENCH_IMAGE], { encoding: 'utf8' }).trim();
  for (const line of execFileSync('sed', ['-nE', 's/^FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?(node:[^[:space:]]+).*/\\2/p', join(root, 'Dockerfile')], { encoding: 'utf8' }).split('\n').filter(Boolean).slice(-1)) {
    const differs = execFileSync(PODMAN, ['image', 'inspect', '--format', '{{ index .Labels "dev.registry-proxy.stand-in.differs" }}', `docker.io/library/${line}`], { encoding: 'utf8' }).trim();
    if (differs !== '' && differs !== '<no value>') notes.push(`container start-up: on a local STAND-IN for ${line} (${differs})`);
  }
  return {
    spec: { command: PODMAN, args: ['run', '--rm', '-i', ...ORCHESTRATOR_FLAGS, BENCH_IMAGE], label: `podman run ${ORCHESTRATOR_FLAGS.join(' ')} (revision ${from.slice(0, 12)})` },
    notes,
  };
}
