import { gunzipSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newestWithPrefix } from '#lib/aws/query-all';
import { singleItemReads, type ItemReads } from '#lib/aws/item-reads';
import { PROPOSAL_SK_PREFIX, referralKeys } from '#lib/referrals/referral-keys';
import { Proposal } from './proposal';
import type { ProposalStore } from './proposal-store';

/**
 * Proposals in the referrals table, beside the referral they answer
 * (pk REFERRAL#<id>, sk PROPOSAL#<version>), written once with
 * attribute_not_exists. The proposal is stored as Zstandard-compressed JSON
 * (`proposalZstd`): its reasons repeat from bed to bed and compress ~55×,
 * which keeps even a 2,000-home estate's proposal inside DynamoDB's 400 KB
 * item limit. Should one still not fit, the lowest-ranked candidates are left
 * out (and counted in `omitted`). Zstandard at its default level makes items
 * ~40% smaller than gzip's default (fewer write units) in a third of the time;
 * node:zlib's zstd is marked experimental in Node 24, the runtime pinned for
 * every function. Proposals stored before as gzip (`proposalGzip`) still read.
 */

/** Room left under the 400 KB item limit for the keys and small attributes. */
export const MAX_PROPOSAL_BYTES = 380_000;

const encode = (proposal: Proposal) => zstdCompressSync(JSON.stringify(proposal));

/** The proposal a PROPOSAL item holds, whichever way it was compressed. */
export function proposalFromItem(item: Record<string, unknown>): Proposal {
  const json = item.proposalZstd ? zstdDecompressSync(item.proposalZstd as Uint8Array) : gunzipSync(item.proposalGzip as Uint8Array);
  return Proposal.parse(JSON.parse(json.toString('utf8')));
}

/** The proposal, shortened from the bottom until its encoding fits `maxBytes`. */
export function fitProposal(proposal: Proposal, maxBytes = MAX_PROPOSAL_BYTES): { proposal: Proposal; bytes: Buffer } {
  let candidates = proposal.candidates.length;
  let exclusions = proposal.excluded.length;
  for (;;) {
    const omitted = { candidates: proposal.candidates.length - candidates, exclusions: proposal.excluded.length - exclusions };
    const fitted: Proposal = {
      ...proposal,
      candidates: proposal.candidates.slice(0, candidates),
      excluded: proposal.excluded.slice(0, exclusions),
      ...(omitted.candidates + omitted.exclusions > 0 ? { omitted } : {}),
    };
    const bytes = encode(fitted);
    if (bytes.length <= maxBytes) return { proposal: fitted, bytes };
    if (candidates > 0) candidates = Math.floor(candidates / 2);
    else if (exclusions > 0) exclusions = Math.floor(exclusions / 2);
    else throw new Error(`proposal for ${proposal.referralId} does not fit in ${maxBytes} bytes even empty`);
  }
}

export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly reads: ItemReads = singleItemReads(db),
  ) {}

  async has(referralId: string, version: number): Promise<boolean> {
    return (await this.reads.get({ table: this.tableName, key: referralKeys.proposal(referralId, version), attributes: [] })) !== undefined;
  }

  async save(proposal: Proposal): Promise<'saved' | 'already-saved'> {
    const { proposal: stored, bytes } = fitProposal(proposal);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...referralKeys.proposal(proposal.referralId, proposal.referralVersion),
            version: proposal.referralVersion,
            candidateCount: proposal.candidates.length,
            excludedCount: proposal.excluded.length,
            ...(stored.omitted ? { omitted: stored.omitted } : {}),
            proposalZstd: bytes,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'saved';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already-saved';
      throw error;
    }
  }

  async get(referralId: string, version: number): Promise<Proposal | undefined> {
    const item = await this.reads.get({ table: this.tableName, key: referralKeys.proposal(referralId, version) });
    return item ? proposalFromItem(item) : undefined;
  }

  async latest(referralId: string): Promise<Proposal | undefined> {
    const [newest] = await newestWithPrefix(this.db, this.tableName, referralKeys.current(referralId).pk, PROPOSAL_SK_PREFIX, 1);
    return newest ? proposalFromItem(newest) : undefined;
  }
}
