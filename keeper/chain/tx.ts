/**
 * Sending the keeper's transactions: simulate first (a revert is reported, never sent), then send with a nonce from
 * viem's nonce manager and gas with headroom, then wait for the receipt; a transaction still pending after
 * `stuckAfterMs` is sent again with the same nonce and fees raised by `bumpPercent` (a replacement), up to
 * `maxBumps` times. RPC failures are retried under the retry policy.
 */
import {
  BaseError,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.ts";

export interface TxPolicy {
  readonly stuckAfterMs: number;
  readonly maxBumps: number;
  readonly bumpPercent: number;
  readonly pollMs: number;
}

export const DEFAULT_TX_POLICY: TxPolicy = { stuckAfterMs: 30_000, maxBumps: 3, bumpPercent: 25, pollMs: 250 };

/** A transaction that was mined but reverted. */
export class TxRevertedError extends Error {
  override name = "TxRevertedError";
  readonly hash: Hex;
  constructor(label: string, hash: Hex) {
    super(`${label} reverted in transaction ${hash}`);
    this.hash = hash;
  }
}

/** A transaction that was not mined after every fee bump. */
export class TxStuckError extends Error {
  override name = "TxStuckError";
}

export interface SendHooks {
  /** After the transaction (or a replacement) was handed to the node, before its receipt. */
  afterSend?(hash: Hex): Promise<void> | void;
}

export interface ContractCall<
  abi extends Abi,
  name extends ContractFunctionName<abi, "nonpayable" | "payable">,
  args extends ContractFunctionArgs<abi, "nonpayable" | "payable", name>,
> {
  readonly label: string;
  readonly address: Address;
  readonly abi: abi;
  readonly functionName: name;
  readonly args: args;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TxSender {
  readonly client: PublicClient;
  readonly wallet: WalletClient<Transport, Chain | undefined, Account>;
  readonly retry: RetryPolicy;
  readonly policy: TxPolicy;
  readonly onRetry: ((what: string, attempt: number, error: unknown) => void) | undefined;
  readonly onBump: ((label: string, nonce: number, attempt: number) => void) | undefined;

  constructor(options: {
    client: PublicClient;
    wallet: WalletClient<Transport, Chain | undefined, Account>;
    retry?: RetryPolicy;
    policy?: Partial<TxPolicy>;
    onRetry?: (what: string, attempt: number, error: unknown) => void;
    onBump?: (label: string, nonce: number, attempt: number) => void;
  }) {
    this.client = options.client;
    this.wallet = options.wallet;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.policy = { ...DEFAULT_TX_POLICY, ...options.policy };
    this.onRetry = options.onRetry;
    this.onBump = options.onBump;
  }

  get address(): Address {
    return this.wallet.account.address;
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, fn, this.retry, this.onRetry);
  }

  /** Waits while this account has transactions the node has not mined (a restart may find one in flight). */
  async waitForPending(maxMs = this.policy.stuckAfterMs): Promise<void> {
    const deadline = Date.now() + maxMs;
    for (;;) {
      const [pending, latest] = await Promise.all([
        this.call("pending nonce", () =>
          this.client.getTransactionCount({ address: this.address, blockTag: "pending" }),
        ),
        this.call("latest nonce", () => this.client.getTransactionCount({ address: this.address, blockTag: "latest" })),
      ]);
      if (pending <= latest || Date.now() > deadline) return;
      await sleep(this.policy.pollMs);
    }
  }

  /** Simulates, sends and waits for a contract call's receipt (see the module comment). */
  async send<
    const abi extends Abi,
    name extends ContractFunctionName<abi, "nonpayable" | "payable">,
    const args extends ContractFunctionArgs<abi, "nonpayable" | "payable", name>,
  >(call: ContractCall<abi, name, args>, hooks: SendHooks = {}): Promise<TransactionReceipt> {
    const account = this.wallet.account;
    const request = {
      account,
      address: call.address,
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
    } as never;
    // A revert here is the contract's answer (someone else closed the epoch first, …): reported, not sent.
    await this.call(`simulate ${call.label}`, () => this.client.simulateContract(request));
    const gas = await this.call(`estimate ${call.label}`, () => this.client.estimateContractGas(request));
    await this.waitForPending();

    const chainId = this.wallet.chain?.id ?? (await this.call("chainId", () => this.client.getChainId()));
    const fees = await this.call("fees", () => this.client.estimateFeesPerGas());
    let maxFeePerGas = fees.maxFeePerGas ?? 0n;
    let maxPriorityFeePerGas = fees.maxPriorityFeePerGas ?? 0n;
    // The nonce last: nothing may fail between taking it and handing the transaction to the node.
    const manager = account.nonceManager;
    const nonce = manager
      ? await manager.consume({ address: account.address, chainId, client: this.client })
      : await this.call("nonce", () =>
          this.client.getTransactionCount({ address: account.address, blockTag: "pending" }),
        );

    const hashes: Hex[] = [];
    const sendOnce = async (): Promise<void> => {
      let hash: Hex;
      try {
        hash = await this.wallet.writeContract({
          ...(request as object),
          chain: this.wallet.chain,
          gas: (gas * 13n) / 10n,
          nonce,
          maxFeePerGas,
          maxPriorityFeePerGas,
        } as never);
      } catch (error) {
        // A failed send may still have reached the node; the nonce manager re-reads the chain next time.
        manager?.reset({ address: account.address, chainId, nonce });
        throw error;
      }
      hashes.push(hash);
      await hooks.afterSend?.(hash);
    };
    await sendOnce();

    for (let bumps = 0; ;) {
      const receipt = await this.waitForAny(hashes, this.policy.stuckAfterMs);
      if (receipt !== undefined) {
        if (receipt.status !== "success") throw new TxRevertedError(call.label, receipt.transactionHash);
        return receipt;
      }
      if (bumps >= this.policy.maxBumps) {
        throw new TxStuckError(`${call.label}: nonce ${nonce} not mined after ${bumps} fee bumps`);
      }
      bumps++;
      const factor = BigInt(100 + this.policy.bumpPercent);
      const latest = await this.call("fees", () => this.client.estimateFeesPerGas());
      maxPriorityFeePerGas = max((maxPriorityFeePerGas * factor) / 100n + 1n, latest.maxPriorityFeePerGas ?? 0n);
      maxFeePerGas = max((maxFeePerGas * factor) / 100n + 1n, latest.maxFeePerGas ?? 0n, maxPriorityFeePerGas);
      this.onBump?.(call.label, nonce, bumps);
      try {
        await sendOnce();
      } catch (error) {
        // "nonce too low": one of the earlier sends was mined meanwhile; its receipt comes on the next turn.
        if (!isNonceTooLow(error)) throw error;
      }
    }
  }

  /** The receipt of whichever of `hashes` is mined first, or undefined after `ms`. */
  private async waitForAny(hashes: readonly Hex[], ms: number): Promise<TransactionReceipt | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (const hash of hashes) {
        const receipt = await this.call(`receipt ${hash}`, () =>
          this.client.getTransactionReceipt({ hash }).catch((error: unknown) => {
            if (error instanceof BaseError && error.name === "TransactionReceiptNotFoundError") return undefined;
            throw error;
          }),
        );
        if (receipt) return receipt;
      }
      if (Date.now() > deadline) return undefined;
      await sleep(this.policy.pollMs);
    }
  }
}

function max(...values: bigint[]): bigint {
  return values.reduce((a, b) => (a > b ? a : b));
}

function isNonceTooLow(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /nonce too low|nonce has already been used|already known/i.test(message);
}
