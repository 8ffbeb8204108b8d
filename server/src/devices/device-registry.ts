import type { UnitId, WorkerId } from '@gcc/shared';
import { randomBytes } from 'node:crypto';
import { and, gte, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { accessTokens } from '../db/schema.ts';
import { hashToken } from '../auth/passwords.ts';
import type { Logger } from '../log.ts';
import { RateLimiter, type RateLimit } from '../http/rate-limit.ts';

// Device credentials, held in memory so that authenticating a position costs one HMAC and one
// map lookup (ingest runs at hundreds of thousands of fixes a second). Two kinds:
// - `device`: one phone or terminal of one worker; also its Traccar Client "device identifier".
// - `gateway`: a vendor platform relaying many workers' terminals, scoped to a unit (属地).
// A device credential can send positions and nothing else. The table is the truth: every
// process re-reads what changed every few seconds, so a revocation on one node reaches all.

export type DeviceKind = 'device' | 'gateway';
export const DEVICE_KINDS: readonly DeviceKind[] = ['device', 'gateway'];

export interface DeviceCredential {
  id: number;
  kind: DeviceKind;
  label: string;
  unitId: UnitId;
  /** The worker a `device` reports for; null for a gateway. */
  workerId: WorkerId | null;
}

const SYNC_MS = 5000;
/** Re-read a little before the last sync: another node's clock may lag ours. */
const SYNC_OVERLAP_MS = 30_000;
/** Unknown identifiers are logged, but at most once a minute each (a misconfigured phone retries forever). */
const UNKNOWN_LOG_WINDOW_MS = 60_000;
/**
 * Unknown identifiers an address may send: a burst of 20, then one every 10 s (a misconfigured
 * phone retrying stays inside it; someone trying identifiers does not). Past it, an identifier
 * not already seen working is refused without being checked, until the bucket refills.
 */
export const UNKNOWN_PER_ADDRESS: RateLimit = { perSecond: 0.1, burst: 20 };

/** A lookup refused because the address sent too many unknown identifiers lately. */
export const THROTTLED = 'throttled';

/** A device identifier short enough to type into the Traccar Client (80 random bits, base32). */
export function newDeviceIdentifier(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let s = 'gcc-';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

export class DeviceRegistry {
  private readonly byHash = new Map<string, DeviceCredential>();
  private readonly hashById = new Map<number, string>();
  /** Live `device` credentials per worker (the simulator leaves these workers to their phones). */
  private readonly devicesOf = new Map<WorkerId, number>();
  private syncedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private unknownLogged = new Map<string, number>();
  /** Identifier → credential, skipping the HMAC for phones reporting every second; cleared on any revocation. */
  private recent = new Map<string, DeviceCredential>();
  /** Unknown identifiers per address (the budget is per process, like every rate limit here). */
  private readonly unknownFrom = new RateLimiter(UNKNOWN_PER_ADDRESS);

  constructor(
    private readonly db: Db,
    private readonly secret: string,
    private readonly log: Logger,
  ) {}

  /** Loads every live credential; then keeps in step with the table until `stop()`. */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => {
      this.sync().catch((err: unknown) => this.log.error({ err }, 'device registry sync failed'));
    }, SYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** True when a live `device` credential reports for the worker. */
  hasDevice(workerId: WorkerId): boolean {
    return (this.devicesOf.get(workerId) ?? 0) > 0;
  }

  /** Number of live credentials. */
  get size(): number {
    return this.byHash.size;
  }

  /** Reads credentials created or revoked since the last sync (all of them the first time). */
  async sync(now = Date.now()): Promise<void> {
    const since = this.syncedAt - SYNC_OVERLAP_MS;
    const kinds = inArray(accessTokens.kind, [...DEVICE_KINDS]);
    const rows = await this.db
      .select()
      .from(accessTokens)
      .where(
        this.syncedAt === 0
          ? and(kinds, isNull(accessTokens.revokedAt))
          : and(kinds, or(gte(accessTokens.createdAt, since), gte(accessTokens.revokedAt, since))),
      );
    for (const r of rows) {
      if (r.revokedAt !== null) this.forget(r.id);
      else
        this.remember(r.tokenHash, {
          id: r.id,
          kind: r.kind as DeviceKind,
          label: r.label,
          unitId: r.unitId,
          workerId: r.workerId,
        });
    }
    this.syncedAt = now;
  }

  /**
   * The credential of a token or Traccar identifier, or null (and a rate-limited log line); or
   * THROTTLED when `from` sent too many unknown identifiers lately.
   */
  lookup(token: string | undefined | null, from: string): DeviceCredential | null | typeof THROTTLED {
    if (!token) return null;
    const hit = this.recent.get(token);
    if (hit) return hit;
    if (!this.unknownFrom.allows(from)) return THROTTLED;
    const hash = hashToken(token, this.secret);
    const cred = this.byHash.get(hash);
    if (cred) {
      if (this.recent.size >= 200_000) this.recent = new Map();
      this.recent.set(token, cred);
      return cred;
    }
    const now = Date.now();
    this.unknownFrom.take(from, now);
    const last = this.unknownLogged.get(hash);
    if (last === undefined || now - last > UNKNOWN_LOG_WINDOW_MS) {
      if (this.unknownLogged.size > 10_000) this.unknownLogged = new Map();
      this.unknownLogged.set(hash, now);
      // Log a prefix only: an unknown identifier may be someone's mistyped real one.
      this.log.warn({ from, id: token.slice(0, 8) }, 'position refused: unknown device identifier');
    }
    return null;
  }

  /** Issues a credential; the identifier is returned once and only its hash is stored. */
  async issue(
    input: { kind: DeviceKind; label: string; unitId: UnitId; workerId: WorkerId | null },
    now = Date.now(),
  ): Promise<{ id: number; token: string }> {
    const token = input.kind === 'device' ? newDeviceIdentifier() : randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token, this.secret);
    // Writes run in a transaction so that an audited call's row commits with them (audit-log.ts).
    const [row] = await this.db.transaction((tx) =>
      tx
        .insert(accessTokens)
        .values({
          tokenHash,
          kind: input.kind,
          label: input.label,
          unitId: input.unitId,
          workerId: input.workerId,
          createdAt: now,
        })
        .returning({ id: accessTokens.id }),
    );
    this.remember(tokenHash, {
      id: row!.id,
      kind: input.kind,
      label: input.label,
      unitId: input.unitId,
      workerId: input.workerId,
    });
    return { id: row!.id, token };
  }

  /** Issues one `device` credential per worker in one statement (enrolling a street's phones at once). */
  async issueDevices(
    workers: readonly { workerId: WorkerId; unitId: UnitId; label: string }[],
    now = Date.now(),
  ): Promise<{ workerId: WorkerId; id: number; token: string }[]> {
    if (workers.length === 0) return [];
    const tokens = workers.map(() => newDeviceIdentifier());
    const rows = await this.db.transaction((tx) =>
      tx
        .insert(accessTokens)
        .values(
          workers.map((w, i) => ({
            tokenHash: hashToken(tokens[i]!, this.secret),
            kind: 'device',
            label: w.label,
            unitId: w.unitId,
            workerId: w.workerId,
            createdAt: now,
          })),
        )
        .returning({ id: accessTokens.id, tokenHash: accessTokens.tokenHash }),
    );
    const idByHash = new Map(rows.map((r) => [r.tokenHash, r.id]));
    return workers.map((w, i) => {
      const hash = hashToken(tokens[i]!, this.secret);
      const id = idByHash.get(hash)!;
      this.remember(hash, { id, kind: 'device', label: w.label, unitId: w.unitId, workerId: w.workerId });
      return { workerId: w.workerId, id, token: tokens[i]! };
    });
  }

  /** Drops a revoked credential at once on this node (others follow within a sync). */
  forget(id: number): void {
    const hash = this.hashById.get(id);
    if (hash === undefined) return;
    this.hashById.delete(id);
    const cred = this.byHash.get(hash);
    if (cred?.kind === 'device' && cred.workerId !== null) {
      const left = (this.devicesOf.get(cred.workerId) ?? 1) - 1;
      if (left > 0) this.devicesOf.set(cred.workerId, left);
      else this.devicesOf.delete(cred.workerId);
    }
    this.byHash.delete(hash);
    this.recent = new Map();
  }

  private remember(hash: string, cred: DeviceCredential): void {
    // A credential read again by a sync is counted once.
    if (!this.byHash.has(hash) && cred.kind === 'device' && cred.workerId !== null)
      this.devicesOf.set(cred.workerId, (this.devicesOf.get(cred.workerId) ?? 0) + 1);
    this.byHash.set(hash, cred);
    this.hashById.set(cred.id, hash);
  }
}
