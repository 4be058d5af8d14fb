/**
 * The `fund:*` Hardhat tasks, for mining organizations and fund operators (registered in hardhat.config.ts):
 *
 *   npx hardhat fund:launch --network <net> --fund-config fund.json
 *   npx hardhat fund:status --network <net> --fund <address or symbol> [--json]
 *   npx hardhat fund:deploy-capital --network <net> --fund <f> [--position <i>] [--tao <amount>]
 *   npx hardhat fund:register-neuron --network <net> --fund <f> --position <i> --max-burn-tao <tao>
 *   npx hardhat fund:harvest --network <net> --fund <f>
 *   npx hardhat fund:process-redemptions --network <net> --fund <f> [--max-requests <n>]
 *
 * The config file is `--fund-config`, not `--config`: Hardhat itself reads `--config` (its own config file) wherever it
 * appears on the command line. Each action lives in its own fund-<name>.ts, loaded only when its task runs.
 */
import { task } from "hardhat/config";
import { definePlugin } from "hardhat/plugins";
import { ArgumentType } from "hardhat/types/arguments";

const fundOption = {
  name: "fund",
  description: "The fund: its address, or its symbol as listed in deployments/<chainId>.json",
  defaultValue: "",
} as const;

const fundTasks = [
  task("fund:launch", "Launches a fund from a config file (see examples/fund.json) through the FundFactory")
    .addOption({
      name: "fundConfig",
      description: "The fund config file (JSON; see examples/fund.json)",
      type: ArgumentType.STRING,
      defaultValue: "",
    })
    .setAction(() => import("./fund-launch.ts"))
    .build(),
  task("fund:status", "Prints a fund's NAV, share price, positions, fees, roles, queue and raise")
    .addOption(fundOption)
    .addFlag({ name: "json", description: "Print the status as JSON" })
    .setAction(() => import("./fund-status.ts"))
    .build(),
  task(
    "fund:deploy-capital",
    "Puts idle TAO to work: stakes into a position (mining, allocator), fills the allocator's supply queue, or rebalances the index",
  )
    .addOption(fundOption)
    .addOption({ name: "position", description: "The position index (see fund:status)", defaultValue: "" })
    .addOption({ name: "tao", description: "TAO to deploy (default: all idle TAO)", defaultValue: "" })
    .addOption({
      name: "limitPrice",
      description: "The highest price to pay, in TAO per alpha (the fund's policy caps it anyway)",
      defaultValue: "",
    })
    .setAction(() => import("./fund-deploy-capital.ts"))
    .build(),
  task(
    "fund:register-neuron",
    "Registers a mining fund's hotkey (a direct position) on its subnet, burning from the fund's budget",
  )
    .addOption(fundOption)
    .addOption({
      name: "position",
      description: "The position index of the hotkey (see fund:status)",
      defaultValue: "",
    })
    .addOption({ name: "maxBurnTao", description: "The most TAO the registration may burn", defaultValue: "" })
    .setAction(() => import("./fund-register-neuron.ts"))
    .build(),
  task("fund:harvest", "Crystallises the fees on the rewards the fund's stake earned and reports NAV per share")
    .addOption(fundOption)
    .setAction(() => import("./fund-harvest.ts"))
    .build(),
  task("fund:process-redemptions", "Processes the ready redemptions in the queue, in bounded batches")
    .addOption(fundOption)
    .addOption({ name: "maxRequests", description: "Requests per batch (transaction)", defaultValue: "100" })
    .addOption({ name: "maxBatches", description: "Stop after this many batches", defaultValue: "10" })
    .setAction(() => import("./fund-process-redemptions.ts"))
    .build(),
];

/** The fund tasks, with command lines checked the project's way (./command-line.ts). */
export const fundsPlugin = definePlugin({
  id: "alpha-markets-funds",
  tasks: fundTasks,
  hookHandlers: { hre: () => import("./strict-arguments-hook.ts") },
});
