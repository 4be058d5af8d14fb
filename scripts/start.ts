/**
 * `npm start`: the whole project on a local chain, nothing to configure.
 *
 * A small orchestrator that runs its steps in order, then keeps the economy moving until Ctrl-C:
 *   compile → node (hardhat node on 127.0.0.1:8545) → deploy (Ignition, ignition/parameters/local.json)
 *   → export (deployments/31337.json) → keepers (the three EpochSettlement keepers of local.json) → seed (subnets,
 *   neurons, stake, weights, a history settled by the keepers) → liquid staking (the precompile adapters, also at
 *   Bittensor's addresses; the vault factory and router; a vault per seeded validator and user positions through
 *   the router; added to deployments/31337.json) → funds (the FundFactory and its three implementations; a demo
 *   mining fund with investors and staked capital, an allocator fund and the subnet index, listed in
 *   deployments/31337.json) → dApp → live loop (activity, and the keepers settling every
 *   subnet's epochs on their own).
 *
 * Options and environment: see USAGE below (`npm start -- --help`). Every variable is checked before anything
 * starts; a mistake is one line naming it (scripts/lib/cli.ts).
 *
 * Run with the project's Node (npm start does that): `node scripts/start.ts [--once] [--no-seed]`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { buildDapp, serveDapp, type ServedDapp } from "../frontend/scripts/dapp.ts";
import {
  CONTRACT_NAMES,
  exportDeployments,
  MODULE_CONTRACTS,
  ignitionDeploymentDir,
  PROJECT_ROOT,
  type DeploymentsFile,
} from "./export-deployments.ts";
import {
  CommandError,
  describeIntegerRule,
  envFlag,
  envInteger,
  envValue,
  InputError,
  reportError,
  runCommand,
  UsageError,
  type ParsedCommandLine,
} from "./lib/cli.ts";
import type { Economy } from "./lib/economy.ts";
import { BLOCK_INTERVAL_RULE, blockIntervalMs } from "./lib/env.ts";
import { createActivity, formatStatus, marketsTable, readStatus, type Activity } from "./lib/activity.ts";
import {
  createLocalKeepers,
  fundLocalKeepers,
  keeperLogPrinter,
  type KeeperLogPrinter,
  type LocalKeepers,
} from "./lib/local-keepers.ts";
import {
  createVaults,
  deployLiquidStaking,
  liquidDeploymentEntries,
  seedLiquidPositions,
  type LiquidStaking,
} from "./lib/liquid.ts";
import {
  deployFundFactory,
  type CreatedFund,
  type DemoFunds,
  type DemoSubnet,
  fundDeploymentEntries,
  type FundContracts,
  seedDemoFunds,
} from "./lib/funds.ts";
import { installPrecompiles, type InstalledPrecompiles } from "./lib/precompiles.ts";
import { seedFromSnapshot } from "./lib/genesis.ts";
import { HARDHAT_MNEMONIC, type World } from "./lib/seed.ts";
import {
  DEFAULT_SNAPSHOT_FILE,
  readSnapshotFile,
  snapshotSeed,
  SnapshotError,
  type SnapshotSeed,
} from "./lib/snapshot.ts";

/* OPTIONS */

interface Options {
  seed: boolean;
  once: boolean;
  host: string;
  port: number;
  blockIntervalMs: number;
  nodeLog: string;
  nodeStartTimeoutMs: number;
  deploymentId?: string;
  outDir?: string;
  waitStdin: boolean;
  waitStdinMs: number;
  dapp: boolean;
  dappPort: number;
  /** Run the keepers' own loops after the seed (the seed's history is settled by them either way). */
  keepers: boolean;
  /** The snapshot the seed starts from, read and validated before anything starts (snapshots/default.json). */
  snapshot: { file: string; plan: SnapshotSeed };
}

