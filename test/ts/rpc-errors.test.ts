/**
 * Every user-facing custom error of AlphaPools, SubnetRegistry, Metagraph and RootDividends reaches a plain viem
 * client through a real `hardhat node` (JSON-RPC over HTTP) as a decodable error: viem names it from eth_call
 * (simulateContract) and from gas estimation (writeContract), as a dApp sees it.
 *
 * The node answers a revert with code 3 and the raw revert data when Hardhat can build a Solidity stack trace for
 * it; when it cannot, it answers -32000 with the data nested one level down, which viem and ethers do not decode.
 * DeadlineExpired was such a case until the deadline check moved from an inline modifier revert into a function
 * (`_checkDeadline`): its case here is the regression test of that change.
 *
 * Errors left out, because a user cannot reach them: ReservesTooLow and InsufficientLiquidity (SwapInputTooLarge
 * comes first at any size a pool allows), TaoTransferFailed (needs a contract that rejects TAO), and the errors of
 * the settlement's own hooks (StaleGeneration, PayoutExceedsPot, PermitWordsMismatch): a user calling a hook meets
 * AccessControlUnauthorizedAccount, which is covered.
 */
import { expect } from "chai";
import { rmSync } from "node:fs";
import path from "node:path";

import { network } from "hardhat";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  parseAbiParameters,
  parseEventLogs,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { decodeError, type AbiError } from "../../client/index.ts";
import { evmToAccountId } from "../../keeper/chain/accountId.ts";
import { loadProjectErrorAbi } from "../../client/node.ts";
import { deployEconomy, loadParameters, type Economy } from "../../scripts/lib/economy.ts";
import { startHardhatNode, type NodeProcess } from "./helpers/node.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const RAO = 10n ** 9n;
const TAO = 10n ** 18n; // wei
const FAR = 2n ** 40n; // a deadline far in the future
const ROOT = path.resolve(import.meta.dirname, "../..");

/** Mnemonic accounts: 0 admin (deployer, and the deployment's settler), 1 subnet owner, 2 validator, 3 miner
 * operator, 4 neuron without permit, 5 staker, 6 outsider, 7 unregistered account. */
const ADMIN = 0;
const OWNER = 1;
const VALIDATOR = 2;
const MINER_OP = 3;
const NO_PERMIT = 4;
const STAKER = 5;
const OUTSIDER = 6;
const STRANGER = 7;

interface Call {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

interface Case {
  error: string;
  what: string;
  from: number;
  call: () => Promise<Call> | Call;
  /** State the case needs, set up right before it (cases run in order; later ones may rely on earlier state). */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
  /** Why this case fails on the current contracts (a regression test for a contract change). */
  regression?: string;
}

/**
 * A revert that `registerNetwork` passes through from the Metagraph carries an error the registry's ABI does not
 * declare, so a client holding the registry's ABI cannot name it (the project's decoder, which knows every
 * contract's errors, can).
 */
const PASS_THROUGH =
  "ISubnetRegistry must declare the Metagraph errors registerNetwork passes through " +
  "(HotkeyNotControlled, HotkeyOwnedByOther), so a client with the registry's ABI decodes them";

describe("custom errors through the JSON-RPC node (plain viem)", function () {
  this.timeout(300_000);

  const deploymentId = `rpc-errors-${process.pid}`;
  let node: NodeProcess | undefined;
  let close: (() => Promise<void>) | undefined;
  let economy: Economy;
  let url = "";
  let projectErrors: AbiError[] = [];

  const account = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });
  let publicClient: ReturnType<typeof createPublicClient>;
  let testClient: ReturnType<typeof createTestClient>;
  const wallet = (i: number) => createWalletClient({ account: account(i), transport: http(url) });
  /** The account id of mnemonic account `i`: its coldkey, and the hotkey it controls. */
  const idOf = (i: number) => evmToAccountId(account(i).address);

