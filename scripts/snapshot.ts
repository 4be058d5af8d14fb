/**
 * Writes a snapshot (format v1, snapshots/README.md) of a live Bittensor EVM endpoint, read through the precompiles.
 *
 *   npm run snapshot -- --network bittensorMainnet --out snapshots/mainnet.json
 *   npm run snapshot -- --network localhost --out local.json          # a running node (npm start)
 *
 * The reads and their batching are scripts/lib/snapshot-reader.ts; what they become, scripts/lib/snapshot-export.ts.
 * The file is validated (`parseSnapshot`) before it is written, so `npm start -- --snapshot <file>` can seed from it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";

import {
  checkHttpUrl,
  CommandError,
  envValue,
  InputError,
  isMainModule,
  probeRpc,
  runCommand,
  type CommandSpec,
} from "./lib/cli.ts";
import { ExportError, exportSnapshot, makeExportClient, shortMessage } from "./lib/snapshot-reader.ts";

export const SNAPSHOT_NETWORKS = ["bittensorTestnet", "bittensorMainnet", "localhost"] as const;
const RPC_URL_VARIABLES: Record<string, string> = {
  bittensorTestnet: "BITTENSOR_TESTNET_RPC_URL",
  bittensorMainnet: "BITTENSOR_MAINNET_RPC_URL",
};

const USAGE = `Usage: npm run snapshot -- --network <name> --out <file> [--rpc-url <url>] [--max-netuid <n>]
                                          [--batch-size <n>]

Reads every subnet of a Bittensor EVM endpoint through the precompiles (Alpha 0x808, Subnet 0x803, Metagraph
0x802, StakingV2 0x805) at one block and writes a snapshot (snapshots/README.md) that npm start -- --snapshot
<file> seeds from. Reads are batched: through Multicall3 when the chain has it, and as JSON-RPC batches.

Options:
  --network <name>    bittensorTestnet, bittensorMainnet, or localhost (a running node: npm start)
  --out <file>        where the snapshot goes (its folder is created)
  --rpc-url <url>     read this endpoint instead of the network's (its chain id is still checked)
  --max-netuid <n>    probe netuids 1 to n for subnets (default 256)
  --batch-size <n>    calls per JSON-RPC batch, one HTTP request (default 1000)
  -h, --help          print this help

Environment: BITTENSOR_TESTNET_RPC_URL, BITTENSOR_MAINNET_RPC_URL (your own endpoint instead of the public one),
DEBUG=1 (stacks of unexpected errors).`;

const SNAPSHOT = {
  name: "npm run snapshot",
  usage: USAGE,
  options: {
    network: { type: "string" },
    out: { type: "string" },
    "rpc-url": { type: "string" },
    "max-netuid": { type: "string" },
    "batch-size": { type: "string" },
  },
} as const satisfies CommandSpec;

function wholeOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new InputError(`--${name} must be a whole number from ${min} to ${max}, got ${raw}`);
  }
  return n;
}

export interface SnapshotCommandOptions {
  network?: string;
  out?: string;
  rpcUrl?: string;
  maxNetuid?: string;
  batchSize?: string;
}

/** The command: the options checked, the endpoint probed (its chain id checked), the export, the file. */
export async function snapshotCommand(options: SnapshotCommandOptions): Promise<number> {
  const networkName = options.network;
  if (networkName === undefined) throw new InputError(`--network is required (${SNAPSHOT_NETWORKS.join(", ")})`);
  if (!(SNAPSHOT_NETWORKS as readonly string[]).includes(networkName)) {
    throw new InputError(`--network must be one of ${SNAPSHOT_NETWORKS.join(", ")}, got ${networkName}`);
  }
  if (options.out === undefined || options.out === "") throw new InputError("--out <file> is required");
  const maxNetuid = wholeOption("max-netuid", options.maxNetuid, 256, 1, 65_535);
  const batchSize = wholeOption("batch-size", options.batchSize, 1000, 1, 100_000);
  const variable = RPC_URL_VARIABLES[networkName];
  if (variable !== undefined) {
    const url = envValue(variable);
    if (url !== undefined) checkHttpUrl(variable, url);
  }
  const config = hre.config.networks[networkName];
  if (config === undefined || config.type !== "http") throw new InputError(`hardhat.config.ts has no ${networkName}`);
  const url = options.rpcUrl !== undefined ? checkHttpUrl("--rpc-url", options.rpcUrl) : await config.url.getUrl();

  const chainId = await probeRpc(`the network ${networkName}`, url);
  if (config.chainId !== undefined && config.chainId !== chainId) {
    throw new CommandError(
      `${url} is chain ${chainId}, but hardhat.config.ts says ${networkName} is chain ${config.chainId}`,
    );
  }
  let requests = 1; // the probe
  const client = makeExportClient(url, { batchSize, onRequest: () => requests++ });
  const started = Date.now();
  const log = (line: string) => console.log(line);
  let result;
  try {
    result = await exportSnapshot(client, { network: networkName, endpoint: url, maxNetuid, log });
  } catch (error) {
    if (error instanceof ExportError) {
      // A precompile address without code answers every call with nothing: not Bittensor, nor npm start's chain.
      const hint = /returned no data \("0x"\)/.test(error.message)
        ? `; nothing answers at the precompile addresses: ${url} is not a Bittensor EVM endpoint (nor npm start's chain)`
        : "";
      throw new CommandError(`${error.message}${hint}`, { cause: error.cause });
    }
    throw new CommandError(`reading ${networkName} at ${url} failed: ${shortMessage(error)}`, { cause: error });
  }
  const out = path.resolve(options.out);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result.json, null, 2)}\n`);
  const neurons = result.snapshot.subnets.reduce((sum, s) => sum + s.neurons.length, 0);
  console.log(
    `Wrote ${path.relative(process.cwd(), out) || out}: ${result.snapshot.subnets.length} subnets, ${neurons} ` +
      `neurons at block ${result.blockNumber}; ${result.reads} reads in ${requests} RPC requests, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

if (isMainModule(import.meta.url)) {
  await runCommand(SNAPSHOT, ({ values }) =>
    snapshotCommand({
      network: values.network,
      out: values.out,
      rpcUrl: values["rpc-url"],
      maxNetuid: values["max-netuid"],
      batchSize: values["batch-size"],
    }),
  );
}
