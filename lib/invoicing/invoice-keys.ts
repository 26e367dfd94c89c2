/**
 * Key layout of the invoices table.
 *   pk COUNTER#<prefix>#<FY>   sk COUNTER   the next number of the year's sequence
 *   pk SLOT#<slot>             sk SLOT      which number filled a run's slot (one document per council, month and purpose)
 *   pk DOC#<number>            sk DOC       the issued document, immutable (its lines gzipped: see stored-lines.ts)
 *      GSI byCouncil: LA#<la> / <month>#<number>      a council's documents by the month charged
 *      GSI byRun:     RUN#<runMonth> / <la>#<number>  a run's documents
 *      GSI byDueDate: DUE#<dueDate> / <number>        the documents falling due on a day (reminders)
 *   pk RUN#<runMonth>          sk STATUS    the run's progress: councils expected, staged and done; when completed
 *   pk RUN#<runMonth>          sk DRAFTS#<la>  a council's drafted documents for the run, staged once, numbered later
 *   pk RUNS                    sk LATEST    the latest month a run was started for (runs go in month order)
 */
export const invoiceKeys = {
  counter: (prefix: string, financialYearLabel: string) => ({ pk: `COUNTER#${prefix}#${financialYearLabel}`, sk: 'COUNTER' }),
  slot: (slot: string) => ({ pk: `SLOT#${slot}`, sk: 'SLOT' }),
  document: (number: string) => ({ pk: `DOC#${number}`, sk: 'DOC' }),
  run: (runMonth: string) => ({ pk: `RUN#${runMonth}`, sk: 'STATUS' }),
  drafts: (runMonth: string, placingLa: string) => ({ pk: `RUN#${runMonth}`, sk: `DRAFTS#${placingLa}` }),
  latestRun: () => ({ pk: 'RUNS', sk: 'LATEST' }),
};

export const INVOICES_INDEX = { byCouncil: 'byCouncil', byRun: 'byRun', byDueDate: 'byDueDate' } as const;

export function documentIndexKeys(doc: { placingLa: string; month: string; runMonth: string; number: string; dueDate: string }) {
  return {
    gsi3pk: `DUE#${doc.dueDate}`,
    gsi3sk: doc.number,
    gsi1pk: `LA#${doc.placingLa}`,
    gsi1sk: `${doc.month}#${doc.number}`,
    gsi2pk: `RUN#${doc.runMonth}`,
    gsi2sk: `${doc.placingLa}#${doc.number}`,
  };
}
