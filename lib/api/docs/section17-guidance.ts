import { formatPence } from '#lib/money';
import { DEFAULT_GUIDANCE, type Guidance } from '#lib/section17';

/**
 * docs/section17-guidance.md, generated from the guidance data
 * (lib/reference-data/section17-guidance.json): the categories an application
 * may name, their accounts, caps and the evidence each needs, and the
 * authorisation ladder. A test fails when the page and the data differ.
 */
export function section17GuidanceMarkdown(guidance: Guidance = DEFAULT_GUIDANCE): string {
  const categories = guidance.categories.map(
    (c) =>
      `| \`${c.code}\` | ${c.group} | \`${c.account}\` | ${formatPence(c.capPerAwardPence)} | ${c.capPerChildPerYearPence === undefined ? '—' : formatPence(c.capPerChildPerYearPence)} | ${c.evidence.map((e) => `\`${e}\``).join(', ') || '—'} | ${c.alwaysHeadOfService ? 'head of service, whatever the amount' : 'by amount'} |`,
  );
  const ladder = guidance.authorisation.map((tier) => `| ${tier.upToPence === null ? 'any amount' : `up to ${formatPence(tier.upToPence)}`} | \`${tier.role}\` |`);
  return [
    '# Section 17 guidance',
    '',
    '<!-- Generated from lib/reference-data/section17-guidance.json by `npm run docs:api`: do not edit by hand. -->',
    '',
    `Guidance version \`${guidance.version}\`: what \`POST /api/section17/applications\` accepts (see`,
    '[section17.md](section17.md) for the body and the rules). Every figure is data: a new version of the',
    'file changes them, and each decision records the version it was made under.',
    '',
    '## Categories',
    '',
    '`category` in an application is one of these codes. Each `evidence` type listed must be among the',
    "application's `evidence[].type` (`missing-evidence` otherwise); the amount (each payment of a recurring",
    "award) must be within the cap per award, and the child's payments in the category in a financial year",
    'within the cap per child per year.',
    '',
    '| category | group | account | cap per award | cap per child per year | evidence required | approved by |',
    '|---|---|---|--:|--:|---|---|',
    ...categories,
    '',
    '## Who approves',
    '',
    `A period's value (a one-off amount, or the payments of a recurring award's ${guidance.reapprovalWeeks}-week period) needs`,
    'at least this role; a more senior one may approve too.',
    '',
    '| value of the period | role required |',
    '|---|---|',
    ...ladder,
    '',
  ].join('\n');
}
