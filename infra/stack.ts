import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConsoleArea, type ConsoleSignIn } from './areas/console';
import { DocumentsOutArea } from './areas/documents-out';
import { IntakeArea } from './areas/intake';
import { InvoicingArea, type InvoicingProps } from './areas/invoicing';
import { LedgerArea } from './areas/ledger';
import { ManagerApiArea, type ManagerIdentityProvider } from './areas/manager-api';
import { MatchingArea } from './areas/matching';
import { Platform } from './areas/platform';
import { Section17Area } from './areas/section17';
import { VoidBedsArea } from './areas/void-beds';

export interface CaredForStackProps extends StackProps {
  /**
   * ARN of a regional WAFv2 web ACL to associate with the API stage.
   * @default - none (AwsSolutions-APIG3 acknowledged)
   */
  readonly webAclArn?: string;
  /**
   * E-mail address subscribed to the operations alarm topic.
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;
  /**
   * E-mail address (the managers' shared inbox) subscribed to the void-bed alerts topic.
   * @default - no e-mail subscription (alerts still reach the VoidBedAlertsQueue subscription)
   */
  readonly voidAlertEmail?: string;
  /**
   * The council's OIDC identity provider that signs managers' bearer tokens
   * (e.g. Microsoft Entra ID: issuer `https://login.microsoftonline.com/<tenant>/v2.0`,
   * JWKS `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`).
   * @default - a placeholder tenant that matches no real token: every manager API call is refused until it is set
   */
  readonly managerIdentityProvider?: ManagerIdentityProvider;
  /**
   * The console's sign-in at the council's identity provider (its app registration's client id and
   * the provider's authorize, token and logout endpoints); issuer and keys are `managerIdentityProvider`'s.
   * @default - the placeholder tenant's endpoints and client id: nobody can sign in until it is set
   */
  readonly consoleSignIn?: ConsoleSignIn;
  /**
   * Where the regional commissioning inbox takes news of its referrals (signed Standard Webhooks).
   * @default - a placeholder under the reserved .example domain: deliveries fail, are retried and dead-lettered, until it is set
   */
  readonly regionalInboxUrl?: string;
  /**
   * Invoicing settings passed to the invoicing functions.
   * @default - prefix and payment terms from lib/reference-data/invoicing.json (NT, 30 days); every month invoiced
   */
  readonly invoicing?: InvoicingProps;
}

/**
 * Cared For: one stack, composed of one class per business area (infra/areas/). Each area builds
 * its resources in this stack's own scope, so that construct ids double as the logical ids they
 * have always had (the readable ones, see useReadableLogicalId, and CDK's hashed ones alike),
 * which the local runner, the outputs and a deployed stack rely on.
 */
export class CaredForStack extends Stack {
  public readonly platform: Platform;
  public readonly intake: IntakeArea;
  public readonly ledger: LedgerArea;
  public readonly managerApi: ManagerApiArea;
  public readonly section17: Section17Area;
  public readonly matching: MatchingArea;
  public readonly voidBeds: VoidBedsArea;
  public readonly invoicing: InvoicingArea;
  public readonly console: ConsoleArea;
  public readonly documentsOut: DocumentsOutArea;

  constructor(scope: Construct, id: string, props: CaredForStackProps = {}) {
    super(scope, id, props);
    const platform = (this.platform = new Platform(this, { webAclArn: props.webAclArn, alarmEmail: props.alarmEmail }));
    const intake = (this.intake = new IntakeArea(this, { platform }));
    const ledger = (this.ledger = new LedgerArea(this, { platform }));
    const managerApi = (this.managerApi = new ManagerApiArea(this, { platform, intake, identityProvider: props.managerIdentityProvider }));
    const section17 = (this.section17 = new Section17Area({ platform, managerApi, ledger }));
    this.matching = new MatchingArea(this, { platform, intake, managerApi });
    const voidBeds = (this.voidBeds = new VoidBedsArea(this, { platform, intake, managerApi, alertEmail: props.voidAlertEmail }));
    const invoicing = (this.invoicing = new InvoicingArea(this, { platform, managerApi, ledger, settings: props.invoicing }));
    const staffConsole = (this.console = new ConsoleArea(this, {
      platform,
      intake,
      managerApi,
      section17,
      ledger,
      invoicing,
      voidBeds,
      identityProvider: props.managerIdentityProvider,
      signIn: props.consoleSignIn,
    }));
    this.documentsOut = new DocumentsOutArea(this, { platform, managerApi, invoicing, console: staffConsole, regionalInboxUrl: props.regionalInboxUrl });
  }
}
