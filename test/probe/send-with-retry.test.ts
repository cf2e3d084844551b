import assert from 'node:assert/strict';
import { sendWithRetry, sleep, type HttpResult, type SendRequest } from '../../fn/probe/send-with-retry.js';

// `send` is the seam between retries and the transport; the real transport is covered in the probe tests.
function scripted(results: HttpResult[]): { send: SendRequest; calls: () => number; times: number[] } {
  let index = 0;
  const times: number[] = [];
  return {
    send: async () => {
      times.push(Date.now());
      const result = results[Math.min(index, results.length - 1)];
      index += 1;
      if (result === undefined) throw new Error('no script');
      return result;
    },
    calls: () => index,
    times,
  };
}

const ok = (status: number, headers: Record<string, string> = {}): HttpResult => ({ ok: true, status, headers, body: '', truncated: false });
const fail = (code: string): HttpResult => ({ ok: false, code, message: code });
const request = { method: 'HEAD' as const, url: 'http://x/', headers: {}, purpose: 'registry' as const, registry: 'x', registryScheme: 'http' as const, maxBodyBytes: 1024 };
const policy = { baseDelayMs: 5, maxRetryAfterMs: 2000 };

describe('sendWithRetry', () => {
  const signal = new AbortController().signal;

  it('retries 429 and 5xx twice, then returns the last answer', async () => {
    for (const status of [429, 500, 502, 503, 504]) {
      const script = scripted([ok(status)]);
      const retried = await sendWithRetry(script.send, request, policy, signal);
      assert.equal(retried.attempts, 3, String(status));
      assert.equal(script.calls(), 3);
    }
  });

  it('does not retry answers that will not change', async () => {
    for (const status of [200, 401, 403, 404, 405, 501]) {
      const script = scripted([ok(status)]);
      assert.equal((await sendWithRetry(script.send, request, policy, signal)).attempts, 1, String(status));
    }
  });

  it('honors Retry-After, and gives up at once when it exceeds the cap', async () => {
    const honored = scripted([ok(429, { 'retry-after': '1' }), ok(200)]);
    const started = Date.now();
    const result = await sendWithRetry(honored.send, request, policy, signal);
    assert.equal(result.attempts, 2);
    assert.ok(Date.now() - started >= 950, 'waited the Retry-After second');

    const capped = scripted([ok(429, { 'retry-after': '3600' })]);
    const giveUp = await sendWithRetry(capped.send, request, policy, signal);
    assert.equal(giveUp.attempts, 1);
    assert.equal(giveUp.note, 'Retry-After 3600 s exceeds the 2 s cap');
  });

  it('retries a reset three times with growing backoff, a timeout once, and a refusal never', async () => {
    const reset = scripted([fail('ECONNRESET')]);
    assert.equal((await sendWithRetry(reset.send, request, { ...policy, baseDelayMs: 20 }, signal)).attempts, 4);
    const gaps = reset.times.slice(1).map((time, index) => time - (reset.times[index] ?? 0));
    assert.ok((gaps[0] ?? 0) >= 18 && (gaps[1] ?? 0) >= 38 && (gaps[2] ?? 0) >= 78, `backoff grows: ${gaps.join(', ')}`);
    assert.equal((await sendWithRetry(scripted([fail('ETIMEDOUT')]).send, request, policy, signal)).attempts, 2);
    assert.equal((await sendWithRetry(scripted([fail('ECONNREFUSED')]).send, request, policy, signal)).attempts, 1);
    assert.equal((await sendWithRetry(scripted([fail('ECONNRESET'), ok(200)]).send, request, policy, signal)).attempts, 2);
  });

  it('stops waiting when the deadline aborts', async () => {
    const controller = new AbortController();
    const script = scripted([ok(503, { 'retry-after': '1' })]);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await sendWithRetry(script.send, request, policy, controller.signal);
    assert.ok(Date.now() - started < 500);
    assert.equal(result.attempts, 1);
    assert.equal(await sleep(10, controller.signal), false);
  });
});
