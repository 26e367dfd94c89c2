import type { AlertKey } from './ports';

/**
 * Key layout of the void-bed alerts table: one item collection per bed.
 *   pk BED#<bedId>  sk SELLABLE                             since when the monitor knows the bed sellable (or that it is kept back)
 *   pk BED#<bedId>  sk ALERT#<spellStart>#<threshold>       one alert: claimed (sending, with a lease), then sent
 *
 * GSI bySentMonth: gsi1pk SENT#<yyyy-mm>  gsi1sk <sentAt>#<bedId>   on sent alerts: a month's alerts, newest first
 *
 * Every read is by key (GetItem, BatchGetItem) or index and every write is conditional;
 * nothing is ever scanned. A bed's alert history is one Query of its pk.
 * Alert items expire (TTL `expiresAt`, epoch seconds) 400 days after they
 * were claimed: by then their spell has long ended. SELLABLE items never do.
 */
export const alertKeys = {
  sellable: (bedId: string) => ({ pk: `BED#${bedId}`, sk: 'SELLABLE' }),
  alert: (key: AlertKey) => ({ pk: `BED#${key.bedId}`, sk: `ALERT#${key.spellStart}#${key.threshold}` }),
  /** Where a sent alert sits in the bySentMonth index. */
  sent: (sentAt: string, bedId: string) => ({ gsi1pk: sentMonthPk(sentAt.slice(0, 7)), gsi1sk: `${sentAt}#${bedId}` }),
};

export const SENT_INDEX = 'bySentMonth';
export const sentMonthPk = (month: string) => `SENT#${month}`;

/** The TTL attribute of the table. */
export const ALERT_TTL_ATTRIBUTE = 'expiresAt';

/** How long an alert record is kept. */
export const ALERT_RETENTION_DAYS = 400;
