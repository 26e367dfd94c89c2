import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { useReadableLogicalId } from './readable-logical-id';

export interface EncryptionKeyProps {
  /**
   * What the key protects, shown in the KMS console.
   * @default 'Cared For: children's data at rest (tables, queues, topics, secrets)'
   */
  readonly description?: string;
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.RETAIN, because everything encrypted under it is unreadable without it
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one customer-managed KMS key for the platform's data at rest, with
 * yearly automatic rotation. A customer-managed key (rather than AWS-owned)
 * lets the council audit every use in CloudTrail and revoke access in one place.
 */
export class EncryptionKey extends Construct {
  /** The key; give it to tables, queues, topics and secrets. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: props.description ?? "Cared For: children's data at rest (tables, queues, topics, secrets)",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    useReadableLogicalId(this.key, id);
  }
}
