import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

/** Budget for the JavaScript a first visit downloads before anything is lazy-loaded. */
const INITIAL_JS_BUDGET_BYTES = 60 * 1024;

interface ChunkInfo {
  type: "chunk" | "asset";
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/**
 * Prints the gzipped size of the initial JavaScript (the entry chunk and everything it imports
 * statically) and fails the build when it exceeds the budget. Lazy chunks are listed apart.
 */
function initialJsReport(): Plugin {
  return {
    name: "avmeets-initial-js-report",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const item of Object.values(bundle) as ChunkInfo[]) {
        if (item.type === "chunk") chunks.set(item.fileName, item);
      }
      const initial = new Set<string>();
      const visit = (name: string): void => {
        if (initial.has(name)) return;
        const chunk = chunks.get(name);
        if (!chunk) return;
        initial.add(name);
        for (const imported of chunk.imports ?? []) visit(imported);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const gz = (name: string): number => gzipSync(chunks.get(name)?.code ?? "", { level: 9 }).length;
      const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
      let total = 0;
      const lines: string[] = [];
      for (const name of [...initial].sort()) {
        const size = gz(name);
        total += size;
        lines.push(`    ${name}  ${kib(size)} gzip`);
      }
      const lazy = [...chunks.keys()].filter((n) => !initial.has(n)).sort();
      const lazyLines = lazy.map((n) => `    ${n}  ${kib(gz(n))} gzip`);
      const verdict = total <= INITIAL_JS_BUDGET_BYTES ? "within" : "OVER";
      this.info(
        [
          "",
          `initial JS: ${kib(total)} gzipped (${verdict} the ${kib(INITIAL_JS_BUDGET_BYTES)} budget)`,
          ...lines,
          "lazy-loaded chunks:",
          ...lazyLines,
        ].join("\n"),
      );
      // Also on stdout, so that it shows even where the build logger is quiet.
      console.log(`AVMEETS_INITIAL_JS_GZIP_BYTES=${total}`);
      if (total > INITIAL_JS_BUDGET_BYTES) {
        this.error(`initial JS is ${kib(total)} gzipped, over the ${kib(INITIAL_JS_BUDGET_BYTES)} budget`);
      }
    },
  };
}

export default defineConfig({
  appType: "spa",
  plugins: [initialJsReport()],
  // Components are Preact function components written in TSX (features/**).
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Maps are written for local debugging but not referenced from the bundles, and
    // firebase.json's hosting "ignore" keeps them out of the deploy: no public source.
    sourcemap: "hidden",
    chunkSizeWarningLimit: 600,
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
});
