/**
 * Compiles a large Solidity build in several solc runs instead of one.
 *
 * The compiler is the WASM build of solc (the `solc` npm package), whose heap is capped at 2 GiB. A clean build of
 * every contract and every Solidity test in one standard-JSON run (Hardhat merges them into one job) needs more: solc
 * then fails with "Error writing output JSON." after generating all the code. Each run here parses and checks every
 * source, as before, but asks for the code of a part of them only (`outputSelection`); the runs' outputs are merged
 * into the one output Hardhat expects. AST and source ids do not depend on the selection (every run sees the same
 * sources), and bytecode does not either (the selection is not part of the metadata), so the merged output is what a
 * single run would have produced.
 *
 * A source with an error fails every run the same way (every run checks every source) before any code is generated,
 * so the merged output reports it once.
 *
 * The parts: every source outside `test/` goes with the first tests; test sources are grouped by their folder under
 * `test/solidity` (a folder too large is split between its files) and packed in order up to a size budget. A build
 * within the budget (the usual incremental build) is a single run, unchanged.
 */
import type { HardhatPlugin } from "hardhat/types/plugins";
import type { CompilerInput, CompilerOutput, CompilerOutputError } from "hardhat/types/solidity";

/**
 * Characters of test sources per solc run. The model's, security and settlement tests together (about 470,000) just
 * fit in one run and fail as soon as anything is added; a third of that leaves room to grow.
 */
export const SOLC_CHUNK_BUDGET_CHARS = 200_000;

const TEST_PREFIX = "project/test/";

/** The group of a source: its folder under `test/solidity` for a test, "" for everything else. */
export function sourceGroup(inputSourceName: string): string {
  if (!inputSourceName.startsWith(TEST_PREFIX)) return "";
  const parts = inputSourceName.split("/");
  // project/test/solidity/<folder>/File.sol → the folder; project/test/solidity/File.sol → test/solidity itself.
  return parts.slice(0, Math.min(parts.length - 1, 4)).join("/");
}

/**
 * Splits the source names into runs. The non-test sources all go to the first run and do not count against the
 * budget (every test deploys them, so their code is generated in every run anyway). Test sources are taken by
 * group in name order; a group larger than `budgetChars` is split between its files (in name order). A new run
 * starts whenever the next group, or part of a group, would take the run's test sources over `budgetChars`.
 */
export function planChunks(sources: Readonly<Record<string, { content: string }>>, budgetChars: number): string[][] {
  const sizeOf = (names: readonly string[]): number =>
    names.reduce((sum, name) => sum + (sources[name]?.content.length ?? 0), 0);
  const groups = new Map<string, string[]>();
  for (const name of Object.keys(sources).sort()) {
    const key = sourceGroup(name);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [name]);
    else list.push(name);
  }
  const base = groups.get("") ?? [];
  groups.delete("");

  // The units a run is made of: whole groups, or the files of a group too large for one run.
  const units: string[][] = [];
  for (const key of [...groups.keys()].sort()) {
    const names = groups.get(key)!;
    if (sizeOf(names) <= budgetChars) units.push(names);
    else units.push(...names.map((name) => [name]));
  }

  const chunks: string[][] = [];
  let current = [...base];
  let currentChars = 0;
  for (const unit of units) {
    const chars = sizeOf(unit);
    if (currentChars > 0 && currentChars + chars > budgetChars) {
      chunks.push(current);
      current = [];
      currentChars = 0;
    }
    current.push(...unit);
    currentChars += chars;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The input of one run: the same sources and settings, with the selection of `names` only. */
export function chunkInput(input: CompilerInput, names: readonly string[]): CompilerInput {
  const selectAll = input.settings.outputSelection["*"];
  if (selectAll === undefined) throw new Error("solc-chunks: expected an outputSelection for '*' (Hardhat's default)");
  const outputSelection: CompilerInput["settings"]["outputSelection"] = {};
  for (const name of names) outputSelection[name] = selectAll;
  return { ...input, settings: { ...input.settings, outputSelection } };
}

function errorKey(error: CompilerOutputError): string {
  return `${error.severity}\u0000${error.errorCode ?? ""}\u0000${error.formattedMessage ?? error.message}`;
}

/** Merges the runs' outputs: every contract once, each source's AST from the run that selected it, messages once. */
export function mergeOutputs(outputs: readonly CompilerOutput[]): CompilerOutput {
  const merged: CompilerOutput = { sources: {}, contracts: {}, errors: [] };
  const seen = new Set<string>();
  for (const output of outputs) {
    for (const error of output.errors ?? []) {
      const key = errorKey(error);
      if (seen.has(key)) continue;
      seen.add(key);
      merged.errors!.push(error);
    }
    for (const [name, source] of Object.entries(output.sources ?? {})) {
      const previous = merged.sources[name];
      if (previous === undefined || (previous.ast === undefined && source.ast !== undefined)) {
        merged.sources[name] = source;
      }
    }
    for (const [name, contracts] of Object.entries(output.contracts ?? {})) {
      merged.contracts![name] = { ...merged.contracts![name], ...contracts };
    }
  }
  return merged;
}

/** Hardhat plugin: runs each large compilation job as several solc runs (see the file's comment). */
const solcChunks: HardhatPlugin = {
  id: "alpha-markets-solc-chunks",
  hookHandlers: {
    solidity: () =>
      Promise.resolve({
        default: () =>
          Promise.resolve({
            async invokeSolc(context, compiler, solcInput, solcConfig, next) {
              const chunks = planChunks(solcInput.sources, SOLC_CHUNK_BUDGET_CHARS);
              if (chunks.length <= 1 || solcInput.settings.outputSelection["*"] === undefined) {
                return next(context, compiler, solcInput, solcConfig);
              }
              const outputs: CompilerOutput[] = [];
              for (const names of chunks) {
                outputs.push(await next(context, compiler, chunkInput(solcInput, names), solcConfig));
              }
              return mergeOutputs(outputs);
            },
          }),
      }),
  },
};

export default solcChunks;
