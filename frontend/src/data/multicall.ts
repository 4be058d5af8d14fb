/**
 * Many reads in one `eth_call`: Multicall3 run deployless (its bytecode travels with the call), so it works on any
 * chain, the local one included, without a deployed Multicall3. No chunking: one request whatever the number of reads.
 */
import type { ContractFunctionParameters, MulticallReturnType, PublicClient } from "viem";

export async function readAll<const contracts extends readonly ContractFunctionParameters[]>(
  client: PublicClient,
  contracts: contracts,
  blockNumber?: bigint,
): Promise<MulticallReturnType<contracts, false>> {
  const result: unknown = await client.multicall({
    contracts: contracts as never,
    allowFailure: false,
    deployless: true,
    batchSize: 0,
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });
  return result as MulticallReturnType<contracts, false>;
}
