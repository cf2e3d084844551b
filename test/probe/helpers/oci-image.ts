// Small, deterministic OCI images built by hand (tar + gzip, config, manifest, optional multi-arch index) and
// pushed with the registry HTTP API: no docker, no skopeo.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface Blob {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export interface BuiltImage {
  blobs: Blob[]; // layers and configs
  manifests: Blob[]; // per-platform manifests, pushed by digest before the top one
  top: Blob; // what the tag points at: a manifest, or an index for a multi-arch image
}

const platforms = [
  { architecture: 'amd64', os: 'linux' },
  { architecture: 'arm64', os: 'linux' },
];

export function buildImage(name: string, options: { multiArch: boolean }): BuiltImage {
  const blobs: Blob[] = [];
  const manifests: Blob[] = [];
  for (const platform of options.multiArch ? platforms : platforms.slice(0, 1)) {
    const tar = buildTar(`hello-${platform.architecture}.txt`, `${name} for ${platform.architecture}\n`);
    const layer = createBlob('application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(tar, { level: 9 }));
    const config = createBlob(
      'application/vnd.oci.image.config.v1+json',
      json({ ...platform, config: {}, rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }),
    );
    const manifest = createBlob(
      'application/vnd.oci.image.manifest.v1+json',
      json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: describe(config), layers: [describe(layer)] }),
    );
    blobs.push(layer, config);
    manifests.push(manifest);
  }
  const [only] = manifests;
  if (!options.multiArch && only !== undefined) return { blobs, manifests: [], top: only };
  const index = createBlob(
    'application/vnd.oci.image.index.v1+json',
    json({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: manifests.map((manifest, position) => ({ ...describe(manifest), platform: platforms[position] })),
    }),
  );
  return { blobs, manifests, top: index };
}

/** Pushes with the distribution HTTP API to a registry that needs no auth; returns the tag's digest. */
export async function pushImage(baseUrl: string, repository: string, tag: string, image: BuiltImage): Promise<string> {
  for (const blob of image.blobs) {
    const start = await fetch(`${baseUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = start.headers.get('location');
    if (start.status !== 202 || location === null) throw new Error(`upload start for ${repository}: HTTP ${start.status}`);
    const target = new URL(location, baseUrl);
    target.searchParams.set('digest', blob.digest);
    const put = await fetch(target, { method: 'PUT', body: blob.bytes, headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob ${blob.digest} for ${repository}: HTTP ${put.status} ${await put.text()}`);
  }
  for (const manifest of [...image.manifests.map((m) => ({ m, ref: m.digest })), { m: image.top, ref: tag }]) {
    const put = await fetch(`${baseUrl}/v2/${repository}/manifests/${manifest.ref}`, {
      method: 'PUT',
      body: manifest.m.bytes,
      headers: { 'content-type': manifest.m.mediaType },
    });
    if (put.status !== 201) throw new Error(`manifest ${manifest.ref} for ${repository}: HTTP ${put.status} ${await put.text()}`);
  }
  return image.top.digest;
}

/** A one-file ustar archive with every variable field fixed (mtime 0, uid 0), so digests never change. */
function buildTar(fileName: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  const write = (offset: number, length: number, value: string): void => {
    header.write(value.slice(0, length), offset, 'ascii');
  };
  write(0, 100, fileName);
  write(100, 8, '0000644\0');
  write(108, 8, '0000000\0');
  write(116, 8, '0000000\0');
  write(124, 12, `${data.length.toString(8).padStart(11, '0')}\0`);
  write(136, 12, '00000000000\0');
  write(148, 8, '        '); // checksum field counts as spaces while summing
  write(156, 1, '0');
  write(257, 6, 'ustar\0');
  write(263, 2, '00');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  write(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

function createBlob(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: sha256(bytes), bytes };
}

function describe(blob: Blob): { mediaType: string; digest: string; size: number } {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.bytes.length };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
