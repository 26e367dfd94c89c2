import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher } from './ports';
import type { VoidBedAlert } from './alert';

/**
 * Publishes an alert to the void-bed alerts topic: the text managers read by
 * e-mail, with the alert's ids and figures as message attributes so a
 * subscriber (the SQS subscription, a filter policy) can use them without
 * parsing the text. Nothing about a child is in either.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: { subject: string; body: string; alert: VoidBedAlert }): Promise<string> {
    const { alert } = message;
    const text = (value: string) => ({ DataType: 'String', StringValue: value });
    const number = (value: number) => ({ DataType: 'Number', StringValue: String(value) });
    const { MessageId } = await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        Message: message.body,
        MessageAttributes: {
          homeId: text(alert.homeId),
          bedId: text(alert.bedId),
          threshold: text(alert.threshold),
          voidSince: text(alert.voidSince),
          nightsVoid: number(alert.nightsVoid),
          incomeNotEarnedPence: number(alert.incomeNotEarnedPence),
          ...(alert.referrals.length > 0 ? { referralIds: text(alert.referrals.map((r) => r.referralId).join(',')) } : {}),
        },
      }),
    );
    if (!MessageId) throw new Error('SNS accepted the alert but returned no message id');
    return MessageId;
  }
}
