/**
 * Key layout of the payments table. Every item of a council's account also
 * sits in the byCouncil index under LA#<la>, so a council's remittances,
 * allocations and tallies come back from one Query (never a scan).
 *   pk REMIT#<id>      sk REMIT    a remittance: money received, how much of it is allocated; gsi1sk REMIT#<date>#<id>
 *   pk ALLOC#<id>      sk ALLOC    one allocation line: source → invoice, pence;              gsi1sk ALLOC#<date>#<id>
 *   pk DOC#<number>    sk TALLY    how much of a document is settled (or of a credit note used); gsi1sk TALLY#<number>
 *   pk COUNCILS        sk LA#<la>  a council that has paid us anything (aged debt reads these beside the placing councils)
 *   pk DOC#<number>    sk REMINDER#<days>   the reminder at 14 or 30 days overdue was requested (and when)
 */
export const PAYMENTS_INDEX = { byCouncil: 'byCouncil' } as const;

export const paymentKeys = {
  remittance: (id: string) => ({ pk: `REMIT#${id}`, sk: 'REMIT' }),
  allocation: (id: string) => ({ pk: `ALLOC#${id}`, sk: 'ALLOC' }),
  tally: (number: string) => ({ pk: `DOC#${number}`, sk: 'TALLY' }),
  council: (la: string) => ({ pk: 'COUNCILS', sk: `LA#${la}` }),
  reminder: (number: string, stage: number) => ({ pk: `DOC#${number}`, sk: `REMINDER#${stage}` }),
};

export const councilIndexKeys = {
  remittance: (la: string, date: string, id: string) => ({ gsi1pk: `LA#${la}`, gsi1sk: `REMIT#${date}#${id}` }),
  allocation: (la: string, date: string, id: string) => ({ gsi1pk: `LA#${la}`, gsi1sk: `ALLOC#${date}#${id}` }),
  tally: (la: string, number: string) => ({ gsi1pk: `LA#${la}`, gsi1sk: `TALLY#${number}` }),
};
