/**
 * The "Dev wallet": a wagmi connector backed by a funded account of the local chain, so that someone without a
 * browser wallet can try everything against `npm start`. It exists on the local chain only: it refuses to connect to
 * or switch to any other chain, and the wallet menu does not offer it elsewhere.
 *
 * The account is #0 of Hardhat's public test mnemonic ("test test … junk"), which the local node funds. Its key is
 * public knowledge and worthless anywhere else. Transactions are signed in the page with viem's local account and
 * sent as raw transactions; the signing code is loaded only when the dev wallet is used.
 */
import { type Address, type Client, type EIP1193RequestFn, SwitchChainError, createWalletClient, http } from "viem";
import { createConnector } from "wagmi";

import { LOCAL_RPC_URL, localChain } from "./chains.ts";

/** Hardhat's account #0 of the test mnemonic; a unit test derives it from the mnemonic and compares. */
export const DEV_WALLET_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as const;
export const DEV_WALLET_ADDRESS: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const DEV_WALLET_ID = "devWallet";

const CONNECTED_KEY = "devWallet.connected";

function onlyLocal(chainId: number | undefined): void {
  if (chainId !== undefined && chainId !== localChain.id) {
    throw new SwitchChainError(new Error(`The dev wallet exists only on the local chain (${localChain.id})`));
  }
}

export function devWallet() {
  let client: Client | undefined;
  const walletClient = async (): Promise<Client> => {
    if (!client) {
      const { privateKeyToAccount } = await import("viem/accounts");
      const account = privateKeyToAccount(DEV_WALLET_PRIVATE_KEY);
      client = createWalletClient({ account, chain: localChain, transport: http(LOCAL_RPC_URL) });
    }
    return client;
  };

  return createConnector<{ request: EIP1193RequestFn }>((config) => ({
    id: DEV_WALLET_ID,
    name: "Dev wallet",
    type: DEV_WALLET_ID,
    async connect(parameters) {
      onlyLocal(parameters?.chainId);
      await config.storage?.setItem(CONNECTED_KEY, true);
      config.emitter.emit("change", { accounts: [DEV_WALLET_ADDRESS], chainId: localChain.id });
      return { accounts: [DEV_WALLET_ADDRESS], chainId: localChain.id } as never;
    },
    async disconnect() {
      await config.storage?.removeItem(CONNECTED_KEY);
    },
    getAccounts() {
      return Promise.resolve([DEV_WALLET_ADDRESS]);
    },
    getChainId() {
      return Promise.resolve(localChain.id);
    },
    async getProvider() {
      return await walletClient();
    },
    async getClient(parameters) {
      onlyLocal(parameters?.chainId);
      return walletClient();
    },
    async isAuthorized() {
      return Boolean(await config.storage?.getItem(CONNECTED_KEY));
    },
    switchChain({ chainId }) {
      onlyLocal(chainId);
      return Promise.resolve(localChain);
    },
    onAccountsChanged() {},
    onChainChanged() {},
    onDisconnect() {
      config.emitter.emit("disconnect");
    },
  }));
}
