// The seam between the core and the registry probe. Fixed: the core codes against exactly these shapes.

export type ProbeReason =
  | 'granted'
  | 'denied'
  | 'not-found'
  | 'unreachable'
  | 'rate-limited'
  | 'server-error'
  | 'intercepted'
  | 'connection-reset'
  | 'offline'
  | 'local-network' // this machine's way out failed (its proxy, its TLS interception), not the registry: like offline
  | 'refused' // the egress policy refused to send the request (an internal address, a downgrade): no verdict
  | 'deadline';

export interface ProbeTarget {
  registry: string; // normalized registry domain as parsed: "docker.io", "quay.io", "127.0.0.1:5000"
  repository: string; // normalized path: "library/nginx"
  references: string[]; // tags or digests ("1.25", "sha256:…") seen for this repository, first-seen order; try in order while the answer is 404
}

export interface ProbeVerdict {
  visibility: 'public' | 'private' | 'unknown'; // unknown: no verdict at all (offline, deadline, connection reset after retries)
  reason: ProbeReason;
  message: string; // one line for a human: what happened ("HTTP 401 after anonymous token", "connect ECONNREFUSED 127.0.0.1:5999"), no secrets
  cacheable: boolean; // definitive per the table's "keep in cache" column: may be pinned in knownImages
  warning: boolean; // the verdict is a fallback a user should look at (not-found, unreachable, rate-limited, server-error, intercepted, offline, …)
  failure?: TransportFailure; // set when no HTTP answer came back: what failed, and where
}

/** Where a request without an answer failed: used to tell this machine's network failing from a registry failing. */
export interface TransportFailure {
  code: string; // ECONNREFUSED, ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN, PROXY_STATUS_502, …
  hop: 'proxy' | 'tls' | 'registry'; // proxy: before the tunnel was up; tls: the certificate was not trusted
  proxy: string | undefined; // the proxy it went through, without credentials
  host: string; // the registry's API host
}

export interface ProbeOptions {
  timeoutSeconds: number; // per phase; default 10
  concurrency: number; // default 10 (KOTS: 10)
  perRegistryConcurrency: number; // default 4
  insecureRegistries: string[];
  allowPrivateAddresses: boolean; // probe registries on loopback, private and link-local addresses without listing them
  credentials: Array<{ registry: string; usernameEnv: string; passwordEnv: string }>;
  deadlineSeconds: number; // whole probe run; default 60
  env: Record<string, string | undefined>; // injected process.env (proxies, credentials)
}

export interface ImageProbe {
  /** Keys of the map: `${registry}/${repository}`. Never rejects: every failure is a verdict. */
  probe(targets: ProbeTarget[]): Promise<Map<string, ProbeVerdict>>;
}
