#!/usr/bin/env node
// Structure limits of web/src (issue 11), checked by `npm run lint`:
//   - no module over MAX_MODULE_LINES lines (generated *.gen.ts excepted), no function over MAX_FUNCTION_LINES lines
//     (functions, methods, arrow functions and components alike, nested ones counted apart);
//   - roomPage under MAX_ROOM_PAGE_LINES lines (the room's composition root stays small);
//   - no import cycle between modules (static and dynamic imports, type-only ones excluded).
// Uses the TypeScript compiler's parser (already a dev dependency): runs offline.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const MAX_MODULE_LINES = 400;
const MAX_FUNCTION_LINES = 120;
const MAX_ROOM_PAGE_LINES = 250;
const ROOM_PAGE = "features/room/roomPage.tsx";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");
const EXTENSIONS = [".ts", ".tsx"];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function lineCount(text) {
  return text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
}

function functionName(node, source) {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return "(anonymous)";
}

let longest = { where: "", lines: 0 };

function longFunctions(file, source) {
  const problems = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > longest.lines && !file.endsWith(".test.ts")) longest = { where: `${file}:${start + 1} ${functionName(node, source)}`, lines };
      if (lines > MAX_FUNCTION_LINES) {
        problems.push(`${file}:${start + 1}: function ${functionName(node, source)} has ${lines} lines (at most ${MAX_FUNCTION_LINES})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

/** The project modules a file imports at run time (import type and export type excluded). */
function imports(path, source) {
  const found = [];
  const add = (specifier) => {
    if (!specifier.startsWith(".")) return;
    const base = resolve(dirname(path), specifier);
    const target = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => join(base, "index" + ext))].find((candidate) =>
      EXTENSIONS.some((ext) => candidate.endsWith(ext)) && files.has(candidate),
    );
    if (target) found.push(target);
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const named = node.importClause?.namedBindings;
      const onlyTypes =
        named && ts.isNamedImports(named) && !node.importClause.name && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) add(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      add(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import cycle (Tarjan's strongly connected components with more than one module, or a self-import). */
function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (v) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), indices.get(w)));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return found;
}

const files = new Set(sourceFiles(SRC));
const problems = [];
const graph = new Map();
let largest = { file: "", lines: 0 };
for (const path of [...files].sort()) {
  const file = relative(SRC, path);
  const text = readFileSync(path, "utf8");
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = lineCount(text);
  if (lines > largest.lines) largest = { file, lines };
  // Generated modules (*.gen.ts: the protocol and the inventory, from their one source) are data,
  // not code a person edits: their length follows the protocol.
  if (lines > MAX_MODULE_LINES && !file.endsWith(".gen.ts")) problems.push(`${file}: ${lines} lines (at most ${MAX_MODULE_LINES})`);
  if (file === ROOM_PAGE && lines >= MAX_ROOM_PAGE_LINES) problems.push(`${file}: ${lines} lines (under ${MAX_ROOM_PAGE_LINES})`);
  problems.push(...longFunctions(file, source));
  graph.set(path, imports(path, source));
}
for (const component of cycles(graph)) {
  problems.push(`import cycle: ${component.map((p) => relative(SRC, p)).sort().join(" <-> ")}`);
}
if (!files.has(join(SRC, ROOM_PAGE))) problems.push(`${ROOM_PAGE} is missing`);

if (problems.length) {
  console.error(`web/src structure: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `web/src structure: ${files.size} modules, no import cycle, largest module ${largest.file} (${largest.lines} lines), ` +
    `longest function outside the tests ${longest.where} (${longest.lines} lines)`,
);
