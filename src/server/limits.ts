/**
 * Request rate limits for the local servers (`cinema ui`, `cinema mcp --http`): a token bucket
 * per client address, so a runaway script or a flood from another local user cannot make the
 * server spend all its time on queries. Generous by default: the web app's page load makes a few
 * dozen requests, scrubbing the timeline a few per frame.
 */
export interface RateLimit {
  /** Requests a client may make at once. */
  burst: number;
  /** Requests per second a client regains. */
  perSecond: number;
}

export const defaultRateLimit: RateLimit = { burst: 600, perSecond: 200 };

/** At most this many clients are tracked; the oldest are forgotten first. */
const MAX_CLIENTS = 1024;

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit = defaultRateLimit,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** True when `client` may make a request now (and counts it). */
  admit(client: string | undefined): boolean {
    const key = client ?? '?';
    const t = this.now();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= MAX_CLIENTS) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = { tokens: this.limit.burst, at: t };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(this.limit.burst, b.tokens + ((t - b.at) / 1000) * this.limit.perSecond);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens--;
    return true;
  }

  /** Seconds until `client` may try again (for Retry-After). */
  retryAfter(): number {
    return Math.max(1, Math.ceil(1 / this.limit.perSecond));
  }
}
