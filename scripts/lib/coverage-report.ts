/**
 * Line and branch coverage per contract from a `hardhat test --coverage` run.
 *
 * Lines come from Hardhat's `coverage/lcov.info`. Branches are not reported by Hardhat (its instrumentation records
 * statements only), so they are derived here from the same statement hits: a branch is one outcome of an `if`
 *   - taken: the true body ran;
 *   - not taken: the else body ran, or, without an else, the `if` ran more often than its true body (so at least once
 *     the condition was false). The counts are per test run and per transaction, not per evaluation, so an `if` that
 *     is only ever false within a call that also makes it true is not seen as false: the figure errs low, never high.
 * Ternaries and short-circuit operators are not statements and are not counted.
 *
 * Pure functions, no I/O: `scripts/coverage.ts` reads the files and prints.
 */
import { createRequire } from "node:module";

import { addStatementCoverageInstrumentation } from "@nomicfoundation/edr";

export interface LcovFile {
  linesFound: number;
  linesHit: number;
}

/** Per source file of an lcov report: instrumented lines and lines with a hit (LF and LH). */
export function parseLcov(text: string): Map<string, LcovFile> {
  const files = new Map<string, LcovFile>();
  let current: string | undefined;
  let found = 0;
  let hit = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) [current, found, hit] = [line.slice(3), 0, 0];
    else if (line.startsWith("LF:")) found = Number(line.slice(3));
    else if (line.startsWith("LH:")) hit = Number(line.slice(3));
    else if (line === "end_of_record" && current !== undefined) {
      files.set(current, { linesFound: found, linesHit: hit });
      current = undefined;
    }
  }
  return files;
}

/** A statement Hardhat instruments: its tag and its range in UTF-16 code units. */
interface Statement {
  tag: string;
  start: number;
  end: number;
}

/** Hardhat's statement instrumentation of a project file, whose source name is `project/<path>`. */
export function instrumentedStatements(source: string, relativePath: string, solcVersion: string): Statement[] {
  const { metadata } = addStatementCoverageInstrumentation(source, `project/${relativePath}`, solcVersion);
  return metadata
    .filter((m) => m.kind === "statement")
    .map((m) => ({ tag: Buffer.from(m.tag).toString("hex"), start: m.startUtf16, end: m.endUtf16 }));
}

interface AstNode {
  nodeType?: string;
  src?: string;
  trueBody?: AstNode;
  falseBody?: AstNode | null;
  [key: string]: unknown;
}

/** The `if` statements of a source, parsed by solc (parsing only: imports need not resolve). */
export function ifStatements(source: string): AstNode[] {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "source.sol": { content: source } },
        settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
      }),
    ),
  ) as { errors?: { severity: string; formattedMessage: string }[]; sources?: Record<string, { ast: AstNode }> };
  const error = output.errors?.find((e) => e.severity === "error");
  if (error !== undefined) throw new Error(`solc could not parse the source: ${error.formattedMessage}`);
  const found: AstNode[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== "object") return;
    if ((node as AstNode).nodeType === "IfStatement") found.push(node as AstNode);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else walk(value);
    }
  };
  walk(output.sources?.["source.sol"]?.ast);
  return found;
}

/** Maps solc's byte offsets to UTF-16 offsets (the sources hold non-ASCII characters in comments). */
function utf16Offsets(source: string): (byteOffset: number) => number {
  const table = new Map<number, number>();
  let bytes = 0;
  let units = 0;
  for (const char of source) {
    table.set(bytes, units);
    bytes += Buffer.byteLength(char, "utf8");
    units += char.length;
  }
  table.set(bytes, units);
  return (byteOffset) => {
    const offset = table.get(byteOffset);
    if (offset === undefined) throw new Error(`byte offset ${byteOffset} is inside a character`);
    return offset;
  };
}

export interface Branch {
  /** 1-based line of the `if`. */
  line: number;
  outcome: "true" | "false";
  hit: boolean;
}

export interface BranchCoverage {
  branches: Branch[];
  /** `if`s whose bodies have no statement of their own to observe (counted in neither figure). */
  unmeasurable: number;
}

/**
 * Both outcomes of every `if` of a source, from the statement hits of a coverage run (tag → count).
 */
export function branchCoverage(
  source: string,
  statements: readonly Statement[],
  hits: ReadonlyMap<string, number>,
): BranchCoverage {
  const toUtf16 = utf16Offsets(source);
  const range = (node: AstNode) => {
    const [start, length] = (node.src ?? "").split(":").map(Number);
    if (start === undefined || length === undefined) throw new Error("an AST node without a source range");
    return { start: toUtf16(start), end: toUtf16(start + length) };
  };
  /** The smallest instrumented statement around a node: its own statement. */
  const statementOf = (node: AstNode) => {
    const { start, end } = range(node);
    let best: Statement | undefined;
    for (const s of statements) {
      if (s.start <= start && s.end >= end && (best === undefined || s.end - s.start < best.end - best.start)) best = s;
    }
    return best;
  };
  const count = (s: Statement) => hits.get(s.tag) ?? 0;
  const lineOf = (utf16Offset: number) => source.slice(0, utf16Offset).split("\n").length;

  const branches: Branch[] = [];
  let unmeasurable = 0;
  for (const ifNode of ifStatements(source)) {
    const own = statementOf(ifNode);
    const trueBody = ifNode.trueBody === undefined ? undefined : statementOf(ifNode.trueBody);
    const falseBody = ifNode.falseBody ? statementOf(ifNode.falseBody) : undefined;
    const distinct = (s: Statement | undefined) => s !== undefined && own !== undefined && s !== own;
    if (own === undefined || !distinct(trueBody) || (ifNode.falseBody && !distinct(falseBody))) {
      unmeasurable += 1;
      continue;
    }
    const line = lineOf(range(ifNode).start);
    branches.push({ line, outcome: "true", hit: count(trueBody!) > 0 });
    const falseHit = falseBody !== undefined ? count(falseBody) > 0 : count(own) > count(trueBody!);
    branches.push({ line, outcome: "false", hit: falseHit });
  }
  return { branches, unmeasurable };
}

export interface FileCoverage {
  file: string;
  linesFound: number;
  linesHit: number;
  branchesFound: number;
  branchesHit: number;
  unmeasurable: number;
  missedBranchLines: number[];
}

const percent = (hit: number, found: number) => (found === 0 ? "-" : `${((100 * hit) / found).toFixed(2)} %`);

/** The table `npm run coverage` prints: one row per file and a total. */
export function formatCoverageTable(rows: readonly FileCoverage[]): string {
  const header = ["File", "Lines", "", "Branches", "", "Branches missed at lines"];
  const body = rows.map((r) => [
    r.file,
    percent(r.linesHit, r.linesFound),
    `${r.linesHit}/${r.linesFound}`,
    percent(r.branchesHit, r.branchesFound),
    `${r.branchesHit}/${r.branchesFound}`,
    [...new Set(r.missedBranchLines)].join(", ").slice(0, 60) || "-",
  ]);
  const sum = (key: keyof FileCoverage) => rows.reduce((total, r) => total + (r[key] as number), 0);
  const total = [
    "Total",
    percent(sum("linesHit"), sum("linesFound")),
    `${sum("linesHit")}/${sum("linesFound")}`,
    percent(sum("branchesHit"), sum("branchesFound")),
    `${sum("branchesHit")}/${sum("branchesFound")}`,
    "",
  ];
  const table = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [format(header), rule, ...body.map(format), rule, format(total)].join("\n");
}
