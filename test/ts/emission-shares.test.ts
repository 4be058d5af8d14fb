/**
 * The seeded economy shows the mechanism it exists to show: emission follows relative prices. Seeded as `npm start`
 * seeds it (same parameters, same seed, same live loop), run for a while, every subnet's emission share is ranked
 * exactly as its moving price × (1 − miner burn), and subnets whose prices differ get different shares.
 */
import { expect } from "chai";
import { network } from "hardhat";
import pino from "pino";
import type { Hex } from "viem";

import { createActivity } from "../../scripts/lib/activity.ts";
import { deployEconomy, loadParameters } from "../../scripts/lib/economy.ts";
import { localKeepersOn } from "../../scripts/lib/local-keepers.ts";
import { seedEconomy } from "../../scripts/lib/seed.ts";

const WAD = 10n ** 18n;
const RAO_PER_ALPHA_PER_WAD = 10n ** 9n;

describe("emission shares follow the moving prices in the seeded economy", function () {
  this.timeout(300_000);

  it("ranks every subnet's emission share as its moving price × (1 − miner burn), with distinct prices apart", async () => {
    // The node's network as `npm start` runs it (blocks may share a timestamp), mining on demand.
    const connection = await network.create({ network: "node", override: { mining: { auto: true, interval: 0 } } });
    try {
      const economy = await deployEconomy(connection, await loadParameters("local"));
      const keepers = await localKeepersOn(connection, economy, { log: pino({ level: "silent" }) });
      const world = await seedEconomy({ connection, economy, keepers, log: () => undefined });
      const activity = await createActivity(connection, economy, world);
      const testClient = await connection.viem.getTestClient();
      const publicClient = await connection.viem.getPublicClient();

      // The live loop for a while: pokes, trades, weights, registrations, with blocks passing in between.
      for (let round = 0; round < 12; round++) {
        await activity.tick();
        await testClient.mine({ blocks: 20, interval: 0 });
      }
      // Every subnet caught up in one block, so each share is taken against the same total weight.
      const netuids = await economy.registry.read.activeNetuids();
      await testClient.setAutomine(false);
      const hashes: Hex[] = [];
      for (const netuid of netuids) hashes.push(await economy.pools.write.poke([netuid]));
      await testClient.mine({ blocks: 1 });
      await testClient.setAutomine(true);
      for (const hash of hashes) {
        expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
      }

      const markets = await economy.lens.read.markets();
      expect(markets.length).to.equal(world.subnets.length);
      const rows = await Promise.all(
        markets.map(async (m) => {
          const config = await economy.pools.read.subnetConfig([m.netuid]);
          expect(config.minerBurnOf65535).to.equal(m.minerBurnOf65535);
          return {
            name: m.name,
            share: m.emissionShareWad,
            // The weight's unit: the moving price in rao per alpha, times (1 − miner burn) of 65,535.
            weight: (m.movingPriceWad / RAO_PER_ALPHA_PER_WAD) * BigInt(65_535 - m.minerBurnOf65535),
            movingPriceWad: m.movingPriceWad,
          };
        }),
      );
      // Every moving price is below subtensor's cap of 1 TAO, so none is flattened to it.
      for (const r of rows) expect(r.movingPriceWad < WAD, `${r.name} moving price below 1 TAO`).to.equal(true);

      const byShare = [...rows].sort((a, b) => (b.share > a.share ? 1 : b.share < a.share ? -1 : 0));
      const byWeight = [...rows].sort((a, b) => (b.weight > a.weight ? 1 : b.weight < a.weight ? -1 : 0));
      expect(
        byShare.map((r) => r.name),
        `shares ${byShare.map((r) => `${r.name} ${r.share}`).join(", ")}`,
      ).to.deep.equal(byWeight.map((r) => r.name));
      for (const [i, a] of rows.entries()) {
        for (const b of rows.slice(i + 1)) {
          if (a.weight !== b.weight) {
            expect(a.share, `${a.name} and ${b.name} have different prices`).to.not.equal(b.share);
          }
        }
      }
      // Visibly different: the largest share is several times the smallest.
      const shares = rows.map((r) => r.share);
      const [low, high] = [shares.reduce((a, b) => (a < b ? a : b)), shares.reduce((a, b) => (a > b ? a : b))];
      expect(high > low * 5n, `shares from ${low} to ${high}`).to.equal(true);
      const total = shares.reduce((a, b) => a + b, 0n);
      expect(total <= WAD && total >= WAD - BigInt(rows.length), `shares add up to ${total}`).to.equal(true);
    } finally {
      await connection.close();
    }
  });
});
