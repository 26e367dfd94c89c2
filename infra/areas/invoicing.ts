import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import type { DataTable } from '#infra/constructs/data-table';
import type { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import type { FunctionSchedule } from '#infra/constructs/function-schedule';
import { ENV } from '#lib/config';
import { InvoicePrefix, INVOICING_SETTINGS } from '#lib/invoicing/settings';
import type { LedgerArea } from './ledger';
import type { ManagerApiArea } from './manager-api';
import type { Platform } from './platform';

export interface InvoicingProps {
  /** Document-number prefix (`<prefix>-<FY>-<000001>`). @default 'NT' (lib/reference-data/invoicing.json) */
  readonly prefix?: string;
  /** Days from issue to due date. @default 30 (lib/reference-data/invoicing.json) */
  readonly paymentTermsDays?: number;
  /**
   * The first month Cared For invoices (`YYYY-MM`, go-live): earlier months are neither invoiced late nor corrected.
   * @default - none
   */
  readonly startMonth?: string;
}

export interface InvoicingAreaProps {
  readonly platform: Platform;
  readonly managerApi: ManagerApiArea;
  readonly ledger: LedgerArea;
  /** @default - prefix and payment terms from lib/reference-data/invoicing.json (NT, 30 days); every month invoiced */
  readonly settings?: InvoicingProps;
}

/**
 * Monthly invoicing: a monthly run fans out one job per placing council, through the invoice-jobs
 * queue, to the invoice builder, which drafts, numbers (gap-free) and issues each council's
 * documents and sends their journals to the ledger. The manager API reads documents and runs, and
 * queues the runs finance asks for.
 */
export class InvoicingArea {
  /**
   * Issued invoices and credit notes (pk DOC#<number>), each year's gap-free counter, the runs' slots,
   * progress and staged drafts; a council's documents by month charged (byCouncil) and a run's
   * documents (byRun). See lib/invoicing/invoice-keys.ts.
   */
  public readonly invoicesTable: DataTable;
  public readonly jobsQueue: QueueWithDeadLetter;
  public readonly runFunction: CaredForFunction;
  public readonly runSchedule: FunctionSchedule;
  public readonly builderFunction: CaredForFunction;

  constructor(scope: Construct, { platform, managerApi, ledger, settings = {} }: InvoicingAreaProps) {
    const environment = invoicingEnvironment(settings);
    // byDueDate: the documents falling due on a day, for the payment reminders (infra/areas/documents-out.ts).
    this.invoicesTable = platform.table('InvoicesTable', { indexes: ['byCouncil', 'byRun', 'byDueDate'] });
    // Six times the builder's timeout, as AWS advises for Lambda event sources.
    this.jobsQueue = platform.workQueue('InvoiceJobsQueue', Duration.minutes(12));

    // Starts a month's run: reads the placing-council registry (one Query of its partition in
    // the placements table), records the run and queues one job per council.
    this.runFunction = platform.function('InvoicingRunFunction', 'invoicing-run', {
      description: "Starts the month's invoicing run (the previous London month) and queues one job per placing council",
      timeout: Duration.seconds(30),
      // One run at a time: a second event for the month (a repeated delivery) waits its turn in
      // Lambda's queue rather than racing the first for the run's slot.
      reservedConcurrentExecutions: 1,
    })
      .useTable(managerApi.placementsTable, ENV.placementsTable, ['dynamodb:Query'])
      .useTable(this.invoicesTable, ENV.invoicesTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'])
      .sendTo(this.jobsQueue, ENV.invoiceJobsQueueUrl)
      .withEnvironment(environment);

    // 02:00 UTC on the 1st is the 1st in London in winter (GMT) and summer (BST) alike; the
    // function invoices the month before the London date of the event's time, once per month.
    // A run that cannot start (the previous one incomplete) fails loudly: nobody is invoiced until a person looks.
    this.runSchedule = platform.schedule('InvoicingRunSchedule', {
      description: 'Monthly invoicing run: 02:00 UTC on the 1st, for the previous calendar month in Europe/London',
      expression: 'cron(0 2 1 * ? *)',
      target: this.runFunction,
      whenItFails:
        "Nobody has been invoiced for the month. Often the previous month's run has not completed: find the cause in the " +
        'invoicing-run logs, then ask for the run again (POST /api/invoicing/runs).',
    });

    // Drafts and stages a council's documents; numbers and issues a run's staged documents in one
    // fixed order (a transaction per document: counter, slot, document); sends their journals to
    // the ledger; starts runs the API asked for (run jobs) and queues the numbering.
    this.builderFunction = platform.function('InvoiceBuilderFunction', 'invoice-builder', {
      description: "Drafts each placing council's monthly invoice and corrections, numbers them gap-free, and posts their journals",
      timeout: Duration.minutes(2),
      memorySize: 1024,
      // Numbering is gap-free on one counter a year, so more builders would only contend for it;
      // two keep a month's councils (a dozen jobs) moving while one waits on a transaction.
      reservedConcurrentExecutions: 2,
    })
      .useTable(managerApi.placementsTable, ENV.placementsTable, ['dynamodb:Query'], { indexes: ['byPlacingAuthority'] })
      // The homes' names printed on the documents' lines: one BatchGetItem of a council's homes.
      .useTable(managerApi.estateTable, ENV.estateTable, ['dynamodb:BatchGetItem'])
      .useTable(
        this.invoicesTable,
        ENV.invoicesTable,
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        { indexes: ['byCouncil'] },
      )
      .sendTo(this.jobsQueue, ENV.invoiceJobsQueueUrl)
      .sendTo(ledger.postingsQueue, ENV.ledgerPostingsQueueUrl)
      .consume(this.jobsQueue, { batchSize: 5 })
      .withEnvironment(environment);

    // The API lists and reads documents and runs' progress, and queues the runs finance asks for.
    managerApi.function
      .useTable(this.invoicesTable, ENV.invoicesTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byCouncil', 'byRun'] })
      .sendTo(this.jobsQueue, ENV.invoiceJobsQueueUrl);

    platform.outputs({ InvoicesTableName: this.invoicesTable.table.tableName, InvoiceJobsQueueUrl: this.jobsQueue.queue.queueUrl });
  }
}

/** The invoicing settings both functions are given, checked at synthesis. */
function invoicingEnvironment(settings: InvoicingProps): Record<string, string> {
  const prefix = InvoicePrefix.parse(settings.prefix ?? INVOICING_SETTINGS.prefix);
  if (settings.startMonth !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(settings.startMonth)) {
    throw new Error(`invoicing.startMonth ${settings.startMonth}: expected a month YYYY-MM`);
  }
  return {
    [ENV.invoicePrefix]: prefix,
    [ENV.paymentTermsDays]: String(settings.paymentTermsDays ?? INVOICING_SETTINGS.paymentTermsDays),
    ...(settings.startMonth ? { [ENV.invoicingStartMonth]: settings.startMonth } : {}),
  };
}
