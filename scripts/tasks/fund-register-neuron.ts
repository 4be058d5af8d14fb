/**
 * `npx hardhat fund:register-neuron --network <net> --fund <f> --position <i> --max-burn-tao <tao>`: registers a
 * mining fund's hotkey (a direct position) as a neuron of the position's subnet, through the fund's
 * `registerNeuron` (the neuron precompile's `burnedRegister`). The burn is paid from the fund's operating budget,
 * which governance sets through the timelock, and never exceeds --max-burn-tao. Sent by the manager.
 *
 * Before sending, it checks what the chain would refuse without saying why (the precompile reports no reason): the
 * hotkey already holding a uid on the subnet (read through the Metagraph precompile), and a budget or idle balance
 * below the maximum burn.
 */
import { getAddress, parseEventLogs } from "viem";

import { formatRaoAsTao, gasWithHeadroom } from "../../client/index.ts";
import { CommandError, InputError } from "../lib/cli.ts";
import { parseDecimal } from "../lib/fund-config.ts";
import { ZERO_ADDRESS } from "../lib/funds.ts";
import { PRECOMPILE_ADDRESSES } from "../lib/precompiles.ts";
import { connect, fundAction, fundKindOf, integerOption, precompileAddressesOf, resolveFund } from "./fund-common.ts";

interface Args {
  fund: string;
  position: string;
  maxBurnTao: string;
}

export default fundAction<Args>("fund:register-neuron", async (args, hre) => {
  if (args.maxBurnTao === "") {
    throw new InputError("--max-burn-tao is required: the most TAO the registration may burn (the subnet's burn)");
  }
  const maxBurnRao = parseDecimal(args.maxBurnTao, "--max-burn-tao", 9, "TAO");
  if (maxBurnRao === 0n) throw new InputError("--max-burn-tao must be above 0");
  const { connection, chainId } = await connect(hre);
  const address = await resolveFund(args.fund, chainId);
  const kind = await fundKindOf(connection, address);
  if (kind !== "mining") {
    throw new InputError(`fund:register-neuron applies to a mining fund; ${address} is an ${kind} fund`);
  }
  const fund = await connection.viem.getContractAt("MiningFund", address);
  const positions = await fund.read.positions();
  const index = integerOption(args.position, "position", 0, positions.length - 1);
  const { netuid, hotkey, vault } = positions[index]!;
  if (vault !== ZERO_ADDRESS) {
    throw new InputError(
      `position #${index} is a liquid vault's shares (${vault}): only a direct position's hotkey registers`,
    );
  }

  const metagraphAddress = (await precompileAddressesOf(chainId))?.Metagraph ?? PRECOMPILE_ADDRESSES.Metagraph;
  const metagraph = await connection.viem.getContractAt("IMetagraphPrecompile", metagraphAddress);
  const uidOf = async (): Promise<number | undefined> => {
    const count = await metagraph.read.getUidCount([netuid]);
    const hotkeys = await Promise.all(
      Array.from({ length: count }, (_, uid) => metagraph.read.getHotkey([netuid, uid])),
    );
    const uid = hotkeys.findIndex((h) => h.toLowerCase() === hotkey.toLowerCase());
    return uid === -1 ? undefined : uid;
  };
  const registered = await uidOf();
  if (registered !== undefined) {
    throw new CommandError(`hotkey ${hotkey} is already registered on netuid ${netuid} as uid ${registered}`);
  }
  const available = await fund.read.budgetAvailableRao();
  if (available < maxBurnRao) {
    throw new CommandError(
      `the fund's budget has ${formatRaoAsTao(available)} TAO available, less than --max-burn-tao ` +
        `${formatRaoAsTao(maxBurnRao)}: registrations burn from the operating budget, which governance sets through ` +
        `the timelock (schedule and execute setBudget; fund:status shows the budget)`,
    );
  }
  const idle = await fund.read.idleRao();
  if (idle < maxBurnRao) {
    throw new CommandError(
      `the fund has ${formatRaoAsTao(idle)} TAO idle, less than --max-burn-tao ${formatRaoAsTao(maxBurnRao)}`,
    );
  }

  const [wallet] = await connection.viem.getWalletClients();
  if (!wallet) throw new CommandError("the network has no account to send from");
  const manager = getAddress((await fund.read.roles()).manager);
  if (getAddress(wallet.account.address) !== manager) {
    throw new CommandError(
      `only the fund's manager ${manager} registers neurons; this key is ${wallet.account.address}`,
    );
  }
  const callArgs = [netuid, hotkey, maxBurnRao] as const;
  const gas = await fund.estimateGas
    .registerNeuron(callArgs, { account: wallet.account.address })
    .catch((error: unknown) => {
      if (!/RegistrationFailed/.test(String(error))) throw error;
      // The precompile gives no reason; these are the ones the checks above cannot see.
      throw new CommandError(
        `the neuron precompile refused to register ${hotkey} on netuid ${netuid}: registration closed on the ` +
          `subnet, a burn above --max-burn-tao, or (on the local model) a hotkey that has not approved the fund's ` +
          `coldkey with the Metagraph's approveHotkeyOwner`,
      );
    });
  const hash = await fund.write.registerNeuron(callArgs, { gas: gasWithHeadroom(gas) });
  const receipt = await (await connection.viem.getPublicClient()).waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CommandError(`registerNeuron reverted (tx ${hash})`);
  const [event] = parseEventLogs({ abi: fund.abi, logs: receipt.logs, eventName: "NeuronRegistered" });
  const uid = await uidOf();
  console.log(
    `Registered hotkey ${hotkey} on netuid ${netuid} as uid ${uid ?? "?"} for ${await fund.read.symbol()} ` +
      `(tx ${hash}): burned ${formatRaoAsTao(event?.args.burnRao ?? 0n)} TAO of the budget, ` +
      `${formatRaoAsTao(await fund.read.budgetAvailableRao())} TAO left`,
  );
});
