import type { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import type { EstateCache } from '#lib/estate/estate-cache';
import type { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import type { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import type { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import type { DocumentHeader } from './income';
import type { KpiSources } from './kpi-service';

/** Document summaries read per page of a run's documents (headers only: no lines). */
const DOCUMENTS_PAGE = 100;

/**
 * The KPI sources over the stack's tables, through the adapters the API
 * already has: homes through the estate's byKind index, the homes' KPI books
 * by key, Section 17 spends from the ledger's month and day balances and a
 * run's documents through the invoices' byRun index (headers only).
 */
export function dynamoKpiSources(deps: {
  /** The estate store, or better a cache of it kept up to date from its change feed (one small read when warm). */
  estate: Pick<DynamoEstateStore, 'listHomes'> | Pick<EstateCache, 'snapshot'>;
  books: Pick<DynamoKpiBook, 'placementsOfHomes'>;
  ledger: Pick<DynamoLedger, 'movementBetween'>;
  invoices?: Pick<DynamoInvoiceStore, 'summaries'>;
}): KpiSources {
  const { estate, invoices } = deps;
  return {
    listHomes: async () => ('snapshot' in estate ? (await estate.snapshot()).homes : (await estate.listHomes()).map((h) => h.home)),
    placementsOfHomes: (homeIds) => deps.books.placementsOfHomes(homeIds),
    section17SpendBetween: async (account, from, to) => {
      const m = await deps.ledger.movementBetween(account, from, to);
      return m.debitPence - m.creditPence;
    },
    ...(invoices
      ? {
          documentsOfRun: async (runMonth) => {
            const headers: DocumentHeader[] = [];
            let cursor: Record<string, unknown> | undefined;
            do {
              const page = await invoices.summaries({ run: runMonth }, DOCUMENTS_PAGE, cursor);
              headers.push(...page.items);
              cursor = page.cursor;
            } while (cursor);
            return headers;
          },
        }
      : {}),
  };
}
