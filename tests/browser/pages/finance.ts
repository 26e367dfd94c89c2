import { readFileSync } from 'node:fs';
import type { ConsolePerson } from './console';

/** Finance's invoicing run page and an invoice's page. */
export class InvoicingPage {
  constructor(private readonly person: ConsolePerson) {}

  async startRun(monthName: string): Promise<void> {
    const page = this.person.page;
    await this.person.visit('/finance/runs');
    await page.getByLabel('Month to invoice').selectOption({ label: monthName });
    await page.getByRole('button', { name: 'Start the run' }).click();
    await page.getByText(`The run for ${monthName} is queued.`).waitFor();
  }

  async waitUntilComplete(): Promise<void> {
    await this.person.reloadUntil(async () => (await this.person.page.locator('main').innerText()).includes('What each council was charged'), 'the run completing', 60_000);
  }

  /** The rows of "What each council was charged". */
  charged(): Promise<string> {
    return this.person.page.getByRole('table', { name: 'What each council was charged' }).innerText();
  }

  async openFirstInvoice(): Promise<string> {
    const link = this.person.page.getByRole('table', { name: 'What each council was charged' }).getByRole('link').first();
    const number = (await link.innerText()).trim();
    await link.click();
    await this.person.page.getByRole('heading', { name: number }).waitFor();
    return number;
  }

  /** Follows a download button and returns the file's name and bytes. */
  async download(button: string): Promise<{ name: string; bytes: Buffer }> {
    const page = this.person.page;
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    const path = await file.path();
    return { name: file.suggestedFilename(), bytes: readFileSync(path) };
  }
}
