/**
 * wagmi's configuration: the three chains over HTTP (JSON-RPC batching on, so reads issued together travel in one
 * request), injected wallets discovered with EIP-6963, and the local-only dev wallet.
 */
import { http } from "viem";
import { createConfig } from "wagmi";

import { bittensorMainnet, bittensorTestnet, chains, localChain } from "./chains.ts";
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
    pollingInterval: { [localChain.id]: 1000, [bittensorTestnet.id]: 4000, [bittensorMainnet.id]: 4000 },
  });
}

export type WagmiConfig = ReturnType<typeof makeWagmiConfig>;

declare module "wagmi" {
  interface Register {
    config: WagmiConfig;
  }
}
