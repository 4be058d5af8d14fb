/**
 * wagmi's configuration: the three chains over HTTP (JSON-RPC batching on, so reads issued together travel in one
 * request), injected wallets discovered with EIP-6963, and the local-only dev wallet.
 */
import { http } from "viem";
import { createConfig } from "wagmi";

import { BLOCK_SECONDS, bittensorMainnet, bittensorTestnet, chains, localChain, type ChainId } from "./chains.ts";
import { devWallet } from "./devWallet.ts";

export function makeWagmiConfig() {
  return createConfig({
    chains,
    connectors: [devWallet()],
    multiInjectedProviderDiscovery: true,
    transports: {
      [localChain.id]: http(undefined, { batch: true }),
      [bittensorTestnet.id]: http(undefined, { batch: true }),
      [bittensorMainnet.id]: http(undefined, { batch: true }),
    },
    pollingInterval: {
      [localChain.id]: pollingIntervalMs(localChain.id),
      [bittensorTestnet.id]: pollingIntervalMs(bittensorTestnet.id),
      [bittensorMainnet.id]: pollingIntervalMs(bittensorMainnet.id),
    },
  });
}

/**
 * How often the new-block watcher asks for the block number: twice per block, between 1 and 4 seconds (a page
 * shows a new block within half a block time, and no chain is asked more often than it makes blocks).
 */
export function pollingIntervalMs(chainId: ChainId): number {
  return Math.min(4000, Math.max(1000, (BLOCK_SECONDS[chainId] * 1000) / 2));
}

export type WagmiConfig = ReturnType<typeof makeWagmiConfig>;

declare module "wagmi" {
  interface Register {
    config: WagmiConfig;
  }
}
