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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import type { Address } from "viem";

import { parseSnapshot } from "../../scripts/lib/snapshot.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WAD = 10n ** 18n;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

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

describe("npm start --snapshot <file> (once-mode, end to end)", function () {
  this.timeout(300_000);

  const deploymentId = `start-snapshot-test-${process.pid}`;
  let tmp = "";
  let child: ChildProcess | undefined;
  let output = "";

  after(() => {
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("seeds the snapshot's subnets within its scaling, prices in its order, shares ranked as the prices", async () => {
    parseSnapshot(FIXTURE); // the fixture itself follows the format
    tmp = mkdtempSync(join(tmpdir(), "alpha-markets-snapshot-"));
    const file = join(tmp, "small.json");
    writeFileSync(file, JSON.stringify(FIXTURE, null, 2));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["scripts/start.ts", "--once", "--no-dapp", "--snapshot", file], {
      cwd: ROOT,
      detached: true,
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
    const proc = child;
    proc.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (output.includes("[start] ready")) {
          clearInterval(timer);
          resolve();
        } else if (proc.exitCode !== null || Date.now() - started > 240_000) {
          clearInterval(timer);
          reject(new Error(`npm start did not get ready (exit ${proc.exitCode}):\n${output}`));
        }
      }, 100);
    });
    expect(output).to.match(
      /\[seed\] seeding 3 subnets from \S*small\.json \(Heron 0\.03 τ\/α, Osprey 0\.18 τ\/α, Kestrel 0\.9 τ\/α\)/,
    );

    const data = JSON.parse(readFileSync(join(tmp, "deployments", "31337.json"), "utf8")) as {
      contracts: Record<"MarketsLens", { address: Address }>;
    };
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const lens = await connection.viem.getContractAt("MarketsLens", data.contracts.MarketsLens.address);
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
    } finally {
      await connection.close();
    }
    proc.stdin?.end();
    expect(await exit, output.slice(-2000)).to.equal(0);
  });
});
