import * as z from 'zod/mini';

/**
 * DfE local authority numbers are three digits: 2xx London, 3xx metropolitan,
 * 8xx/9xx shire and unitary. Councils outside the NE12 group may place too,
 * so any number of that shape is accepted. Apart from local-authorities.ts,
 * whose names and codes come from the reference data, so that checking a
 * number's shape does not bring the councils' details into a bundle.
 */
export const LaNumber = z.string().check(z.regex(/^[2-9]\d{2}$/, 'a DfE local authority number: three digits, 201-999'));
export type LaNumber = z.infer<typeof LaNumber>;
