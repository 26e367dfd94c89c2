import { Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { useReadableLogicalId } from './readable-logical-id';

export interface WebhookSecretProps {
  /** The customer-managed key that encrypts the secret. */
  readonly encryptionKey: kms.IKey;
  /**
   * Who issues the secret, shown in the Secrets Manager console.
   * @default 'Standard Webhooks signing secret(s) issued by the regional commissioning inbox'
   */
  readonly description?: string;
}

/**
 * A Secrets Manager secret holding the Standard Webhooks signing secret(s)
 * (`whsec_…`, space separated during a rotation overlap) that the sender
 * issues. Deployed with a random placeholder; the operator puts the issued
 * value in, so it never appears in the template or the repository.
 */
export class WebhookSecret extends Construct {
  /** The secret; functions read it with `CaredForFunction.readSecret`. */
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: WebhookSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description:
        props.description ?? 'Standard Webhooks signing secret(s) issued by the regional commissioning inbox',
      encryptionKey: props.encryptionKey,
    });
    useReadableLogicalId(this.secret, id);
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The value is issued by the regional commissioning inbox, not by us, so a rotation Lambda has nothing to ' +
        'generate. Rotation is done by the sender issuing a second secret; both are stored and accepted during ' +
        'the overlap, then the old one is removed.',
    });
  }
}
