/**
 * The snapshot exporter at Bittensor's scale: 128 subnets on a local chain served over HTTP by Hardhat's JSON-RPC
 * server (as `npm start`'s node serves it), the precompile adapters at Bittensor's addresses, read by the exporter
 * exactly as `npm run snapshot -- --network localhost` reads (JSON-RPC batches of 1,000 calls; the local chain has no
 * Multicall3). Records the wall time and the number of HTTP requests (goal: at most 10):
 *
 *   snapshot_export_ms_128_subnets, snapshot_export_rpc_requests_128_subnets
 *
 * Each subnet has its owner's uid and one more neuron. Prints the figures and merges them into bench/results.json
 * (other keys are kept). Benchmarks report; they never fail on the numbers.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import type { Hex } from "viem";

import { evmToAccountId } from "../keeper/chain/accountId.ts";
import { deployEconomy, loadParameters } from "./lib/economy.ts";
import { installPrecompiles } from "./lib/precompiles.ts";
import { exportSnapshot, makeExportClient } from "./lib/snapshot-reader.ts";

const SUBNETS = 128;
const BATCH_SIZE = 1000;
const RAO = 10n ** 9n;

const server = await network.createServer(
  { network: "node", override: { mining: { auto: true, interval: 0 } } },
  "127.0.0.1",
  0,
);
const { address, port } = await server.listen();
const url = `http://${address}:${port}`;
const connection = await network.create({ network: "localhost", override: { url } });
// Ignition keeps a journal per deployment id: this chain lives only as long as the bench, and so does its journal.
const deploymentId = `bench-snapshot-${process.pid}`;
try {
  // Room for 128 subnets, and a lock that falls back to its minimum within the blocks between registrations.
  const economy = await deployEconomy(
    connection,
    {
      ...(await loadParameters("local")),
      subnetLimit: BigInt(SUBNETS),
      lockReductionInterval: 1n,
    },
    { deploymentId },
  );
  await installPrecompiles(connection, economy);
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const [owner, miner] = await viem.getWalletClients();
  for (const w of [owner!, miner!]) await testClient.setBalance({ address: w.account.address, value: 10n ** 30n });
  const ownerHotkey = evmToAccountId(owner!.account.address);
  const wait = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };
  const started = Date.now();
  for (let i = 0; i < SUBNETS; i++) {
    const lock = await economy.registry.read.lockCost();
    await wait(
      await economy.registry.write.registerNetwork([ownerHotkey, `Bench ${i + 1}`, lock], {
        value: lock * RAO,
        account: owner!.account,
      }),
    );
    const netuid = i + 1;
    await wait(await economy.registry.write.startCall([netuid], { account: owner!.account }));
    // One miner besides the owner's uid: a hotkey of its own, approved by the miner's account first.
    const burn = await economy.metagraph.read.burnCost([netuid]);
    await wait(
      await economy.metagraph.write.burnedRegister([netuid, evmToAccountId(miner!.account.address), burn * 2n], {
        value: burn * 2n * RAO,
        account: miner!.account,
      }),
    );
    if ((i + 1) % 32 === 0) console.log(`registered ${i + 1} of ${SUBNETS} subnets (${Date.now() - started} ms)`);
  }

  let requests = 0;
  const client = makeExportClient(url, { batchSize: BATCH_SIZE, onRequest: () => requests++ });
  const t0 = performance.now();
  const result = await exportSnapshot(client, {
    network: "localhost",
    endpoint: url,
    maxNetuid: SUBNETS,
    log: (line) => console.log(line),
  });
  const ms = Math.round(performance.now() - t0);
  if (result.snapshot.subnets.length !== SUBNETS) {
    throw new Error(`the export holds ${result.snapshot.subnets.length} subnets, not ${SUBNETS}`);
  }

  const results = {
    snapshot_export_ms_128_subnets: ms,
    snapshot_export_rpc_requests_128_subnets: requests,
  };
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  console.log(`\n${result.reads} reads (${SUBNETS} subnets, JSON-RPC batches of ${BATCH_SIZE})`);
  console.log(`${"figure".padEnd(width)}  value`);
  for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value}`);
  const out = path.resolve(import.meta.dirname, "../bench/results.json");
  await mkdir(path.dirname(out), { recursive: true });
  const previous = await readFile(out, "utf8")
    .then((t) => JSON.parse(t) as Record<string, unknown>)
    .catch(() => ({}));
  await writeFile(out, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
} finally {
  await connection.close();
  await server.close();
  await rm(path.resolve(import.meta.dirname, "../ignition/deployments", deploymentId), {
    recursive: true,
    force: true,
  });
}
