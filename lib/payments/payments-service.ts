import type { Clock } from '#lib/clock';
import { InvalidField, TemporarilyUnavailable } from '#lib/errors';
import { knownCustomers } from '#lib/invoicing';
import type { JournalPublisher } from '#lib/ledger/ports';
import { londonDateAt } from '#lib/time/calendar';
import { agedDebt, openItems, statement, type AgedDebt, type CouncilAccount, type OpenItem, type Statement } from './account';
import { decideAllocation, type AllocationRequest } from './allocation';
import { councilOf, documentNumbersIn, InvalidBankFile, parseBankFile } from './bank-file';
import type { PaymentsStore } from './ports';
import type { Allocation, DocumentAmount, Remittance } from './payments';
import { journalForRemittance } from './posting';

/** What payments read of invoicing: documents as issued (headers are enough for accounts). */
export interface DocumentReader {
  get(number: string, consistent?: boolean): Promise<DocumentAmount | undefined>;
  councilDocuments(placingLa: string): Promise<DocumentAmount[]>;
}

export interface RemittanceInput {
  placingLa: string;
  date: string;
  amountPence: number;
  reference: string;
  payer?: string | undefined;
}

export interface BankImport {
  rows: number;
  recorded: number;
  alreadyRecorded: number;
  allocated: Array<{ remittanceId: string; invoice: string; amountPence: number }>;
  remittances: Array<{ row: number; remittanceId: string; placingLa: string; amountPence: number; outcome: 'recorded' | 'already-recorded' }>;
}

const MAX_ATTEMPTS = 6;

/**
 * Finance's side of the debtors: recording money received (posted bank
 * against debtors control through the ledger-postings queue), allocating it
 * and credit notes to invoices, importing a bank file, and reading a
 * council's account as open items, a statement and aged debt.
 */
export class PaymentsService {
  constructor(
    private readonly deps: {
      store: PaymentsStore;
      documents: DocumentReader;
      journals: JournalPublisher;
      clock: Clock;
      newId: () => string;
      /** Every council we have invoiced (the placing-council registry). */
      councils: () => Promise<string[]>;
    },
  ) {}

  private today(): string {
    return londonDateAt(this.deps.clock.nowMs());
  }

  /**
   * Records money received, once per id, and posts it. A remittance whose
   * journal did not reach the queue (the sender died between the two) is
   * posted when it is recorded again.
   */
  async recordRemittance(input: RemittanceInput, by: string, options: { id?: string; source?: Remittance['source'] } = {}): Promise<{ remittance: Remittance; recorded: boolean }> {
    if (input.date > this.today()) throw new InvalidField('date', 'too_big', 'a payment cannot be received after today');
    const remittance: Remittance = {
      remittanceId: options.id ?? this.deps.newId(),
      placingLa: input.placingLa,
      date: input.date,
      amountPence: input.amountPence,
      reference: input.reference,
      ...(input.payer ? { payer: input.payer } : {}),
      source: options.source ?? 'manual',
      recordedBy: by,
      recordedAt: new Date(this.deps.clock.nowMs()).toISOString(),
      allocatedPence: 0,
      version: 1,
      posted: false,
    };
    await this.deps.store.registerCouncil(remittance.placingLa);
    const outcome = await this.deps.store.recordRemittance(remittance);
    const stored = outcome === 'recorded' ? remittance : (await this.deps.store.getRemittance(remittance.remittanceId))!;
    if (!stored.posted) {
      await this.deps.journals.publish(journalForRemittance(stored));
      await this.deps.store.markPosted(stored.remittanceId);
    }
    return { remittance: { ...stored, posted: true }, recorded: outcome === 'recorded' };
  }

  getRemittance(id: string): Promise<Remittance | undefined> {
    return this.deps.store.getRemittance(id);
  }

  /** Settles invoices from a remittance or a credit note: read, decide, write conditionally; again if someone else allocated meanwhile. */
  async allocate(request: AllocationRequest, by: string): Promise<Allocation[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { store, documents } = this.deps;
      const remittance = request.source.type === 'remittance' ? await store.getRemittance(request.source.remittanceId) : undefined;
      const creditNumber = request.source.type === 'credit-note' ? request.source.number : undefined;
      const numbers = [...request.lines.map((l) => l.invoice), ...(creditNumber ? [creditNumber] : [])];
      const [docs, tallies] = await Promise.all([Promise.all(numbers.map((n) => documents.get(n, true))), store.tallies(numbers)]);
      const byNumber = new Map(docs.filter((d): d is DocumentAmount => d !== undefined).map((d) => [d.number, d]));
      const invoices = new Map(request.lines.flatMap((l) => (byNumber.has(l.invoice) ? [[l.invoice, { document: byNumber.get(l.invoice)!, tally: tallies.get(l.invoice)! }] as const] : [])));
      const credit = creditNumber && byNumber.has(creditNumber) ? { document: byNumber.get(creditNumber)!, tally: tallies.get(creditNumber)! } : undefined;
      const now = this.deps.clock.nowMs();
      const decided = decideAllocation({
        request,
        ...(remittance ? { remittance } : {}),
        ...(credit ? { creditNote: credit } : {}),
        invoices,
        newId: this.deps.newId,
        today: londonDateAt(now),
        by,
        at: new Date(now).toISOString(),
      });
      if ((await store.commitAllocation(decided)) === 'committed') return decided.allocations;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
    throw new TemporarilyUnavailable('other allocations kept changing these documents: try again');
  }

