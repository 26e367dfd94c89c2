import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PendingSignIn, StoredSession, type SessionStore } from './session';
import { DynamoTable } from '#lib/aws/dynamo-table';

/**
 * The console's sessions table: `pk` SESSION#<hash> or SIGNIN#<hash> (`sk` the same word), the
 * record in `data`, and `expiresAt` (epoch seconds) for DynamoDB's TTL to
 * remove what timed out. Every read is by key.
 */
export class DynamoSessionStore extends DynamoTable implements SessionStore {
  async putSession(key: string, session: StoredSession, expiresAtMs: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...sessionKey(key), data: session, expiresAt: seconds(expiresAtMs) } }));
  }

  async getSession(key: string): Promise<StoredSession | undefined> {
    const item = await this.getItem(sessionKey(key));
    return item ? StoredSession.parse(item.data) : undefined;
  }

  async touchSession(key: string, lastSeenAtMs: number, expiresAtMs: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sessionKey(key),
          UpdateExpression: 'SET #data.lastSeenAtMs = :seen, expiresAt = :expires',
          // Never brings back a session that sign-out deleted meanwhile.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#data': 'data' },
          ExpressionAttributeValues: { ':seen': lastSeenAtMs, ':expires': seconds(expiresAtMs) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async deleteSession(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: sessionKey(key) }));
  }

  async putSignIn(key: string, signIn: PendingSignIn, expiresAtMs: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...signInKey(key), data: signIn, expiresAt: seconds(expiresAtMs) } }));
  }

  async takeSignIn(key: string): Promise<PendingSignIn | undefined> {
    const { Attributes } = await this.db.send(new DeleteCommand({ TableName: this.table, Key: signInKey(key), ReturnValues: 'ALL_OLD' }));
    return Attributes ? PendingSignIn.parse(Attributes.data) : undefined;
  }
}

const seconds = (ms: number) => Math.ceil(ms / 1000);
const sessionKey = (key: string) => ({ pk: `SESSION#${key}`, sk: 'SESSION' });
const signInKey = (key: string) => ({ pk: `SIGNIN#${key}`, sk: 'SIGNIN' });
