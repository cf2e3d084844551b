import assert from 'node:assert/strict';
import {
  classifyManifestResponse,
  classifyTokenResponse,
  classifyTransportFailure,
  createTransportVerdict,
  createVerdict,
  manifestAccept,
  type ManifestResponseFacts,
} from '../../fn/probe/classify.js';
import type { ProbeReason } from '../../fn/probe/types.js';

const base: ManifestResponseFacts = { status: 200, contentType: undefined, hasDigest: false, authenticate: undefined, sentToken: false, attempts: 1 };

describe('classification table', () => {
  // Columns: response facts, reason, visibility, cacheable, warning.
  const rows: Array<[Partial<ManifestResponseFacts>, ProbeReason, string, boolean, boolean]> = [
    [{ contentType: 'application/vnd.oci.image.index.v1+json' }, 'granted', 'public', true, false],
    [{ contentType: 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8' }, 'granted', 'public', true, false],
    [{ contentType: 'application/json', hasDigest: true }, 'granted', 'public', true, false],
    [{ contentType: 'text/html; charset=utf-8' }, 'intercepted', 'private', false, true],
    // A GET whose body starts like a manifest counts, whatever the content type (the body is read only up to the cap).
    [{ contentType: 'application/octet-stream', bodyStart: ' {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json"' }, 'granted', 'public', true, false],
    [{ contentType: 'text/plain', bodyStart: '{"errors":[{"code":"UNKNOWN"}]}' }, 'intercepted', 'private', false, true],
    [{ contentType: undefined }, 'intercepted', 'private', false, true],
    [{ status: 401, sentToken: true }, 'denied', 'private', true, false],
    [{ status: 401, authenticate: 'Basic realm="x"' }, 'denied', 'private', true, false],
    [{ status: 401, authenticate: 'Negotiate' }, 'denied', 'private', true, false],
    [{ status: 401 }, 'denied', 'private', true, false],
    [{ status: 403 }, 'denied', 'private', true, false],
    [{ status: 404 }, 'not-found', 'private', true, true],
    [{ status: 429, attempts: 3 }, 'rate-limited', 'private', false, true],
    [{ status: 500, attempts: 3 }, 'server-error', 'private', false, true],
    [{ status: 503, attempts: 3 }, 'server-error', 'private', false, true],
    [{ status: 302 }, 'intercepted', 'private', false, true],
    [{ status: 418 }, 'server-error', 'private', false, true],
  ];
  for (const [facts, reason, visibility, cacheable, warning] of rows) {
    it(`${JSON.stringify(facts)} -> ${reason}`, () => {
      const verdict = classifyManifestResponse({ ...base, ...facts });
      assert.deepEqual(
        { reason: verdict.reason, visibility: verdict.visibility, cacheable: verdict.cacheable, warning: verdict.warning },
        { reason, visibility, cacheable, warning },
      );
      assert.doesNotMatch(verdict.message, /\n/);
    });
  }

  it('says what happened in the message', () => {
    assert.equal(classifyManifestResponse({ ...base, status: 401, sentToken: true }).message, 'HTTP 401 after anonymous token');
    assert.equal(classifyManifestResponse({ ...base, status: 401 }).message, 'HTTP 401 without a challenge');
    assert.equal(classifyManifestResponse({ ...base, status: 401, authenticate: 'Basic realm="r"' }).message, 'HTTP 401 with a Basic challenge');
    assert.equal(classifyManifestResponse({ ...base, status: 429, attempts: 3 }).message, 'HTTP 429 after 3 attempts');
  });

  it('marks the verdicts that are no verdict at all as unknown', () => {
    for (const reason of ['connection-reset', 'offline', 'deadline'] as const) {
      assert.deepEqual({ ...createVerdict(reason, 'm') }, { visibility: 'unknown', cacheable: false, warning: true, reason, message: 'm' });
    }
    assert.equal(createVerdict('unreachable', 'm').cacheable, true); // KOTS: firewalled means reachable only through the proxy
  });

  it('asks for OCI indexes first and every manifest type', () => {
    assert.equal(manifestAccept.split(', ')[0], 'application/vnd.oci.image.index.v1+json');
    assert.equal(manifestAccept.split(', ').length, 4);
  });
});

describe('classifyTokenResponse', () => {
  it('reads token or access_token and expires_in', () => {
    assert.deepEqual(classifyTokenResponse(200, '{"token":"t","expires_in":300}', 1), { ok: true, token: 't', expiresInSeconds: 300 });
    assert.deepEqual(classifyTokenResponse(200, '{"access_token":"a"}', 1), { ok: true, token: 'a', expiresInSeconds: undefined });
  });
  it('a token answer cut at the read cap is a failure, even when its start parses', () => {
    const answer = classifyTokenResponse(200, '{"token":"t"}', 1, true);
    assert.equal(answer.ok, false);
    assert.equal(answer.ok ? undefined : answer.failure.reason, 'server-error');
  });
  // Columns: status, body, reason.
  const failures: Array<[number, string, ProbeReason]> = [
    [401, '', 'denied'],
    [403, '', 'denied'],
    [429, '', 'rate-limited'],
    [502, '', 'server-error'],
    [404, '', 'server-error'],
    [200, '<html>login</html>', 'intercepted'],
    [200, '{"token":""}', 'intercepted'],
    [200, 'null', 'intercepted'],
  ];
  for (const [status, body, reason] of failures) {
    it(`token endpoint ${status} ${JSON.stringify(body)} -> ${reason}`, () => {
      const answer = classifyTokenResponse(status, body, 1);
      assert.equal(answer.ok, false);
      if (!answer.ok) assert.equal(answer.failure.reason, reason);
    });
  }
});

describe('classifyTransportFailure', () => {
  it('sorts error codes into reset, timeout and unreachable', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']) assert.equal(classifyTransportFailure(code), 'reset', code);
    for (const code of ['ETIMEDOUT', 'EAI_AGAIN']) assert.equal(classifyTransportFailure(code), 'timeout', code);
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'EPROTO', undefined]) {
      assert.equal(classifyTransportFailure(code), 'unreachable', String(code));
    }
  });
  it('turns them into verdicts', () => {
    assert.equal(createTransportVerdict('reset', 'socket hang up', 4).visibility, 'unknown');
    assert.equal(createTransportVerdict('reset', 'socket hang up', 4).message, 'socket hang up (after 4 attempts)');
    assert.equal(createTransportVerdict('timeout', 't', 2).reason, 'unreachable');
    assert.equal(createTransportVerdict('unreachable', 'connect ECONNREFUSED 127.0.0.1:1', 1).message, 'connect ECONNREFUSED 127.0.0.1:1');
  });
});
