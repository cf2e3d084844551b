// One decision for every distinct image value: what the name alone settles first, then verdicts from
// configuration, then one probe batch for what is left (one target per repository), then the
// unknownImages fallback.
import type { Config } from '../config/config.js';
import type { ImageProbe, ProbeTarget, ProbeVerdict } from '../probe/types.js';
import { createVisibilityPolicy, repositoryKey, type Verdict } from './decide-visibility.js';
import { createProxyDecider, type ImageDecision, type PendingImage } from './image-decision.js';
import { decideLocalImages } from './local-registry.js';

export interface ImageDecisions {
  /** Every distinct value as written (those decided by a probe last). */
  byValue: Map<string, ImageDecision>;
  /** Images that no probe could decide because there was no network, or this machine's way out failed:
   * one warning, not one each. `cause` names it ("no network", "local network failure: the proxy …"). */
  offline: { images: number; message: string; cause: string } | undefined;
  probedRepositories: number;
}

export async function decideImages(values: Iterable<string>, config: Config, probe: ImageProbe | undefined): Promise<ImageDecisions> {
  // localRegistry: the customer's registry holds every image, so there is nothing to decide or probe.
  if (config.localRegistry) return { byValue: decideLocalImages(values, config, config.localRegistry), offline: undefined, probedRepositories: 0 };
  const policy = createVisibilityPolicy(config);
  const decider = createProxyDecider(config);
  const byValue = new Map<string, ImageDecision>();
  // `key` is the probe's answer key as well: registry (lowercased) / repository.
  const undecided: Array<{ value: string; image: PendingImage; key: string }> = [];
  const probing = probe !== undefined && config.probe.enabled;
  for (const value of new Set(values)) {
    const image = decider.classify(value);
    if (image.kind !== 'pending') {
      byValue.set(value, image);
      continue;
    }
    const key = repositoryKey(image.ref);
    const verdict = policy.decide(value, key);
    if (verdict) byValue.set(value, decider.decide(image, verdict));
    // An image that could not be proxied anyway (a registry with a port, an IPv6 registry) is not worth a
    // request: those names are how manifests point the probe at localhost:2375 or [::1].
    else if (probing && !image.proxied.ok) byValue.set(value, decider.decide(image, policy.fallback('not probed: it could not be proxied')));
    else undecided.push({ value, image, key });
  }
  let offline: ImageDecisions['offline'];
  let probedRepositories = 0;
  if (undecided.length > 0 && probing) {
    // One target per image: the probe merges them per repository (mergeTargets in probe/index.ts).
    const targets: ProbeTarget[] = undecided.map(({ image: { ref } }) => ({ registry: ref.domain.toLowerCase(), repository: ref.path, references: [ref.digest ?? ref.tag ?? 'latest'] }));
    probedRepositories = new Set(undecided.map(({ key }) => key)).size;
    const answers = await probe.probe(targets);
    let offlineCount = 0;
    let offlineMessage = '';
    let cause = '';
    for (const image of undecided) {
      const answer = answers.get(image.key);
      if (answer !== undefined && isNoNetwork(answer)) {
        offlineCount++;
        offlineMessage = answer.message;
        // A failing way out is worth naming over "no network": it is the one the user can fix.
        if (cause === '' || answer.reason === 'local-network') cause = answer.reason === 'offline' ? 'no network' : answer.message;
      }
      byValue.set(image.value, decider.decide(image.image, verdictFromProbe(answer, policy.fallback)));
    }
    if (offlineCount > 0) offline = { images: offlineCount, message: offlineMessage, cause };
  } else {
    for (const image of undecided) byValue.set(image.value, decider.decide(image.image, policy.fallback()));
  }
  return { byValue, offline, probedRepositories };
}

function verdictFromProbe(answer: ProbeVerdict | undefined, fallback: (reason?: string) => Verdict): Verdict {
  if (!answer) return fallback('no probe answer');
  if (answer.visibility === 'unknown') {
    const verdict = fallback(`probe: ${answer.reason} (${answer.message})`);
    if (isNoNetwork(answer)) delete verdict.warning;
    // The detail keeps the probe's answer: with no per-image warning, it is what results and known-images show.
    return { ...verdict, detail: `probe: ${answer.reason} (${answer.message}); ${verdict.detail}`, reason: answer.reason };
  }
  const verdict: Verdict = {
    isPrivate: answer.visibility === 'private',
    source: 'probe',
    detail: `probe: ${answer.reason} (${answer.message})`,
    reason: answer.reason,
    cacheable: answer.cacheable,
  };
  if (answer.warning) verdict.warning = `probe: ${answer.reason}: ${answer.message}; treated as ${answer.visibility}`;
  return verdict;
}

/** Answers that say nothing about the image, only that this machine could not ask: one warning for all. */
function isNoNetwork(answer: ProbeVerdict): boolean {
  return answer.reason === 'offline' || answer.reason === 'local-network';
}

export type { Verdict } from './decide-visibility.js';
export type { ImageDecision } from './image-decision.js';
