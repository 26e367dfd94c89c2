import { z } from 'zod';
import { ReferralEvent } from './schema';

/** Prints the webhook body's JSON Schema (draft 2020-12), generated from the zod schema. */
process.stdout.write(`${JSON.stringify(z.toJSONSchema(ReferralEvent, { io: 'input' }), null, 2)}\n`);
