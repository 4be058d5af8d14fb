import { expect } from "chai";
import { BrowserProvider } from "ethers";
import { network } from "hardhat";

import {
  DEFAULT_DEADLINE_SECONDS,
  deadlineAfter,
  deadlineFromChain,
  ethersChainClock,
  secondsUntilDeadline,
  UnitError,
  viemChainClock,
} from "../../../client/index.ts";

describe("client: deadlines from the chain's clock", function () {
  this.timeout(60_000);

  it("deadlineAfter adds whole seconds to a block timestamp", () => {
    expect(deadlineAfter(1_700_000_000n, 300)).to.equal(1_700_000_300n);
    expect(deadlineAfter(0n, 1n)).to.equal(1n);
  });

  it("deadlineAfter rejects a margin below one second, a fractional one and a negative timestamp", () => {
    expect(() => deadlineAfter(1n, 0)).to.throw(UnitError, /secondsAhead must be at least 1 second, got 0/);
    expect(() => deadlineAfter(1n, -5n)).to.throw(UnitError, /at least 1 second, got -5/);
    expect(() => deadlineAfter(1n, 1.5)).to.throw(UnitError, /whole number of seconds, got 1.5/);
    expect(() => deadlineAfter(1n, Number.NaN)).to.throw(UnitError, /whole number of seconds/);
    expect(() => deadlineAfter(-1n, 10)).to.throw(UnitError, /timestampSeconds must not be negative/);
  });

  it("secondsUntilDeadline is negative once the deadline has passed", () => {
    expect(secondsUntilDeadline(100n, 40n)).to.equal(60n);
    expect(secondsUntilDeadline(100n, 101n)).to.equal(-1n);
  });

  it("follows the chain's clock, not this machine's (viem and ethers)", async () => {
    const connection = await network.create();
    try {
      const publicClient = await connection.viem.getPublicClient();
      const testClient = await connection.viem.getTestClient();
      // Move the chain a day ahead of the wall clock.
      const wall = BigInt(Math.floor(Date.now() / 1000));
      const chainTime = wall + 86_400n;
      await testClient.setNextBlockTimestamp({ timestamp: chainTime });
      await testClient.mine({ blocks: 1 });

      const viaViem = await deadlineFromChain(viemChainClock(publicClient), 300);
      expect(viaViem).to.equal(chainTime + 300n);
      const viaEthers = await deadlineFromChain(ethersChainClock(new BrowserProvider(connection.provider)), 60n);
      expect(viaEthers).to.equal(chainTime + 60n);
      expect(await deadlineFromChain(viemChainClock(publicClient))).to.equal(chainTime + DEFAULT_DEADLINE_SECONDS);
    } finally {
      await connection.close();
    }
  });

  it("ethersChainClock reports a provider that has no latest block", async () => {
    const clock = ethersChainClock({ getBlock: () => Promise.resolve(null) });
    let message = "";
    await clock().catch((error: Error) => (message = error.message));
    expect(message).to.equal("the provider returned no latest block");
  });
});
