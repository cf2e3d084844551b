// The probe as the core sees it, loaded on first use: a render whose images are all decided by
// configuration never loads got and its agents (start-up cost, see README "Performance").
import type { ProbeSettings } from '../config/config.js';
import type { ImageProbe } from './types.js';

export function createLazyRegistryProbe(settings: ProbeSettings, env: Readonly<Record<string, string | undefined>>): ImageProbe {
  let loaded: Promise<ImageProbe> | undefined;
  return {
    async probe(targets) {
      loaded ??= import('./index.js').then(({ createRegistryProbe }) =>
        createRegistryProbe({
          timeoutSeconds: settings.timeoutSeconds,
          deadlineSeconds: settings.deadlineSeconds,
          concurrency: settings.concurrency,
          perRegistryConcurrency: settings.perRegistryConcurrency,
          insecureRegistries: [...settings.insecureRegistries],
          allowPrivateAddresses: settings.allowPrivateAddresses,
          credentials: settings.credentials.map((entry) => ({
            registry: entry.registry,
            usernameEnv: entry.usernameFromEnv,
            passwordEnv: entry.passwordFromEnv,
          })),
          env: { ...env },
        }),
      );
      return (await loaded).probe(targets);
    },
  };
}