const USAGE = `Usage: npm start [-- <options>]

Runs the whole project on a local chain: compile, hardhat node, deploy (Ignition), export
deployments/31337.json, start the three local keepers, seed a living economy (its history settled
by the keepers on EpochSettlement), deploy liquid staking (precompile adapters at Bittensor's
addresses, vaults, router) with user positions, launch three demo funds (a mining fund, an allocator
and the subnet index), then keep it moving and settling epochs until Ctrl-C.

Options:
  --once        run every step, then stop the node and exit 0 (a smoke run); or START_ONCE=1
  --no-seed     deploy only (the model, the adapters, the vault factory, the router and the
                fund factory), no subnets, vaults, funds or activity; or SEED=0
  --no-dapp     do not build and serve the dApp; or DAPP=0
  --no-keepers  once seeded, leave the epochs to others (the keepers still settle the seed's
                history); or KEEPERS=0
  --snapshot <file>
                seed the subnets of this snapshot (format: snapshots/README.md; one with
                "mode": "exact", as npm run snapshot writes, is imported as the chain's
                genesis) instead of snapshots/default.json; or SNAPSHOT=<file>
  -h, --help    print this help

Environment:
  RPC_HOST=127.0.0.1             where the node listens
  RPC_PORT=8545                  its port, from 1 to 65535
  BLOCK_INTERVAL_MS=2000         a block every N ms (${describeIntegerRule(BLOCK_INTERVAL_RULE)}); transactions also mine one
  NODE_LOG=<file>                the node's output (default <tmp>/alpha-markets-node-<port>.log)
  NODE_START_TIMEOUT_MS=60000    how long to wait for the node's RPC, ≥ 1000 ms
  DEPLOYMENTS_DIR=deployments    where <chainId>.json is written
  IGNITION_DEPLOYMENT_ID=chain-31337   Ignition's deployment folder (a letter, then letters, digits, _ or -)
  START_ONCE_WAIT_STDIN=1        in once-mode, keep the node up until stdin closes (for tests)
  START_ONCE_WAIT_MS=120000      …but at most this long, ≥ 1000 ms
  DAPP_PORT=5173                 where the dApp is served (the next free port if taken), from 1 to 65535
  DEBUG=1                        print the stack of an unexpected error`;

const START = {
  name: "npm start",
  usage: USAGE,
  options: {
    once: { type: "boolean" },
    seed: { type: "boolean" },
    "no-seed": { type: "boolean" },
    dapp: { type: "boolean" },
    "no-dapp": { type: "boolean" },
    keepers: { type: "boolean" },
    "no-keepers": { type: "boolean" },
    snapshot: { type: "string" },
  },
} as const;

