import { describe, expect, it } from "vitest";
import { sheetMarkdown } from "../../src/sheet/source.js";

describe("sheet prose", () => {
  it("keeps exercise parts (a), (b), (c) as written, with typographic quotes", () => {
    const html = sheetMarkdown().render('**(a)** x, **(c)** y, "quoted"');
    expect(html).toContain("(c)");
    expect(html).not.toContain("©");
    expect(html).toContain("“quoted”");
  });
});
