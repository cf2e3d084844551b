// A complete Config with the documented defaults, for unit tests of modules that take a Config: what
// loadConfig makes of the smallest RegistryProxy, so the defaults come from the one table (the schemas).
// They are specified independently in test/config/load-config.test.ts.
import type { Config } from '../../fn/config/config.js';
import { loadConfig, REGISTRY_PROXY_API_VERSION } from '../../fn/config/load-config.js';

const loaded = loadConfig({ apiVersion: REGISTRY_PROXY_API_VERSION, kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseID: 'abc' } }, {});
if (!loaded.ok) throw new Error(`config-fixture: ${loaded.problems.map((problem) => problem.message).join('; ')}`);
const defaults = loaded.loaded.config;

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaults, ...overrides };
}
