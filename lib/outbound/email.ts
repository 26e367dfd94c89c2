/** An e-mail as the sender port takes it: plain text with one attachment. */
export interface OutboundEmail {
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  text: string;
  attachment: { filename: string; contentType: string; content: Uint8Array };
  /** Carried as an SES message tag, so a bounce notification names the message it is about. */
  messageId: string;
}

export interface EmailSender {
  /** @returns the provider's message id */
  send(email: OutboundEmail): Promise<string>;
}
