/**
 * Gas measurement for the benchmarks on the in-process chain: a mined transaction's gas, and several transactions
 * mined into one block (automine off while they are sent), so that later ones find the block's catch-up done.
 */
import type { Hex } from "viem";

interface Clients {
  publicClient: {
    waitForTransactionReceipt(args: { hash: Hex }): Promise<{ status: "success" | "reverted"; gasUsed: bigint }>;
  };
  testClient: {
    setAutomine(enabled: boolean): Promise<void>;
    mine(args: { blocks: number }): Promise<void>;
  };
}

export function gasMeter({ publicClient, testClient }: Clients) {
  /** The gas a transaction used; a reverted one is an error. */
  async function gasOf(hash: Hex): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt.gasUsed;
  }

  /** Sends the transactions into one block (automine off) and returns each one's gas. */
  async function gasInOneBlock(send: Array<() => Promise<Hex>>): Promise<bigint[]> {
    await testClient.setAutomine(false);
    try {
      const hashes: Hex[] = [];
      for (const s of send) hashes.push(await s());
      await testClient.mine({ blocks: 1 });
      return Promise.all(hashes.map(gasOf));
    } finally {
      await testClient.setAutomine(true);
    }
  }

  return { gasOf, gasInOneBlock };
}
