import type { Page } from 'playwright-core';
import type { ConsolePerson } from './console';

export interface Application {
  childReference: string;
  team: string;
  category: string;
  amount: string;
  start: { day: string; month: string; year: string };
  payee: 'The family' | 'A supplier' | 'A voucher scheme';
  payeeReference: string;
  evidence: Array<{ name: string; reference: string }>;
  justification: string;
}

/** A social worker's application form. */
export class ApplyPage {
  constructor(private readonly person: ConsolePerson) {}

  private get page(): Page {
    return this.person.page;
  }

  async open(): Promise<void> {
    await this.person.visit('/section17/apply');
  }

  async fill(a: Application): Promise<void> {
    const page = this.page;
    await page.getByLabel('Child’s reference').fill(a.childReference);
    await page.getByLabel('Your team').fill(a.team);
    await page.getByLabel(a.category, { exact: true }).check();
    await page.getByLabel('Amount').fill(a.amount);
    await page.getByLabel('Once').check();
    const start = page.getByRole('group', { name: 'Date of the (first) payment' });
    await start.getByLabel('Day').fill(a.start.day);
    await start.getByLabel('Month').fill(a.start.month);
    await start.getByLabel('Year').fill(a.start.year);
    await page.getByLabel(a.payee).check();
    await page.getByLabel('Payee’s reference').fill(a.payeeReference);
    for (const e of a.evidence) await page.getByLabel(e.name, { exact: true }).fill(e.reference);
    await page.getByLabel('Why is it needed?').fill(a.justification);
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Submit application' }).click();
    await this.page.waitForLoadState();
  }
}