/** The options from the command line and the environment, all checked before anything starts. */
function readOptions({ values }: ParsedCommandLine<typeof START.options>): Options {
  if (values.seed && values["no-seed"]) throw new UsageError("--seed and --no-seed contradict each other");
  if (values.keepers && values["no-keepers"]) throw new UsageError("--keepers and --no-keepers contradict each other");
  const port = envInteger("RPC_PORT", { default: 8545, min: 1, max: 65535 });
  const deploymentId = envValue("IGNITION_DEPLOYMENT_ID");
  if (deploymentId !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(deploymentId)) {
    throw new InputError(
      `IGNITION_DEPLOYMENT_ID must start with a letter and hold only letters, digits, _ and -, got ${deploymentId}`,
    );
  }
  const snapshotFile = values.snapshot ?? envValue("SNAPSHOT") ?? DEFAULT_SNAPSHOT_FILE;
  let snapshot: Options["snapshot"];
  try {
    snapshot = { file: snapshotFile, plan: snapshotSeed(readSnapshotFile(snapshotFile)) };
  } catch (error) {
    // A bad snapshot is a bad option value: one line naming the file and the field (exit 2).
    if (error instanceof SnapshotError) throw new InputError(`snapshot ${error.message}`);
    throw error;
  }
  return {
    seed: values["no-seed"] ? false : (values.seed ?? envFlag("SEED") ?? true),
    once: values.once ?? envFlag("START_ONCE") ?? false,
    host: envValue("RPC_HOST") ?? "127.0.0.1",
    port,
    // hardhat.config.ts reads the same variable, with the same rule, for the node's interval mining.
    blockIntervalMs: blockIntervalMs(),
    nodeLog: envValue("NODE_LOG") ?? path.join(os.tmpdir(), `alpha-markets-node-${port}.log`),
    nodeStartTimeoutMs: envInteger("NODE_START_TIMEOUT_MS", { default: 60_000, min: 1000, unit: "ms" }),
    deploymentId,
    outDir: envValue("DEPLOYMENTS_DIR"),
    waitStdin: envFlag("START_ONCE_WAIT_STDIN") ?? false,
    waitStdinMs: envInteger("START_ONCE_WAIT_MS", { default: 120_000, min: 1000, unit: "ms" }),
    dapp: values["no-dapp"] ? false : (values.dapp ?? envFlag("DAPP") ?? true),
    dappPort: envInteger("DAPP_PORT", { default: 5173, min: 1, max: 65535 }),
    keepers: values["no-keepers"] ? false : (values.keepers ?? envFlag("KEEPERS") ?? true),
    snapshot,
  };
}

/**
 * Hardhat, loaded once the options are checked: importing it evaluates hardhat.config.ts and its plugins, which a
 * mistyped option should not have to wait for.
 */
let hre: HardhatRuntimeEnvironment;

/* OUTPUT */

const t0 = Date.now();
function log(scope: string, line: string): void {
  const seconds = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`${seconds}s [${scope}] ${line}`);
}

/* THE NODE */

interface NodeHandle {
  pid: number;
  url: string;
  chainId: number;
  logFile: string;
  /** Resolves when the node process exits, whoever stopped it. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

async function rpc<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 1000): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result as T;
}

/** Fails with a clear message when something already listens on host:port. */
async function assertPortFree(host: string, port: number): Promise<void> {
  const inUse = await new Promise<boolean>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(true);
      else if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
        reject(new CommandError(`RPC_HOST=${host} cannot be resolved to an address of this machine`));
      } else if (error.code === "EADDRNOTAVAIL") {
        reject(new CommandError(`RPC_HOST=${host} is not an address of this machine; use 127.0.0.1 or 0.0.0.0`));
      } else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
  if (!inUse) return;
  let what = "another program";
  try {
    const chainId = Number(await rpc<string>(`http://${host}:${port}`, "eth_chainId"));
    what = `a JSON-RPC node (chain ${chainId}) — probably another \`npm start\` or \`npx hardhat node\``;
  } catch {
    // not an RPC server
  }
  throw new CommandError(
    `Port ${port} on ${host} is already in use by ${what}. Stop it, or run on another port: RPC_PORT=8546 npm start`,
  );
}