  /**
   * Records every payment of a bank file, once each (a row's id is a hash of
   * the row), and allocates a payment whose reference names one of its
   * council's open invoices to it, up to what is outstanding. Every row is
   * checked first: a row that cannot be read, or whose council cannot be told,
   * refuses the whole file and nothing is recorded.
   */
  async importBankFile(csv: string, by: string): Promise<BankImport> {
    const rows = parseBankFile(csv);
    const customers = knownCustomers();
    const councils = new Set(await this.deps.councils());
    const unknown = rows.filter((row) => !councilOf(row, customers));
    if (unknown.length > 0) {
      throw new InvalidBankFile(
        unknown.map((row) => ({ field: `rows.${row.row}.payer`, rule: 'unknown_payer', message: `row ${row.row}: the payer is not a council we know by name; add an la column for it` })),
      );
    }
    const result: BankImport = { rows: rows.length, recorded: 0, alreadyRecorded: 0, allocated: [], remittances: [] };
    for (const row of rows) {
      const placingLa = councilOf(row, customers)!;
      const { remittance, recorded } = await this.recordRemittance(
        { placingLa, date: row.date, amountPence: row.amountPence, reference: row.reference, payer: row.payer },
        by,
        { id: row.remittanceId, source: 'bank-file' },
      );
      result.remittances.push({ row: row.row, remittanceId: remittance.remittanceId, placingLa, amountPence: row.amountPence, outcome: recorded ? 'recorded' : 'already-recorded' });
      if (!recorded) {
        result.alreadyRecorded++;
        continue;
      }
      result.recorded++;
      if (!councils.has(placingLa)) continue;
      result.allocated.push(...(await this.allocateByReference(remittance, by)));
    }
    return result;
  }

  private async allocateByReference(remittance: Remittance, by: string): Promise<BankImport['allocated']> {
    const allocated: BankImport['allocated'] = [];
    let left = remittance.amountPence;
    for (const number of documentNumbersIn(remittance.reference)) {
      if (left === 0) break;
      const document = await this.deps.documents.get(number, true);
      if (!document || document.kind === 'credit-note' || document.placingLa !== remittance.placingLa) continue;
      const tally = (await this.deps.store.tallies([number])).get(number)!;
      const amount = Math.min(left, document.grossPence - tally.allocatedPence);
      if (amount <= 0) continue;
      await this.allocate({ source: { type: 'remittance', remittanceId: remittance.remittanceId }, lines: [{ invoice: number, amountPence: amount }] }, by);
      allocated.push({ remittanceId: remittance.remittanceId, invoice: number, amountPence: amount });
      left -= amount;
    }
    return allocated;
  }

  async account(placingLa: string): Promise<CouncilAccount> {
    const [documents, payments] = await Promise.all([this.deps.documents.councilDocuments(placingLa), this.deps.store.councilPayments(placingLa)]);
    return { placingLa, documents, ...payments };
  }

  async openItems(placingLa: string, asAt = this.today()): Promise<{ asAt: string; items: OpenItem[]; totalPence: number }> {
    const items = openItems(await this.account(placingLa), asAt);
    return { asAt, items, totalPence: items.reduce((s, i) => s + i.outstandingPence, 0) };
  }

  async statement(placingLa: string, from: string, to: string): Promise<Statement> {
    return statement(await this.account(placingLa), from, to);
  }

  /** Aged debt for every council we have invoiced or been paid by (a Query per council, never a scan). */
  async agedDebt(asAt = this.today()): Promise<AgedDebt> {
    const [invoiced, paying] = await Promise.all([this.deps.councils(), this.deps.store.councilsWithPayments()]);
    const accounts = await Promise.all([...new Set([...invoiced, ...paying])].sort().map((la) => this.account(la)));
    return agedDebt(accounts, asAt);
  }
}
