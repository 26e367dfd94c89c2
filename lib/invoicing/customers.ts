import * as z from '#lib/validation';
import data from '#data/placing-authorities.json' with { type: 'json' };

const AccountsPayable = z.object({
  /** Where invoices and credit notes are e-mailed (with the PDF attached). */
  email: z.email(),
  /** Printed on the document under "To". */
  invoiceAddress: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  /** How the council's payments name it on our bank statement (bank-file import matches on these). */
  payerNames: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** Where the council takes documents as signed Standard Webhooks deliveries, if it does. */
  invoiceEndpoint: z.optional(z.url({ protocol: /^https$/ })),
});

const Authority = z.object({
  la: z.string().check(z.regex(/^\d{3}$/)),
  ons: z.string(),
  name: z.string().check(z.minLength(1)),
  self: z.optional(z.boolean()),
  accountsPayable: z.optional(AccountsPayable),
});

/** A placing council as its documents address it. */
export interface Customer {
  laNumber: string;
  name: string;
  /** The ONS code of the council's area (what SSDA903's PL_LA carries), where known. */
  onsCode?: string;
  invoiceAddress: string[];
  accountsPayableEmail?: string;
  invoiceEndpoint?: string;
  payerNames: string[];
}

type Authority = z.infer<typeof Authority>;

let parsed: { all: readonly Authority[]; byLa: ReadonlyMap<string, Authority> } | undefined;

/** The reference data, checked on first use rather than while each function that carries it loads. */
function authorities() {
  if (!parsed) {
    const all = z.object({ authorities: z.array(Authority) }).parse(data).authorities;
    parsed = { all, byLa: new Map(all.map((a) => [a.la, a])) };
  }
  return parsed;
}

/**
 * The council a document is for, from reference data (lib/reference-data/placing-authorities.json).
 * A council outside the region, or one whose accounts-payable details are not yet known, is named by
 * its LA number and has no address to send to: its documents are logged as undeliverable.
 */
export function customerOf(laNumber: string): Customer {
  const known = authorities().byLa.get(laNumber);
  const name = known?.name ?? `Local authority ${laNumber}`;
  const ap = known?.accountsPayable;
  return {
    laNumber,
    name,
    ...(known ? { onsCode: known.ons } : {}),
    invoiceAddress: ap?.invoiceAddress ?? [name],
    ...(ap ? { accountsPayableEmail: ap.email } : {}),
    ...(ap?.invoiceEndpoint ? { invoiceEndpoint: ap.invoiceEndpoint } : {}),
    payerNames: ap?.payerNames ?? [],
  };
}

/** Every council we know accounts-payable details of, in LA number order. */
export function knownCustomers(): Customer[] {
  return authorities().all.filter((a) => !a.self)
    .map((a) => customerOf(a.la))
    .sort((a, b) => a.laNumber.localeCompare(b.laNumber));
}

export { SELF } from '#lib/codes/local-authorities';
