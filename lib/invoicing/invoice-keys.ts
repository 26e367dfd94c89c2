/**
 * Key layout of the invoices table.
 *   pk COUNTER#<prefix>#<FY>   sk COUNTER   the next number of the year's sequence
 *   pk SLOT#<slot>             sk SLOT      which number filled a run's slot (one document per council, month and purpose)
 *   pk DOC#<number>            sk DOC       the issued document, immutable
 *      GSI byCouncil: LA#<la> / <month>#<number>      a council's documents by the month charged
 *      GSI byRun:     RUN#<runMonth> / <la>#<number>  a run's documents
 *   pk RUN#<runMonth>          sk STATUS    the run's progress: councils expected and done
 */
export const invoiceKeys = {
  counter: (prefix: string, financialYearLabel: string) => ({ pk: `COUNTER#${prefix}#${financialYearLabel}`, sk: 'COUNTER' }),
  slot: (slot: string) => ({ pk: `SLOT#${slot}`, sk: 'SLOT' }),
  document: (number: string) => ({ pk: `DOC#${number}`, sk: 'DOC' }),
  run: (runMonth: string) => ({ pk: `RUN#${runMonth}`, sk: 'STATUS' }),
};

export function documentIndexKeys(doc: { placingLa: string; month: string; runMonth: string; number: string }) {
  return {
    gsi1pk: `LA#${doc.placingLa}`,
    gsi1sk: `${doc.month}#${doc.number}`,
    gsi2pk: `RUN#${doc.runMonth}`,
    gsi2sk: `${doc.placingLa}#${doc.number}`,
  };
}
