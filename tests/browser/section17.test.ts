/**
 * Section 17 in the browser: a social worker applies with the guidance in front of them (and is
 * told what to fix when the form is incomplete), a team manager approves it using the keyboard
 * alone, and the spend report shows it once the ledger has the journal. axe checks every page
 * state reached.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testToday } from '#tests/support/clock';
import { ConsolePerson } from './pages/console';
import { ApplyPage } from './pages/section17';
import { newPerson } from './support/chromium';
import { consoleInChromium } from './support/console-stack';
import { focused, tabTo } from './support/keyboard';

const app = consoleInChromium('s17');

const today = testToday;
const [year, month, day] = today.split('-');
const childReference = `CIN-${randomUUID().slice(0, 8).toUpperCase()}`;

describe('a Section 17 award, from application to the report', () => {
  let socialWorker: ConsolePerson;
  let teamManager: ConsolePerson;

  it('a social worker applies, with the guidance shown and every missing answer linked from the error summary', async () => {
    // Prepare
    socialWorker = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await socialWorker.signIn('social-worker');
    await socialWorker.checkAccessible('home (social worker)');
    expect(await socialWorker.menu()).toEqual(['Apply for support', 'My applications']);
    const apply = new ApplyPage(socialWorker);
    await apply.open();
    await socialWorker.checkAccessible('section 17 apply form');
    expect(await socialWorker.page.getByRole('table', { name: /Section 17 guidance/ }).innerText()).toContain('Clothing');

    // Act: submit with nothing filled in
    await apply.submit();

    // Assess
    const errors = await socialWorker.errorSummary();
    expect(errors).toContainEqual({ text: 'Enter the child’s reference', href: '#childReference' });
    expect(errors).toContainEqual({ text: 'Enter the amount', href: '#amount' });
    expect(errors).toContainEqual({ text: 'Enter the date of the payment', href: '#start-day' });
    expect(await socialWorker.page.title()).toMatch(/^Error: /);
    await socialWorker.checkAccessible('section 17 apply form with errors');

    // Act: fill it in properly
    await apply.fill({
      childReference,
      team: 'North West locality',
      category: 'Clothing',
      amount: '45.50',
      start: { day: String(Number(day)), month: String(Number(month)), year: year! },
      payee: 'The family',
      payeeReference: 'FAM-0042',
      evidence: [{ name: 'Child in need assessment', reference: 'CIN-ASSESS-77' }],
      justification: 'School uniform and a winter coat: the family’s benefits were delayed.',
    });
    await apply.submit();

    // Assess
    await socialWorker.page.getByRole('heading', { name: 'Application submitted' }).waitFor();
    expect(await socialWorker.page.locator('.govuk-panel__body').innerText()).toContain('team manager');
    await socialWorker.checkAccessible('section 17 application submitted');
    await socialWorker.visit('/section17/mine');
    expect(await socialWorker.page.getByRole('row', { name: new RegExp(childReference) }).innerText()).toContain('Waiting for a decision');
    await socialWorker.checkAccessible('my applications');
  });

  it('a team manager approves it with the keyboard alone', async () => {
    // Prepare
    teamManager = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await teamManager.signIn('team-manager', '/section17/waiting');
    await teamManager.checkAccessible('waiting for me');
    const page = teamManager.page;

    // Act: the first Tab reaches the skip link; then on to the application, the decision, the reason, the button
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Skip to main content');
    await tabTo(page, (el) => el.tag === 'a' && el.text.startsWith(childReference));
    await Promise.all([page.waitForURL(/\/decision$/), page.keyboard.press('Enter')]);
    await teamManager.checkAccessible('section 17 decision form');
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'approve');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.tag === 'textarea');
    await page.keyboard.type('Within the clothing cap; assessment seen.');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Record decision');
    await Promise.all([page.waitForURL(/decided=approve/), page.keyboard.press('Enter')]);

    // Assess
    expect(await page.getByRole('alert').innerText()).toContain('You approved the application');
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('Approved');
    await teamManager.checkAccessible('section 17 application approved');
  });

  it('the report shows the approved spend once the ledger has posted it, and the social worker sees the decision', async () => {
    // Act
    await teamManager.visit('/section17/reports');
    await teamManager.reloadUntil(
      async () => (await teamManager.page.getByRole('row', { name: /^Clothing/ }).count()) > 0,
      'the approved award in the spend by category',
    );

    // Assess
    expect(await teamManager.page.getByRole('row', { name: /^Clothing/ }).innerText()).toContain('£45.50');
    expect(await teamManager.page.locator('svg.app-chart').count()).toBe(2);
    await teamManager.checkAccessible('section 17 reports');
    await socialWorker.visit('/section17/mine');
    await socialWorker.page.getByRole('link', { name: new RegExp(childReference) }).click();
    expect(await socialWorker.page.locator('main').innerText()).toContain('Within the clothing cap; assessment seen.');
    await socialWorker.checkAccessible('section 17 application, decided, as the social worker sees it');
  });
});
