import { randomUUID } from 'node:crypto';
/**
 * Finance in the browser: a month's invoicing run started from the console, followed to its end,
 * what each council was charged, an invoice opened, printed and downloaded (PDF and CSV); the
 * ledger; and the KPIs with their charts and tables. The scene: a child placed 45 days ago
 * through the API, so last month has nights to charge. axe checks every page state reached.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, monthOf, previousMonth } from '#lib/time/calendar';
import { monthInWords } from '#lib/console/format';
import { postSignedDelivery } from '#tests/e2e/support';
import { ConsolePerson } from './pages/console';
import { InvoicingPage } from './pages/finance';
import { callApi } from './support/api';
import { testToday } from '#tests/support/clock';
import { newPerson } from './support/chromium';
import { consoleInChromium } from './support/console-stack';
import { screenshot } from './support/screenshots';

const today = testToday;
const lastMonth = previousMonth(monthOf(today));
const referralId = `FIN-${randomUUID().slice(0, 8).toUpperCase()}`;

const app = consoleInChromium('finance', async (env) => {
  const body = JSON.parse(readFileSync(new URL('../../events/referrals/created.json', import.meta.url), 'utf8'));
  body.data.referralId = referralId;
  body.data.sought.neededFrom = addDays(today, -45);
  expect((await postSignedDelivery(env.stack.info, JSON.stringify(body))).status).toBe(202);
  const admitted = await callApi(env.stack, 'placements-officer', 'POST', `/api/referrals/${referralId}/admission`, { bedId: 'hv-3', startDate: addDays(today, -45) });
  expect(admitted.status).toBe(201);
});

describe('finance at the console', () => {
  let finance: ConsolePerson;

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      await finance?.keepForDiagnosis(context.task.name);
      console.error(app.env.logs.filter((line) => /invoic|error|Error/.test(line)).slice(-30).join('\n'));
    }
  });

  it('runs last month’s invoicing and sees what each council was charged', { timeout: 90_000 }, async () => {
    // Prepare
    finance = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await finance.signIn('finance', '/finance/runs');
    await finance.checkAccessible('invoicing runs');
    const invoicing = new InvoicingPage(finance);

    // Act
    await invoicing.startRun(monthInWords(lastMonth));
    await finance.checkAccessible('invoicing run queued');
    await invoicing.waitUntilComplete();

    // Assess
    expect(await invoicing.charged()).toContain('Gateshead (390)');
    await finance.checkAccessible('invoicing run complete');
  });

  it('opens the invoice, prints it, and downloads it as PDF and CSV', async () => {
    // Prepare
    const invoicing = new InvoicingPage(finance);

    // Act
    const number = await invoicing.openFirstInvoice();
    await finance.checkAccessible('an invoice');
    await screenshot(finance.page, 'invoice');
    const lines = await finance.page.getByRole('table', { name: 'Lines' }).innerText();
    const pdf = await invoicing.download('Download PDF');
    const csv = await invoicing.download('Download CSV');
    await finance.page.getByRole('button', { name: 'Print' }).click();
    await finance.page.waitForURL(/\/print$/);
    await finance.page.emulateMedia({ media: 'print' });
    const printed = await finance.page.pdf({ format: 'A4' });
    const printedText = await finance.page.locator('body').innerText();
    await finance.page.emulateMedia({ media: 'screen' });

    // Assess
    expect(number).toMatch(/^NT-\d{4}-\d{6}$/);
    expect(lines).toContain('GH-CLA-7731');
    expect(pdf.name).toBe(`${number}.pdf`);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(csv.name).toBe(`${number}.csv`);
    expect(csv.bytes.toString()).toContain(number);
    expect(printedText).toContain(number);
    expect(printed.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('reads the trial balance, which balances, and downloads the GL export', async () => {
    // Act
    await finance.visit('/finance/ledger');
    const tb = await finance.page.getByRole('table', { name: /^Trial balance as at/ }).innerText();
    await finance.checkAccessible('ledger');
    const [file] = await Promise.all([finance.page.waitForEvent('download'), finance.page.getByRole('button', { name: 'Download the GL export (CSV)' }).click()]);

    // Assess
    expect(tb).toContain('04127-5501');
    expect(await finance.page.getByText('Debits equal credits.').count()).toBe(1);
    expect(file.suggestedFilename()).toMatch(/^gl-export-\d{4}-\d{2}\.csv$/);
  });

  it('reads the KPIs: every chart an SVG with its table of figures beside it', async () => {
    // Act
    await finance.visit('/kpis');

    // Assess
    const charts = finance.page.locator('figure');
    expect(await charts.count()).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < (await charts.count()); i++) {
      expect(await charts.nth(i).locator('svg[role="img"]').count()).toBe(1);
      expect(await charts.nth(i).locator('table').count()).toBe(1);
    }
    expect(await finance.page.locator('main').innerText()).toContain('Placements agreed');
    await finance.checkAccessible('KPIs');
    await screenshot(finance.page, 'kpis');
  });
});
