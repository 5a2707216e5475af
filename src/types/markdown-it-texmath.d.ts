declare module "markdown-it-texmath" {
  import type { MarkdownIt } from "markdown-it";
  interface TexmathOptions {
    engine: { renderToString(tex: string, options: Record<string, unknown>): string };
    delimiters?: string | string[];
    katexOptions?: Record<string, unknown>;
    outerSpace?: boolean;
  }
  const texmath: (md: MarkdownIt, options: TexmathOptions) => void;
  export default texmath;
}
