// kustomize's images transformer, as its source has it (kubernetes-sigs/kustomize, 2026-08:
// api/internal/image/image.go, api/filters/imagetag/{legacy,updater}.go,
// api/internal/konfig/builtinpluginconsts/images.go), so the fragment `registry-proxy kustomize` writes
// can be checked against what the function does before anyone applies it.

export interface KustomizeImage {
  name: string;
  newName: string;
}

/** A scalar kustomize's images transformer may rewrite: its path in the function's field-path form, and its value. */
export interface KustomizeSite {
  fieldPath: string;
  value: string;
  /** Only kustomize 5.7 and later rewrite it (the volumes[].image.reference field specs). */
  since57: boolean;
}

/**
 * `IsImageMatched`: the entry's name is put into a regular expression unescaped (a `.` matches any
 * character), followed by an optional tag and an optional digest.
 */
export function isImageMatched(value: string, name: string): boolean {
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return false;
  }
  return pattern.test(value);
}

/** `Split`: name, tag and digest, looking for `:` and `@` only after the first `/`. */
export function splitImage(value: string): { name: string; tag: string; digest: string } {
  const slash = value.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = value.slice(offset);
  const at = search.indexOf('@');
  const colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: value, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) return { name: value.slice(0, offset + at), tag: '', digest: value.slice(offset + at + 1) };
  if (at >= 0 && colon >= 0) return { name: value.slice(0, offset + colon), tag: value.slice(offset + colon + 1, offset + at), digest: value.slice(offset + at + 1) };
  return { name: value.slice(0, offset + colon), tag: value.slice(offset + colon + 1), digest: '' };
}

/** The updater with only `newName` set: the tag and digest stay. */
export function applyImage(value: string, image: KustomizeImage): string {
  if (!isImageMatched(value, image.name)) return value;
  const { tag, digest } = splitImage(value);
  return `${image.newName}${tag !== '' ? `:${tag}` : ''}${digest !== '' ? `@${digest}` : ''}`;
}

/** Each entry in order, over the value (kustomize runs one filter per entry, each seeing the last's output). */
export function applyImages(value: string, images: readonly KustomizeImage[]): string {
  return images.reduce(applyImage, value);
}

type Json = unknown;

/**
 * Every scalar the transformer looks at in one object: the legacy filter's `image` of each element of
 * any `containers` or `initContainers` sequence at any depth, and the field specs' volume image
 * references; nothing in a CustomResourceDefinition.
 */
export function findKustomizeSites(object: Json): KustomizeSite[] {
  const sites: KustomizeSite[] = [];
  if (!isMap(object) || object['kind'] === 'CustomResourceDefinition') return sites;
  const walk = (node: Json, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((element, index) => walk(element, `${path}[${index}]`));
      return;
    }
    if (!isMap(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      walk(value, childPath);
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        value.forEach((container, index) => {
          if (isMap(container) && typeof container['image'] === 'string') sites.push({ fieldPath: `${childPath}[${index}].image`, value: container['image'], since57: false });
        });
      }
    }
  };
  walk(object, '');
  for (const prefix of ['spec', 'spec.template.spec']) {
    const podSpec = prefix.split('.').reduce<Json>((node, key) => (isMap(node) ? node[key] : undefined), object);
    const volumes = isMap(podSpec) ? podSpec['volumes'] : undefined;
    if (!Array.isArray(volumes)) continue;
    volumes.forEach((volume, index) => {
      const image = isMap(volume) ? volume['image'] : undefined;
      const reference = isMap(image) ? image['reference'] : undefined;
      if (typeof reference === 'string') sites.push({ fieldPath: `${prefix}.volumes[${index}].image.reference`, value: reference, since57: true });
    });
  }
  return sites;
}

export function isMap(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
