import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { useReadableLogicalId } from './readable-logical-id';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PublicApiProps {
  /** Stage name, the first segment of every URL path. @default 'v1' */
  readonly stageName?: string;
  /** Steady-state requests per second across the stage. @default 50 */
  readonly throttlingRateLimit?: number;
  /** Requests allowed in a burst above the steady rate. @default 100 */
  readonly throttlingBurstLimit?: number;
  /**
   * ARN of a regional WAFv2 web ACL to put in front of the stage.
   * @default - no web ACL; the AwsSolutions-APIG3 finding is acknowledged with the reason
   */
  readonly webAclArn?: string;
  /** How long access logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: logs.RetentionDays;
  /** Shown in the API Gateway console. @default - none */
  readonly description?: string;
}

export interface RouteOptions {
  /**
   * How the function itself authenticates every caller, in plain words (for
   * example an HMAC signature or an OIDC bearer token it verifies). API
   * Gateway puts no authorizer in front of the route, so this is recorded as
   * the reason for the AwsSolutions-APIG4 and -COG4 acknowledgements.
   */
  readonly authenticatedInFunction: string;
}

/**
 * Access log fields. Request and response bodies are deliberately absent:
 * they carry children's data. Values are quoted so each line is valid JSON.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatencyMs: '$context.integration.latency',
  errorType: '$context.error.responseType',
  wafStatus: '$context.waf.status',
};

/**
 * The platform's public API: API Gateway REST API (v1, because LocalStack's
 * free edition has no HTTP API), regional, one stage with JSON access logs in
 * their own log group, execution logging of errors only and never of request
 * or response data, and stage-wide throttling. Routes are Lambda proxy
 * integrations added with `addRoute`.
 */
export class PublicApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigateway.RestApi;
  /** The deployed stage. */
  public readonly stage: apigateway.Stage;
  /** Where the stage's access logs go. */
  public readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PublicApiProps = {}) {
    super(scope, id);
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-${id}`,
      description: props.description,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Invoices and credit notes as PDFs: base64 from the function, bytes to the caller.
      binaryMediaTypes: ['application/pdf'],
      cloudWatchRole: true,
      // The role is shared by every API in the account and region: keep it if this stack goes.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Full request/response logging would write children's data to CloudWatch.
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
    });
    this.stage = this.restApi.deploymentStage;
    // The stack names its URLs in its own outputs; CDK's automatic one would be an unnamed duplicate.
    this.restApi.node.tryRemoveChild('Endpoint');
    useReadableLogicalId(this.restApi, id);
    this.acknowledgeApiFindings();
    this.protectWithWebAcl(props.webAclArn);
  }

  /** The full URL of a path on the stage, e.g. `urlForPath('/webhooks/referrals')`. */
  public urlForPath(path: string): string {
    return this.restApi.urlForPath(path);
  }

  /**
   * Routes `method path` to `fn` as a Lambda proxy integration; the function
   * receives the raw body and headers and shapes the whole response.
   */
  public addRoute(method: HttpMethod, path: string, fn: lambda.IFunction, options: RouteOptions): apigateway.Method {
    if (!options.authenticatedInFunction.trim()) {
      throw new Error(`${method} ${path}: say how the function authenticates callers`);
    }
    const routeMethod = this.restApi.root.resourceForPath(path).addMethod(
      method,
      // Only the deployed stage may invoke the function: no extra permission for the console's test button.
      new apigateway.LambdaIntegration(fn, { allowTestInvoke: false }),
      { authorizationType: apigateway.AuthorizationType.NONE },
    );
    const reason = `${method} ${path}: ${options.authenticatedInFunction}`;
    Validations.of(routeMethod).acknowledge(
      { id: 'AwsSolutions-APIG4', reason },
      {
        id: 'AwsSolutions-COG4',
        reason:
          `${reason} No Cognito authorizer: callers are not Cognito users but the sender of signed webhooks or ` +
          "staff signed in with the council's own identity provider (and LocalStack's free edition has no Cognito).",
      },
    );
    return routeMethod;
  }

  private acknowledgeApiFindings(): void {
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Each route validates its requests in its function so that answers follow the contract: RFC 9457 ' +
        'problem+json, 401 for a missing or bad webhook signature header, 400 naming each failing field. An ' +
        "API Gateway request validator would answer first, in its own format.",
    });
    const cloudWatchRole = this.restApi.node.findChild('CloudWatchRole');
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'API Gateway needs this account-wide role to write access and execution logs; the AWS-managed policy ' +
        'is the documented one for it and grants only CloudWatch Logs actions.',
    });
  }

  private protectWithWebAcl(webAclArn: string | undefined): void {
    if (!webAclArn) {
      Validations.of(this.stage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'No web ACL was given for this deployment (context webAclArn). Every route authenticates its callers ' +
          "itself (the webhook by HMAC signature) and the stage is throttled; pass webAclArn to put the council's " +
          'WAF in front of the stage where one exists.',
      });
      return;
    }
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.stage.stageArn, webAclArn });
  }
}
