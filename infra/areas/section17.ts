import type { DataTable } from '#infra/constructs/data-table';
import { ENV } from '#lib/config';
import type { LedgerArea } from './ledger';
import type { ManagerApiArea } from './manager-api';
import type { Platform } from './platform';

export interface Section17AreaProps {
  readonly platform: Platform;
  readonly managerApi: ManagerApiArea;
  readonly ledger: LedgerArea;
}

/**
 * Section 17: applications and awards, served by the manager API. Awards (pk AWARD#<id>) with the
 * approvers' byStatus index, and each child's yearly total per category kept in the award's own
 * transaction; approved spend is sent to the ledger as journals, and the reports read the ledger.
 */
export class Section17Area {
  public readonly table: DataTable;

  constructor({ platform, managerApi, ledger }: Section17AreaProps) {
    this.table = platform.table('Section17Table', { indexes: ['byStatus'] });
    managerApi.function
      .useTable(this.table, ENV.section17Table, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], {
        indexes: ['byStatus'],
      })
      // Reports and the ledger routes read journals by period and balances by account.
      .useTable(ledger.table, ENV.ledgerTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byPeriod'] })
      .sendTo(ledger.postingsQueue, ENV.ledgerPostingsQueueUrl);
    platform.outputs({ Section17TableName: this.table.table.tableName });
  }
}
