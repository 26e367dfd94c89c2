import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { useReadableLogicalId } from './readable-logical-id';

export interface DataTableProps {
  /** The partition key attribute. */
  readonly partitionKey: dynamodb.Attribute;
  /**
   * The sort key attribute.
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;
  /** The customer-managed key that encrypts the table. */
  readonly encryptionKey: kms.IKey;
  /**
   * Attribute holding each item's expiry in epoch seconds; DynamoDB deletes expired items.
   * @default - items never expire
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Global secondary indexes. Projection defaults to ALL.
   * @default - none
   */
  readonly globalSecondaryIndexes?: readonly dynamodb.GlobalSecondaryIndexProps[];
}

/**
 * A DynamoDB table holding children's or financial records: on-demand,
 * point-in-time recovery, encrypted with the customer-managed key, deletion
 * protection on and retained when the stack goes, because these records must
 * outlive any deployment mistake.
 */
export class DataTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;
  /** The key that encrypts it; readers and writers need to use it too. */
  public readonly encryptionKey: kms.IKey;
  /** Names of the table's global secondary indexes. */
  public readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: props.partitionKey,
      sortKey: props.sortKey,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: props.timeToLiveAttribute,
    });
    for (const index of props.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex(index);
    }
    this.indexNames = (props.globalSecondaryIndexes ?? []).map((index) => index.indexName);
    useReadableLogicalId(this.table, id);
  }

  /**
   * The layout every table of ours uses: string keys `pk` / `sk`, and indexes
   * keyed `gsi1pk` / `gsi1sk`, `gsi2pk` / `gsi2sk` … in the order named (the
   * key helpers in lib/ write those attributes).
   */
  public static keyedByPkSk(
    scope: Construct,
    id: string,
    props: Pick<DataTableProps, 'encryptionKey' | 'timeToLiveAttribute'> & { readonly indexes?: readonly string[] },
  ): DataTable {
    return new DataTable(scope, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: props.timeToLiveAttribute,
      globalSecondaryIndexes: (props.indexes ?? []).map((indexName, i) => ({
        indexName,
        partitionKey: { name: `gsi${i + 1}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `gsi${i + 1}sk`, type: dynamodb.AttributeType.STRING },
      })),
    });
  }
}
