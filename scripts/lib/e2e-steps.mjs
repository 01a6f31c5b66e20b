// Steps through the playground's stages in a playwright page, shared by the end-to-end scripts:
// the stage rail, its counts, labelling a pair, training the reward model, tuning one iteration.
const STEP_TIMEOUT = 120_000;

/** The stage rail's button for stage `name`. */
export const stage = (page, name) => page.locator(`.stage-rail button[data-stage="${name}"]`);

/** What the stage rail shows under a stage's name ("2 labels"). */
export const countOf = (page, name) => stage(page, name).locator('.stage-count').innerText();

export async function waitForCount(page, name, text, timeout = STEP_TIMEOUT) {
  await page.waitForFunction(
    ([s, t]) => document.querySelector(`.stage-rail button[data-stage="${s}"] .stage-count`)?.textContent === t,
    [name, text],
    { timeout },
  );
}

/**
 * Answers the pair on screen with `key` and waits until the label is stored (the count reads
 * storage) as the `n`th; resolves with the pair's text from before the answer.
 */
export async function label(page, key, n, timeout = STEP_TIMEOUT) {
  await page.locator('.pair .response-text').first().waitFor({ timeout });
  await page.waitForFunction(
    () => [...document.querySelectorAll('.label-actions button')].some((b) => !b.disabled),
    null,
    { timeout },
  );
  const before = await page.locator('.pair').innerText();
  await page.keyboard.press(key);
  await waitForCount(page, 'label', `${n} label${n === 1 ? '' : 's'}`, timeout);
  return before;
}

/** Labels `keys.length` pairs in a row, each with its key, waiting for a new pair between them. */
export async function labelPairs(page, keys, timeout = STEP_TIMEOUT) {
  for (let i = 0; i < keys.length; i++) {
    const pair = await label(page, keys[i], i + 1, timeout);
    if (i < keys.length - 1)
      await page.waitForFunction((text) => document.querySelector('.pair')?.innerText !== text, pair, { timeout });
  }
}

/** Trains the reward model from the Reward stage and waits until it reports `labels` labels. */
export async function trainReward(page, labels, timeout = STEP_TIMEOUT) {
  await stage(page, 'reward').click();
  await page
    .getByRole('button', { name: /Train now|Training/ })
    .first()
    .click();
  await page.waitForFunction(
    (n) => document.querySelector('.stage-panel [role="status"]')?.textContent?.includes(`Trained on ${n} labels`),
    labels,
    { timeout },
  );
}

/** Tunes one iteration from the Tune stage; waits until its checkpoint is saved (`saved` policies). */
export async function stepOnce(page, saved, timeout = STEP_TIMEOUT) {
  await stage(page, 'tune').click();
  await page.getByRole('button', { name: 'Step one iteration' }).click();
  // The Compare stage counts the saved policies.
  await waitForCount(page, 'compare', `${saved} saved polic${saved === 1 ? 'y' : 'ies'}`, timeout);
}
