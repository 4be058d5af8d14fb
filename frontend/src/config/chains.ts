/**
 * The chains the dApp knows, defined with viem's `defineChain`: the local chain that `npm start` runs, and
 * Bittensor's EVM testnet and mainnet. Native currency TAO, 18 decimals on the EVM.
 */
import { defineChain } from "viem";

const TAO = { name: "TAO", symbol: "TAO", decimals: 18 } as const;

/** Where the local chain's RPC answers; `npm start` sets it at build time when it uses another port. */
export const LOCAL_RPC_URL: string = import.meta.env.VITE_LOCAL_RPC_URL || "http://127.0.0.1:8545";

export const localChain = defineChain({
  id: 31_337,
  name: "Local chain",
  nativeCurrency: TAO,
  rpcUrls: { default: { http: [LOCAL_RPC_URL] } },
  testnet: true,
});

export const bittensorTestnet = defineChain({
  id: 945,
  name: "Bittensor EVM testnet",
  nativeCurrency: TAO,
  rpcUrls: { default: { http: ["https://test.chain.opentensor.ai"] } },
  testnet: true,
});

export const bittensorMainnet = defineChain({
  id: 964,
  name: "Bittensor EVM",
  nativeCurrency: TAO,
  rpcUrls: { default: { http: ["https://lite.chain.opentensor.ai"] } },
});

export const chains = [localChain, bittensorTestnet, bittensorMainnet] as const;
export type ChainId = (typeof chains)[number]["id"];

/** Seconds per block, for the 24 h window and for "about N minutes" estimates. */
export const BLOCK_SECONDS: Record<ChainId, number> = {
  [localChain.id]: Number(import.meta.env.VITE_LOCAL_BLOCK_SECONDS || 2),
  [bittensorTestnet.id]: 12,
  [bittensorMainnet.id]: 12,
};

export function isKnownChain(id: number | undefined): id is ChainId {
  return chains.some((c) => c.id === id);
}

export function chainName(id: number | undefined): string {
  return chains.find((c) => c.id === id)?.name ?? `chain ${id ?? "?"}`;
}
