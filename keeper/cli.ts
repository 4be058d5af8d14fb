/**
 * The keeper's command line: `run`, `status`, `verify`, `claim`, each with `--network`.
 *
 *   npm run keeper -- run --network localhost
 *   npm run -s keeper -- status --json
 *   npm run -s keeper -- verify --netuid 1 --epoch 3
 *   npm run -s keeper -- claim --netuid 1 [--epoch 3] [--hotkey 0x…]
 *
 * Fails as every project command does (scripts/lib/cli.ts): a bad option is one line and the usage (exit 2), an
 * unreachable RPC or an unknown netuid one line (exit 1); no stack trace without DEBUG=1.
 */
import pino from "pino";
import { createPublicClient, createWalletClient, http, nonceManager, parseEventLogs, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { formatErrorValue } from "../client/errors.ts";
import { loadDeployment, loadProjectErrorAbi } from "../client/node.ts";
import {
  CommandError,
  envValue,
  InputError,
  isMainModule,
  probeRpc,
  runCommand,
  UsageError,
  type CommandSpec,
  type ParsedCommandLine,
} from "../scripts/lib/cli.ts";
import { addressesFromDeployment, loadKeeperAbis } from "./chain/contracts.ts";
import { buildEpochReport, MemoryStateCache, type EpochContext } from "./chain/epochs.ts";
import { ChainReader } from "./chain/reads.ts";
import { TxSender } from "./chain/tx.ts";
import { verifyEpoch } from "./chain/verify.ts";
import {
  CLAIMS_PER_BATCH,
  claimDue,
  claimsOf,
  dividendsOf,
  inBatches,
  resultsTree,
  type ResultLeaf,
} from "./core/index.ts";
import { parseKeeperConfig, splitKeys } from "./service/config.ts";
import { chainOf, runKeepers } from "./service/index.ts";

export const KEEPER = {
  name: "keeper",
  usage: `Usage: npm run keeper -- <command> [options]

Commands:
  run                 run the keeper service: close due epochs, build, sign and submit reports, finalise, claim
  status              per netuid: last settled epoch, pot, next due block, challenge deadline
  verify              recompute a settled report from public chain data; exit 0 if it matches bit for bit, 1 if not
  claim               claim a finalised epoch's results on the neurons' behalf: miners' incentive and the dividends
                      finalisation did not pay (uids beyond the validator bound); every unclaimed one, or one hotkey's

Options:
  --network <name>        a network of hardhat.config.ts (default localhost, or KEEPER_NETWORK)
  --rpc-url <url>         the node's URL, overriding the network's (or KEEPER_RPC_URL)
  --deployments <dir>     where <chainId>.json is (default deployments/, or DEPLOYMENTS_DIR)
  --netuid <n>            verify, claim: the subnet
  --epoch <e>             verify: the epoch; claim: the epoch (default the last finalised)
  --hotkey <0x…>          claim: only this hotkey's leaf
  --json                  status, verify: print JSON
  --claim <all|none>      run: claim miners' incentive on their behalf (default all, or KEEPER_CLAIM)
  --quorum <k>            run: the quorum this keeper expects; it stops if the contract's differs (KEEPER_QUORUM)
  --peers <n>             run: how many keepers share the work, for leader rotation (default: this process's keys)
  --index <i>             run: this process's first place among the peers (default 0, or KEEPER_INDEX)
  --poll-interval <ms>    run: how often to look for new blocks (default 1000, or KEEPER_POLL_INTERVAL_MS)
  --metrics-port <port>   run: serve /health and /metrics on 127.0.0.1 (or KEEPER_METRICS_PORT)
  --signature-dir <dir>   run: exchange signatures with other keeper processes through this directory
  --state-dir <dir>       run: keep engine states here across restarts (always checked against the chain)
  --grace <ms>            run: how long to wait for another keeper's turn before acting (default 5000)
  -h, --help              print this help

Keys (run, claim): KEEPER_PRIVATE_KEYS (comma-separated, one keeper each) or KEEPER_PRIVATE_KEY, from the
environment or Hardhat's keystore (npx hardhat keystore set KEEPER_PRIVATE_KEY). Never printed.`,
  options: {
    network: { type: "string" },
    "rpc-url": { type: "string" },
    deployments: { type: "string" },
    netuid: { type: "string" },
    epoch: { type: "string" },
    hotkey: { type: "string" },
    json: { type: "boolean" },
    claim: { type: "string" },
    quorum: { type: "string" },
    peers: { type: "string" },
    index: { type: "string" },
    "poll-interval": { type: "string" },
    "metrics-port": { type: "string" },
    "signature-dir": { type: "string" },
    "state-dir": { type: "string" },
    grace: { type: "string" },
  },
  positionals: { min: 1, max: 1, names: "command (run, status, verify or claim)" },
} as const satisfies CommandSpec;

type Values = ParsedCommandLine<typeof KEEPER.options>["values"];

const LOCALHOST_URL = "http://127.0.0.1:8545";

/** The network's RPC URL: --rpc-url, else localhost's, else hardhat.config.ts's (only then is Hardhat loaded). */
async function resolveRpcUrl(network: string, explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) return explicit;
  if (network === "localhost") return LOCALHOST_URL;
  const { default: hre } = await import("hardhat");
  const config = hre.config.networks[network];
  if (config === undefined) {
    throw new InputError(
      `unknown network ${network}; hardhat.config.ts has: ${Object.keys(hre.config.networks).join(", ")}`,
    );
  }
  if (config.type !== "http") {
    throw new InputError(
      `network ${network} is an in-process network; the keeper needs a node: use --network localhost`,
    );
  }
  try {
    return await config.url.getUrl();
  } catch (error) {
    throw new InputError(`network ${network}'s URL is not set: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** Keys from the environment, else from Hardhat's keystore (which asks for its password). */
async function resolveKeys(): Promise<string[]> {
  const fromEnv = splitKeys(envValue("KEEPER_PRIVATE_KEYS") ?? envValue("KEEPER_PRIVATE_KEY"));
  if (fromEnv.length > 0) return fromEnv;
  const { configVariableSource } = await import("../scripts/lib/config-vars.ts");
  if ((await configVariableSource("KEEPER_PRIVATE_KEY")) !== "keystore") return [];
  const { default: hre } = await import("hardhat");
  const { configVariable } = await import("hardhat/config");
  const value = await hre.hooks.runHandlerChain(
    "configurationVariables",
    "fetchValue",
    [configVariable("KEEPER_PRIVATE_KEY")],
    (_context, variable) => {
      const v = process.env[variable.name];
      if (v === undefined) return Promise.reject(new InputError(`${variable.name} is not set`));
      return Promise.resolve(v);
    },
  );
  return splitKeys(value);
}

function parseInteger(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
  }
  return value;
}

function required(name: string, raw: string | undefined, min: number, max: number): number {
  const value = parseInteger(name, raw, min, max);
  if (value === undefined) throw new UsageError(`missing --${name}`);
  return value;
}

interface Connected {
  rpcUrl: string;
  chainId: number;
  client: PublicClient;
  reader: ChainReader;
  ctx: EpochContext;
  addresses: ReturnType<typeof addressesFromDeployment>;
}

async function connect(values: Values): Promise<Connected> {
  const network = values.network ?? envValue("KEEPER_NETWORK") ?? "localhost";
  const rpcUrl = await resolveRpcUrl(network, values["rpc-url"] ?? envValue("KEEPER_RPC_URL"));
  if (!/^https?:\/\//.test(rpcUrl)) throw new InputError(`--rpc-url must be an http(s) URL, got ${rpcUrl}`);
  const chainId = await probeRpc(`the network ${network}`, rpcUrl);
  const deployment = await loadDeployment(chainId, {
    ...(values.deployments ? { deploymentsDir: values.deployments } : {}),
  }).catch((error: Error) => {
    throw new CommandError(error.message);
  });
  if (deployment.contracts.EpochSettlement === undefined) {
    throw new CommandError(`deployments/${chainId}.json has no EpochSettlement: redeploy or re-export`);
  }
  const addresses = addressesFromDeployment(deployment);
  const client = createPublicClient({ chain: chainOf(chainId, rpcUrl), transport: http(rpcUrl, { batch: true }) });
  const reader = new ChainReader({
    client: client,
    addresses,
    abis: await loadKeeperAbis(),
    chainId: BigInt(chainId),
  });
  return {
    rpcUrl,
    chainId,
    client: client,
    reader,
    ctx: { reader, cache: new MemoryStateCache() },
    addresses,
  };
}

async function requireNetuid(reader: ChainReader, netuid: number): Promise<void> {
  if (await reader.isActive(netuid)) return;
  const active = await reader.activeNetuids();
  throw new CommandError(
    `netuid ${netuid} is not an active subnet${active.length ? ` (active: ${active.join(", ")})` : " (none is active)"}`,
  );
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);

/* COMMANDS */

async function status(values: Values): Promise<number> {
  const { reader } = await connect(values);
  const block = await reader.blockNumber();
  const rows = [];
  for (const netuid of await reader.activeNetuids()) {
    const p = await reader.progress(netuid);
    const open =
      p.closedEpoch > p.finalisedEpoch ? await reader.epochRecord(netuid, p.generation, p.closedEpoch) : undefined;
    const last = p.finalisedEpoch > 0 ? await reader.epochRecord(netuid, p.generation, p.finalisedEpoch) : undefined;
    const potOf = open ?? last;
    rows.push({
      netuid,
      generation: p.generation,
      lastSettledEpoch: p.finalisedEpoch,
      openEpoch: open ? { epoch: p.closedEpoch, status: open.status, snapshotBlock: open.snapshotBlock } : null,
      pot: potOf ? { epoch: open ? p.closedEpoch : p.finalisedEpoch, ...potOf.pot } : null,
      // What claims of the last settled epoch may still take (incentive, dividends beyond the validator bound).
      unclaimedAlphaRao: last ? last.claimableAlphaRao : null,
      nextDueBlock: p.nextDueBlock === 0 ? null : p.nextDueBlock,
      challengeDeadline: open?.status === "Submitted" ? open.challengeDeadline : null,
    });
  }
  if (values.json) {
    process.stdout.write(`${json({ block, subnets: rows })}\n`);
    return 0;
  }
  process.stdout.write(`block ${block}\n`);
  process.stdout.write(
    `netuid  settled  open                     next due  challenge  unclaimed      pot (alpha-rao: server/validator/root/owner)\n`,
  );
  for (const r of rows) {
    const open = r.openEpoch ? `${r.openEpoch.epoch} ${r.openEpoch.status}` : "-";
    const pot = r.pot
      ? `${r.pot.serverAlphaRao}/${r.pot.validatorAlphaRao}/${r.pot.rootAlphaRao}/${r.pot.ownerCutAlphaRao}`
      : "-";
    process.stdout.write(
      `${String(r.netuid).padEnd(8)}${String(r.lastSettledEpoch).padEnd(9)}${open.padEnd(25)}${String(r.nextDueBlock ?? "-").padEnd(10)}${String(r.challengeDeadline ?? "-").padEnd(11)}${String(r.unclaimedAlphaRao ?? "-").padEnd(15)}${pot}\n`,
    );
  }
  return 0;
}

async function verify(values: Values): Promise<number> {
  const netuid = required("netuid", values.netuid, 1, 65_535);
  const epoch = required("epoch", values.epoch, 1, 2 ** 32 - 1);
  const { reader, ctx } = await connect(values);
  await requireNetuid(reader, netuid);
  const p = await reader.progress(netuid);
  if (epoch > p.closedEpoch) {
    throw new CommandError(`epoch ${epoch} of netuid ${netuid} is not closed yet (last closed: ${p.closedEpoch})`);
  }
  const v = await verifyEpoch(ctx, netuid, epoch, p.generation);
  if (values.json) {
    process.stdout.write(`${json(v)}\n`);
  } else if (v.match) {
    process.stdout.write(
      `netuid ${netuid} epoch ${epoch} (${v.status}): MATCH, bit for bit (digest ${v.acceptedDigest})\n`,
    );
  } else {
    process.stdout.write(
      `netuid ${netuid} epoch ${epoch} (${v.status}): MISMATCH: recomputed digest ${v.recomputedDigest}, accepted ${v.acceptedDigest}\n`,
    );
    for (const field of v.differences) {
      const accepted = v.accepted ? formatErrorValue(v.accepted[field as keyof typeof v.accepted]) : "?";
      process.stdout.write(
        `  ${field}: recomputed ${formatErrorValue(v.recomputed[field as keyof typeof v.recomputed])}, accepted ${accepted}\n`,
      );
    }
  }
  return v.match ? 0 : 1;
}

async function claim(values: Values): Promise<number> {
  const netuid = required("netuid", values.netuid, 1, 65_535);
  const epochOption = parseInteger("epoch", values.epoch, 1, 2 ** 32 - 1);
  const hotkey = values.hotkey;
  if (hotkey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(hotkey)) {
    throw new InputError(`--hotkey must be a 32-byte account id (0x and 64 hex digits), got ${hotkey}`);
  }
  const keys = await resolveKeys();
  if (keys.length === 0) throw new InputError("claim needs a key: set KEEPER_PRIVATE_KEY (environment or keystore)");
  const [key] = parseKeeperConfig({ network: "x", rpcUrl: LOCALHOST_URL, keys }).keys;
  const { reader, ctx, chainId, rpcUrl, client } = await connect(values);
  await requireNetuid(reader, netuid);
  const p = await reader.progress(netuid);
  const epoch = epochOption ?? p.finalisedEpoch;
  if (epoch === 0 || epoch > p.finalisedEpoch) {
    throw new CommandError(`epoch ${epoch} of netuid ${netuid} is not finalised (last finalised: ${p.finalisedEpoch})`);
  }
  const record = await reader.epochRecord(netuid, p.generation, epoch);
  const built = await buildEpochReport(ctx, netuid, p.generation, epoch, record);
  const tree = resultsTree(built.leaves);
  if (tree.root !== record.resultsRoot) {
    throw new CommandError(`epoch ${epoch}'s results root on chain differs from the recomputed one: run verify`);
  }
  // Dividends are due to the uids finalisation did not pay (the chain's bitmap); incentive to every miner.
  const paidUids = new Set<number>();
  for (const leaf of built.leaves) {
    if (dividendsOf(leaf) !== 0n && (await reader.isPaidAtFinalisation(netuid, p.generation, epoch, leaf.uid))) {
      paidUids.add(leaf.uid);
    }
  }
  const leaves = built.leaves.filter((l) =>
    hotkey === undefined ? claimDue(l, paidUids) : l.hotkey.toLowerCase() === hotkey.toLowerCase(),
  );
  if (hotkey !== undefined && leaves.length === 0) {
    throw new CommandError(`hotkey ${hotkey} has no uid in epoch ${epoch} of netuid ${netuid}`);
  }
  const account = privateKeyToAccount(key!, { nonceManager });
  const sender = new TxSender({
    client,
    wallet: createWalletClient({ account, chain: chainOf(chainId, rpcUrl), transport: http(rpcUrl) }),
  });
  const errorAbi = await loadProjectErrorAbi();
  const due: ResultLeaf[] = [];
  for (const leaf of leaves) {
    if (await reader.isClaimed(netuid, p.generation, epoch, leaf.uid)) {
      process.stdout.write(`uid ${leaf.uid}: already claimed\n`);
    } else due.push(leaf);
  }
  let claimed = 0;
  for (const batch of inBatches(due, CLAIMS_PER_BATCH)) {
    const receipt = await sender
      .send({
        label: `claimIncentives (${batch.length} uids)`,
        address: reader.addresses.settlement,
        abi: reader.abis.settlement,
        functionName: "claimIncentives",
        args: [netuid, epoch, claimsOf(tree, batch)],
      })
      .catch(async (error: unknown) => {
        const { describeError } = await import("../client/errors.ts");
        throw new CommandError(`uids ${batch.map((l) => l.uid).join(", ")}: ${describeError(error, errorAbi)}`);
      });
    // The contract skips a uid another claimer took after the check above: say so rather than count it.
    const paidNow = new Set(
      parseEventLogs({ abi: reader.abis.settlement, logs: receipt.logs, eventName: "ClaimIncentive" }).map(
        (e) => e.args.uid,
      ),
    );
    for (const leaf of batch) {
      if (!paidNow.has(leaf.uid)) {
        process.stdout.write(`uid ${leaf.uid}: already claimed (by another claimer meanwhile)\n`);
        continue;
      }
      claimed++;
      const dividends = paidUids.has(leaf.uid) ? 0n : dividendsOf(leaf);
      process.stdout.write(
        `uid ${leaf.uid}: claimed ${leaf.incentiveAlphaRao} alpha-rao of incentive` +
          (dividends > 0n ? ` and ${dividends} of dividends` : "") +
          ` for ${leaf.hotkey} (tx ${receipt.transactionHash})\n`,
      );
    }
  }
  process.stdout.write(`${claimed} claim(s) sent for netuid ${netuid} epoch ${epoch}\n`);
  return 0;
}

async function run(values: Values): Promise<number> {
  const env = (name: string) => envValue(name);
  const config = parseKeeperConfig({
    network: values.network ?? env("KEEPER_NETWORK") ?? "localhost",
    rpcUrl: values["rpc-url"] ?? env("KEEPER_RPC_URL") ?? LOCALHOST_URL,
    keys: await resolveKeys(),
    quorum: values.quorum ?? env("KEEPER_QUORUM"),
    peers: values.peers ?? env("KEEPER_PEERS"),
    index: values.index ?? env("KEEPER_INDEX"),
    pollIntervalMs: values["poll-interval"] ?? env("KEEPER_POLL_INTERVAL_MS"),
    metricsPort: values["metrics-port"] ?? env("KEEPER_METRICS_PORT"),
    claimPolicy: values.claim ?? env("KEEPER_CLAIM"),
    signatureDir: values["signature-dir"] ?? env("KEEPER_SIGNATURE_DIR"),
    stateDir: values["state-dir"] ?? env("KEEPER_STATE_DIR"),
    graceMs: values.grace ?? env("KEEPER_GRACE_MS"),
  });
  const { reader, chainId, rpcUrl, addresses } = await connect({
    ...values,
    "rpc-url": values["rpc-url"] ?? env("KEEPER_RPC_URL"),
  });
  const quorum = await reader.quorum();
  if (config.quorum !== undefined && config.quorum !== quorum) {
    throw new CommandError(`the contract's quorum is ${quorum}, but this keeper expects ${config.quorum} (--quorum)`);
  }
  for (const key of config.keys) {
    const address = privateKeyToAccount(key).address;
    if (!(await reader.isKeeper(address)))
      throw new CommandError(`${address} is not a registered keeper of ${addresses.settlement}`);
  }
  const log = pino({ level: envValue("KEEPER_LOG_LEVEL") ?? "info", base: { chainId } });
  const service = await runKeepers({
    transport: http(rpcUrl, { batch: true }),
    chainId,
    addresses,
    keys: config.keys,
    pollIntervalMs: config.pollIntervalMs,
    claimPolicy: config.claimPolicy,
    graceMs: config.graceMs,
    indexOffset: config.index,
    ...(config.peers !== undefined ? { peers: config.peers } : {}),
    ...(config.metricsPort !== undefined ? { metricsPort: config.metricsPort } : {}),
    ...(config.signatureDir !== undefined ? { signatureDir: config.signatureDir } : {}),
    ...(config.stateDir !== undefined ? { stateDir: config.stateDir } : {}),
    log,
  });
  log.info(
    {
      keepers: service.keepers.map((k) => k.address),
      quorum,
      metricsPort: service.metricsPort,
      settlement: addresses.settlement,
    },
    "keeper running",
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  log.info("stopping");
  await service.stop();
  return 0;
}

export async function keeperMain(args: ParsedCommandLine<typeof KEEPER.options>): Promise<number> {
  const [command] = args.positionals;
  switch (command) {
    case "run":
      return run(args.values);
    case "status":
      return status(args.values);
    case "verify":
      return verify(args.values);
    case "claim":
      return claim(args.values);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

if (isMainModule(import.meta.url)) await runCommand(KEEPER, keeperMain);
