import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender, OutboundEmail } from './email';

/**
 * Amazon SES (API v2) SendEmail with simple content and the PDF as an
 * attachment. The configuration set publishes bounces and complaints to the
 * delivery-events topic; the message tag names our message id in them.
 */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly configurationSetName?: string,
  ) {}

  async send(email: OutboundEmail): Promise<string> {
    const { MessageId } = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [email.to] },
        ReplyToAddresses: [email.replyTo],
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
            Attachments: [
              {
                FileName: email.attachment.filename,
                ContentType: email.attachment.contentType,
                ContentDisposition: 'ATTACHMENT',
                ContentTransferEncoding: 'BASE64',
                RawContent: email.attachment.content,
              },
            ],
          },
        },
        EmailTags: [{ Name: 'message', Value: email.messageId }],
        ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
      }),
    );
    if (!MessageId) throw new Error('SES accepted the e-mail but returned no message id');
    return MessageId;
  }
}