  /** Sends a transaction that must succeed. */
  const send = async (from: number, call: Call) => {
    const hash = await wallet(from).writeContract({ ...call, chain: null });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status, `${call.functionName} succeeds`).to.equal("success");
    return receipt;
  };
  const mine = (blocks: number) => testClient.mine({ blocks });

  // Filled in by the set-up.
  let A = 0; // a subnet with validator (with a permit), miner and a neuron without permit
  let B = 0; // a subnet with commit-reveal
  let C = 0; // registered by the NetworkRateLimited case
  let N = 0; // a subnet whose owner has not made the start call
  let validatorHotkey: Hex = "0x";
  const salt = keccak256(toHex("salt"));

  const contract =
    (c: { address: Address; abi: Abi }) =>
    (functionName: string, args: readonly unknown[], value?: bigint): Call => ({
      address: c.address,
      abi: c.abi,
      functionName,
      args,
      value,
    });
  const pools = (functionName: string, args: readonly unknown[], value?: bigint) =>
    contract(economy.pools)(functionName, args, value);
  const registry = (functionName: string, args: readonly unknown[], value?: bigint) =>
    contract(economy.registry)(functionName, args, value);
  const metagraph = (functionName: string, args: readonly unknown[], value?: bigint) =>
    contract(economy.metagraph)(functionName, args, value);
  /** A second economy whose genesis stays open, holding one imported subnet (netuid 9, owned by OWNER). */
  let genesis: Economy;
  const genesisRegistry = (functionName: string, args: readonly unknown[], value?: bigint) =>
    contract(genesis.registry)(functionName, args, value);
  const GENESIS_ROLE = keccak256(toHex("GENESIS_ROLE"));
  const importing = (netuid: number, movingPriceWad: bigint, neurons: readonly unknown[]) =>
    genesisRegistry("importSubnet", [netuid, account(OWNER).address, "G", 10n ** 12n, movingPriceWad, neurons], TAO);
  const GENESIS_NEURON = [
    { hotkey: keccak256(toHex("g")), coldkey: keccak256(toHex("g")), stakeAlphaRao: 0n, validatorPermit: true },
  ];
  const rootDividends = (functionName: string, args: readonly unknown[], value?: bigint) =>
    contract(economy.rootDividends)(functionName, args, value);
  const lockValue = async () => (await economy.registry.read.lockCost()) * 2n * RAO;
  const burnValue = async (netuid: number) => (await economy.metagraph.read.burnCost([netuid])) * 10n * RAO;
  const hyperparameters = (netuid: number) => economy.registry.read.hyperparameters([netuid]);
  const setHyperparameters = async (netuid: number, change: Record<string, unknown>) =>
    void (await send(
      OWNER,
      registry("setHyperparameters", [netuid, { ...(await hyperparameters(netuid)), ...change }]),
    ));
  const spotRaoPerAlpha = async (netuid: number) => (await economy.lens.read.market([netuid])).spotPriceWad / RAO;
  const commitHash = (netuid: number, uids: number[], values: number[]) =>
    keccak256(
      encodeAbiParameters(parseAbiParameters("bytes32, uint16, uint16[], uint16[], bytes32, uint64"), [
        validatorHotkey,
        netuid,
        uids,
        values,
        salt,
        0n,
      ]),
    );
  /** Registers a subnet from mnemonic account `from`, whose own account id is the owner's hotkey. */
  const registerSubnet = async (from: number, name: string) => {
    const receipt = await send(from, registry("registerNetwork", [idOf(from), name, 10n ** 15n], await lockValue()));
    const [event] = parseEventLogs({ abi: economy.registry.abi, logs: receipt.logs, eventName: "RegisterNetwork" });
    return { netuid: event!.args.netuid, receipt };
  };

  const CASES: Case[] = [
    // AlphaPools
    {
      error: "ZeroAmount",
      what: "addStake without TAO",
      from: STAKER,
      call: () => pools("addStake", [validatorHotkey, A, 0n, FAR], 0n),
    },
    {
      error: "NotWholeRao",
      what: "addStake with a sub-rao remainder",
      from: STAKER,
      call: () => pools("addStake", [validatorHotkey, A, 0n, FAR], TAO + 1n),
    },
    {
      error: "UnknownSubnet",
      what: "addStake on a subnet that does not exist",
      from: STAKER,
      call: () => pools("addStake", [validatorHotkey, 77, 0n, FAR], TAO),
    },
    {
      error: "SubtokenDisabled",
      what: "addStake before the owner's start call",
      from: STAKER,
      call: () => pools("addStake", [idOf(OWNER), N, 0n, FAR], TAO),
    },
    {
      error: "HotkeyNotRegistered",
      what: "addStake to an unregistered hotkey",
      from: STAKER,
      call: () => pools("addStake", [keccak256(toHex("nobody")), A, 0n, FAR], TAO),
    },
    {
      error: "AmountTooLow",
      what: "addStake of one rao",
      from: STAKER,
      call: () => pools("addStake", [validatorHotkey, A, 0n, FAR], RAO),
    },
    {
      error: "OutputBelowMinimum",
      what: "addStake with a minimum out above the quote",
      from: STAKER,
      call: () => pools("addStake", [validatorHotkey, A, 10n ** 30n, FAR], TAO),
    },
    {
      error: "LimitPriceCrossed",
      what: "addStakeLimit below the spot price",
      from: STAKER,
      call: () => pools("addStakeLimit", [validatorHotkey, A, 1n, false, FAR], TAO),
    },
    {
      error: "SlippageTooHigh",
      what: "addStakeLimit that does not fit under its limit",
      from: STAKER,
      // 20 % above the spot price (the call's own catch-up moves it a little); 1000 TAO moves it ~100×.
      call: async () =>
        pools("addStakeLimit", [validatorHotkey, A, ((await spotRaoPerAlpha(A)) * 12n) / 10n, false, FAR], 1000n * TAO),
    },
    {
      error: "SwapInputTooLarge",
      what: "addStake of far more than 1000 × the pool's TAO",
      from: STAKER,
      before: () => testClient.setBalance({ address: account(STAKER).address, value: 10n ** 7n * TAO }),
      call: async () => {
        const market = await economy.lens.read.market([A]);
        // Twice the limit: the call's own catch-up adds emission to the reserve first.
        return pools("addStake", [validatorHotkey, A, 0n, FAR], market.taoReserveRao * 2000n * RAO);
      },
    },
    {
      error: "InsufficientStake",
      what: "removeStake without stake",
      from: STAKER,
      call: () => pools("removeStake", [validatorHotkey, A, RAO, 0n, FAR]),
    },
    {
      error: "SameNetuid",
      what: "moveStake to the same hotkey on the same netuid",
      from: VALIDATOR,
      call: () => pools("moveStake", [validatorHotkey, validatorHotkey, A, A, RAO, 0n, FAR]),
    },
    {
      error: "TransfersDisabled",
      what: "transferStake on a subnet whose owner turned transfers off",
      from: VALIDATOR,
      before: () => setHyperparameters(A, { transfersEnabled: false }),
      after: () => setHyperparameters(A, { transfersEnabled: true }),
      call: () => pools("transferStake", [idOf(STAKER), validatorHotkey, A, A, RAO, 0n, FAR]),
    },
    {
      error: "InsufficientAllowance",
      what: "transferStakeFrom without an allowance",
      from: OUTSIDER,
      call: () =>
        pools("transferStakeFrom", [
          account(VALIDATOR).address,
          account(OUTSIDER).address,
          validatorHotkey,
          A,
          A,
          RAO,
          0n,
          FAR,
        ]),
    },
    {
      error: "RootSubnet",
      what: "burnAlpha on root",
      from: STAKER,
      call: () => pools("burnAlpha", [validatorHotkey, 0, RAO]),
    },
    {
      error: "DeadlineExpired",
      what: "addStake after its deadline",
      from: STAKER,
      call: () => pools("addStake", [validatorHotkey, A, 0n, 1n], TAO),
    },
    {
      error: "EnforcedPause",
      what: "addStake while the pools are paused",
      from: STAKER,
      before: async () => void (await send(ADMIN, pools("pause", []))),
      after: async () => void (await send(ADMIN, pools("unpause", []))),
      call: () => pools("addStake", [validatorHotkey, A, 0n, FAR], TAO),
    },
    {
      error: "AccessControlUnauthorizedAccount",
      what: "a user calling a hook of the epoch settlement (closePending)",
      from: OUTSIDER,
      call: () => pools("closePending", [A]),
    },
    // SubnetRegistry
    {
      error: "InvalidName",
      what: "registerNetwork with an empty name",
      from: OUTSIDER,
      call: async () => registry("registerNetwork", [idOf(OUTSIDER), "", 10n ** 15n], await lockValue()),
    },
    {
      error: "LockCostAboveMax",
      what: "registerNetwork with a maximum below the lock cost",
      from: OUTSIDER,
      call: async () => registry("registerNetwork", [idOf(OUTSIDER), "X", 1n], await lockValue()),
    },
    {
      error: "InsufficientLock",
      what: "registerNetwork sending less than the lock cost",
      from: OUTSIDER,
      call: () => registry("registerNetwork", [idOf(OUTSIDER), "X", 10n ** 15n], RAO),
    },
    {
      error: "HotkeyNotControlled",
      what: "registerNetwork with a hotkey the caller does not control (Metagraph, through the registry)",
      from: OUTSIDER,
      call: async () => registry("registerNetwork", [keccak256(toHex("x")), "X", 10n ** 15n], await lockValue()),
      regression: PASS_THROUGH,
    },
    {
      error: "HotkeyOwnedByOther",
      what: "registerNetwork with a hotkey another coldkey owns (Metagraph, through the registry)",
      from: OUTSIDER,
      call: async () => registry("registerNetwork", [validatorHotkey, "X", 10n ** 15n], await lockValue()),
      regression: PASS_THROUGH,
    },
    {
      error: "GenesisClosed",
      what: "closeGenesis after the first registration closed it",
      from: ADMIN,
      before: async () => void (await send(ADMIN, registry("grantRole", [GENESIS_ROLE, account(ADMIN).address]))),
      call: () => registry("closeGenesis", []),
    },
    {
      error: "InvalidNetuid",
      what: "importSubnet on netuid 0 (root)",
      from: ADMIN,
      call: () => importing(0, 0n, GENESIS_NEURON),
    },
    {
      error: "NetuidTaken",
      what: "importSubnet on a netuid already imported",
      from: ADMIN,
      call: () => importing(9, 0n, GENESIS_NEURON),
    },
    {
      error: "MovingPriceAboveOne",
      what: "importSubnet with a moving price above 1 TAO per alpha",
      from: ADMIN,
      call: () => importing(10, 10n ** 18n + 1n, GENESIS_NEURON),
    },
    {
      error: "InvalidNeuronCount",
      what: "importSubnet without the owner's neuron",
      from: ADMIN,
      call: () => importing(10, 0n, []),
    },
    {
      error: "NotImported",
      what: "importNeurons on a netuid no import opened",
      from: ADMIN,
      call: () => genesisRegistry("importNeurons", [10, GENESIS_NEURON]),
    },
    {
      error: "GenesisNotClosed",
      what: "startCall on an imported subnet before the genesis closes",
      from: OWNER,
      call: () => genesisRegistry("startCall", [9]),
    },
    {
      error: "NotSubnetOwner",
      what: "startCall by someone else than the owner",
      from: OUTSIDER,
      call: () => registry("startCall", [N]),
    },
    {
      error: "UnknownSubnet",
      what: "startCall on a subnet that does not exist (SubnetRegistry)",
      from: OUTSIDER,
      call: () => registry("startCall", [77]),
    },
    {
      error: "InvalidHyperparameter",
      what: "setHyperparameters with a tempo of 0",
      from: OWNER,
      call: async () => registry("setHyperparameters", [A, { ...(await hyperparameters(A)), tempo: 0 }]),
    },
    {
      error: "RefundNotAvailable",
      what: "claimRefund on a live subnet",
      from: STAKER,
      call: () => registry("claimRefund", [validatorHotkey, A, 1]),
    },
    // Metagraph: hotkeys and takes
    {
      error: "HotkeyOwnedByOther",
      what: "approveHotkeyOwner from a hotkey that already has an owner",
      from: VALIDATOR,
      call: () => metagraph("approveHotkeyOwner", [idOf(STAKER)]),
    },
    {
      error: "HotkeyNotRegistered",
      what: "increaseTake of a hotkey nobody registered (Metagraph)",
      from: STRANGER,
      call: () => metagraph("increaseTake", [idOf(STRANGER), 100]),
    },
    {
      error: "TakeAboveMax",
      what: "increaseTake above the maximum take",
      from: VALIDATOR,
      call: () => metagraph("increaseTake", [validatorHotkey, 11_797]),
    },
    {
      error: "TakeNotLower",
      what: "decreaseTake to the current take",
      from: VALIDATOR,
      call: () => metagraph("decreaseTake", [validatorHotkey, 11_796]),
    },
    {
      error: "TakeNotHigher",
      what: "increaseTake to a lower take",
      from: VALIDATOR,
      before: async () => void (await send(VALIDATOR, metagraph("decreaseTake", [validatorHotkey, 10_000]))),
      call: () => metagraph("increaseTake", [validatorHotkey, 9_000]),
    },
    {
      error: "TakeRateLimited",
      what: "increaseTake right after a take change",
      from: VALIDATOR,
      call: () => metagraph("increaseTake", [validatorHotkey, 11_000]),
    },
    // Metagraph: neurons
    {
      error: "UnknownSubnet",
      what: "burnedRegister on a subnet that does not exist (Metagraph)",
      from: OUTSIDER,
      call: () => metagraph("burnedRegister", [77, idOf(OUTSIDER), 10n ** 15n], TAO),
    },
    {
      error: "HotkeyAlreadyRegistered",
      what: "burnedRegister of a registered hotkey",
      from: VALIDATOR,
      call: async () => metagraph("burnedRegister", [A, validatorHotkey, 10n ** 15n], await burnValue(A)),
    },
    {
      error: "BurnAboveMax",
      what: "burnedRegister with a maximum below the burn",
      from: OUTSIDER,
      call: async () => metagraph("burnedRegister", [A, idOf(OUTSIDER), 0n], await burnValue(A)),
    },
    {
      error: "InsufficientBurn",
      what: "burnedRegister sending less than the burn",
      from: OUTSIDER,
      call: () => metagraph("burnedRegister", [A, idOf(OUTSIDER), 10n ** 15n], RAO),
    },
    {
      error: "HotkeyNotControlled",
      what: "burnedRegister of a hotkey the caller does not control (Metagraph)",
      from: OUTSIDER,
      call: async () => metagraph("burnedRegister", [A, keccak256(toHex("h")), 10n ** 15n], await burnValue(A)),
    },
    {
      error: "HotkeyOwnedByOther",
      what: "burnedRegister of a hotkey another coldkey owns",
      from: OUTSIDER,
      call: async () => metagraph("burnedRegister", [B, idOf(NO_PERMIT), 10n ** 15n], await burnValue(B)),
    },
    // Metagraph: weights
    {
      error: "NotRegistered",
      what: "setWeights from an account with no neuron",
      from: STRANGER,
      call: () => metagraph("setWeights", [A, [0], [1], 0n]),
    },
    {
      error: "LengthMismatch",
      what: "setWeights with fewer values than uids",
      from: VALIDATOR,
      call: () => metagraph("setWeights", [A, [0, 2], [1], 0n]),
    },
    {
      error: "UidOutOfRange",
      what: "setWeights to a uid beyond the subnet",
      from: VALIDATOR,
      call: () => metagraph("setWeights", [A, [0, 999], [1, 1], 0n]),
    },
    {
      error: "DuplicateUid",
      what: "setWeights naming a uid twice",
      from: VALIDATOR,
      call: () => metagraph("setWeights", [A, [2, 2], [1, 1], 0n]),
    },
    {
      error: "NoValidatorPermit",
      what: "setWeights on others from a neuron without a permit",
      from: NO_PERMIT,
      call: () => metagraph("setWeights", [A, [0, 2], [1, 1], 0n]),
    },
    {
      error: "IncorrectVersionKey",
      what: "setWeights below the subnet's version key",
      from: VALIDATOR,
      before: () => setHyperparameters(A, { weightsVersionKey: 5n }),
      after: () => setHyperparameters(A, { weightsVersionKey: 0n }),
      call: () => metagraph("setWeights", [A, [0, 2], [1, 1], 0n]),
    },
    {
      error: "WeightsRateLimited",
      what: "setWeights twice within the rate limit",
      from: VALIDATOR,
      before: async () => void (await send(VALIDATOR, metagraph("setWeights", [A, [0, 2], [1, 65535], 0n]))),
      call: () => metagraph("setWeights", [A, [0, 2], [65535, 1], 0n]),
    },
    {
      error: "CommitRevealEnabled",
      what: "setWeights on a commit-reveal subnet",
      from: VALIDATOR,
      call: () => metagraph("setWeights", [B, [0], [1], 0n]),
    },
    {
      error: "CommitRevealDisabled",
      what: "commitWeights on a subnet without commit-reveal",
      from: VALIDATOR,
      call: () => metagraph("commitWeights", [A, salt]),
    },
    {
      error: "NoWeightsCommit",
      what: "revealWeights without a commit",
      from: VALIDATOR,
      call: () => metagraph("revealWeights", [B, [0], [1], salt, 0n]),
    },
    {
      error: "RevealTooEarly",
      what: "revealWeights in the tempo of the commit",
      from: VALIDATOR,
      before: async () => void (await send(VALIDATOR, metagraph("commitWeights", [B, commitHash(B, [0], [1])]))),
      call: () => metagraph("revealWeights", [B, [0], [1], salt, 0n]),
    },
    {
      error: "RevealMismatch",
      what: "revealWeights that differ from the commit",
      from: VALIDATOR,
      before: async () => mine((await hyperparameters(B)).tempo),
      call: () => metagraph("revealWeights", [B, [0], [2], salt, 0n]),
    },
    {
      error: "RevealExpired",
      what: "revealWeights after the reveal tempo",
      from: VALIDATOR,
      before: async () => mine((await hyperparameters(B)).tempo),
      call: () => metagraph("revealWeights", [B, [0], [1], salt, 0n]),
    },
    // RootDividends
    {
      error: "OnlyPools",
      what: "a user reporting a root stake change (RootDividends)",
      from: OUTSIDER,
      call: () => rootDividends("onRootStakeChange", [validatorHotkey, idOf(OUTSIDER), 1n, 0n]),
    },
    // Registrations that change the set of subnets come last.
    {
      error: "NetworkRateLimited",
      what: "registerNetwork right after another registration",
      from: OUTSIDER,
      before: async () => {
        C = (await registerSubnet(OWNER, "Gamma")).netuid;
      },
      call: async () => registry("registerNetwork", [idOf(OUTSIDER), "Delta", 10n ** 15n], await lockValue()),
    },
    {
      error: "SubnetLimitReached",
      what: "registerNetwork when every subnet is immune to pruning",
      from: OUTSIDER,
      before: () => mine(10),
      call: async () => registry("registerNetwork", [idOf(OUTSIDER), "Delta", 10n ** 15n], await lockValue()),
    },
    {
      error: "NoPrunableNeuron",
      what: "burnedRegister on a full subnet whose neurons are all immune",
      from: OUTSIDER,
      before: () => setHyperparameters(C, { maxUids: 1, maxValidators: 1 }),
      call: async () => metagraph("burnedRegister", [C, idOf(OUTSIDER), 10n ** 15n], await burnValue(C)),
    },
    {
      error: "NothingToRefund",
      what: "claimRefund on a pruned subnet without a position there",
      from: STRANGER,
      // The two youngest subnets start emitting and get a staker: whichever is pruned has a refund pot.
      before: async () => {
        for (const netuid of [N, C]) {
          await send(OWNER, registry("startCall", [netuid]));
          await send(STAKER, pools("addStake", [idOf(OWNER), netuid, 0n, FAR], TAO));
        }
      },
      call: async () => {
        // Past the subnets' immunity, the next registration prunes one.
        await mine(Number(await economy.registry.read.networkImmunityPeriod()) + 1);
        const { receipt } = await registerSubnet(OUTSIDER, "Delta");
        const [pruned] = parseEventLogs({ abi: economy.registry.abi, logs: receipt.logs, eventName: "PruneNetwork" });
        expect(pruned, "a subnet was pruned").to.not.equal(undefined);
        return registry("claimRefund", [validatorHotkey, pruned!.args.netuid, pruned!.args.generation]);
      },
    },
  ];

  before(async () => {
    node = await startHardhatNode();
    url = node.url;
    publicClient = createPublicClient({ transport: http(url) });
    testClient = createTestClient({ mode: "hardhat", transport: http(url) });
    const connection = await network.create({ network: "localhost", override: { url } });
    close = () => connection.close();
    economy = await deployEconomy(
      connection,
      // A small world: four subnets fill it, registrations are rate limited, new subnets are immune for a while.
      // The issuance is a running chain's (the local parameters start at 0, which a pruning's recycled TAO would
      // push below zero: see the regression test in economy.test.ts).
      {
        ...(await loadParameters("local")),
        subnetLimit: 4n,
        networkRateLimit: 5n,
        networkImmunityPeriod: 300n,
        initialIssuanceRao: 10n ** 15n,
      },
      { deploymentId },
    );
    projectErrors = await loadProjectErrorAbi();
    genesis = await deployEconomy(connection, await loadParameters("local"), {
      deploymentId: `${deploymentId}-genesis`,
    });
    await send(ADMIN, genesisRegistry("grantRole", [GENESIS_ROLE, account(ADMIN).address]));
    await send(ADMIN, importing(9, 0n, GENESIS_NEURON));

    await send(ADMIN, pools("fundEmissionReserve", [], 1000n * TAO));
    A = (await registerSubnet(OWNER, "Alpha")).netuid;
    await send(OWNER, registry("startCall", [A]));
    await mine(5);
    B = (await registerSubnet(OWNER, "Beta")).netuid;
    await send(OWNER, registry("startCall", [B]));
    await setHyperparameters(B, { commitReveal: true });
    await mine(5);
    N = (await registerSubnet(OWNER, "Nostart")).netuid;

    // Every hotkey is its own account's id: the validator's, the miner operator's, the neuron without a permit's.
    validatorHotkey = idOf(VALIDATOR);
    for (const netuid of [A, B]) {
      await send(
        VALIDATOR,
        metagraph("burnedRegister", [netuid, validatorHotkey, 10n ** 15n], await burnValue(netuid)),
      );
      await send(VALIDATOR, pools("addStake", [validatorHotkey, netuid, 0n, FAR], 10n * TAO));
    }
    await send(MINER_OP, metagraph("burnedRegister", [A, idOf(MINER_OP), 10n ** 15n], await burnValue(A)));
    await send(NO_PERMIT, metagraph("burnedRegister", [A, idOf(NO_PERMIT), 10n ** 15n], await burnValue(A)));
    // Validator permits are an epoch's output, which only EpochSettlement records; the test plays the settlement
    // here (the admin grants itself the settler's role) and records them as of the current block.
    await send(ADMIN, metagraph("grantRole", [keccak256(toHex("SETTLER_ROLE")), account(ADMIN).address]));
    for (const netuid of [A, B]) {
      const generation = await economy.metagraph.read.generationOf([netuid]);
      const [, validatorUid] = await economy.metagraph.read.uidOf([netuid, validatorHotkey]);
      const snapshotBlock = await publicClient.getBlockNumber();
      await send(
        ADMIN,
        metagraph("setValidatorPermits", [netuid, generation, snapshotBlock, [1n | (1n << BigInt(validatorUid))]]),
      );
    }
    await mine(5); // past the registration rate limit
  });

  after(async () => {
    await close?.();
    await node?.stop();
    for (const id of [deploymentId, `${deploymentId}-genesis`]) {
      rmSync(path.join(ROOT, "ignition", "deployments", id), { recursive: true, force: true });
    }
  });

  /** The error name viem decodes from a rejection, or why there is none. */
  async function decodedName(action: Promise<unknown>): Promise<{ name: string | undefined; error: unknown }> {
    try {
      await action;
    } catch (error) {
      const revert =
        error instanceof BaseError
          ? (error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null)
          : null;
      return { name: revert?.data?.errorName, error };
    }
    throw new Error("the call did not revert");
  }

  it("covers every error of the four contracts that is not listed as out of a user's reach", () => {
    const covered = new Set(CASES.map((c) => c.error));
    const unreachable = new Set([
      "ReservesTooLow",
      "InsufficientLiquidity",
      "TaoTransferFailed",
      "StaleGeneration",
      "PayoutExceedsPot",
      "PermitWordsMismatch",
    ]);
    const declared = new Set(
      [economy.pools.abi, economy.registry.abi, economy.metagraph.abi, economy.rootDividends.abi]
        .flatMap((abi) => abi as Abi)
        .filter((item) => item.type === "error")
        .map((item) => (item as { name: string }).name),
    );
    // Errors that a user meets only through a misconfigured deployment or an internal invariant.
    const internal = [...declared].filter((name) =>
      /^(AccessControlBadConfirmation|ReentrancyGuardReentrantCall|SafeCast|Blake2fFailed|ExtensionMismatch|AlreadyWired|MetagraphAlreadySet|SubnetAlreadyOpen|FeeRateTooHigh|ExpectedPause)/.test(
        name,
      ),
    );
    const missing = [...declared].filter(
      (name) => !covered.has(name) && !unreachable.has(name) && !internal.includes(name),
    );
    expect(missing, "user-facing errors without a case").to.deep.equal([]);
  });

  let deadlineError: unknown;

  for (const c of CASES) {
    const title = c.regression
      ? `${c.error}: ${c.what} — REGRESSION TEST, fails on the current contracts: ${c.regression}`
      : `${c.error}: ${c.what}`;
    it(title, async () => {
      await c.before?.();
      try {
        const call = await c.call();
        const from = wallet(c.from);
        const viaCall = await decodedName(publicClient.simulateContract({ ...call, account: from.account }));
        const viaEstimate = await decodedName(from.writeContract({ ...call, chain: null }));
        if (c.error === "DeadlineExpired") deadlineError = viaEstimate.error;
        const shortOf = (e: unknown) => (e instanceof BaseError ? e.shortMessage : String(e));
        // The project's own decoder names it, from either answer.
        expect(decodeError(viaCall.error, projectErrors).name).to.equal(c.error);
        expect(decodeError(viaEstimate.error, projectErrors).name).to.equal(c.error);
        expect(viaCall.name, `eth_call: ${shortOf(viaCall.error)}`).to.equal(c.error);
        expect(viaEstimate.name, `eth_estimateGas: ${shortOf(viaEstimate.error)}`).to.equal(c.error);
      } finally {
        await c.after?.();
      }
    });
  }

  it("the client library decodes DeadlineExpired into one line with its values", () => {
    expect(deadlineError, "the DeadlineExpired case ran").to.not.equal(undefined);
    const decoded = decodeError(deadlineError, projectErrors);
    expect(decoded.name).to.equal("DeadlineExpired");
    expect(decoded.line).to.match(/^DeadlineExpired\(deadline=1, timestamp=\d+\)$/);
  });
});
