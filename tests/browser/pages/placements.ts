import type { ConsolePerson } from './console';

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const partsOf = (iso: string): DateParts => {
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
};

/** A placements officer's referral page: the proposal, the offers and their answers. */
export class ReferralPage {
  constructor(private readonly person: ConsolePerson) {}

  async open(referralId: string): Promise<void> {
    await this.person.visit(`/referrals/${encodeURIComponent(referralId)}`);
    await this.person.reloadUntil(async () => (await this.person.page.getByRole('table', { name: 'Beds that fit, best first' }).count()) > 0, 'the proposal');
  }

  /** The first (best) candidate's home and bed, as the table shows them. */
  async bestBed(): Promise<string> {
    const row = this.person.page.getByRole('table', { name: 'Beds that fit, best first' }).getByRole('row').nth(1);
    return (await row.getByRole('cell').nth(1).innerText()).trim();
  }

  async reasonsOfBest(): Promise<string> {
    const row = this.person.page.getByRole('table', { name: 'Beds that fit, best first' }).getByRole('row').nth(1);
    return row.getByRole('cell').nth(3).innerText();
  }

  async offerBest(): Promise<void> {
    const row = this.person.page.getByRole('table', { name: 'Beds that fit, best first' }).getByRole('row').nth(1);
    await row.getByRole('button', { name: /^Offer / }).click();
    await this.person.page.getByText('The bed is offered').waitFor();
  }

  async recordAcceptance(): Promise<void> {
    await this.person.page.getByRole('button', { name: 'Record acceptance' }).click();
    await this.person.page.getByText('acceptance is recorded').waitFor();
  }

  async admit(startDate: string): Promise<void> {
    const page = this.person.page;
    // GOV.UK's button-styled links have the button role.
    await page.getByRole('button', { name: 'Admit' }).click();
    await page.getByRole('heading', { name: /^Admit / }).waitFor();
    await this.person.checkAccessible('admission form');
    const date = page.getByRole('group', { name: 'Date of admission' });
    const parts = partsOf(startDate);
    await date.getByLabel('Day').fill(parts.day);
    await date.getByLabel('Month').fill(parts.month);
    await date.getByLabel('Year').fill(parts.year);
    await page.getByRole('button', { name: 'Admit' }).click();
    await page.getByText('The child is admitted').waitFor();
  }
}

/** A placement's page and its forms. */
export class PlacementPage {
  constructor(private readonly person: ConsolePerson) {}

  async openConfirmation(): Promise<string> {
    await this.person.page.getByRole('button', { name: 'Placement confirmation' }).click();
    await this.person.page.getByRole('heading', { name: 'Placement confirmation' }).waitFor();
    return this.person.page.locator('.govuk-summary-list').innerText();
  }

  async startEnding(): Promise<void> {
    await this.person.page.getByRole('button', { name: 'End the placement' }).click();
    await this.person.page.getByRole('heading', { name: 'End the placement' }).waitFor();
  }

  async submitEnd(): Promise<void> {
    await this.person.page.getByRole('button', { name: 'Record the end' }).click();
    await this.person.page.waitForLoadState();
  }

  async fillEnd(endDate: string, reason: string): Promise<void> {
    const page = this.person.page;
    const date = page.getByRole('group', { name: 'Leaving date' });
    const parts = partsOf(endDate);
    await date.getByLabel('Day').fill(parts.day);
    await date.getByLabel('Month').fill(parts.month);
    await date.getByLabel('Year').fill(parts.year);
    await page.getByLabel('Reason for the change of placement').selectOption({ label: reason });
  }
}
