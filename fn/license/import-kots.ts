// `registry-proxy import-kots DIR`: a RegistryProxy functionConfig from what `kots pull` / `kots download`
// wrote. Layout (replicatedhq/kots): `<rootdir>/<app-slug>/upstream/` holds the release files as
// shipped plus `userdata/installation.yaml` (kotsutil.SaveInstallation: knownImages,
// replicatedProxyDomain, replicatedRegistryDomain; metadata.name is the app slug, upstream/write.go)
// and `userdata/license.yaml` (upstream/replicated.go); `kotsKinds/` holds the rendered kots kinds.
// The license ID is never printed: the config names an environment variable instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { STAGING_PROXY_DOMAIN, STAGING_REGISTRY_DOMAIN } from '../config/config.js';
import { isRecord } from '../config/is-record.js';
import { isStagingLicense, loadConfig, REGISTRY_PROXY_API_VERSION } from '../config/load-config.js';
import { formatDay } from './iso-date.js';
import { readLicenseFacts } from './license-facts.js';

export const IMPORTED_LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';

export interface ImportOutput {
  stdout: string;
  stderr: string[];
  exitCode: number;
}

const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_FILES = 20_000;
const INSTALLATION = join('upstream', 'userdata', 'installation.yaml');
const LICENSE = join('upstream', 'userdata', 'license.yaml');

export function importKots(dir: string, now: Date): ImportOutput {
  const stderr: string[] = [];
  const note = (message: string): void => {
    stderr.push(`registry-proxy: import-kots: ${message}`);
  };
  const root = findAppRoot(dir);
  if (root === undefined) {
    return fail(`${dir} is not a kots pull / kots download directory: no ${INSTALLATION} (kots pull writes <rootdir>/<app-slug>/upstream/userdata/installation.yaml)`);
  }
  const installation = readObject(join(root, INSTALLATION), 'Installation');
  if (typeof installation === 'string') return fail(installation);
  const licenseRead = exists(join(root, LICENSE)) ? readObject(join(root, LICENSE), 'License') : undefined;
  if (typeof licenseRead === 'string') return fail(licenseRead);
  const license = licenseRead;
  const licenseID = typeof license?.spec['licenseID'] === 'string' ? license.spec['licenseID'] : '';
  const finish = (output: ImportOutput): ImportOutput => redact(output, licenseID);

  const appSlug = stringAt(license?.spec, 'appSlug') ?? stringAt(installation.metadata, 'name');
  if (license === undefined) note(`no ${LICENSE}: appSlug taken from the Installation's metadata.name; the License's domain and expiry are unknown`);
  if (appSlug === undefined) return finish(fail(`no app slug: neither ${LICENSE} spec.appSlug nor ${INSTALLATION} metadata.name`));

  const spec: Record<string, unknown> = { appSlug, licenseIDFromEnv: IMPORTED_LICENSE_ENV };
  const facts = license ? readLicenseFacts({ spec: license.spec }, '') : undefined;
  for (const problem of facts?.problems ?? []) note(`${LICENSE}: ${problem.message}: ignored`);
  const staging = license !== undefined && isStagingLicense({ spec: license.spec });
  // KOTS rewrites with the Installation's domains (the release's custom domains): they come first.
  const proxyDomain = stringAt(installation.spec, 'replicatedProxyDomain') ?? facts?.proxyDomain?.value ?? (staging ? STAGING_PROXY_DOMAIN : undefined);
  const registryDomain = stringAt(installation.spec, 'replicatedRegistryDomain') ?? (staging ? STAGING_REGISTRY_DOMAIN : undefined);
  if (proxyDomain !== undefined) spec['proxyDomain'] = proxyDomain.toLowerCase();
  if (registryDomain !== undefined) spec['registryDomain'] = registryDomain.toLowerCase();

  const application = findApplication(root);
  if (application === undefined) {
    note('no kots.io/v1beta1 Application among the upstream files: additionalNamespaces and proxyPublicImages left unset');
  } else {
    const namespaces = application.spec['additionalNamespaces'];
    if (Array.isArray(namespaces) && namespaces.length > 0) spec['additionalNamespaces'] = namespaces.filter((value) => typeof value === 'string');
    if (typeof application.spec['proxyPublicImages'] === 'boolean') spec['proxyPublicImages'] = application.spec['proxyPublicImages'];
  }

  const known = Array.isArray(installation.spec['knownImages']) ? installation.spec['knownImages'] : [];
  const knownImages = known
    .filter((entry): entry is Record<string, unknown> => isRecord(entry) && typeof entry['image'] === 'string' && entry['image'] !== '')
    .map((entry) => ({ image: entry['image'] as string, isPrivate: entry['isPrivate'] === true }));
  if (knownImages.length > 0) spec['knownImages'] = knownImages;
  else note(`${INSTALLATION} has no knownImages: undecided images go to the probe or unknownImages`);

  const config = { apiVersion: REGISTRY_PROXY_API_VERSION, kind: 'RegistryProxy', metadata: { name: 'registry-proxy' }, spec };
  // What we print must load: the same checks the function makes (the variable is a stand-in here).
  const check = loadConfig(config, { [IMPORTED_LICENSE_ENV]: 'stand-in' });
  if (!check.ok) return finish(fail(`the imported configuration is not valid: ${check.problems.map((problem) => problem.message).join('; ')}`, stderr));

  const header = [`# Generated by registry-proxy import-kots from ${relative(process.cwd(), root) || '.'}.`, `# Set ${IMPORTED_LICENSE_ENV} to the customer's license ID (spec.licenseID of ${LICENSE}) where the function runs.`];
  if (facts?.expiry) {
    const expired = facts.expiry.expiresAt.getTime() <= now.getTime();
    header.push(`# The License ${expired ? 'expired' : 'expires'} on ${formatDay(facts.expiry.expiresAt)}: embed it as spec.license to have renders check that.`);
    if (expired) note(`the License expired on ${formatDay(facts.expiry.expiresAt)}: the Replicated proxy registry denies image pulls with it`);
  }
  return finish({ stdout: `${header.join('\n')}\n${stringify(config, { lineWidth: 0 })}`, stderr, exitCode: 0 });
}

