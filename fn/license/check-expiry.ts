// An expired license renders manifests whose pulls the proxy denies ("Expired licenses cannot pull
// application images through the Replicated proxy registry", replicated-docs licenses-about.mdx):
// say so before they reach a cluster. The clock comes in from the caller, so tests fix it.
import type { Config } from '../config/config.js';
import type { Result } from '../results.js';
import { formatDay } from './iso-date.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function checkLicenseExpiry(config: Config, now: Date): Result | undefined {
  const expiry = config.licenseExpiry;
  if (expiry === undefined) return undefined;
  const day = formatDay(expiry.expiresAt);
  const left = expiry.expiresAt.getTime() - now.getTime();
  const field = { path: expiry.field };
  if (left <= 0) {
    const severity = config.expiredLicense === 'error' ? 'error' : 'warning';
    const next = severity === 'error' ? 'renew it in the Vendor Portal, or set expiredLicense: warn to render anyway' : 'rendered anyway (expiredLicense: warn)';
    return { severity, message: `the license expired on ${day}: the Replicated proxy registry denies image pulls with an expired license; ${next}`, field };
  }
  const days = Math.ceil(left / DAY_MS);
  if (days > config.expiryWarningDays) return undefined;
  return {
    severity: 'warning',
    message: `the license expires on ${day}, in ${days} day(s): after that the Replicated proxy registry denies image pulls with it (expiryWarningDays: ${config.expiryWarningDays})`,
    field,
  };
}