async function startNode(options: Options): Promise<NodeHandle> {
  const { host, port } = options;
  await assertPortFree(host, port);
  const url = `http://${host}:${port}`;
  const hardhatPackage = createRequire(import.meta.url).resolve("hardhat/package.json");
  const cli = path.join(path.dirname(hardhatPackage), "dist", "src", "cli.js");

  mkdirSync(path.dirname(options.nodeLog), { recursive: true });
  const logStream = createWriteStream(options.nodeLog);
  const tail: string[] = [];
  // Its own process group (detached), so that stopping it stops everything it started.
  const child: ChildProcess = spawn(process.execPath, [cli, "node", "--hostname", host, "--port", String(port)], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, BLOCK_INTERVAL_MS: String(options.blockIntervalMs) },
  });
  const pid = child.pid;
  if (pid === undefined) throw new CommandError(`could not start the node (${process.execPath} ${cli} node)`);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      logStream.write(chunk);
      tail.push(...chunk.toString().split("\n").filter(Boolean));
      if (tail.length > 30) tail.splice(0, tail.length - 30);
    });
  }
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  // Last resort if this process ends without a clean shutdown.
  process.once("exit", () => {
    if (!exited) killGroup("SIGKILL");
  });
  const stop = async () => {
    if (!exited) {
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    }
    killGroup("SIGKILL"); // anything the node left in its group
    logStream.end();
  };

  const deadline = Date.now() + options.nodeStartTimeoutMs;
  for (;;) {
    if (exited) {
      throw new CommandError(
        `the node exited (${exited.signal ?? `code ${exited.code}`}) before answering on ${url}:\n  ` +
          tail.join("\n  "),
      );
    }
    try {
      const chainId = Number(await rpc<string>(url, "eth_chainId"));
      return { pid, url, chainId, logFile: options.nodeLog, exited: exit, stop };
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new CommandError(
        `the node did not answer on ${url} within ${options.nodeStartTimeoutMs / 1000} s ` +
          `(see ${options.nodeLog}; NODE_START_TIMEOUT_MS raises the limit):\n  ${tail.join("\n  ")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/* STEPS */

/** Users (the first of the seeded ones) who allocate TAO across the vaults through the router. */
const LIQUID_DEPOSITORS = 6;

interface Context {
  options: Options;
  node?: NodeHandle;
  connection?: NetworkConnection;
  economy?: Economy;
  deployment?: { file: string; data: DeploymentsFile };
  keepers?: LocalKeepers;
  keeperLog?: KeeperLogPrinter;
  keeperPollMs?: number;
  world?: World;
  precompiles?: InstalledPrecompiles;
  liquid?: LiquidStaking;
  /** Vault of each seeded validator on each of its subnets (the liquid step's positions, in order). */
  vaults?: { netuid: number; hotkey: `0x${string}`; vault: `0x${string}` }[];
  funds?: FundContracts;
  demoFunds?: DemoFunds;
  dapp?: ServedDapp;
}

interface Step {
  name: string;
  /** Why the step is skipped, if it is. */
  skip?: (ctx: Context) => string | undefined;
  run: (ctx: Context) => Promise<void>;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} is not ready`);
  return value;
}

const steps: Step[] = [
  {
    name: "compile",
    async run() {
      log("compile", "compiling the contracts (the first run takes about half a minute)");
      // Only the contracts: Solidity tests are not needed to run the chain (and compile slowly with viaIR).
      await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
      log("compile", "contracts compiled");
    },
  },
  {
    name: "node",
    async run(ctx) {
      const { options } = ctx;
      log(
        "node",
        `starting hardhat node on ${options.host}:${options.port} (a block every ${options.blockIntervalMs} ms)`,
      );
      ctx.node = await startNode(options);
      log(
        "node",
        `node pid ${ctx.node.pid} answers on ${ctx.node.url} (chain ${ctx.node.chainId}); log: ${ctx.node.logFile}`,
      );
      ctx.connection = await hre.network.create({ network: "localhost", override: { url: ctx.node.url } });
      const node = ctx.node;
      void node.exited.then(() => {
        if (!shuttingDown) void shutdown(1, `the node exited unexpectedly; see ${node.logFile}`);
      });
    },
  },
  {
    name: "deploy",
    async run(ctx) {
      const connection = need(ctx.connection, "the connection");
      log("deploy", "deploying SubnetEconomy through Ignition (ignition/parameters/local.json)");
      const { deployAndExport } = await import("./deploy.ts");
      const result = await deployAndExport(connection, {
        parametersName: "local",
        deploymentId: ctx.options.deploymentId,
        fresh: true, // the node starts from block 0 every time: older Ignition state is meaningless
        outDir: ctx.options.outDir,
        extra: { rpcUrl: need(ctx.node, "the node").url, blockIntervalMs: ctx.options.blockIntervalMs },
      });
      ctx.economy = result.economy;
      if (result.file && result.data) ctx.deployment = { file: result.file, data: result.data };
      const d = need(ctx.deployment, "the deployments file");
      for (const name of CONTRACT_NAMES) {
        log(
          "deploy",
          `${name.padEnd(19)} ${d.data.contracts[name].address} (block ${d.data.contracts[name].startBlock})`,
        );
      }
      log("export", `wrote ${path.relative(process.cwd(), d.file)}`);
    },
  },
  {
    name: "keepers",
    async run(ctx) {
      const node = need(ctx.node, "the node");
      const deployment = need(ctx.deployment, "the deployments file");
      const { http } = await import("viem");
      const { addressesFromDeployment } = await import("../keeper/chain/contracts.ts");
      // One line per settled epoch once the economy runs (the seed reports its history by round); every warning.
      const printer = keeperLogPrinter(
        (line) => log("keeper", line),
        (netuid) =>
          [...(ctx.world?.subnets ?? []), ...(ctx.world?.passive ?? [])].find((s) => s.netuid === netuid)?.name,
      );
      printer.showSettled = false;
      ctx.keeperLog = printer;
      // Each keeper looks for work about twice per nominal epoch (tempo × block interval). Every transaction mines a
      // block here, so keepers looking as soon as an epoch is due would settle epochs as fast as the machine mines
      // their own transactions, and chain time would race ahead of the clock.
      const { tempo } = await need(ctx.economy, "the contracts").registry.read.defaultHyperparameters();
      ctx.keeperPollMs = Math.max(1000, Math.round((tempo * ctx.options.blockIntervalMs) / 2));
      ctx.keepers = await createLocalKeepers({
        transport: http(node.url, { batch: true }),
        chainId: node.chainId,
        addresses: addressesFromDeployment(deployment.data),
        log: printer.logger,
        pollIntervalMs: ctx.keeperPollMs,
        graceMs: ctx.keeperPollMs * 2,
      });
      await fundLocalKeepers(need(ctx.connection, "the connection"), ctx.keepers);
      log(
        "keeper",
        `${ctx.keepers.addresses.length} keepers registered on EpochSettlement ` +
          `${deployment.data.contracts.EpochSettlement.address} (quorum ${ctx.keepers.quorum}): ` +
          ctx.keepers.addresses.join(", "),
      );
    },
  },
  {
    name: "seed",
    skip: (ctx) => (ctx.options.seed ? undefined : "--no-seed / SEED=0"),
    async run(ctx) {
      const { snapshot } = ctx.options;
      const { plan } = snapshot;
      const prices = plan.subnets.map((s) => `${s.name} ${s.price} τ/α`);
      log(
        "seed",
        `seeding ${plan.subnets.length} subnets from ${path.relative(process.cwd(), snapshot.file)} ` +
          `${plan.mode === "exact" ? "exactly, as its genesis" : "through a history"} (${prices.join(", ")})`,
      );
      ctx.world = await seedFromSnapshot(plan, {
        connection: need(ctx.connection, "the connection"),
        economy: need(ctx.economy, "the contracts"),
        keepers: need(ctx.keepers, "the keepers"),
        log: (line) => log("seed", line),
      });
      for (const line of await marketsTable(need(ctx.economy, "the contracts"))) log("seed", line);
    },
  },
  {
    name: "liquid",
    async run(ctx) {
      const connection = need(ctx.connection, "the connection");
      const say = (line: string) => log("liquid", line);
      const installed = await installPrecompiles(connection, need(ctx.economy, "the contracts"), { log: say });
      ctx.precompiles = installed;
      const liquid = await deployLiquidStaking(connection, installed, {
        // The economy's Ignition deployment: one journal, one export.
        deploymentId: ctx.options.deploymentId ?? `chain-${need(ctx.node, "the node").chainId}`,
        log: say,
      });
      ctx.liquid = liquid;
      const world = ctx.world;
      if (world) {
        // A vault for each validator of each subnet, then users allocate across them through the router.
        const positions = [
          ...world.subnets.flatMap((subnet) =>
            subnet.validators.map((v) => ({ netuid: subnet.netuid, hotkey: v.coldkey })),
          ),
          ...world.passive.map(({ netuid, hotkey }) => ({ netuid, hotkey })),
        ];
        const vaults = await createVaults(connection, liquid, positions);
        ctx.vaults = positions.map((p, i) => ({ ...p, vault: vaults[i]! }));
        say(
          `${vaults.length} vaults, one per seeded validator on each of its subnets` +
            (world.passive.length > 0 ? " and one on each imported subnet's most staked validator" : ""),
        );
        await seedLiquidPositions(connection, liquid, {
          positions,
          depositors: world.users.slice(0, LIQUID_DEPOSITORS).map((user) => user.account),
          log: say,
        });
      }
      const entries = liquidDeploymentEntries(installed, liquid);
      const deployment = await exportDeployments({
        deploymentDir: ignitionDeploymentDir(ctx.options.deploymentId ?? need(ctx.node, "the node").chainId),
        outDir: ctx.options.outDir,
        ...entries,
      });
      ctx.deployment = deployment;
      for (const name of MODULE_CONTRACTS.LiquidStaking) {
        const c = deployment.data.contracts[name as keyof typeof deployment.data.contracts];
        say(`${name.padEnd(19)} ${c.address} (block ${c.startBlock})`);
      }
      log("export", `added liquid staking to ${path.relative(process.cwd(), deployment.file)}`);
    },
  },
  {
    name: "funds",
    async run(ctx) {
      const connection = need(ctx.connection, "the connection");
      const say = (line: string) => log("funds", line);
      const funds = await deployFundFactory(connection, need(ctx.precompiles, "the precompiles"), { log: say });
      ctx.funds = funds;
      const world = ctx.world;
      if (world) {
        // Each subnet's first validator, with its vault: where the demo funds stake.
        const subnets: DemoSubnet[] = [
          ...world.subnets.map((subnet) => ({
            netuid: subnet.netuid,
            name: subnet.name,
            hotkey: subnet.validators[0]?.coldkey,
          })),
          ...world.passive,
        ].flatMap(({ netuid, name, hotkey }) => {
          if (hotkey === undefined) return [];
          const vault = ctx.vaults?.find((v) => v.netuid === netuid && v.hotkey === hotkey)?.vault;
          return [{ netuid, name, hotkey, ...(vault ? { vault } : {}) }];
        });
        ctx.demoFunds = await seedDemoFunds(connection, funds, {
          subnets,
          investors: world.users.slice(LIQUID_DEPOSITORS, LIQUID_DEPOSITORS + 6).map((user) => user.account),
          log: say,
        });
      }
      const created: Record<string, CreatedFund> = ctx.demoFunds
        ? { OTMINE: ctx.demoFunds.mining, ALLOC: ctx.demoFunds.allocator, TAOIDX: ctx.demoFunds.index }
        : {};
      const deployment = await exportDeployments({
        deploymentDir: ignitionDeploymentDir(ctx.options.deploymentId ?? need(ctx.node, "the node").chainId),
        outDir: ctx.options.outDir,
        ...fundDeploymentEntries(funds, created),
      });
      ctx.deployment = deployment;
      log(
        "export",
        `added the FundFactory and ${Object.keys(created).length} funds to ${path.relative(process.cwd(), deployment.file)}`,
      );
    },
  },
  {
    name: "dapp",
    skip: (ctx) => (ctx.options.dapp ? undefined : "--no-dapp / DAPP=0"),
    async run(ctx) {
      const node = need(ctx.node, "the node");
      const deployment = need(ctx.deployment, "the deployments file");
      log("dapp", "building the dApp for this chain (frontend/dist)");
      await buildDapp({
        rpcUrl: node.url,
        deploymentsDir: path.dirname(deployment.file),
        blockSeconds: ctx.options.blockIntervalMs / 1000,
      });
      ctx.dapp = await serveDapp({ host: "127.0.0.1", port: ctx.options.dappPort });
      log("dapp", `serving the dApp on ${ctx.dapp.url}`);
    },
  },
];

/* SHUTDOWN */

let shuttingDown = false;
let context: Context | undefined;

async function shutdown(code: number, reason: string): Promise<never> {
  if (shuttingDown) {
    // A second Ctrl-C while stopping: stop now.
    if (context?.node) process.kill(-context.node.pid, "SIGKILL");
    process.exit(code);
  }
  shuttingDown = true;
  log("start", `stopping (${reason})`);
  const ctx = context;
  try {
    await Promise.race([ctx?.connection?.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  } catch {
    // the node may already be gone
  }
  await ctx?.dapp?.close();
  if (ctx?.keepers) {
    await Promise.race([ctx.keepers.stop(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    log("keeper", "keepers stopped");
  }
  if (ctx?.node) {
    await ctx.node.stop();
    log("start", `node stopped`);
  }
  process.exit(code);
}

/* MAIN */

/** A block timestamp for people, with its distance from this machine's clock. */
function describeChainTime(timestampSeconds: bigint, nowMs = Date.now()): string {
  const iso = new Date(Number(timestampSeconds) * 1000).toISOString().replace("T", " ").slice(0, 19);
  const offset = Number(timestampSeconds) - Math.floor(nowMs / 1000);
  return `${iso} UTC (${offset >= 0 ? "+" : ""}${offset} s from this machine's clock)`;
}

function banner(ctx: Context, latest: { number: bigint; timestamp: bigint }): void {
  const node = need(ctx.node, "the node");
  const d = need(ctx.deployment, "the deployments file");
  const interval = ctx.options.blockIntervalMs;
  const row = (label: string, text: string) => `  ${label.padEnd(21)}${text}`;
  const lines = [
    "",
    "Alpha Markets is running on a local chain",
    row(
      "RPC URL",
      `${node.url}   chain id ${node.chainId}   (${interval > 0 ? `a block every ${interval / 1000} s, and one per transaction` : "a block per transaction"})`,
    ),
    row(
      "Chain time",
      `${describeChainTime(latest.timestamp)} at block ${latest.number}; deadlines are unix seconds on this clock`,
    ),
    ...(ctx.dapp
      ? [row("dApp", `${ctx.dapp.url}   (connect the "Dev wallet", or a browser wallet on chain ${node.chainId})`)]
      : []),
    ...CONTRACT_NAMES.map((n) =>
      row(n, `${d.data.contracts[n].address}   from block ${d.data.contracts[n].startBlock}`),
    ),
    ...(ctx.liquid
      ? [
          row("LiquidVaultFactory", `${ctx.liquid.factory.address}   vaultFor(netuid, hotkey) gives each vault`),
          row("AllocationRouter", ctx.liquid.router.address),
          row(
            "Precompiles",
            ctx.precompiles?.atRealAddresses
              ? "adapters over the model, also at Bittensor's addresses 0x…0800–0x…080C"
              : `adapters over the model at their own addresses (staking ${ctx.liquid.precompiles.staking})`,
          ),
        ]
      : []),
    ...(ctx.funds
      ? [
          row(
            "FundFactory",
            `${ctx.funds.factory.address}` +
              (ctx.demoFunds
                ? `   funds OTMINE ${ctx.demoFunds.mining.address}, ALLOC ${ctx.demoFunds.allocator.address}, TAOIDX ${ctx.demoFunds.index.address}`
                : ""),
          ),
        ]
      : []),
    row("Deployments", path.relative(process.cwd(), d.file)),
    row("Node log", `${node.logFile}   (node pid ${node.pid})`),
    row(
      "Accounts",
      `mnemonic "${HARDHAT_MNEMONIC}" (#0 deployer/funder, #1-10 subnet owners (#130-135 beyond ten), #11-16 validators, ` +
        `#17-19 miner coldkeys, #20-31 users, #32-34 keepers, #100-123 miner hotkeys)`,
    ),
    ctx.options.once ? row("Mode", "once: stops after one round") : row("Stop", "Ctrl-C (stops the node too)"),
    "",
  ];
  console.log(lines.join("\n"));
}

async function live(ctx: Context, activity: Activity | undefined): Promise<void> {
  const connection = need(ctx.connection, "the connection");
  const economy = need(ctx.economy, "the contracts");
  const tickMs = Math.max(1000, ctx.options.blockIntervalMs * 3);
  let round = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, tickMs));
    if (shuttingDown) return;
    round++;
    try {
      if (activity) for (const event of await activity.tick()) log("live", event);
      if (round % 5 === 0) log("status", formatStatus(await readStatus(connection, economy)));
    } catch (error) {
      if (shuttingDown) return;
      log("live", `round ${round} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
}

async function waitForStdinEnd(timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    process.stdin.once("end", () => {
      clearTimeout(timer);
      resolve();
    });
    process.stdin.resume();
  });
}

async function main(options: Options): Promise<void> {
  const ctx: Context = { options };
  context = ctx;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void shutdown(0, signal));
  }

  await assertPortFree(options.host, options.port); // fail fast, before compiling
  hre = (await import("hardhat")).default;
  log("start", `steps: ${steps.map((s) => s.name).join(" → ")}${options.once ? " (once)" : ""}`);
  for (const [i, step] of steps.entries()) {
    const skipped = step.skip?.(ctx);
    if (skipped) {
      log("start", `step ${i + 1}/${steps.length} ${step.name}: skipped (${skipped})`);
      continue;
    }
    const started = Date.now();
    log("start", `step ${i + 1}/${steps.length} ${step.name}`);
    await step.run(ctx);
    if (shuttingDown) return;
    log("start", `step ${step.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const connection = need(ctx.connection, "the connection");
  const economy = need(ctx.economy, "the contracts");
  const activity = ctx.world ? await createActivity(connection, economy, ctx.world) : undefined;
  banner(ctx, await (await connection.viem.getPublicClient()).getBlock());
  // From here on the keepers run on their own: each due epoch is closed, reported, finalised and claimed.
  const keepers = need(ctx.keepers, "the keepers");
  if (options.keepers) {
    need(ctx.keeperLog, "the keepers' log").showSettled = true;
    keepers.start();
    log(
      "keeper",
      `${keepers.services.length} keeper services running, each looking for due epochs every ` +
        `${(need(ctx.keeperPollMs, "the keepers' poll interval") / 1000).toFixed(0)} s: each settled epoch is one line here`,
    );
  } else {
    log("keeper", "keepers not running (--no-keepers / KEEPERS=0): epochs stay open until a keeper settles them");
  }

  if (options.once) {
    if (activity) for (const event of await activity.tick({ force: true })) log("live", event);
    log("status", formatStatus(await readStatus(connection, economy)));
    log("start", "ready");
    if (options.waitStdin) await waitForStdinEnd(options.waitStdinMs);
    await shutdown(0, "once");
  }
  log("status", formatStatus(await readStatus(connection, economy)));
  log("start", "ready");
  await live(ctx, activity);
}

process.on("unhandledRejection", (error) => {
  throw error;
});

await runCommand(START, async (args) => {
  const options = readOptions(args); // a mistake here is one line (exit 2), before anything starts
  try {
    await main(options);
  } catch (error) {
    const code = reportError(START, error);
    // Stop whatever was started (shutdown exits); a failure before the node started has nothing to stop.
    if (context?.node) await shutdown(code, "error");
    return code;
  }
});