/** DIR itself, or the one app directory `kots pull --rootdir DIR` created inside it. */
function findAppRoot(dir: string): string | undefined {
  if (exists(join(dir, INSTALLATION))) return dir;
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((name) => exists(join(dir, name, INSTALLATION)));
  } catch {
    return undefined;
  }
  return entries.length === 1 ? join(dir, entries[0]!) : undefined;
}

interface KotsObject {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

/** The one kots.io object of that kind in the file, or a message saying why not. */
function readObject(path: string, kind: string): KotsObject | string {
  const text = readText(path);
  if (text === undefined) return `cannot read ${path}`;
  const found = kotsObjects(text).find((object) => object.kind === kind);
  if (found === undefined) return `${path} holds no kots.io ${kind}`;
  return found;
}

function kotsObjects(text: string): Array<KotsObject & { kind: string }> {
  const objects: Array<KotsObject & { kind: string }> = [];
  for (const document of parseAllDocuments(text, { version: '1.1', prettyErrors: false })) {
    if (!('errors' in document) || document.errors.length > 0) continue;
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    if (!isRecord(value) || typeof value['apiVersion'] !== 'string' || !value['apiVersion'].startsWith('kots.io/')) continue;
    objects.push({
      kind: String(value['kind']),
      metadata: isRecord(value['metadata']) ? value['metadata'] : {},
      spec: isRecord(value['spec']) ? value['spec'] : {},
    });
  }
  return objects;
}

/** The vendor's Application: among the release files in upstream/, else the rendered kotsKinds/. */
function findApplication(root: string): KotsObject | undefined {
  for (const folder of ['upstream', 'kotsKinds']) {
    for (const file of yamlFiles(join(root, folder))) {
      const text = readText(file);
      if (text === undefined || !text.includes('Application')) continue;
      const found = kotsObjects(text).find((object) => object.kind === 'Application');
      if (found) return found;
    }
  }
  return undefined;
}

function yamlFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      const path = join(current, entry.name);
      if (entry.isDirectory() && entry.name !== 'userdata') walk(path);
      else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  return files;
}

function readText(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function stringAt(map: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = map?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fail(message: string, notes: string[] = []): ImportOutput {
  return { stdout: '', stderr: [...notes, `registry-proxy: error: ${message}`], exitCode: 1 };
}

/** Belt and braces: the license ID never leaves, even if some file quoted it where we print from. */
function redact(output: ImportOutput, licenseID: string): ImportOutput {
  if (licenseID.length < 4) return output;
  const scrub = (text: string): string => text.split(licenseID).join('<redacted>');
  return { ...output, stdout: scrub(output.stdout), stderr: output.stderr.map(scrub) };
}
