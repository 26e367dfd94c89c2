import { randomUUID } from 'node:crypto';
/**
 * A placement in the browser: a placements officer finds a new referral in the queue, reads its
 * proposal (each bed's score with its reasons, the homes ruled out), offers the best bed, records
 * the placing council's acceptance, admits the child, prints the 903 confirmation and ends the
 * placement (its reason in words); the void-bed monitor alerts on the emptied bed and the
 * residential manager sees the alert on the estate board. axe checks every page state reached.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '#lib/time/calendar';
import { postSignedDelivery } from '#tests/e2e/support';
import { ConsolePerson } from './pages/console';
import { PlacementPage, ReferralPage } from './pages/placements';
import { testToday } from '#tests/support/clock';
import { sampleEvent } from '#tests/support/sample-events';
import { newPerson } from './support/chromium';
import { consoleInChromium } from './support/console-stack';
import { screenshot } from './support/screenshots';

const today = testToday;
const referralId = `BROWSER-${randomUUID().slice(0, 8).toUpperCase()}`;

/** The sample referral (events/referrals/created.json, dated as of the test's day: the child is fifteen) as a new one, needed from two days ago. */
function newReferral(): string {
  const body = JSON.parse(sampleEvent('referrals/created.json', today));
  body.data.referralId = referralId;
  body.data.sought.neededFrom = addDays(today, -2);
  return JSON.stringify(body);
}

const app = consoleInChromium('placements', async (env) => {
  expect((await postSignedDelivery(env.stack.info, newReferral())).status).toBe(202);
});

describe('a referral, from the queue to a void-bed alert on the board', () => {
  let officer: ConsolePerson;
  let bed: string;

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await officer?.keepForDiagnosis(context.task.name);
  });

  it('a placements officer finds the referral and reads its proposal: scores with reasons, and the homes ruled out', async () => {
    // Prepare
    officer = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await officer.signIn('placements-officer', '/referrals');
    await officer.checkAccessible('referral queue');

    // Act
    await officer.page.getByRole('link', { name: referralId }).click();
    const referral = new ReferralPage(officer);
    await referral.open(referralId);

    // Assess
    bed = await referral.bestBed();
    expect(bed).toMatch(/, bed /);
    expect(await referral.reasonsOfBest()).toMatch(/Distance from home \([+-]?\d+\):/);
    await officer.page.getByText(/^Ruled out \(\d+\)/).click();
    expect(await officer.page.getByRole('table', { name: 'Ruled out' }).getByRole('row').count()).toBeGreaterThan(1);
    await officer.checkAccessible('referral with its proposal, ruled-out homes open');
    await screenshot(officer.page, 'referral-proposal');
  });

  it('offers the best bed, records the acceptance and admits the child', async () => {
    // Act
    const referral = new ReferralPage(officer);
    await referral.offerBest();
    await officer.checkAccessible('referral with an offer');
    await referral.recordAcceptance();
    await officer.checkAccessible('referral with an accepted offer');
    await referral.admit(addDays(today, -2));

    // Assess
    expect(await officer.page.locator('.govuk-summary-list').innerText()).toContain(bed);
    await officer.checkAccessible('placement admitted');
    const confirmation = await new PlacementPage(officer).openConfirmation();
    expect(confirmation).toMatch(/Ofsted URN of the home\s+SC\d{6}/);
    expect(confirmation).toContain('PR2 – other local authority provision');
    await officer.checkAccessible('placement confirmation');
    await officer.page.emulateMedia({ media: 'print' });
    expect(await officer.page.getByRole('navigation', { name: 'Menu' }).isVisible()).toBe(false);
    await officer.page.emulateMedia({ media: 'screen' });
    await officer.page.goBack();
  });

  it('ends the placement with its SSDA903 reason in words, after being told what was missing', async () => {
    // Prepare
    const placement = new PlacementPage(officer);
    await placement.startEnding();
    await officer.checkAccessible('end placement form');

    // Act
    await placement.submitEnd();
    const errors = await officer.errorSummary();
    await officer.checkAccessible('end placement form with errors');
    await placement.fillEnd(today, 'Change to/implementation of care plan (planned)');
    await placement.submitEnd();

    // Assess
    expect(errors).toEqual([
      { text: 'Enter the leaving date', href: '#end-day' },
      { text: 'Choose the reason for the change of placement', href: '#reason' },
    ]);
    const summary = await officer.page.locator('.govuk-summary-list').innerText();
    expect(summary).toContain('CARPL: Change to/implementation of care plan; planned');
    await officer.checkAccessible('placement ended');
  });

  it('the residential manager sees the void-bed alert for the emptied bed on the estate board', async () => {
    // Prepare
    const manager = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await manager.signIn('residential-manager', '/estate');
    const [homeId, bedId] = bed.split(', bed ') as [string, string];

    // Act
    await manager.reloadUntil(
      async () => (await manager.page.getByRole('table', { name: 'Latest void-bed alerts' }).getByRole('row', { name: new RegExp(`${homeId}, bed ${bedId}`) }).count()) > 0,
      `the alert for ${bed}`,
    );

    // Assess
    const alert = await manager.page.getByRole('table', { name: 'Latest void-bed alerts' }).getByRole('row', { name: new RegExp(`${homeId}, bed ${bedId}`) }).innerText();
    expect(alert).toMatch(/The bed has become void, void since/);
    expect(await manager.page.getByRole('row', { name: new RegExp(`^${bedId}`) }).innerText()).toContain('Void');
    await manager.checkAccessible('estate board with a void-bed alert');
    await screenshot(manager.page, 'estate-board');
    await manager.page.getByRole('link', { name: homeId }).first().click();
    await manager.checkAccessible('a home');
    await manager.visit('/void-beds');
    await manager.checkAccessible('void-bed alerts');
  });
});
