/**
 * The dApp's multicalls (frontend/src/data/multicall.ts) against a real chain: a deployless call sends its reads as
 * init code and returns its results as contract code, which the node caps (EIP-3860, EIP-170), so many reads must be
 * split, and not merged back by the client's multicall batching; a head read places Multicall3 by a state override,
 * which Hardhat's node honours, and brings the block's number and time with results of any size.
 */
import { expect } from "chai";
import { createPublicClient, custom } from "viem";

import { isResultTooLarge, readAll, readAllSettled, readAtHead } from "../../frontend/src/data/multicall.ts";
import { freshEconomy } from "./helpers/economy.ts";

describe("dApp multicall (deployless, and at the head)", function () {
  this.timeout(120_000);

  it("regression: reads more results than one deployless call can return (the Epochs page stayed 'Loading…')", async () => {
    // Ten subnets with six settled epochs each: 60 epoch records of 11 words, about 21 KB with the ABI's framing, and
    // the Epochs page read them in one call; the node refused the result ("code is too large") on every block, so the
    // page never loaded. 200 records are about 70 KB of results, and their calls about 50 KB of init code: both over.
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    const recordsCall = (i: number) =>
      ({
        address: e.settlement.address,
        abi: e.settlement.abi,
        functionName: "epochRecord",
        args: [netuid, 1, i + 1],
      }) as const;
    // The dApp's clients batch multicalls (wagmi turns it on): the parts must not be merged back into one call.
    const batching = createPublicClient({
      chain: e.publicClient.chain,
      transport: custom(e.connection.provider),
      batch: { multicall: true },
    });
    // 80 records: their results are over the code size limit; 200: their calls are over the init code limit too.
    for (const count of [80, 200]) {
      const calls = Array.from({ length: count }, (_, i) => recordsCall(i));
      const whole = await e.publicClient
        .multicall({ contracts: calls, allowFailure: false, deployless: true, batchSize: 0 })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(whole, `a single deployless call of ${count} records fails`).to.not.equal(undefined);
      expect(isResultTooLarge(whole), String(whole).slice(-300)).to.equal(true);

      for (const client of [e.publicClient, batching] as never[]) {
        const records = await readAll(client, calls);
        expect(records).to.have.length(count);
        // In order, each the record a direct read gives.
        for (const i of [0, 1, count / 2 - 1, count - 1]) {
          expect(records[i]).to.deep.equal(await e.settlement.read.epochRecord([netuid, 1, i + 1]));
        }
      }
    }
    // Another failure is not split: it surfaces as it is.
    const wrong = [{ ...recordsCall(0), address: e.registry.address }] as unknown as [ReturnType<typeof recordsCall>];
    const failed = await readAll(batching as never, wrong).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).to.not.equal(undefined);
    expect(isResultTooLarge(failed)).to.equal(false);
  });

  it("reads at the head in one eth_call: the block's number and time, and results larger than a deployless call returns", async () => {
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    let calls = 0;
    const counting = createPublicClient({
      chain: e.publicClient.chain,
      transport: custom({
        request: (args: { method: string; params?: unknown }) => {
          if (args.method === "eth_call") calls++;
          return e.connection.provider.request(args as never);
        },
      }),
    });
    // 200 epoch records: about 70 kB of results, more than a deployless call can return (the test above).
    const records = Array.from(
      { length: 200 },
      (_, i) =>
        ({
          address: e.settlement.address,
          abi: e.settlement.abi,
          functionName: "epochRecord",
          args: [netuid, 1, i + 1],
        }) as const,
    );
    const head = await readAtHead(counting as never, records);
    const block = await e.publicClient.getBlock({ blockNumber: head.blockNumber });
    expect(head.blockNumber).to.equal(await e.publicClient.getBlockNumber());
    expect(head.timestamp).to.equal(block.timestamp);
    expect(head.results).to.have.length(200);
    expect(head.results[199]).to.deep.equal(await e.settlement.read.epochRecord([netuid, 1, 200]));
    expect(calls, "one eth_call, through the state override").to.equal(1);

    // A read that reverts is a failure in its slot when settled, the others are read.
    const settled = await readAllSettled(
      counting as never,
      [records[0]!, { ...records[0]!, address: e.registry.address }] as const,
    );
    expect(settled.map((r) => r.status)).to.deep.equal(["success", "failure"]);
  });
});
