// Token buckets per key (user, device, address), in a bounded map: no client can make the server
// keep unbounded state. When the map is full the least recently used bucket is forgotten.

export interface RateLimit {
  /** Sustained rate, tokens per second. */
  perSecond: number;
  /** Bucket size: the burst allowed. */
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty (the caller refuses the request). */
  take(key: string, now = Date.now()): boolean {
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-insert: Map order is the LRU order
      b.tokens = Math.min(this.limit.burst, b.tokens + ((now - b.at) / 1000) * this.limit.perSecond);
      b.at = now;
    } else {
      b = { tokens: this.limit.burst, at: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Whether `key` has a token now, without taking it. */
  allows(key: string, now = Date.now()): boolean {
    const b = this.buckets.get(key);
    if (!b) return true;
    return Math.min(this.limit.burst, b.tokens + ((now - b.at) / 1000) * this.limit.perSecond) >= 1;
  }

  get size(): number {
    return this.buckets.size;
  }
}
