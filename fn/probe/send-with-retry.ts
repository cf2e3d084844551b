// Bounded retries, owned here rather than by got so each rule is explicit: 429 and 5xx twice (honoring
// Retry-After up to a cap), a timeout once, a connection reset three times; always with backoff, never past
// the run's deadline.

import { classifyTransportFailure } from './classify.js';
import type { RequestPurpose } from './egress-policy.js';
import type { Scheme } from './registry-endpoint.js';
import { parseRetryAfter } from './retry-after.js';

export interface HttpRequest {
  method: 'HEAD' | 'GET';
  url: string;
  headers: Record<string, string>;
  purpose: RequestPurpose; // with registry and registryScheme: what the egress policy judges the URL against
  registry: string;
  registryScheme: Scheme;
  maxBodyBytes: number; // the body is read up to this many bytes, then the connection is closed
}

export type HttpResult =
  | { ok: true; status: number; headers: Record<string, string | string[] | undefined>; body: string; truncated: boolean }
  | { ok: false; code: string | undefined; message: string; hop?: 'proxy' | 'tls' | 'registry'; proxy?: string };

/** The code of a request the egress policy refused to send. */
export const refusedCode = 'ERR_PROBE_REFUSED';

/** One attempt, no retries. Never rejects: a failure without a response is `ok: false`. */
export type SendRequest = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResult>;

export interface RetryPolicy {
  baseDelayMs: number; // backoff: base, 2×base, 4×base
  maxRetryAfterMs: number; // a longer Retry-After is not waited for: the answer is "rate limited" now
}

export interface RetriedResult {
  result: HttpResult;
  attempts: number;
  note: string | undefined; // why retrying stopped early, for the message
}

const statusRetries = 2;
const resetRetries = 3;
const timeoutRetries = 1;

export async function sendWithRetry(send: SendRequest, request: HttpRequest, policy: RetryPolicy, signal: AbortSignal): Promise<RetriedResult> {
  let attempts = 0;
  const used = { status: 0, reset: 0, timeout: 0 };
  for (;;) {
    attempts += 1;
    const result = await send(request, signal);
    if (signal.aborted) return { result, attempts, note: undefined };
    let delayMs: number;
    if (!result.ok) {
      const kind = classifyTransportFailure(result.code);
      if (kind === 'reset' && used.reset < resetRetries) used.reset += 1;
      else if (kind === 'timeout' && used.timeout < timeoutRetries) used.timeout += 1;
      else return { result, attempts, note: undefined };
      delayMs = backoff(policy, Math.max(used.reset, used.timeout));
    } else if (isRetriedStatus(result.status) && used.status < statusRetries) {
      used.status += 1;
      const header = result.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(typeof header === 'string' ? header : undefined, Date.now());
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
        const note = `Retry-After ${Math.ceil(retryAfterMs / 1000)} s exceeds the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s cap`;
        return { result, attempts, note };
      }
      delayMs = retryAfterMs ?? backoff(policy, used.status);
    } else {
      return { result, attempts, note: undefined };
    }
    if (!(await sleep(delayMs, signal))) return { result, attempts, note: undefined };
  }
}

// 501 is "HEAD not implemented": the caller falls back to GET instead.
function isRetriedStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

function backoff(policy: RetryPolicy, retry: number): number {
  return policy.baseDelayMs * 2 ** (retry - 1);
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
