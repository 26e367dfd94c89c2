import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { addGatewayProblems } from './gateway-responses';
import { operationsAlarm } from './operations-alarm';
import { useReadableLogicalId } from './readable-logical-id';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the steady rate. */
  readonly burstLimit: number;
}

export interface PublicApiProps {
  /** Stage name, the first segment of every URL path. @default 'v1' */
  readonly stageName?: string;
  /** Each method's limit unless its route sets its own (API Gateway keeps a bucket per method). @default 50 per second, bursts of 100 */
  readonly defaultThrottle?: RouteThrottle;
  /** The operations topic the API's 5XX and latency alarms notify. */
  readonly alarmTopic: sns.ITopic;
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
  /**
   * The route's own rate limit, apart from every other route's, so a flood elsewhere cannot use it up.
   * @default - the stage's default limit
   */
  readonly throttle?: RouteThrottle;
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
 * or response data, and throttling per method (a route may have its own
 * limit). Routes are Lambda proxy integrations added with `addRoute`. What
 * API Gateway answers itself (no route, throttled, its own 4XX and 5XX) is
 * problem+json (gateway-responses.ts). Alarms: `<id>ServerErrorsAlarm` (5XX
 * answers) and `<id>LatencyAlarm` (slow answers), to the operations topic.
 */
export class PublicApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigateway.RestApi;
  /** The deployed stage. */
  public readonly stage: apigateway.Stage;
  /** Where the stage's access logs go. */
  public readonly accessLogGroup: logs.LogGroup;
  /** Fires when the stage answers 5XX (gateway or function) five times within five minutes. */
  public readonly serverErrorsAlarm: cloudwatch.Alarm;
  /** Fires when the stage's 95th-percentile latency stays over 3 s for 15 minutes. */
  public readonly latencyAlarm: cloudwatch.Alarm;

  private readonly routeThrottles: Array<{ method: HttpMethod; path: string; throttle: RouteThrottle }> = [];

  constructor(scope: Construct, id: string, props: PublicApiProps) {
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
        throttlingRateLimit: props.defaultThrottle?.rateLimit ?? 50,
        throttlingBurstLimit: props.defaultThrottle?.burstLimit ?? 100,
      },
    });
    this.stage = this.restApi.deploymentStage;
    this.addRouteThrottlesToStage();
    addGatewayProblems(this.restApi);
    // The stack names its URLs in its own outputs; CDK's automatic one would be an unnamed duplicate.
    this.restApi.node.tryRemoveChild('Endpoint');
    useReadableLogicalId(this.restApi, id);
    this.acknowledgeApiFindings();
    this.protectWithWebAcl(props.webAclArn);
    this.serverErrorsAlarm = operationsAlarm(this, 'ServerErrorsAlarm', {
      logicalId: `${id}ServerErrorsAlarm`,
      metric: this.stage.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      description:
        'The API answered 5XX at least five times in five minutes (a function failing, timing out or throttled, or ' +
        'DynamoDB unavailable: 503s). The access logs name each request id, route and status; the function alarms say which.',
      topic: props.alarmTopic,
    });
    this.latencyAlarm = operationsAlarm(this, 'LatencyAlarm', {
      logicalId: `${id}LatencyAlarm`,
      metric: this.stage.metricLatency({ period: Duration.minutes(5), statistic: cloudwatch.Stats.percentile(95) }),
      threshold: 3000,
      evaluationPeriods: 3,
      description:
        "The API's 95th-percentile latency has been over 3 seconds for 15 minutes. The access logs give each route's " +
        'integration latency; look for a function near its timeout, throttled, or waiting on DynamoDB.',
      topic: props.alarmTopic,
    });
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
    if (options.throttle) this.routeThrottles.push({ method, path, throttle: options.throttle });
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

  /**
   * The routes' own limits as method settings of the stage, added as routes are (CDK's methodOptions
   * must all be known when the API is made). Each repeats the stage's logging settings: a method
   * setting replaces the stage's for that method.
   */
  private addRouteThrottlesToStage(): void {
    const stage = this.stage.node.defaultChild as apigateway.CfnStage;
    const stageWide = stage.methodSettings;
    stage.methodSettings = Lazy.any({
      produce: () => [
        ...(Array.isArray(stageWide) ? stageWide : []),
        ...this.routeThrottles.map(({ method, path, throttle }) => ({
          httpMethod: method,
          resourcePath: `/${path.replace(/\//g, '~1')}`,
          loggingLevel: apigateway.MethodLoggingLevel.ERROR,
          dataTraceEnabled: false,
          metricsEnabled: true,
          throttlingRateLimit: throttle.rateLimit,
          throttlingBurstLimit: throttle.burstLimit,
        })),
      ],
    });
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
