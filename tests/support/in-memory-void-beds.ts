import type { Home } from '#lib/estate/schema';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import type { Stay } from '#lib/void-beds/bed-state';
import type { AlertKey, AlertPublisher, AlertRecords, Claim, OpenReferrals, VoidBedEstate } from '#lib/void-beds/ports';
import type { VoidBedAlert } from '#lib/void-beds/alert';

/** Faithful in-memory ports for unit tests of the void-bed monitor. */

export class InMemoryVoidBedEstate implements VoidBedEstate {
  readonly homes = new Map<string, Home>();
  readonly calendars = new Map<string, HomeCalendar>();
  /** Every placement ever made in each bed. */
  readonly stays = new Map<string, Stay[]>();

  constructor(homes: readonly Home[]) {
    for (const home of homes) this.homes.set(home.id, structuredClone(home));
  }

  async listHomes() {
    return structuredClone([...this.homes.values()]);
  }
  async homeOfBed(bedId: string) {
    return structuredClone([...this.homes.values()].find((h) => h.beds.some((b) => b.id === bedId)));
  }
  async calendar(homeId: string) {
    return structuredClone(this.calendars.get(homeId) ?? { homeId, version: 0, holds: [] });
  }
  async staysOf(bedId: string) {
    return structuredClone(this.stays.get(bedId) ?? []);
  }

  /** A placement in a bed (as the placements table would have it). */
  place(bedId: string, stay: Stay): void {
    this.stays.set(bedId, [...(this.stays.get(bedId) ?? []).filter((s) => s.placementId !== stay.placementId), stay]);
  }
}

export class InMemoryOpenReferrals implements OpenReferrals {
  constructor(readonly records: ReferralRecord[] = []) {}
  async list() {
    return structuredClone(this.records.filter((r) => r.status === 'open'));
  }
}

interface AlertRecord {
  status: 'sending' | 'sent';
  token: string;
  leaseUntil: number;
  messageId?: string;
  subject?: string;
}

export class InMemoryAlertRecords implements AlertRecords {
  readonly since = new Map<string, string | null>();
  readonly alerts = new Map<string, AlertRecord>();
  private tokens = 0;

  static keyOf(key: AlertKey): string {
    return `${key.bedId}#${key.spellStart}#${key.threshold}`;
  }

  async sellableSince(bedIds: readonly string[]) {
    return new Map(bedIds.filter((id) => this.since.has(id)).map((id) => [id, this.since.get(id)!] as const));
  }
  async recordSellableSince(bedId: string, since: string | null, previous: string | null | undefined) {
    const now = this.since.has(bedId) ? this.since.get(bedId) : undefined;
    if (now === previous) this.since.set(bedId, since);
  }
  async claim(key: AlertKey, nowMs: number, leaseMs: number): Promise<Claim> {
    const id = InMemoryAlertRecords.keyOf(key);
    const found = this.alerts.get(id);
    if (found?.status === 'sent') return { kind: 'already-sent' };
    if (found && found.leaseUntil > nowMs) return { kind: 'in-progress' };
    const token = `t${++this.tokens}`;
    this.alerts.set(id, { status: 'sending', token, leaseUntil: nowMs + leaseMs });
    return { kind: 'claimed', token };
  }
  async markSent(key: AlertKey, token: string, sent: { messageId: string; subject: string }) {
    const record = this.alerts.get(InMemoryAlertRecords.keyOf(key));
    if (record?.token !== token) throw new Error('not our claim');
    Object.assign(record, { status: 'sent', messageId: sent.messageId, subject: sent.subject });
  }
  async release(key: AlertKey, token: string) {
    const record = this.alerts.get(InMemoryAlertRecords.keyOf(key));
    if (record?.token === token) record.leaseUntil = 0;
  }
}

export interface Published {
  subject: string;
  body: string;
  alert: VoidBedAlert;
}

export class InMemoryPublisher implements AlertPublisher {
  readonly published: Published[] = [];
  failNext = 0;

  async publish(message: Published) {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('SNS is unavailable');
    }
    this.published.push(structuredClone(message));
    return `msg-${this.published.length}`;
  }
}
