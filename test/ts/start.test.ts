/**
 * The main job end to end: `scripts/start.ts --once` starts a node, deploys, exports and seeds, then (with
 * START_ONCE_WAIT_STDIN=1) keeps the node up until stdin closes, so this test reads the chain itself before the
 * job stops it. It runs on a free port with its own deployment id and deployments folder, so a developer's running
 * `npm start` is left alone.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import { createPublicClient, createWalletClient, http, type Abi, type Address, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { SUBNETS } from "../../scripts/lib/seed.ts";
import { freePort, rpcAnswers } from "./helpers/node.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MNEMONIC = "test test test test test test test test test test test junk";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start (once-mode, end to end)", function () {
  // The seed settles six rounds of history through the three keepers (about ten epochs per subnet, each closed,
  // signed by two keepers, submitted, finalised and claimed): a minute or two on a quiet two-core machine, and more
  // than twice that while other builds share its cores (the seed alone has taken three minutes then).
  this.timeout(540_000);

  const deploymentId = `start-test-${process.pid}`;
  let tmp = "";
  let port = 0;
  let url = "";
  let child: ChildProcess | undefined;
  let output = "";
  let nodePid: number | undefined;
  let exit: Promise<number | null> = Promise.resolve(null);

  /** Resolves when the output contains `text`; rejects if the job exits first or after `ms`. */
  const waitFor = (text: string, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (output.includes(text)) {
          clearInterval(timer);
          resolve();
        } else if (child?.exitCode !== null || Date.now() - started > ms) {
          clearInterval(timer);
          reject(new Error(`"${text}" did not appear (exit ${child?.exitCode}):\n${output}`));
        }
      }, 100);
    });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "alpha-markets-start-"));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["scripts/start.ts", "--once"], {
      cwd: ROOT,
      detached: true, // its own process group, so cleanup reaches everything it started
      stdio: ["pipe", "pipe", "pipe"],
      env: {
        ...process.env,
        RPC_PORT: String(port),
        BLOCK_INTERVAL_MS: "1000",
        DEPLOYMENTS_DIR: join(tmp, "deployments"),
        IGNITION_DEPLOYMENT_ID: deploymentId,
        NODE_LOG: join(tmp, "node.log"),
        START_ONCE_WAIT_STDIN: "1",
      },
    });
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      nodePid ??= Number(/node pid (\d+)/.exec(output)?.[1]) || undefined;
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const proc = child;
    exit = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
    await waitFor("[start] ready", 420_000);
  });

  after(async () => {
    // Whatever happened, leave no process and no files behind.
    if (child?.pid && child.exitCode === null) {
      child.stdin?.end();
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
    if (nodePid && alive(nodePid)) process.kill(-nodePid, "SIGKILL");
    rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("writes the deployments file with the model's contracts and liquid staking's", () => {
    const file = join(tmp, "deployments", "31337.json");
    expect(existsSync(file), `${file} exists`).to.equal(true);
    const data = JSON.parse(readFileSync(file, "utf8")) as {
      chainId: number;
      rpcUrl: string;
      contracts: Record<string, { address: string; startBlock: number }>;
    };
    expect(data.chainId).to.equal(31337);
    expect(data.rpcUrl).to.equal(url);
    expect(Object.keys(data.contracts)).to.have.members([
      "AlphaPools",
      "AlphaPoolsExtension",
      "SubnetRegistry",
      "Metagraph",
      "RootDividends",
      "EpochSettlement",
      "MarketsLens",
      "LiquidVaultFactory",
      "AllocationRouter",
      "LiquidVaultCode",
      "FundFactory",
      "MiningFundImplementation",
      "AllocatorFundImplementation",
      "SubnetIndexFundImplementation",
    ]);
    for (const c of Object.values(data.contracts)) {
      expect(c.address).to.match(/^0x[0-9a-fA-F]{40}$/);
      expect(c.startBlock).to.be.a("number");
    }
  });

  it("seeds at least 8 subnets at Bittensor's magnitudes, with staked neurons, owners' weights and root stake", async () => {
    const data = JSON.parse(readFileSync(join(tmp, "deployments", "31337.json"), "utf8")) as {
      contracts: Record<"AlphaPools" | "Metagraph" | "MarketsLens", { address: `0x${string}` }>;
    };
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const { viem } = connection;
      const lens = await viem.getContractAt("MarketsLens", data.contracts.MarketsLens.address);
      const metagraph = await viem.getContractAt("Metagraph", data.contracts.Metagraph.address);
      const pools = await viem.getContractAt("AlphaPools", data.contracts.AlphaPools.address);

      const markets = await lens.read.markets();
      expect(markets.length).to.be.at.least(8);
      for (const m of markets) {
        expect(m.name).to.not.equal("");
        expect(m.taoReserveRao > 0n, `${m.name} has TAO in its pool`).to.equal(true);
        expect(m.firstEmissionBlock > 0, `${m.name} emits`).to.equal(true);
        expect(m.neurons).to.be.at.least(5);
        // Alpha well below 1 TAO: the moving price (capped at 1) then tells subnets apart.
        expect(m.spotPriceWad < 10n ** 18n / 2n, `${m.name} trades at ${m.spotPriceWad} (× 1e-18 TAO)`).to.equal(true);
        const neurons = await metagraph.read.neurons([m.netuid, 0, m.neurons]);
        const staked = neurons.filter((n) => n.alphaStakeRao > 0n);
        expect(staked.length, `${m.name} has staked neurons`).to.be.at.least(2);
        // The owner's uid 0 has the validator permit and has set weights on the miners.
        expect(neurons[0]!.validatorPermit, `${m.name}'s owner uid has a permit`).to.equal(true);
        expect(neurons[0]!.lastUpdate > neurons[0]!.registeredAt, `${m.name}'s owner set weights`).to.equal(true);
      }
      const prices = markets.map((m) => m.spotPriceWad);
      const [low, high] = [prices.reduce((a, b) => (a < b ? a : b)), prices.reduce((a, b) => (a > b ? a : b))];
      expect(high > low * 10n, `prices from ${low} to ${high} span more than an order of magnitude`).to.equal(true);
      const [, , root] = await pools.read.storedGlobal();
      expect(root.taoRao > 0n, "root stake").to.equal(true);
    } finally {
      await connection.close();
    }
  });

  it("settles the history on EpochSettlement with the local keepers' signatures only, and keeps settling", async () => {
    const data = JSON.parse(readFileSync(join(tmp, "deployments", "31337.json"), "utf8")) as {
      contracts: Record<
        "AlphaPools" | "Metagraph" | "RootDividends" | "EpochSettlement" | "MarketsLens",
        { address: Address }
      >;
    };
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const { viem } = connection;
      const settlement = await viem.getContractAt("EpochSettlement", data.contracts.EpochSettlement.address);
      const pools = await viem.getContractAt("AlphaPools", data.contracts.AlphaPools.address);
      const metagraph = await viem.getContractAt("Metagraph", data.contracts.Metagraph.address);
      const rootDividends = await viem.getContractAt("RootDividends", data.contracts.RootDividends.address);
      const keepers = [32, 33, 34].map((addressIndex) => mnemonicToAccount(MNEMONIC, { addressIndex }).address);
      // Nobody but EpochSettlement holds the settler's role: no back door for the seed.
      const settlerRole = await pools.read.SETTLER_ROLE();
      const deployer = mnemonicToAccount(MNEMONIC).address;
      for (const c of [pools, metagraph, rootDividends]) {
        expect(await c.read.hasRole([settlerRole, settlement.address])).to.equal(true);
        expect(await c.read.hasRole([settlerRole, deployer])).to.equal(false);
        const grants = await c.getEvents.RoleGranted({ role: settlerRole }, { fromBlock: 0n });
        expect(grants.map((g) => g.args.account)).to.deep.equal([settlement.address]);
      }
      // Six rounds of history, each an epoch settled per subnet (more may have closed between rounds).
      const lens = await viem.getContractAt("MarketsLens", data.contracts.MarketsLens.address);
      const netuids = (await lens.read.markets()).map((m) => m.netuid);
      const settled = async () => Promise.all(netuids.map(async (n) => (await settlement.read.progress([n]))[2]));
      const before = await settled();
      for (const epochs of before) expect(epochs).to.be.at.least(6);
      // Every accepted report was signed by a quorum (2) of the local keepers.
      const submissions = await settlement.getEvents.SubmitReport({}, { fromBlock: 0n });
      expect(submissions.length).to.be.at.least(6 * netuids.length);
      for (const s of submissions) {
        expect(s.args.signers!.length).to.equal(2);
        for (const signer of s.args.signers!) expect(keepers).to.include(signer);
      }
      // The keepers run on their own (looking for work every 15 s here: half of a 30-block tempo at a block a
      // second): within two minutes, every subnet settles another epoch.
      const deadline = Date.now() + 120_000;
      let now = before;
      while (Date.now() < deadline && now.some((e, i) => e <= before[i]!)) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        now = await settled();
      }
      expect(
        now.every((e, i) => e > before[i]!),
        `settled epochs ${before.join(",")} then ${now.join(",")}`,
      ).to.equal(true);
      expect(output).to.match(/\[keeper\] .*: epoch \d+ settled by 0x/);
    } finally {
      await connection.close();
    }
  });

  it("deploys liquid staking over adapters at Bittensor's addresses: a vault per seeded validator, users' shares", async () => {
    const data = JSON.parse(readFileSync(join(tmp, "deployments", "31337.json"), "utf8")) as {
      contracts: Record<string, { address: Address; precompiles?: Record<string, Address> }>;
      precompiles: { atRealAddresses: boolean; adapters: Record<string, Address> };
    };
    const factoryEntry = data.contracts.LiquidVaultFactory!;
    expect(data.precompiles.atRealAddresses).to.equal(true);
    expect(factoryEntry.precompiles?.staking).to.equal("0x0000000000000000000000000000000000000805");
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const { viem } = connection;
      const publicClient = await viem.getPublicClient();
      const stakingCode = await publicClient.getCode({ address: "0x0000000000000000000000000000000000000805" });
      expect(stakingCode).to.equal(await publicClient.getCode({ address: data.precompiles.adapters.StakingV2! }));
      const factory = await viem.getContractAt("LiquidVaultFactory", factoryEntry.address);
      const lens = await viem.getContractAt("MarketsLens", data.contracts.MarketsLens!.address);
      const metagraph = await viem.getContractAt("Metagraph", data.contracts.Metagraph!.address);
      const users = Array.from({ length: 6 }, (_, i) => mnemonicToAccount(MNEMONIC, { addressIndex: 20 + i }).address);
      let vaults = 0;
      const vaultsHeld = new Map<Address, number>(users.map((u) => [u, 0]));
      for (const m of await lens.read.markets()) {
        const neurons = await metagraph.read.neurons([m.netuid, 0, m.neurons]);
        // Every neuron but the owner's uid 0: the validators have a vault, the miners none.
        for (const n of neurons.slice(1)) {
          const vault = await factory.read.vaultFor([m.netuid, n.hotkey]);
          if (!(await factory.read.isVault([vault]))) continue;
          vaults++;
          const token = await viem.getContractAt("LiquidAlphaVault", vault);
          expect(await token.read.STAKES_WITH_VALUE()).to.equal(true);
          let held = false;
          for (const user of users) {
            if ((await token.read.balanceOf([user])) === 0n) continue;
            held = true;
            vaultsHeld.set(user, vaultsHeld.get(user)! + 1);
          }
          if (held) expect((await token.read.totalAssets()) > 0n, `vault ${vault} holds stake`).to.equal(true);
        }
      }
      const seededValidators = SUBNETS.reduce((sum, spec) => sum + spec.validators, 0);
      expect(vaults, "one vault per seeded (subnet, validator)").to.equal(seededValidators);
      // Each of the first six users allocated across four vaults through the router.
      expect([...vaultsHeld.values()]).to.deep.equal([4, 4, 4, 4, 4, 4]);
      expect(await publicClient.getBalance({ address: data.contracts.AllocationRouter!.address })).to.equal(0n);
    } finally {
      await connection.close();
    }
  });

  it("launches a demo mining fund, an allocator and the subnet index through the FundFactory, each with NAV > 0", async () => {
    const data = JSON.parse(readFileSync(join(tmp, "deployments", "31337.json"), "utf8")) as {
      contracts: Record<string, { address: Address }>;
      funds: Record<string, { address: Address; kind: string; startBlock: number }>;
    };
    expect(Object.keys(data.funds)).to.have.members(["OTMINE", "ALLOC", "TAOIDX"]);
    expect([data.funds.OTMINE!.kind, data.funds.ALLOC!.kind, data.funds.TAOIDX!.kind]).to.deep.equal([
      "mining",
      "allocator",
      "index",
    ]);
    expect(output).to.match(/FundFactory\s+0x[0-9a-fA-F]{40}\s+funds OTMINE 0x/);
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const { viem } = connection;
      const factory = await viem.getContractAt("FundFactory", data.contracts.FundFactory!.address);
      const listed = await factory.read.funds();
      for (const [symbol, entry] of Object.entries(data.funds)) {
        expect(listed, `${symbol} created by the factory`).to.include(entry.address);
        expect(await factory.read.isFund([entry.address])).to.equal(true);
        const fund = await viem.getContractAt("MiningFund", entry.address);
        expect(await fund.read.symbol()).to.equal(symbol);
        expect((await fund.read.navRao()) > 0n, `${symbol} has NAV > 0`).to.equal(true);
        expect((await fund.read.totalSupply()) > 0n, `${symbol} has holders`).to.equal(true);
      }
      // The mining fund: raised its hard cap from three investors, who claimed their shares; capital is staked.
      const mining = await viem.getContractAt("MiningFund", data.funds.OTMINE!.address);
      expect(await mining.read.phase()).to.equal(1);
      expect(await mining.read.totalRaisedRao()).to.equal(300n * 10n ** 9n);
      expect(await mining.read.unclaimedShares()).to.equal(0n);
      let stakedPositions = 0;
      const positions = await mining.read.positions();
      for (let i = 0; i < positions.length; i++) {
        if ((await mining.read.positionAlphaRao([BigInt(i)])) > 0n) stakedPositions++;
      }
      expect(stakedPositions, "the mining fund's capital is deployed").to.be.at.least(1);
      expect((await mining.read.idleRao()) < 300n * 10n ** 9n, "less than the raise is idle").to.equal(true);
    } finally {
      await connection.close();
    }
  });

  it("leaves the chain's clock within a minute of the wall clock after seeding, and shows it in the banner", async () => {
    const client = createPublicClient({ transport: http(url) });
    const latest = await client.getBlock();
    const wall = Math.floor(Date.now() / 1000);
    expect(Math.abs(Number(latest.timestamp) - wall), `chain ${latest.timestamp}, wall ${wall}`).to.be.at.most(60);
    expect(output).to.match(
      /Chain time +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \([+-]\d+ s from this machine's clock\) at block \d+/,
    );
  });

  it("a plain viem client stakes with a deadline 5 minutes ahead of the wall clock", async () => {
    // As a newcomer would: addresses from the deployments file, ABIs from the artifacts, time from Date.now().
    const data = JSON.parse(readFileSync(join(tmp, "deployments", "31337.json"), "utf8")) as {
      contracts: Record<string, { address: Address; artifact: string }>;
    };
    const abiOf = (name: string) =>
      (JSON.parse(readFileSync(join(ROOT, data.contracts[name]!.artifact), "utf8")) as { abi: Abi }).abi;
    const pools = { address: data.contracts.AlphaPools!.address, abi: abiOf("AlphaPools") };
    const lens = { address: data.contracts.MarketsLens!.address, abi: abiOf("MarketsLens") };
    const metagraph = { address: data.contracts.Metagraph!.address, abi: abiOf("Metagraph") };
    const account = mnemonicToAccount(MNEMONIC, {
      addressIndex: 19,
    });
    const publicClient = createPublicClient({ transport: http(url) });
    const wallet = createWalletClient({ account, transport: http(url) });

    const markets = (await publicClient.readContract({ ...lens, functionName: "markets" })) as {
      netuid: number;
      neurons: number;
    }[];
    const market = markets[0]!;
    const neurons = (await publicClient.readContract({
      ...metagraph,
      functionName: "neurons",
      args: [market.netuid, 0, market.neurons],
    })) as { hotkey: Hex; validatorPermit: boolean }[];
    const hotkey = neurons.find((n) => n.validatorPermit)!.hotkey;
    const value = 10n ** 18n; // 1 TAO
    const quote = (await publicClient.readContract({
      ...lens,
      functionName: "quoteStake",
      args: [market.netuid, 10n ** 9n],
    })) as bigint;
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 300);

    const call = {
      ...pools,
      functionName: "addStake",
      args: [hotkey, market.netuid, (quote * 95n) / 100n, deadline],
      value,
    } as const;
    // The keepers and the live loop keep mining: a subnet's catch-up that another transaction did in the estimate's
    // block can fall to this one in the next, so the client adds half again to the estimate, as wallets do.
    const gas = await publicClient.estimateContractGas({ ...call, account: wallet.account });
    const hash = await wallet.writeContract({ ...call, chain: null, gas: (gas * 3n) / 2n });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    expect(block.timestamp <= deadline, "mined before the deadline").to.equal(true);
  });

  it("stops the node and exits 0", async () => {
    child?.stdin?.end();
    const code = await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve("timeout"), 15_000))]);
    expect(code, output.slice(-2000)).to.equal(0);
    expect(await rpcAnswers(url), "the node is gone").to.equal(false);
    if (nodePid) expect(alive(nodePid), "node process is gone").to.equal(false);
  });
});
