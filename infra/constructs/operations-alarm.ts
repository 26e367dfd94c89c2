import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { useReadableLogicalId } from './readable-logical-id';

export interface OperationsAlarmProps {
  /** The logical id (readable, pinned). */
  readonly logicalId: string;
  readonly metric: cloudwatch.IMetric;
  /** What fired and what a person should do, shown in the e-mail. */
  readonly description: string;
  /** The operations topic, told when the alarm fires and when it clears. */
  readonly topic: sns.ITopic;
  /** @default 1 */
  readonly threshold?: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
}

/**
 * An alarm for operations: at or over the threshold fires, to the topic and again on recovery; no
 * datapoints (nothing ran, nothing queued) is the healthy state, never an alarm.
 */
export function operationsAlarm(scope: Construct, id: string, props: OperationsAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold ?? 1,
    evaluationPeriods: props.evaluationPeriods ?? 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const notify = new cloudwatchActions.SnsAction(props.topic);
  alarm.addAlarmAction(notify);
  alarm.addOkAction(notify);
  useReadableLogicalId(alarm, props.logicalId);
  return alarm;
}
