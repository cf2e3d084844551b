// The mirror list of localRegistry mode: what to copy from where to where so that every rewritten name
// resolves on the customer's registry. The source is decided as in proxy mode (a private image through
// the proxy with the license, a public one from its own registry); the destination is the rewritten name.
import type { Config, LocalRegistry } from './config/config.js';
import type { ImageList } from './image-list.js';
import { parseImageReference } from './image-reference.js';
import { localPrefix } from './policy/local-registry.js';
import type { ImageDecision } from './policy/image-decision.js';

export interface MirrorLine {
  source: string;
  destination: string;
}

export interface MirrorList {
  lines: MirrorLine[];
  /** Images that cannot be mirrored (a collision, no proxy-mode source): an error line each, exit 1. */
  problems: string[];
}

/**
 * `proxyList` is the image list of the same items in proxy mode, `localDecisions` the localRegistry decisions.
 * A name with both a tag and a digest is copied by its digest (what the pull resolves; skopeo takes
 * one of the two), so both lines drop the tag.
 */
export function buildMirrorList(proxyList: ImageList, localDecisions: ReadonlyMap<string, ImageDecision>): MirrorList {
  const lines = new Map<string, MirrorLine>();
  const problems: string[] = [];
  for (const entry of proxyList.images) {
    const decision = localDecisions.get(entry.image);
    if (decision?.decidedBy !== 'localRegistry') continue;
    if (decision.kind === 'problem') {
      problems.push(`${entry.image}: ${decision.message}`);
      continue;
    }
    // Already on the local registry: nothing to copy.
    if (decision.kind !== 'rewrite') continue;
    if (entry.verdict === 'error') {
      problems.push(`${entry.image}: no source to mirror it from: ${entry.reason}`);
      continue;
    }
    const line = { source: digestOnly(entry.pulledAs), destination: digestOnly(decision.newValue) };
    lines.set(`${line.source} ${line.destination}`, line);
  }
  return { lines: [...lines.values()], problems };
}

function digestOnly(value: string): string {
  const parsed = parseImageReference(value);
  if (!parsed.ok || parsed.ref.digest === undefined || parsed.ref.tag === undefined) return value;
  return `${parsed.ref.name}@${parsed.ref.digest}`;
}

export function formatMirrorLines(list: MirrorList): string {
  return list.lines.map((line) => `${line.source} ${line.destination}\n`).join('');
}

/**
 * The YAML `skopeo sync --src yaml` reads: per source registry, per repository, the tags and digests.
 * Without --scoped skopeo puts each image at `<destination>/<last path segment>`, which is layout kots;
 * layout path cannot be expressed (undefined: the caller says so).
 */
export function formatSkopeoSync(list: MirrorList, config: Config, local: LocalRegistry): string | undefined {
  if (local.layout !== 'kots') return undefined;
  const registries = new Map<string, Map<string, string[]>>();
  for (const line of list.lines) {
    const parsed = parseImageReference(line.source);
    if (!parsed.ok) continue;
    const { domain, path, tag, digest } = parsed.ref;
    const repositories = registries.get(domain) ?? new Map<string, string[]>();
    const references = repositories.get(path) ?? [];
    const reference = digest ?? tag ?? 'latest';
    if (!references.includes(reference)) references.push(reference);
    repositories.set(path, references);
    registries.set(domain, repositories);
  }
  const tlsFlag = local.insecure ? ' --dest-tls-verify=false' : '';
  const out = [
    `# skopeo sync --all --preserve-digests --src yaml --dest docker${tlsFlag} THIS_FILE ${localPrefix(local)}`,
    `# private images come from ${config.proxyDomain}: skopeo login ${config.proxyDomain} first (username LICENSE_ID, password the license ID)`,
  ];
  for (const registry of [...registries.keys()].sort()) {
    out.push(`${JSON.stringify(registry)}:`, '  images:');
    const repositories = registries.get(registry)!;
    for (const path of [...repositories.keys()].sort()) {
      out.push(`    ${JSON.stringify(path)}:`);
      for (const reference of repositories.get(path)!.sort()) out.push(`    - ${JSON.stringify(reference)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
