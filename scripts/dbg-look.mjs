import { startServer, launch, openTrainPage } from '../tests/browser/harness.mjs';
const srv = await startServer();
const browser = await launch();
const { page } = await openTrainPage(browser, srv, 'CPU');
await page.getByLabel('Training images').selectOption('5000');
await page.getByLabel('Epochs').fill('2');
await page.getByRole('button', { name: 'Start' }).click();
for (let i = 0; i < 16; i++) {
  await page.waitForTimeout(3000);
  const r = await page.evaluate(() => ['#train-progress', '#train-test', '#train-outcome', '#train-data'].map((s) => document.querySelector(s)?.textContent));
  console.log((i + 1) * 3, JSON.stringify(r));
}
await browser.close(); srv.close?.(); process.exit(0);
