/**
 * Bounded retries with exponential backoff for RPC calls, and which errors deserve one.
 *
 * A contract revert, a refused snapshot or a bad argument fails the same way every time: never retried. A network
 * failure, a timeout or a node's internal error may pass on the next try: retried up to `retries` times, waiting
 * `baseDelayMs × 2^attempt` (capped) between tries, each try bounded by `timeoutMs`.
 */
import { BaseError, ContractFunctionRevertedError, HttpRequestError, TimeoutError } from "viem";

export interface RetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Each try gives up after this long (0: no limit). */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 5_000, timeoutMs: 30_000 };

/** A try that took longer than the policy allows. */
export class CallTimeoutError extends Error {
  override name = "CallTimeoutError";
}

const TRANSIENT_MESSAGES = [
  /timed? ?out/i,
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|fetch failed/i,
  /rate limit|too many requests|429/i,
  /header not found|unknown block|missing trie node/i,
  /internal error/i,
];

/** Whether an error may go away on a retry. */
export function isTransient(error: unknown): boolean {
  if (error instanceof CallTimeoutError || error instanceof TimeoutError || error instanceof HttpRequestError) {
    return true;
  }
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof ContractFunctionRevertedError)) return false;
    if (error.walk((e) => e instanceof TimeoutError || e instanceof HttpRequestError)) return true;
  }
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return TRANSIENT_MESSAGES.some((re) => re.test(message));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `fn`, retrying transient failures; `onRetry` hears of each retry (logs, metrics). */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (what: string, attempt: number, error: unknown) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTimeout(fn(), policy.timeoutMs, what);
    } catch (error) {
      if (attempt >= policy.retries || !isTransient(error)) throw error;
      onRetry?.(what, attempt + 1, error);
      await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
    }
  }
}
