/**
 * REGRESSION TEST: `npm start` failed now and then on a busy machine with "Missing or invalid parameters" (the node's
 * "maxFeePerGas … is too low for the next block"): a wallet prices a transaction at 1.2 × the latest base fee, and
 * a few busy blocks between the estimate and the send raised the base fee above it. The local node's base fee now
 * starts at 0, where busy blocks move it by wei, not by 12.5 % of a gwei. Both networks below run the same busy
 * blocks; the in-process test network keeps Hardhat's default base fee (1 gwei), and refuses the stale price.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";

/** Runtime code that loops until its gas runs out: a transaction to it uses all the gas it is given. */
const BURNER_CODE: Hex = "0x5b600056"; // JUMPDEST PUSH1 0 JUMP
const BURNER = "0x00000000000000000000000000000000000b0447" as const;
const BUSY_BLOCKS = 10;

/** "mined", or why the node refused the transaction. */
async function sendAfterBusyBlocks(networkName: "node" | "default"): Promise<string> {
  const connection = await network.create(networkName);
  try {
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const testClient = await viem.getTestClient();
    const [wallet] = await viem.getWalletClients();
    if (!wallet) throw new Error("no account");
    await testClient.setIntervalMining({ interval: 0 });
    await testClient.setCode({ address: BURNER, bytecode: BURNER_CODE });
    // The price a wallet would give the transaction now.
    const fees = await publicClient.estimateFeesPerGas();
    // Small blocks, so the busy ones are quick to fill.
    const gasLimit = 1_000_000n;
    await testClient.setBlockGasLimit({ gasLimit });
    await testClient.setAutomine(false);
    for (let b = 0; b < BUSY_BLOCKS; ++b) {
      // Four transactions of a quarter of the block each fill it: the base fee rises by the most it can, 12.5 %.
      for (let t = 0; t < 4; ++t) await wallet.sendTransaction({ to: BURNER, gas: gasLimit / 4n });
      await testClient.mine({ blocks: 1 });
    }
    await testClient.setAutomine(true);
    try {
      const hash = await wallet.sendTransaction({ to: wallet.account.address, value: 1n, ...fees });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      return receipt.status === "success" ? "mined" : "reverted";
    } catch (error) {
      return (error as { details?: string }).details ?? String(error);
    }
  } finally {
    await connection.close();
  }
}

describe("local node fees", function () {
  this.timeout(120_000);

  it("REGRESSION TEST: a fee estimated before busy blocks still pays on the local node (its base fee starts at 0)", async () => {
    expect(await sendAfterBusyBlocks("node")).to.equal("mined");
  });

  it("with Hardhat's default base fee the same stale price is refused: the hazard the local node avoids", async () => {
    expect(await sendAfterBusyBlocks("default")).to.match(/too low for the next block/);
  });
});
