/**
 * The HTML report of derive check in a real browser (Debian's Chromium through playwright-core):
 * KaTeX math renders without error elements, no console errors, nothing loaded from outside the
 * page, verdict colours, and author text that looks like HTML stays text. Skipped when
 * /usr/bin/chromium is missing (.ci/run installs it).
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { checkDocument, checkReportHtml, checkText, type CheckReport } from "../../src/verify/index.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const MARKDOWN = String.raw`# A1 and A4 <img src=x onerror="window.__injected = 1">

$$f(x_1, x_2) = (x_1 - 6)^2 + x_2^2 - x_1 x_2$$
$$\nabla f(6, 6) = (-6, 6)$$
$$\nabla f = (2x_1 - x_2 - 12, 2x_2 + x_1)$$
$$\nabla^2 f = \begin{pmatrix} 2 & -1 \\ -1 & 2 \end{pmatrix}$$
$$\frac{d}{dx} \tanh(3x) = 1 - \tanh^2(3x)$$
$$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$
$$\href{javascript:window.__injected=1}{x} = 1$$
$$x \foo = 1$$
The value $\sigma(0.38) = 0.41$ is wrong.
`;

function report(): CheckReport {
  const doc = checkDocument(MARKDOWN, { kind: "markdown" });
  const text = checkText("d/dx sigmoid(2x) = sigmoid(2x)*(1 - sigmoid(2x))");
  // author text that looks like HTML, in every field the page shows
  const hostile = {
    line: 99,
    claim: `<img src=x onerror="window.__injected = 1"> = 1`,
    verdict: "unknown" as const,
    reason: `<script>window.__injected = 1</script>`,
    expected: `</code><script>window.__injected = 1</script>`,
  };
  const steps = [...doc.steps, ...text.steps, hostile];
  return { valid: false, steps };
}

describe("derive check --format html in a browser", () => {
  it.skipIf(!hasChromium)(
    "renders every claim and expected expression with KaTeX: no error elements, console errors, outside requests or injected HTML",
    async () => {
      const r = report();
      expect(r.steps.map((s) => s.verdict)).toEqual(["valid", "invalid", "valid", "invalid", "unknown", "unknown", "unknown", "invalid", "invalid", "unknown"]);
      const dir = mkdtempSync(join(tmpdir(), "derive-check-html-"));
      const file = join(dir, "report.html");
      writeFileSync(file, checkReportHtml(r, "a1.md <b>bold</b>"));
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error") problems.push(`console error: ${m.text()}`);
        });
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        page.on("requestfailed", (q) => problems.push(`failed request: ${q.url()}`));
        const requested: string[] = [];
        page.on("request", (q) => requested.push(q.url()));
        await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
        await page.evaluate("document.fonts.ready.then(() => undefined)"); // a string: tsconfig has no DOM lib
        expect(problems).toEqual([]);
        expect(await page.locator(".math-error, .katex-error").count()).toBe(0);
        // the LaTeX claims KaTeX can render (7 of 8: \foo is shown as written); text claims are code
        expect(await page.locator("td.claim .katex").count()).toBe(7);
        expect(await page.locator("td.claim code").count()).toBe(3);
        expect(await page.locator("tr.invalid").count()).toBe(4);
        const colour = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
        expect(await colour("tr.invalid .verdict")).toBe("rgb(176, 0, 32)");
        expect(await colour("tr.valid .verdict")).toBe("rgb(23, 110, 44)");
        expect(await colour("tr.unknown .verdict")).toBe("rgb(138, 109, 0)");
        const gradient = page.locator("tr", { hasText: "component 2" });
        expect(await gradient.locator(".katex").count()).toBe(3); // claim, counterexample, expected pmatrix
        expect(await page.locator("h1").textContent()).toBe("derive check: a1.md <b>bold</b>");
        expect(await page.evaluate("window.__injected")).toBeUndefined();
        expect(await page.locator("script, img, a[href]").count()).toBe(0);
        expect(await page.locator("tr", { hasText: "line" }).count()).toBeGreaterThan(0);
        expect(requested.filter((u) => !u.startsWith("file://") && !u.startsWith("data:"))).toEqual([]);
        await page.screenshot({ path: join(dir, "report.png"), fullPage: true });
        expect(statSync(join(dir, "report.png")).size).toBeGreaterThan(10_000);
        await page.close();
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
