// Connection agents: direct keep-alive agents, or hpagent tunnels when HTTPS_PROXY / HTTP_PROXY apply to a
// URL (NO_PROXY honored through proxy-from-env). Neither got nor Node 20 reads those variables itself.

import http from 'node:http';
import https from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { getProxyForUrl } from 'proxy-from-env';

export interface AgentSet {
  http: http.Agent;
  https: https.Agent;
  proxy: string | undefined; // the proxy URL without credentials, for messages
}

export interface AgentPool {
  selectAgents(url: string): AgentSet;
  /** The proxy that a request to `url` would go through (credentials included), or undefined. */
  resolveProxy(url: string): string | undefined;
}

export interface AgentPoolOptions {
  env: Record<string, string | undefined>;
  ca: string[] | undefined; // explicit trust roots; undefined keeps Node's (bundled + NODE_EXTRA_CA_CERTS)
  timeoutMs: number; // bounds the proxy's CONNECT answer too
}

/** proxy-from-env reads only process.env, but the probe must honor the injected env (the core's contract,
 * and what tests pass). The call is synchronous, so nothing else can run while process.env is swapped. */
export function resolveProxyFromEnv(url: string, env: Record<string, string | undefined>): string | undefined {
  const saved = process.env;
  process.env = { ...env };
  try {
    const proxy = getProxyForUrl(url);
    return proxy === '' ? undefined : proxy;
  } finally {
    process.env = saved;
  }
}

export function createAgentPool(options: AgentPoolOptions): AgentPool {
  const tls = options.ca === undefined ? {} : { ca: options.ca };
  // Keep-alive: a run sends several requests per registry (challenge, token, retry); idle sockets are unref'd
  // by Node, so they never keep the process alive.
  const common = { keepAlive: true, timeout: options.timeoutMs };
  const direct: AgentSet = {
    http: new http.Agent(common),
    https: new https.Agent({ ...common, ...tls }),
    proxy: undefined,
  };
  const proxied = new Map<string, AgentSet>();
  const byOrigin = new Map<string, AgentSet>(); // the proxy decision depends on scheme, host and port only

  const resolveProxy = (url: string): string | undefined => resolveProxyFromEnv(url, options.env);

  return {
    resolveProxy,
    selectAgents(url) {
      const origin = new URL(url).origin;
      const known = byOrigin.get(origin);
      if (known !== undefined) return known;
      const proxy = resolveProxy(url);
      if (proxy === undefined) {
        byOrigin.set(origin, direct);
        return direct;
      }
      let agents = proxied.get(proxy);
      if (agents === undefined) {
        // The CA list goes to the tunnel's TLS (to the registry) and to the CONNECT request (an https proxy).
        const proxyRequestOptions = options.ca === undefined ? {} : { ca: options.ca };
        agents = {
          http: new HttpProxyAgent({ ...common, proxy, proxyRequestOptions }),
          https: new HttpsProxyAgent({ ...common, ...tls, proxy, proxyRequestOptions }),
          proxy: stripUserInfo(proxy),
        };
        proxied.set(proxy, agents);
      }
      byOrigin.set(origin, agents);
      return agents;
    },
  };
}

function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
