import assert from 'node:assert/strict';
import { testConfig } from '../helpers/config-fixture.js';
import { checkLicenseExpiry } from '../../fn/license/check-expiry.js';

const field = 'spec.license.spec.entitlements.expires_at.value';
const expiresAt = new Date('2026-06-01T00:00:00Z');
const at = (iso: string, overrides = {}) => checkLicenseExpiry(testConfig({ licenseExpiry: { expiresAt, field }, ...overrides }), new Date(iso));

describe('checkLicenseExpiry', () => {
  it('says nothing without an expiry or far from it', () => {
    assert.equal(checkLicenseExpiry(testConfig(), new Date('2030-01-01T00:00:00Z')), undefined);
    assert.equal(at('2026-05-01T23:59:59Z'), undefined);
  });

  it('warns within expiryWarningDays, counting a started day as a day', () => {
    assert.equal(at('2026-05-02T00:00:00Z')?.severity, 'warning');
    assert.match(at('2026-05-02T00:00:00Z')?.message ?? '', /expires on 2026-06-01, in 30 day\(s\)/);
    assert.match(at('2026-05-31T23:00:00Z')?.message ?? '', /in 1 day\(s\)/);
    assert.equal(at('2026-05-25T00:00:00Z', { expiryWarningDays: 0 }), undefined);
  });

  it('is an error from the expiry instant on, a warning with expiredLicense: warn', () => {
    const expired = at('2026-06-01T00:00:00Z');
    assert.equal(expired?.severity, 'error');
    assert.match(expired?.message ?? '', /^the license expired on 2026-06-01: the Replicated proxy registry denies image pulls/);
    assert.deepEqual(expired?.field, { path: field });
    assert.equal(at('2027-01-01T00:00:00Z', { expiredLicense: 'warn' })?.severity, 'warning');
  });

  it('never names the license ID', () => {
    const result = at('2027-01-01T00:00:00Z', { licenseID: 'secret-license-id-123' });
    assert.ok(!JSON.stringify(result).includes('secret-license-id-123'));
  });
});
