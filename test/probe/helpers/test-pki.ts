// A throwaway CA, a TLS certificate for 127.0.0.1, localhost and registry.probe.test signed by it, and a self-signed token-signing
// certificate, made with the openssl CLI (node:crypto cannot issue X.509 certificates).

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  tokenCertPath: string; // the registry's rootcertbundle
  tokenKeyPem: string;
  tokenCertDerBase64: string; // the JWT header's x5c entry
}

export function createTestPki(dir: string): TestPki {
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', '2', '-subj', '/CN=registry-proxy test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:registry.probe.test\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('server.crt'), '-days', '2', '-extfile', path('server.ext'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('token.key'), '-out', path('token.crt'), '-days', '2', '-subj', '/CN=registry-proxy test token issuer');
  const tokenCertPem = readFileSync(path('token.crt'), 'utf8');
  const der = tokenCertPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return {
    caCertPath: path('ca.crt'),
    serverCertPath: path('server.crt'),
    serverKeyPath: path('server.key'),
    tokenCertPath: path('token.crt'),
    tokenKeyPem: readFileSync(path('token.key'), 'utf8'),
    tokenCertDerBase64: der,
  };
}
