import { financialYearOf } from '#lib/time/calendar';
import type { Award } from './award';

/**
 * Key layout of the Section 17 table.
 *   pk AWARD#<id>                          sk AWARD   the award, versioned
 *      GSI byStatus: STATUS#<status> / FY<year>#<submittedAt>#<id>   (approvers' queues, yearly statistics)
 *   pk CHILDSPEND#<child>#FY<year>#<category>  sk TOTAL  what the child has been awarded in a category that year,
 *      kept in the same transaction as the award so the yearly cap holds under concurrent applications
 */
export const awardKeys = {
  award: (id: string) => ({ pk: `AWARD#${id}`, sk: 'AWARD' }),
  childSpend: (child: string, year: number, category: string) => ({ pk: `CHILDSPEND#${child}#FY${year}#${category}`, sk: 'TOTAL' }),
};

export function statusIndexKeys(award: Award) {
  const year = financialYearOf(award.request.startDate);
  return { gsi1pk: `STATUS#${award.status}`, gsi1sk: `FY${year}#${award.submittedAt}#${award.applicationId}` };
}
