/**
 * `npm start -- --snapshot <file>` seeds the subnets of that file: a small custom snapshot (four subnets, of which its
 * scaling keeps the three deepest) seeds exactly those three, with their neuron counts within the scaling limits and
 * their spot prices in the snapshot's order, and their emission shares are ranked as their prices. With two validators
 * at most, four of the seed's six validator accounts stay unregistered (regression: users staked on root through any
 * of the six, and the seed failed with HotkeyNotRegistered). Runs `scripts/start.ts --once --no-dapp` as a child process on a
 * free port, as start.test.ts does.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import type { Address, Hex } from "viem";

import { parseSnapshot } from "../../scripts/lib/snapshot.ts";
import { freePort } from "./helpers/node.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WAD = 10n ** 18n;

/** A subnet of the fixture: `alpha` million alpha in the pool at `price` TAO per alpha. */
function subnet(netuid: number, name: string, price: number, alpha: number, validators: number, miners: number) {
  const alphaRao = BigInt(alpha * 1e6) * 10n ** 9n;
  const priceRao = BigInt(Math.round(price * 1e9));
  const taoRao = (alphaRao * priceRao) / 10n ** 9n;
  return {
    netuid,
    name,
    owner: { coldkey: `0x${netuid.toString(16).padStart(2, "0").repeat(32)}` },
    taoReserveRao: taoRao.toString(),
    alphaReserveAlphaRao: alphaRao.toString(),
    spotPriceWad: ((taoRao * WAD) / alphaRao).toString(),
    movingPriceWad: ((taoRao * WAD) / alphaRao).toString(),
    hyperparameters: { tempo: 360 },
    neurons: Array.from({ length: validators + miners }, (_, uid) => ({
      uid,
      validatorPermit: uid < validators,
      stakeAlphaRao: "1000000000000",
    })),
  };
}

const FIXTURE = {
  format: "alpha-markets-snapshot",
  version: 1,
  source: { kind: "hand-written", description: "a small fixture for the --snapshot test" },
  createdAt: "2026-11-30T12:00:00Z",
  chain: { blockNumber: "1000", totalIssuanceRao: "5000000000000000" },
  // The three kept prices add up to 0.37 TAO: × 3 they add up to about 1, where the seed's emission brings them.
  scaling: { maxSubnets: 3, maxValidatorsPerSubnet: 2, maxMinersPerSubnet: 4, priceFactor: 3 },
  subnets: [
    subnet(5, "Kestrel", 0.3, 1, 3, 9), // 3 validators → 2, 9 miners → 4
    subnet(8, "Heron", 0.01, 3, 1, 2),
    subnet(12, "Osprey", 0.06, 2, 2, 3),
    subnet(40, "Wren", 0.002, 1, 1, 1), // the shallowest pool (2,000 TAO): left out by maxSubnets
  ],
};

/** The same subnets as they are, keys and all, to import exactly (`scaling.mode` "exact"): keys nobody here holds. */
function exact(): typeof FIXTURE & { scaling: { mode: "exact" } } {
  const key = (netuid: number, uid: number, role: string) =>
    `0x${createHash("sha256").update(`${role} ${netuid}/${uid}`).digest("hex")}`;
  return {
    ...FIXTURE,
    scaling: { ...FIXTURE.scaling, mode: "exact" },
    subnets: FIXTURE.subnets.map((s) => ({
      ...s,
      owner: { coldkey: key(s.netuid, 0, "coldkey"), hotkey: key(s.netuid, 0, "hotkey") },
      neurons: s.neurons.map((n) => ({
        ...n,
        hotkey: key(s.netuid, n.uid, "hotkey"),
        coldkey: key(s.netuid, n.uid, "coldkey"),
      })),
    })),
  };
}

