/**
 * Access-control matrix generated from the ABIs. Every state-changing function of AlphaPools (its hooks and its
 * administration, which run in AlphaPoolsExtension), of AlphaPoolsExtension called directly, of Metagraph, of
 * RootDividends and of SubnetRegistry is classified below: either gated (a stranger holding no role must get exactly
 * the error listed: AccessControlUnauthorizedAccount(stranger, role) or the contract's own error) or open by design
 * (with the reason). The test walks each ABI: a gated function is called by the stranger and its error checked; a
 * function that is in neither list fails the test, so no entry point can be added without deciding who may call it.
 */
import { expect } from "chai";
import { network } from "hardhat";
import {
  getAddress,
  keccak256,
  toHex,
  zeroAddress,
  zeroHash,
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";

import { decodeError } from "../../../client/index.ts";
import { deployEconomy, loadParameters } from "../../../scripts/lib/economy.ts";

const RAO = 10n ** 9n;
const role = (name: string): Hex => keccak256(toHex(name));
const DEFAULT_ADMIN_ROLE: Hex = zeroHash;

type ContractName = "AlphaPools" | "AlphaPoolsExtension" | "Metagraph" | "RootDividends" | "SubnetRegistry";

/** What a stranger calling a gated function gets: a role check or the contract's own error, with its arguments. */
interface Gate {
  error: string;
  args: (ctx: Context) => readonly unknown[];
}

interface Context {
  stranger: Address;
  netuid: number;
  ownerHotkey: Hex;
  ownerColdkey: Hex;
}

const onlyRole = (name: string): Gate => ({
  error: "AccessControlUnauthorizedAccount",
  args: (ctx) => [ctx.stranger, name === "DEFAULT_ADMIN_ROLE" ? DEFAULT_ADMIN_ROLE : role(name)],
});

/** OpenZeppelin AccessControl, on every contract: granting and revoking need the role's admin. */
const ACCESS_CONTROL_GATES: Record<string, Gate> = {
  grantRole: onlyRole("DEFAULT_ADMIN_ROLE"),
  revokeRole: onlyRole("DEFAULT_ADMIN_ROLE"),
  // Renouncing is for one's own account only: confirming another account is refused.
  renounceRole: { error: "AccessControlBadConfirmation", args: () => [] },
};

const GATED: Record<ContractName, Record<string, Gate>> = {
  AlphaPools: {
    ...ACCESS_CONTROL_GATES,
    openSubnet: onlyRole("REGISTRY_ROLE"),
    startEmission: onlyRole("REGISTRY_ROLE"),
    importStake: onlyRole("REGISTRY_ROLE"),
    setSubnetSettings: onlyRole("REGISTRY_ROLE"),
    dissolveSubnet: onlyRole("REGISTRY_ROLE"),
    closePosition: onlyRole("REGISTRY_ROLE"),
    buyAndBurnAlpha: onlyRole("METAGRAPH_ROLE"),
    closePending: onlyRole("SETTLER_ROLE"),
    creditStake: onlyRole("SETTLER_ROLE"),
    creditDividend: onlyRole("SETTLER_ROLE"),
    recycleAlpha: onlyRole("SETTLER_ROLE"),
    setMinerBurn: onlyRole("SETTLER_ROLE"),
    burnOwedAlpha: onlyRole("SETTLER_ROLE"),
    assignRootDividend: onlyRole("ROOT_DIVIDENDS_ROLE"),
    payRootDividend: onlyRole("ROOT_DIVIDENDS_ROLE"),
    stakeAs: onlyRole("ORIGIN_ROLE"),
    unstakeAs: onlyRole("ORIGIN_ROLE"),
    transitionAs: onlyRole("ORIGIN_ROLE"),
    burnAlphaAs: onlyRole("ORIGIN_ROLE"),
    pause: onlyRole("PAUSER_ROLE"),
    unpause: onlyRole("PAUSER_ROLE"),
    wire: onlyRole("DEFAULT_ADMIN_ROLE"),
    // Spending someone's stake needs its allowance: the stranger has none.
    transferStakeFrom: {
      error: "InsufficientAllowance",
      args: (ctx) => [zeroAddress, ctx.stranger, ctx.netuid, 0n],
    },
  },
  // The extension runs only by delegatecall from AlphaPools; called directly it refuses everything (its own
  // AccessControl is empty: nobody holds a role on it).
  AlphaPoolsExtension: {
    ...ACCESS_CONTROL_GATES,
    approve: { error: "OnlyDelegateCall", args: () => [] },
    fundEmissionReserve: { error: "OnlyDelegateCall", args: () => [] },
    openSubnet: { error: "OnlyDelegateCall", args: () => [] },
    startEmission: { error: "OnlyDelegateCall", args: () => [] },
    importStake: { error: "OnlyDelegateCall", args: () => [] },
    setSubnetSettings: { error: "OnlyDelegateCall", args: () => [] },
    dissolveSubnet: { error: "OnlyDelegateCall", args: () => [] },
    closePosition: { error: "OnlyDelegateCall", args: () => [] },
    buyAndBurnAlpha: { error: "OnlyDelegateCall", args: () => [] },
    closePending: { error: "OnlyDelegateCall", args: () => [] },
    creditStake: { error: "OnlyDelegateCall", args: () => [] },
    creditDividend: { error: "OnlyDelegateCall", args: () => [] },
    recycleAlpha: { error: "OnlyDelegateCall", args: () => [] },
    setMinerBurn: { error: "OnlyDelegateCall", args: () => [] },
    burnOwedAlpha: { error: "OnlyDelegateCall", args: () => [] },
    assignRootDividend: { error: "OnlyDelegateCall", args: () => [] },
    payRootDividend: { error: "OnlyDelegateCall", args: () => [] },
    wire: { error: "OnlyDelegateCall", args: () => [] },
    pause: { error: "OnlyDelegateCall", args: () => [] },
    unpause: { error: "OnlyDelegateCall", args: () => [] },
  },
  Metagraph: {
    ...ACCESS_CONTROL_GATES,
    // Only the registry opens a subnet's metagraph (no role: the registry's address, reported as role 0).
    openSubnet: { error: "AccessControlUnauthorizedAccount", args: (ctx) => [ctx.stranger, zeroHash] },
    importNeurons: { error: "AccessControlUnauthorizedAccount", args: (ctx) => [ctx.stranger, zeroHash] },
    setValidatorPermits: onlyRole("SETTLER_ROLE"),
    recordPayout: onlyRole("SETTLER_ROLE"),
    // A registration on a coldkey's behalf comes from the precompile adapters only.
    burnedRegisterFor: onlyRole("ORIGIN_ROLE"),
    // A hotkey's take is its owner's.
    increaseTake: { error: "HotkeyOwnedByOther", args: (ctx) => [ctx.ownerHotkey, ctx.ownerColdkey] },
    decreaseTake: { error: "HotkeyOwnedByOther", args: (ctx) => [ctx.ownerHotkey, ctx.ownerColdkey] },
  },
  RootDividends: {
    ...ACCESS_CONTROL_GATES,
    creditRootDividend: onlyRole("SETTLER_ROLE"),
    onRootStakeChange: { error: "OnlyPools", args: (ctx) => [ctx.stranger] },
  },
  SubnetRegistry: {
    ...ACCESS_CONTROL_GATES,
    setMetagraph: onlyRole("DEFAULT_ADMIN_ROLE"),
    setPoolSettings: onlyRole("DEFAULT_ADMIN_ROLE"),
    // A genesis import writes state no trade produced: only its role (nobody holds it unless the admin grants it).
    importSubnet: onlyRole("GENESIS_ROLE"),
    importNeurons: onlyRole("GENESIS_ROLE"),
    closeGenesis: onlyRole("GENESIS_ROLE"),
    // A subnet's owner starts it and sets its hyperparameters.
    startCall: { error: "NotSubnetOwner", args: (ctx) => [ctx.netuid, ctx.stranger] },
    setHyperparameters: { error: "NotSubnetOwner", args: (ctx) => [ctx.netuid, ctx.stranger] },
  },
};

/** Open by design, with why: each acts only on the caller's own stake, hotkey, neuron or refund, or pays in. */
const OPEN: Record<ContractName, Record<string, string>> = {
  AlphaPools: {
    addStake: "stakes the caller's TAO for the caller",
    addStakeLimit: "stakes the caller's TAO for the caller",
    removeStake: "the caller's own stake",
    removeStakeLimit: "the caller's own stake",
    removeStakeFull: "the caller's own stake",
    removeStakeFullLimit: "the caller's own stake",
    unstakeAll: "the caller's own stake",
    moveStake: "the caller's own stake",
    transferStake: "the caller's own stake",
    swapStake: "the caller's own stake",
    swapStakeLimit: "the caller's own stake",
    approve: "the caller's own allowance",
    burnAlpha: "the caller's own stake",
    poke: "a catch-up any block would run (the chain's coinbase)",
    fundEmissionReserve: "pays TAO in",
  },
  AlphaPoolsExtension: {},
  Metagraph: {
    approveHotkeyOwner: "the caller's own hotkey (its mapped account)",
    burnedRegister: "a registration that proves control of its hotkey",
    setWeights: "the caller's own neuron",
    commitWeights: "the caller's own neuron",
    revealWeights: "the caller's own neuron",
  },
  RootDividends: {
    setRootClaimType: "the caller's own coldkey",
    claimRoot: "pays a coldkey what it is owed, in its own claim type (the chain auto-claims for anyone)",
  },
  SubnetRegistry: {
    registerNetwork: "pays the lock cost",
    claimRefund: "the caller's own refund",
    claimRefundTo: "pays an account its own refund (credited, as the chain credits balances)",
  },
};

/**
 * A zero-like value of an ABI type; netuid parameters get the registered subnet, hotkeys the owner's hotkey and
 * alpha amounts one alpha-rao (so that an allowance check has something to refuse).
 */
function defaultValue(param: AbiParameter, ctx: Context): unknown {
  const { type, name } = param;
  if (type.endsWith("]")) return [];
  if (type === "tuple") {
    const components = (param as { components: readonly AbiParameter[] }).components;
    return Object.fromEntries(components.map((c) => [c.name, defaultValue(c, ctx)]));
  }
  if (name === "netuid" || name?.endsWith("Netuid")) return ctx.netuid;
  if (name === "alphaRao") return 1n;
  if (name === "deadline") return 2n ** 40n;
  if (type === "bytes32") return name === "hotkey" ? ctx.ownerHotkey : zeroHash;
  if (type === "address") return zeroAddress;
  if (type === "bool") return false;
  if (type === "string") return "";
  if (type === "bytes") return "0x";
  if (/^u?int(8|16|32)$/.test(type)) return 0;
  if (/^u?int\d*$/.test(type)) return 0n;
  throw new Error(`no default for ABI type ${type}`);
}

function stateChanging(abi: Abi): AbiFunction[] {
  return abi.filter(
    (item): item is AbiFunction =>
      item.type === "function" && item.stateMutability !== "view" && item.stateMutability !== "pure",
  );
}

describe("access control: a stranger against every gated function (from the ABIs)", function () {
  this.timeout(300_000);

  it("classifies every state-changing function and refuses the stranger with the exact error", async () => {
    const connection = await network.create();
    const economy = await deployEconomy(connection, await loadParameters("local"));
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const wallets = await viem.getWalletClients();
    const owner = wallets[1]!;
    const stranger = getAddress(wallets[7]!.account.address);

    // A registered subnet, owned by wallet 1 with its own account id as hotkey.
    const ownerColdkey = await economy.pools.read.coldkeyOf([owner.account.address]);
    const cost = await economy.registry.read.lockCost();
    const hash = await economy.registry.write.registerNetwork([ownerColdkey, "gated", cost], {
      value: cost * RAO,
      account: owner.account,
    });
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    const [netuid] = await economy.registry.read.activeNetuids();
    const ctx: Context = { stranger, netuid: netuid!, ownerHotkey: ownerColdkey, ownerColdkey };

    const extension = await viem.getContractAt("AlphaPoolsExtension", await economy.pools.read.EXTENSION());
    const contracts: Record<ContractName, { address: Address; abi: Abi }> = {
      AlphaPools: economy.pools,
      AlphaPoolsExtension: extension,
      Metagraph: economy.metagraph,
      RootDividends: economy.rootDividends,
      SubnetRegistry: economy.registry,
    };

    // The stranger holds no role anywhere.
    const roles = ["DEFAULT_ADMIN_ROLE", "REGISTRY_ROLE", "METAGRAPH_ROLE", "SETTLER_ROLE", "ROOT_DIVIDENDS_ROLE"];
    for (const name of [...roles, "ORIGIN_ROLE", "PAUSER_ROLE"]) {
      const r = name === "DEFAULT_ADMIN_ROLE" ? DEFAULT_ADMIN_ROLE : role(name);
      expect(await economy.pools.read.hasRole([r, stranger]), name).to.equal(false);
    }

    const unclassified: string[] = [];
    const wrong: string[] = [];
    let checked = 0;
    for (const [name, { address, abi }] of Object.entries(contracts) as [
      ContractName,
      { address: Address; abi: Abi },
    ][]) {
      const functions = stateChanging(abi);
      const names = functions.map((f) => f.name);
      expect(new Set(names).size, `${name} has no overloads`).to.equal(names.length);
      for (const fn of functions) {
        const gate = GATED[name][fn.name];
        if (gate === undefined) {
          if (OPEN[name][fn.name] === undefined) unclassified.push(`${name}.${fn.name}`);
          continue;
        }
        const args = fn.inputs.map((input) => defaultValue(input, ctx));
        if (fn.name === "renounceRole") args[1] = zeroAddress; // confirming an account that is not the caller
        try {
          await publicClient.simulateContract({ address, abi, functionName: fn.name, args, account: stranger });
          wrong.push(`${name}.${fn.name}: succeeded`);
        } catch (error) {
          // The client library finds the revert data wherever the provider put it.
          const decoded = decodeError(error, abi);
          const expected = gate.args(ctx);
          if (decoded.name !== gate.error) {
            wrong.push(`${name}.${fn.name}: expected ${gate.error}, got ${decoded.line}`);
          } else {
            try {
              expect(decoded.args).to.deep.equal(expected);
            } catch {
              wrong.push(`${name}.${fn.name}: got ${decoded.line}, expected arguments ${String(expected)}`);
            }
          }
        }
        checked += 1;
      }
      // Every classified name exists in the ABI (a renamed function must not leave a stale entry behind).
      for (const listed of [...Object.keys(GATED[name]), ...Object.keys(OPEN[name])]) {
        expect(names, `${name}.${listed} is in the ABI`).to.include(listed);
      }
    }
    expect(unclassified, `functions neither gated nor open by design:\n${unclassified.join("\n")}`).to.deep.equal([]);
    expect(wrong, `gated functions that let the stranger in or fail otherwise:\n${wrong.join("\n")}`).to.deep.equal([]);
    expect(checked).to.equal(
      Object.values(GATED).reduce((sum, gates) => sum + Object.keys(gates).length, 0),
      "every gated function was called",
    );
  });
});
