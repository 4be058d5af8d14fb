/**
 * The snapshot exporter against the local chain, where the precompile adapters answer at Bittensor's addresses:
 * what it reads is what the model holds; Multicall3 and plain JSON-RPC reads give the same snapshot; transient
 * failures are retried; and the round trip (export a seeded chain, seed a fresh chain from the file, export again)
 * gives the same snapshot: an exported file seeds exactly (a genesis import), and only the block it was read at
 * differs. The chain seeded that way lives on: the seed's accounts among the imported keys act again. The command
 * itself (`npm run snapshot`) is run against a chain served over HTTP.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import pino from "pino";
import { type EIP1193RequestFn, type Hex, type PublicClient, createPublicClient, custom } from "viem";

import { deployEconomy, loadParameters, type Economy } from "../../scripts/lib/economy.ts";
import { localKeepersOn } from "../../scripts/lib/local-keepers.ts";
import { installPrecompiles } from "../../scripts/lib/precompiles.ts";
import { MULTICALL3_ADDRESS } from "../../scripts/lib/snapshot-export.ts";
import { type ExportResult, exportSnapshot } from "../../scripts/lib/snapshot-reader.ts";
import { createActivity } from "../../scripts/lib/activity.ts";
import { seedFromSnapshot } from "../../scripts/lib/genesis.ts";
import type { World } from "../../scripts/lib/seed.ts";
import { type Snapshot, parseSnapshot, readSnapshotFile, snapshotSeed } from "../../scripts/lib/snapshot.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WAD = 10n ** 18n;
const RAO = 10n ** 9n;
const NOW = () => new Date("2026-12-01T00:00:00Z");

/** Multicall3's creation code, as viem ships it for its deployless calls (not among viem's public exports). */
function multicall3CreationCode(): Hex {
  const source = readFileSync(new URL("../../node_modules/viem/_esm/constants/contracts.js", import.meta.url), "utf8");
  const match = /multicall3Bytecode = ["'](0x[0-9a-f]+)["']/.exec(source);
  if (!match) throw new Error("viem no longer ships Multicall3's creation code where this test reads it");
  return match[1] as Hex;
}

/** A source to seed chain A from: three subnets far apart in price, so the seed keeps their order. */
function fixture(): Snapshot {
  const subnet = (netuid: number, price: number, validators: number, miners: number) => {
    const alphaRao = 2_000_000n * RAO;
    const taoRao = (alphaRao * BigInt(Math.round(price * 1e9))) / RAO;
    return {
      netuid,
      name: `Fixture ${netuid}`,
      owner: { coldkey: `0x${"ab".repeat(32)}` },
      taoReserveRao: taoRao.toString(),
      alphaReserveAlphaRao: alphaRao.toString(),
      spotPriceWad: ((taoRao * WAD) / alphaRao).toString(),
      movingPriceWad: ((taoRao * WAD) / alphaRao).toString(),
      hyperparameters: {},
      neurons: Array.from({ length: validators + miners }, (_, uid) => ({
        uid,
        validatorPermit: uid < validators,
        stakeAlphaRao: "1000000000",
      })),
    };
  };
  return parseSnapshot({
    format: "alpha-markets-snapshot",
    version: 1,
    source: { kind: "hand-written", description: "the round trip's source" },
    createdAt: "2026-11-30T00:00:00Z",
    chain: { blockNumber: "1", totalIssuanceRao: "0" },
    scaling: { maxSubnets: 3, maxValidatorsPerSubnet: 3, maxMinersPerSubnet: 4 },
    subnets: [subnet(1, 0.05, 2, 3), subnet(2, 0.2, 3, 4), subnet(3, 0.6, 2, 2)],
  });
}

interface Chain {
  connection: NetworkConnection;
  economy: Economy;
  world: World;
  /** A client whose EIP-1193 requests are counted (and can be made to fail). */
  client: (options?: { failFirst?: number }) => { client: PublicClient; requests: () => number };
  close: () => Promise<void>;
}

/** A fresh in-process chain with the economy, the adapters at the real addresses, seeded from `snapshot`. */
async function seededChain(snapshot: Snapshot): Promise<Chain> {
  const connection = await network.create({ network: "node", override: { mining: { auto: true, interval: 0 } } });
  const economy = await deployEconomy(connection, await loadParameters("local"));
  await installPrecompiles(connection, economy);
  const keepers = await localKeepersOn(connection, economy, { log: pino({ level: "silent" }) });
  const world = await seedFromSnapshot(snapshotSeed(snapshot), {
    connection,
    economy,
    keepers,
    log: () => undefined,
    historyBlocks: 1200,
    // An exact seed imports a subnet's neurons three at a time here: most take several transactions.
    neuronsPerTransaction: 3,
  });
  await keepers.stop();
  return {
    connection,
    economy,
    world,
    client: (options = {}) => {
      let requests = 0;
      let failures = options.failFirst ?? 0;
      const request = (async (args) => {
        requests++;
        if (failures > 0) {
          failures--;
          throw Object.assign(new Error("HTTP request failed: 503 Service Unavailable"), { status: 503 });
        }
        return (await connection.provider.request(args as never)) as unknown;
      }) as EIP1193RequestFn;
      return {
        client: createPublicClient({ transport: custom({ request }, { retryCount: 0 }) }),
        requests: () => requests,
      };
    },
    close: () => connection.close(),
  };
}

const exportFrom = (client: PublicClient, options: { multicall?: boolean; log?: (line: string) => void } = {}) =>
  exportSnapshot(client, {
    network: "localhost",
    endpoint: "in-process",
    maxNetuid: 32,
    now: NOW,
    sleep: () => Promise.resolve(),
    ...options,
  });

describe("snapshot exporter on the local chain (adapters at the precompile addresses)", function () {
  this.timeout(600_000);

  let a: Chain | undefined;
  let b: Chain | undefined;
  let exportedA: ExportResult;
  const tmp = mkdtempSync(join(tmpdir(), "snapshot-roundtrip-"));

  before(async () => {
    a = await seededChain(fixture());
    exportedA = await exportFrom(a.client().client);
  });

  after(async () => {
    await a?.close();
    await b?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("reads what the model holds: pools, prices, hyperparameters, neurons and their stakes", async () => {
    const { economy } = a!;
    const block = exportedA.blockNumber;
    expect(exportedA.multicall).to.equal(false); // the local chain has no Multicall3
    const netuids = await economy.registry.read.activeNetuids({ blockNumber: block });
    expect(exportedA.snapshot.subnets.map((s) => s.netuid)).to.deep.equal([...netuids]);
    for (const s of exportedA.snapshot.subnets) {
      const market = await economy.lens.read.market([s.netuid], { blockNumber: block });
      // The chain's prices are truncated to a whole rao per alpha before they are scaled to 1e18.
      expect(s.spotPriceWad).to.equal((market.spotPriceWad / RAO) * RAO);
      expect(s.movingPriceWad).to.equal((market.movingPriceWad / RAO) * RAO);
      expect(s.taoReserveRao).to.equal(market.taoReserveRao);
      expect(s.alphaReserveAlphaRao).to.equal(market.alphaReserveAlphaRao);
      const hp = await economy.registry.read.hyperparameters([s.netuid], { blockNumber: block });
      expect(s.hyperparameters).to.deep.equal({
        weightsVersionKey: hp.weightsVersionKey,
        weightsRateLimit: hp.weightsRateLimit,
        commitReveal: hp.commitReveal,
        minBurnRao: hp.minBurnRao,
        maxBurnRao: hp.maxBurnRao,
        immunityPeriod: hp.immunityPeriod,
        kappaOf65535: hp.kappaOf65535,
        alphaSigmoidSteepness: hp.alphaSigmoidSteepness,
        activityCutoff: hp.activityCutoff,
        bondsMovingAveragePpm: hp.bondsMovingAveragePpm,
        liquidAlpha: hp.liquidAlpha,
        alphaLowOf65535: hp.alphaLowOf65535,
        alphaHighOf65535: hp.alphaHighOf65535,
        yuma3: hp.yuma3,
      });
      const neurons = await economy.metagraph.read.neurons([s.netuid, 0, 1000], { blockNumber: block });
      expect(s.neurons.map((n) => [n.uid, n.hotkey, n.coldkey, n.validatorPermit])).to.deep.equal(
        neurons.map((n) => [n.uid, n.hotkey, n.coldkey, n.validatorPermit]),
      );
      for (const n of s.neurons) {
        const pool = await economy.pools.read.hotkeyPool([n.hotkey as Hex, s.netuid], { blockNumber: block });
        expect(n.stakeAlphaRao).to.equal(pool.alphaRao);
      }
      expect(s.owner).to.deep.equal({ coldkey: neurons[0]!.coldkey, hotkey: neurons[0]!.hotkey });
      expect(s.name).to.equal(`SN${s.netuid}`);
    }
  });

  it("gives the same snapshot through Multicall3 (when the chain has it) in fewer requests, and retries a 503", async () => {
    // Multicall3 at its usual address, as chains that deployed it have it; no block is mined, so both read one state.
    const { connection } = a!;
    const publicClient = await connection.viem.getPublicClient();
    const testClient = await connection.viem.getTestClient();
    const [wallet] = await connection.viem.getWalletClients();
    const hash = await wallet!.deployContract({ abi: [], bytecode: multicall3CreationCode() });
    const deployed = (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
    const plain = a!.client();
    const before = await exportFrom(plain.client, { multicall: false });
    await testClient.setCode({
      address: MULTICALL3_ADDRESS,
      bytecode: (await publicClient.getCode({ address: deployed }))!,
    });
    const viaMulticall = a!.client();
    const after = await exportFrom(viaMulticall.client);
    expect(after.multicall).to.equal(true);
    expect(after.json).to.deep.equal(before.json);
    expect(viaMulticall.requests()).to.be.below(plain.requests() / 10);

    const lines: string[] = [];
    const flaky = a!.client({ failFirst: 2 });
    const retried = await exportFrom(flaky.client, { log: (line) => lines.push(line) });
    expect(retried.json).to.deep.equal(after.json);
    // The first round's two requests fail: one retry, after the first wait, names the cause.
    expect(lines.filter((l) => /retrying/.test(l))).to.deep.equal([
      "  chain id and block: HTTP request failed: 503 Service Unavailable; retrying in 500 ms (try 2 of 4)",
    ]);

    const hopeless = a!.client({ failFirst: 1000 });
    const error = await exportFrom(hopeless.client).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).to.match(/503/);
    await testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: "0x" });
  });

  it("round trip: seeding a fresh chain from the export and exporting again gives the same snapshot", async () => {
    const file = join(tmp, "a.json");
    writeFileSync(file, `${JSON.stringify(exportedA.json, null, 2)}\n`);
    const fromFile = readSnapshotFile(file);
    expect(fromFile.scaling.mode, "an export seeds exactly").to.equal("exact");
    b = await seededChain(fromFile);
    const exportedB = await exportFrom(b.client().client);

    // Everything but the block it was read at (and the description, which names it).
    const { chain: chainA, source: sourceA, ...restA } = exportedA.json as { chain: object; source: object };
    const { chain: chainB, source: sourceB, ...restB } = exportedB.json as { chain: object; source: object };
    expect(restB).to.deep.equal(restA);
    expect({ ...chainB, blockNumber: "" }).to.deep.equal({ ...chainA, blockNumber: "" });
    expect({ ...sourceB, description: "" }).to.deep.equal({ ...sourceA, description: "" });
    expect(exportedB.snapshot.subnets.map((s) => s.neurons.length)).to.deep.equal(
      exportedA.snapshot.subnets.map((s) => s.neurons.length),
    );

    // The seed's accounts among the imported keys act again: the same owners, validators and miners as on A.
    const roles = (world: World) =>
      world.subnets.map((s) => [
        s.netuid,
        s.owner.address,
        s.validators.map((v) => v.address),
        s.miners.map((m) => [m.uid, m.hotkey, m.operator.address]),
      ]);
    expect(roles(b.world)).to.deep.equal(roles(a!.world));
    const activity = await createActivity(b.connection, b.economy, b.world);
    const events = await activity.tick({ force: true });
    expect(
      events.filter((e) => /skipped/.test(e)),
      events.join("\n"),
    ).to.deep.equal([]);
    expect(
      events.some((e) => /set weights on/.test(e)),
      events.join("\n"),
    ).to.equal(true);
  });

  it("npm run snapshot: usage errors exit 2 with one line, an unreachable endpoint exits 1 with one line", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "scripts/snapshot.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
    const help = run("--help");
    expect(help.status).to.equal(0);
    expect(help.stdout).to.match(/^Usage: npm run snapshot -- --network <name> --out <file>/);
    const unknown = run("--netwrok", "localhost");
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr.split("\n")[0]).to.match(/^npm run snapshot: .*--netwrok/);
    expect(unknown.stderr).to.match(/Usage: npm run snapshot/);
    const badNetwork = run("--network", "mainnet", "--out", join(tmp, "x.json"));
    expect(badNetwork.status).to.equal(2);
    expect(badNetwork.stderr).to.equal(
      "npm run snapshot: --network must be one of bittensorTestnet, bittensorMainnet, localhost, got mainnet\n",
    );
    const unreachable = run("--network", "localhost", "--rpc-url", "http://127.0.0.1:9", "--out", join(tmp, "x.json"));
    expect(unreachable.status).to.equal(1);
    expect(unreachable.stderr).to.match(
      /^npm run snapshot: cannot reach the network localhost at http:\/\/127\.0\.0\.1:9: /,
    );
    expect(unreachable.stderr.trim().split("\n")).to.have.length(1);
    expect(() => readFileSync(join(tmp, "x.json"))).to.throw(/ENOENT/);
  });
});
