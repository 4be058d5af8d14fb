/**
 * A browser wallet for the tests: an EIP-1193 provider injected with `page.addInitScript` and announced with
 * EIP-6963, whose requests are answered in the test process. It really signs: transactions are signed with the
 * test account's key by viem (never by the node) and sent raw. Tests can make it reject signatures (code 4001, as a
 * user's "Reject" does) or start on another network.
 */
import type { BrowserContext, Page } from "playwright-core";
import { createWalletClient, http, type Hex, hexToBigInt, type LocalAccount } from "viem";

export interface TestWallet {
  account: LocalAccount;
  /** The wallet's current chain id. */
  chainId: number;
  rejectTransactions: boolean;
  /** Whether the page was granted the account (eth_requestAccounts). */
  authorized: boolean;
  /** Every method the page asked for, in order. */
  calls: string[];
  sent: Hex[];
}

export const WALLET_NAME = "E2E Wallet";
const RDNS = "org.alphamarkets.e2e";

/** Installs the wallet in every page of `context`; returns its state for the test to steer and inspect. */
export async function installWallet(
  context: BrowserContext,
  options: { account: LocalAccount; rpcUrl: string; chainId: number; knownChains: number[] },
): Promise<TestWallet> {
  const wallet: TestWallet = {
    account: options.account,
    chainId: options.chainId,
    rejectTransactions: false,
    authorized: false,
    calls: [],
    sent: [],
  };
  const signer = createWalletClient({ account: options.account, transport: http(options.rpcUrl) });

  await context.exposeFunction("__e2eWalletRequest", async (method: string, params: unknown[] | undefined) => {
    wallet.calls.push(method);
    try {
      return { result: await handle(method, params ?? []) };
    } catch (error) {
      const e = error as { code?: number; message?: string };
      return { error: { code: e.code ?? -32603, message: e.message ?? String(error) } };
    }
  });

  async function rpc(method: string, params: unknown[]): Promise<unknown> {
    const response = await fetch(options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
    return body.result;
  }

  async function handle(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case "eth_requestAccounts":
        wallet.authorized = true;
        return [options.account.address];
      case "eth_accounts":
        // As a real wallet: no account for a page until the user approved a connection.
        return wallet.authorized ? [options.account.address] : [];
      case "eth_chainId":
        return `0x${wallet.chainId.toString(16)}`;
      case "wallet_switchEthereumChain": {
        const target = Number((params[0] as { chainId: string }).chainId);
        if (!options.knownChains.includes(target)) throw Object.assign(new Error("Unrecognized chain"), { code: 4902 });
        wallet.chainId = target;
        return null;
      }
      case "eth_sendTransaction": {
        if (wallet.rejectTransactions) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
        if (wallet.chainId !== options.knownChains[0]) throw Object.assign(new Error("wrong chain"), { code: 4901 });
        const tx = params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex };
        const hash = await signer.sendTransaction({
          account: options.account,
          chain: null,
          to: tx.to,
          data: tx.data,
          value: tx.value ? hexToBigInt(tx.value) : 0n,
          ...(tx.gas ? { gas: hexToBigInt(tx.gas) } : {}),
        });
        wallet.sent.push(hash);
        return hash;
      }
      default:
        return rpc(method, params);
    }
  }

  await context.addInitScript(
    ({ name, rdns }) => {
      const listeners = new Map<string, Set<(value: unknown) => void>>();
      const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((fn) => fn(value));
      const bridge = (
        window as unknown as {
          __e2eWalletRequest: (
            m: string,
            p: unknown,
          ) => Promise<{ result?: unknown; error?: { code: number; message: string } }>;
        }
      ).__e2eWalletRequest;
      const provider = {
        isE2EWallet: true,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const answer = await bridge(method, params);
          if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
          if (method === "wallet_switchEthereumChain")
            emit("chainChanged", (params?.[0] as { chainId: string }).chainId);
          if (method === "eth_requestAccounts")
            emit("connect", { chainId: await provider.request({ method: "eth_chainId" }) });
          return answer.result;
        },
        on(event: string, fn: (value: unknown) => void) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(fn);
          return provider;
        },
        removeListener(event: string, fn: (value: unknown) => void) {
          listeners.get(event)?.delete(fn);
          return provider;
        },
      };
      const info = {
        uuid: "6f1a3c9e-5b7d-4e2a-9c1f-0d8b7a6e5f43",
        name,
        icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E",
        rdns,
      };
      const announce = () =>
        window.dispatchEvent(
          new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
        );
      // Lets a test act as the user changing the network in the wallet.
      (window as unknown as { __e2eWalletEmit: typeof emit }).__e2eWalletEmit = emit;
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    },
    { name: WALLET_NAME, rdns: RDNS },
  );
  return wallet;
}

/** The user switches the wallet to `chainId` (the wallet tells the page with a `chainChanged` event). */
export async function switchWalletChain(page: Page, wallet: TestWallet, chainId: number): Promise<void> {
  wallet.chainId = chainId;
  await page.evaluate(
    (hex) => {
      (window as unknown as { __e2eWalletEmit: (event: string, value: unknown) => void }).__e2eWalletEmit(
        "chainChanged",
        hex,
      );
    },
    `0x${chainId.toString(16)}`,
  );
}
