// The proxy serves only the external registries the vendor linked in the Vendor Portal (replicated-docs
// packaging-private-images.md, _step-creds.mdx): which linked entry, if any, covers an image.
import type { LinkedRegistry } from '../config/config.js';
import type { ImageReference } from '../image-reference.js';

/** The entry for the image's registry; `undefined` when no list is configured (every registry counts as linked). */
export function findLinkedRegistry(ref: ImageReference, linked: readonly LinkedRegistry[]): LinkedRegistry | 'unlinked' | undefined {
  if (linked.length === 0) return undefined;
  const registry = ref.domain.toLowerCase();
  return linked.find((entry) => entry.registry === registry) ?? 'unlinked';
}
