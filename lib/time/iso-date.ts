import * as z from '#lib/validation';
import { plausibleYear } from './calendar';

/** A calendar date (Europe/London's dates: no time, no zone) in a plausible year, 2000 to 2099: a year like 0000 or 9999 is a typo or a probe, never a real date here. */
export const IsoDate = z.iso.date({ error: 'a calendar date YYYY-MM-DD' }).check(z.refine(plausibleYear, 'a year from 2000 to 2099'));
