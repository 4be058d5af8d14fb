import { expect } from "chai";
import pino from "pino";

import { createKeeperService } from "../../../keeper/service/index.ts";
import { createWorld, keeperKeys, prng } from "../../../scripts/lib/keeper-world.ts";

describe("keeper smoke", function () {
  this.timeout(600_000);
  it("settles a few epochs", async () => {
    const w = await createWorld();
    const s = await w.addSubnet({ name: "Apex", validators: 2, miners: 3 });
    for (const v of s.validators) await w.stake(v, v.coldkey, s.netuid, "50");
    const rand = prng(1);
    await w.setWeights(s, s.owner, rand);
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: pino({ level: "info" }),
      graceMs: 0,
    });
    for (let i = 0; i < 60; i++) {
      await w.testClient.mine({ blocks: 3 });
      await service.tickAll();
    }
    const [, closed, finalised] = await w.economy.settlement.read.progress([s.netuid]);
    console.log({ closed, finalised });
    expect(finalised > 1).to.equal(true);
  });
});
