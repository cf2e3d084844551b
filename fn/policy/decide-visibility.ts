// Which images are private, from configuration alone. Precedence (README "Verdicts"):
// proxyPublicImages > rules > knownImages (exact string, then repository) > probe > unknownImages.
import type { Config } from '../config/config.js';
import { parseImageReference } from '../image-reference.js';
import { compileGlob } from './glob.js';

export type VerdictSource = 'proxyPublicImages' | 'rules' | 'knownImages' | 'probe' | 'unknownImages';

export interface Verdict {
  isPrivate: boolean;
  source: VerdictSource;
  /** Why, for the per-image result: `rule "quay.io/org/*"`, `probe: granted (HTTP 200)`. */
  detail: string;
  /** Set when the verdict is a fallback a user should look at. */
  warning?: string;
  /** Set when unknownImages is `error` and nothing decided. */
  error?: string;
  /** The probe's reason code, when the probe decided. */
  reason?: string;
  /** Whether the verdict may be pinned in knownImages. */
  cacheable?: boolean;
}

export interface VisibilityPolicy {
  /** A verdict from configuration, or undefined when only a probe or the fallback can decide. */
  decide(image: string, repository: string): Verdict | undefined;
  fallback(reason?: string): Verdict;
}

/** Registry hosts are case-insensitive; rules and knownImages match on the lowercase host. */
export function repositoryKey(ref: { domain: string; path: string }): string {
  return `${ref.domain.toLowerCase()}/${ref.path}`;
}

export function createVisibilityPolicy(config: Config): VisibilityPolicy {
  const rules = config.rules.map((rule) => ({ ...rule, pattern: compileGlob(rule.match) }));
  const exact = new Map<string, boolean>();
  const byRepository = new Map<string, boolean>();
  for (const known of config.knownImages) {
    if (!exact.has(known.image)) exact.set(known.image, known.isPrivate);
    const parsed = parseImageReference(known.image);
    const repository = parsed.ok ? repositoryKey(parsed.ref) : undefined;
    if (repository !== undefined && !byRepository.has(repository)) byRepository.set(repository, known.isPrivate);
  }
  return {
    decide(image, repository) {
      if (config.proxyPublicImages) return { isPrivate: true, source: 'proxyPublicImages', detail: 'proxyPublicImages is true' };
      for (const rule of rules) {
        if (rule.pattern.test(repository)) return { isPrivate: rule.private, source: 'rules', detail: `rule "${rule.match}"` };
      }
      const known = exact.get(image) ?? byRepository.get(repository);
      if (known !== undefined) {
        return { isPrivate: known, source: 'knownImages', detail: exact.has(image) ? 'knownImages' : `knownImages (repository ${repository})` };
      }
      return undefined;
    },
    fallback(reason) {
      const because = reason ? `${reason}; ` : '';
      if (config.unknownImages === 'error') {
        return {
          isPrivate: false,
          source: 'unknownImages',
          detail: 'unknownImages: error',
          error: `${because}no rule or known image decides whether it is private (unknownImages: error)`,
        };
      }
      return {
        isPrivate: config.unknownImages === 'private',
        source: 'unknownImages',
        detail: `unknownImages: ${config.unknownImages}`,
        warning: `${because}no rule, known image or probe decided; treated as ${config.unknownImages} (unknownImages)`,
      };
    },
  };
}