describe("npm start --snapshot <file> (once-mode, end to end)", function () {
  this.timeout(300_000);

  const deploymentIds: string[] = [];
  const children: ChildProcess[] = [];
  let tmp = "";

  after(() => {
    for (const child of children) {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
    for (const id of deploymentIds) rmSync(join(ROOT, "ignition", "deployments", id), { recursive: true, force: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs `npm start --once --no-dapp --snapshot <snapshot>` until it is ready; `finish` lets it exit. */
  async function startOnce(name: string, snapshot: unknown) {
    parseSnapshot(snapshot); // the fixture itself follows the format
    tmp ||= mkdtempSync(join(tmpdir(), "alpha-markets-snapshot-"));
    const file = join(tmp, `${name}.json`);
    writeFileSync(file, JSON.stringify(snapshot, null, 2));
    const deploymentId = `start-snapshot-test-${name}-${process.pid}`;
    deploymentIds.push(deploymentId);
    const port = await freePort();
    const child = spawn(process.execPath, ["scripts/start.ts", "--once", "--no-dapp", "--snapshot", file], {
      cwd: ROOT,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
      env: {
        ...process.env,
        RPC_PORT: String(port),
        BLOCK_INTERVAL_MS: "1000",
        DEPLOYMENTS_DIR: join(tmp, `deployments-${name}`),
        IGNITION_DEPLOYMENT_ID: deploymentId,
        NODE_LOG: join(tmp, `node-${name}.log`),
        START_ONCE_WAIT_STDIN: "1",
      },
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (output.includes("[start] ready")) {
          clearInterval(timer);
          resolve();
        } else if (child.exitCode !== null || Date.now() - started > 240_000) {
          clearInterval(timer);
          reject(new Error(`npm start did not get ready (exit ${child.exitCode}):\n${output}`));
        }
      }, 100);
    });
    const data = JSON.parse(readFileSync(join(tmp, `deployments-${name}`, "31337.json"), "utf8")) as {
      contracts: Record<"MarketsLens" | "SubnetRegistry" | "AlphaPools", { address: Address }>;
    };
    const connection = await network.create({ network: "localhost", override: { url: `http://127.0.0.1:${port}` } });
    return {
      output: () => output,
      connection,
      contracts: data.contracts,
      finish: async () => {
        await connection.close();
        child.stdin?.end();
        expect(await exit, output.slice(-2000)).to.equal(0);
      },
    };
  }

  it("seeds the snapshot's subnets within its scaling, prices in its order, shares ranked as the prices", async () => {
    const run = await startOnce("history", FIXTURE);
    expect(run.output()).to.match(
      /\[seed\] seeding 3 subnets from \S*history\.json through a history \(Heron 0\.03 τ\/α, Osprey 0\.18 τ\/α, Kestrel 0\.9 τ\/α\)/,
    );
    const lens = await run.connection.viem.getContractAt("MarketsLens", run.contracts.MarketsLens.address);
    const markets = await lens.read.markets();
    // Registered cheapest first, so local netuids 1, 2, 3 are Heron, Osprey, Kestrel; Wren is left out.
    expect(markets.map((m) => [m.netuid, m.name])).to.deep.equal([
      [1, "Heron"],
      [2, "Osprey"],
      [3, "Kestrel"],
    ]);
    const neurons: Record<string, number> = {
      // The owner's uid, the validators and the miners, within the scaling limits.
      Heron: 1 + 1 + 2,
      Osprey: 1 + 2 + 3,
      Kestrel: 1 + 2 + 4,
    };
    for (const m of markets) {
      // A live registration may have added one miner.
      expect(m.neurons, `${m.name} neurons`).to.be.within(neurons[m.name]!, neurons[m.name]! + 1);
      expect(m.spotPriceWad < WAD, `${m.name} below 1 TAO per alpha`).to.equal(true);
    }
    // The history sells each subnet toward its price: the spot prices keep the snapshot's order, well apart.
    const prices = markets.map((m) => m.spotPriceWad);
    expect(prices[0]! < prices[1]! && prices[1]! < prices[2]!, `spot prices ${prices.join(", ")}`).to.equal(true);
    expect(prices[2]! > prices[0]! * 2n, `spot prices ${prices.join(", ")}`).to.equal(true);
    const byShare = [...markets].sort((a, b) => (b.emissionShareWad > a.emissionShareWad ? 1 : -1));
    expect(byShare.map((m) => m.name)).to.deep.equal(["Kestrel", "Osprey", "Heron"]);
    await run.finish();
  });

  it("imports an exact snapshot as the chain's genesis: its netuids, pools, moving prices, neurons and stake", async () => {
    const snapshot = parseSnapshot(exact());
    const run = await startOnce("exact", exact());
    expect(run.output()).to.match(/\[seed\] seeding 3 subnets from \S*exact\.json exactly, as its genesis/);
    expect(run.output()).to.match(/genesis closed at block \d+: .* 0 of them have an owner this chain holds a key for/);
    const registry = await run.connection.viem.getContractAt("SubnetRegistry", run.contracts.SubnetRegistry.address);
    const lens = await run.connection.viem.getContractAt("MarketsLens", run.contracts.MarketsLens.address);
    const pools = await run.connection.viem.getContractAt("AlphaPools", run.contracts.AlphaPools.address);
    const [closed] = await registry.getEvents.CloseGenesis({ fromBlock: 0n });
    const atGenesis = closed!.blockNumber;
    // The three deepest, on their own netuids, exactly as the file has them at the genesis block.
    const kept = snapshot.subnets.filter((s) => s.name !== "Wren").sort((x, y) => x.netuid - y.netuid);
    const markets = await lens.read.markets({ blockNumber: atGenesis });
    expect(markets.map((m) => [m.netuid, m.name])).to.deep.equal(kept.map((s) => [s.netuid, s.name]));
    for (const [i, m] of markets.entries()) {
      const s = kept[i]!;
      expect([m.taoReserveRao, m.alphaReserveAlphaRao, m.movingPriceWad, m.neurons]).to.deep.equal([
        s.taoReserveRao,
        s.alphaReserveAlphaRao,
        s.movingPriceWad,
        s.neurons.length,
      ]);
      for (const n of s.neurons) {
        const stake = await pools.read.getStake([n.hotkey as Hex, n.coldkey as Hex, s.netuid], {
          blockNumber: atGenesis,
        });
        expect(stake, `${s.name} uid ${n.uid}`).to.equal(n.stakeAlphaRao);
      }
    }
    // Emission starts from the imported moving prices: the shares are ranked as they are from the first block.
    const byShare = [...(await lens.read.markets())].sort((a, b) => (b.emissionShareWad > a.emissionShareWad ? 1 : -1));
    expect(byShare.map((m) => m.name)).to.deep.equal(["Kestrel", "Osprey", "Heron"]);
    await run.finish();
  });
});
