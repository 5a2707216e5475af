/**
 * Opens every built sheet (solutions and exercises) in a real browser: Debian's Chromium, driven by
 * playwright-core. Each page must render without KaTeX, math or chunk errors, without console
 * errors, and without failed requests (the KaTeX CSS and fonts load from out/assets/). A screenshot
 * of each page is saved beside it. Skipped when /usr/bin/chromium is missing (.ci/run installs it).
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { buildSheets } from "../../src/sheet/index.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe("sheets in a browser", () => {
  it.skipIf(!hasChromium)(
    "every page renders without errors, console errors or failed requests (skipped without /usr/bin/chromium)",
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), "derive-browser-")), "out");
      const built = buildSheets("derivations", { outDir: out, modes: ["solutions", "exercises"], formats: ["html"] });
      expect(built.errors).toEqual([]);
      const pages = built.written.filter((f) => f.endsWith(".html"));
      expect(pages.length).toBeGreaterThanOrEqual(2);

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
      let figureCount = 0;
      try {
        for (const file of pages) {
          const page = await browser.newPage();
          const problems: string[] = [];
          page.on("console", (m) => {
            if (m.type() === "error") problems.push(`console error: ${m.text()}`);
          });
          page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
          page.on("requestfailed", (r) => problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
          page.on("response", (r) => {
            if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
          });
          const requested: string[] = [];
          page.on("request", (r) => requested.push(r.url()));
          await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
          await page.evaluate("document.fonts.ready.then(() => undefined)"); // a string: tsconfig has no DOM lib
          const errors = await page.locator(".katex-error, .math-error, .derive-error").count();
          const rendered = await page.locator(".katex").count();
          // each figure's SVG, re-read by the browser's XML parser, is well-formed, and it is drawn at a readable size
          const figures = (await page.evaluate(`[...document.querySelectorAll("figure.derive-figure svg")].map((svg) => ({
            xml: new DOMParser().parseFromString(new XMLSerializer().serializeToString(svg), "image/svg+xml").getElementsByTagName("parsererror").length === 0,
            width: svg.getBoundingClientRect().width,
            texts: svg.querySelectorAll("text").length,
          }))`)) as Array<{ xml: boolean; width: number; texts: number }>;
          figureCount += figures.length;
          for (const fig of figures) {
            expect(fig.xml, `${file}: figure SVG is well-formed`).toBe(true);
            expect(fig.width, `${file}: figure width`).toBeGreaterThan(300);
            expect(fig.texts, `${file}: figure labels`).toBeGreaterThan(5);
          }
          const shot = file.replace(/\.html$/, ".png");
          await page.screenshot({ path: shot, fullPage: true });
          await page.close();
          expect({ file, errors, problems }).toEqual({ file, errors: 0, problems: [] });
          expect(rendered, `${file}: KaTeX math on the page`).toBeGreaterThan(0);
          // everything the page loads is local (the copied KaTeX CSS and fonts)
          expect(requested.filter((u) => !u.startsWith("file://")), file).toEqual([]);
          expect(requested.some((u) => u.endsWith("katex.min.css")), `${file}: KaTeX CSS requested`).toBe(true);
          expect(requested.some((u) => /\/fonts\/KaTeX_[\w-]+\.woff2$/.test(u)), `${file}: KaTeX fonts requested`).toBe(true);
          expect(statSync(shot).size).toBeGreaterThan(10_000);
        }
        // sheets A, B and C have figures
        expect(figureCount).toBeGreaterThan(0);
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
