import { expect } from "chai";
import { network } from "hardhat";
import { BaseError, type Hex, keccak256, parseEther, toHex } from "viem";

import { decodeError, type AbiError } from "../../../client/index.ts";
import { loadProjectErrorAbi } from "../../../client/node.ts";
import { evmToAccountId } from "../../../keeper/chain/accountId.ts";
import { deployEconomy, loadParameters } from "../../../scripts/lib/economy.ts";

export const RAO = 10n ** 9n;
export const DEADLINE = 2n ** 40n;
export const tao = (amount: string) => parseEther(amount);
/** An arbitrary account id that no EVM account of the tests maps to (nobody controls it). */
export const hotkeyOf = (tag: string): Hex => keccak256(toHex(tag));

/** A fresh in-process chain with the economy deployed through Ignition (local parameters unless overridden). */
export async function freshEconomy(overrides: Record<string, unknown> = {}) {
  const connection = await network.create();
  const economy = await deployEconomy(connection, { ...(await loadParameters("local")), ...overrides });
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const wallets = await viem.getWalletClients();
  await economy.pools.write.fundEmissionReserve({ value: tao("1000") });

  const wait = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    return receipt;
  };

  /** The account id of wallet `i`: its coldkey, and the hotkey it controls without an approval. */
  const accountId = (i: number): Hex => evmToAccountId(wallets[i]!.account.address);

  /**
   * Registers a subnet from `wallets[ownerIndex]` with the owner's own account as its hotkey, and makes the start
   * call unless told not to; returns its netuid and the owner's hotkey.
   */
  const registerSubnet = async (name: string, ownerIndex = 0, options: { start?: boolean } = {}) => {
    const owner = wallets[ownerIndex]!;
    const hotkey = accountId(ownerIndex);
    const cost = await economy.registry.read.lockCost();
    await wait(
      await economy.registry.write.registerNetwork([hotkey, name, cost], { value: cost * RAO, account: owner.account }),
    );
    const netuids = await economy.registry.read.activeNetuids();
    const subnets = await Promise.all(netuids.map((n) => economy.registry.read.subnet([n])));
    const netuid = netuids[subnets.findIndex((s) => s.name === name)]!;
    if (options.start ?? true) await wait(await economy.registry.write.startCall([netuid], { account: owner.account }));
    return { netuid, hotkey };
  };

  /** Registers wallet `i`'s own hotkey (its account id) on `netuid` as a neuron; returns the hotkey. */
  const registerNeuron = async (netuid: number, i: number) => {
    const hotkey = accountId(i);
    const burn = await economy.metagraph.read.burnCost([netuid]);
    await wait(
      await economy.metagraph.write.burnedRegister([netuid, hotkey, burn * 2n], {
        value: burn * 2n * RAO,
        account: wallets[i]!.account,
      }),
    );
    return hotkey;
  };

  return { connection, ...economy, publicClient, testClient, wallets, wait, accountId, registerSubnet, registerNeuron };
}

export type FreshEconomy = Awaited<ReturnType<typeof freshEconomy>>;

let projectErrors: AbiError[] | undefined;

/** Asserts that `action` reverts with the custom error `name` and, if given, exactly these arguments. */
export async function expectRevert(action: Promise<unknown>, name: string, args?: readonly unknown[]) {
  try {
    await action;
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    // The client library finds the revert data wherever the provider put it (also nested in a -32000 error).
    projectErrors ??= await loadProjectErrorAbi();
    const decoded = decodeError(error, projectErrors);
    expect(decoded.name, `expected revert ${name}, got: ${decoded.line} (${error.shortMessage})`).to.equal(name);
    if (args) expect(decoded.args).to.deep.equal(args);
    return;
  }
  expect.fail(`expected revert ${name}, but the call succeeded`);
}
