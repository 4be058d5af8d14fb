import { expect } from "chai";
import hre, { network } from "hardhat";
import {
  type Abi,
  BaseError,
  ContractFunctionRevertedError,
  type Hex,
  decodeErrorResult,
  keccak256,
  parseEther,
  toHex,
} from "viem";

import { deployEconomy, loadParameters } from "../../../scripts/lib/economy.ts";

export const RAO = 10n ** 9n;
export const DEADLINE = 2n ** 40n;
export const tao = (amount: string) => parseEther(amount);
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

  /** Registers a subnet from `wallets[ownerIndex]` and starts its emission; returns its netuid. */
  const registerSubnet = async (name: string, ownerIndex = 0, hotkey = hotkeyOf(`owner:${name}`)) => {
    const owner = wallets[ownerIndex]!;
    const cost = await economy.registry.read.lockCost();
    await wait(
      await economy.registry.write.registerNetwork([hotkey, name, cost], { value: cost * RAO, account: owner.account }),
    );
    const netuids = await economy.registry.read.activeNetuids();
    const subnets = await Promise.all(netuids.map((n) => economy.registry.read.subnet([n])));
    const netuid = netuids[subnets.findIndex((s) => s.name === name)]!;
    await wait(await economy.registry.write.startCall([netuid], { account: owner.account }));
    return { netuid, hotkey };
  };

  return { connection, ...economy, publicClient, testClient, wallets, wait, registerSubnet };
}

let errorsAbi: Abi | undefined;
/** Every error the model's contracts can raise, to decode revert data that the client left undecoded. */
async function modelErrorsAbi(): Promise<Abi> {
  if (!errorsAbi) {
    const names = ["AlphaPools", "SubnetRegistry", "Metagraph"];
    const abis = await Promise.all(names.map(async (n) => (await hre.artifacts.readArtifact(n)).abi as Abi));
    errorsAbi = abis.flat().filter((item) => item.type === "error");
  }
  return errorsAbi;
}

/** The raw revert data somewhere in an error's cause chain (gas estimation reports it as `data`). */
function rawRevertData(error: unknown): Hex | undefined {
  for (let e = error as { data?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    const data = typeof e.data === "object" && e.data !== null ? (e.data as { data?: unknown }).data : e.data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return data as Hex;
  }
  return undefined;
}

/** Asserts that `action` reverts with the custom error `name` and, if given, exactly these arguments. */
export async function expectRevert(action: Promise<unknown>, name: string, args?: readonly unknown[]) {
  try {
    await action;
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    const revert = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    let decoded: { errorName: string; args?: readonly unknown[] } | undefined = revert?.data;
    const raw = rawRevertData(error);
    if (!decoded && raw) decoded = decodeErrorResult({ abi: await modelErrorsAbi(), data: raw });
    expect(decoded, `expected revert ${name}, got: ${error.shortMessage}`).to.not.equal(undefined);
    expect(decoded!.errorName).to.equal(name);
    if (args) expect(decoded!.args).to.deep.equal(args);
    return;
  }
  expect.fail(`expected revert ${name}, but the call succeeded`);
}
