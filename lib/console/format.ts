import { formatPence } from '#lib/money';
import codes from '#data/ssda903.json' with { type: 'json' };
import { label as codeLabel } from '#lib/codes/ssda903';

/** How figures and dates read on the console's pages. */

export const money = formatPence;

/** A date formatter made on first use: the first one made loads the locale's data (~10 ms), which a cold start need not pay at load. */
function onFirstUse(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let made: Intl.DateTimeFormat | undefined;
  return () => (made ??= new Intl.DateTimeFormat('en-GB', options));
}

const longDate = onFirstUse({ day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDate = onFirstUse({ day: 'numeric', month: 'short', timeZone: 'UTC' });
const monthName = onFirstUse({ month: 'long', year: 'numeric', timeZone: 'UTC' });
const dateTime = onFirstUse({ day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });

/** `2026-12-01` → 1 December 2026 */
export const dateInWords = (iso: string): string => longDate().format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

/** `2026-12-01` → 1 Dec */
export const shortDateInWords = (iso: string): string => shortDate().format(new Date(`${iso}T00:00:00Z`));

/** `2026-12` → December 2026 */
export const monthInWords = (month: string): string => monthName().format(new Date(`${month}-01T00:00:00Z`));

/** An instant as London time: 1 December 2026 at 9:05am */
export const whenInWords = (iso: string): string => dateTime().format(new Date(iso)).replace(',', ' at').replace(' am', 'am').replace(' pm', 'pm');

export const percent = (value: number | null): string => (value === null ? 'no sellable nights' : `${value.toFixed(1)}%`);

export const count = (n: number): string => n.toLocaleString('en-GB');

/** An SSDA903 code with its meaning: `E4A – Returned home to live with parent(s)…` */
export function code903(list: Parameters<typeof codeLabel>[0], code: string): string {
  const meaning = codeLabel(list, code);
  return meaning ? `${code} – ${meaning}` : code;
}

/** `CONTACT_TRAVEL` → Contact travel */
export function words(code: string): string {
  const text = code.replace(/[_-]+/g, ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** SSDA903 reasons for placement change in words, with whether each is planned (null: the manager says). */
export const PLACEMENT_CHANGE_REASONS: ReadonlyArray<{ code: string; label: string; planned: boolean | null }> = Object.entries(codes.reasonPlacementChange).map(
  ([code, value]) => ({ code, label: value.label, planned: value.planned }),
);

/** SSDA903 reasons an episode of care ceased, in words. */
export const EPISODE_CEASED_REASONS: ReadonlyArray<{ code: string; label: string }> = Object.entries(codes.reasonEpisodeCeased).map(([code, label]) => ({ code, label }));

export const reasonChangeInWords = (code: string): string => PLACEMENT_CHANGE_REASONS.find((r) => r.code === code)?.label ?? code;
export const reasonCeasedInWords = (code: string): string => EPISODE_CEASED_REASONS.find((r) => r.code === code)?.label ?? code;

/** The first letter in capitals: a phrase made a sentence. */
export const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
