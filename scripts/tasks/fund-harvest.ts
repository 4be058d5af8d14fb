/**
 * `npx hardhat fund:harvest --network <net> --fund <f>`: the fund's rewards (mining and validator emission) arrive as
 * stake on its coldkey and already count in NAV; harvesting crystallises the fees they earned (`accrueFees`: the
 * management fee to date and the performance fee above the high-water mark, minted as shares) and reports what moved.
 */
import { parseEventLogs } from "viem";

import { formatRaoAsTao } from "../../client/index.ts";
import { CommandError } from "../lib/cli.ts";
import { connect, fundAction, readFundStatus, resolveFund } from "./fund-common.ts";

export default fundAction<{ fund: string }>("fund:harvest", async ({ fund }, hre) => {
  const { connection, chainId } = await connect(hre);
  const address = await resolveFund(fund, chainId);
  const before = await readFundStatus(connection, address);
  const contract = await connection.viem.getContractAt("MiningFund", address);
  const publicClient = await connection.viem.getPublicClient();
  const hash = await contract.write.accrueFees();
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CommandError(`accrueFees reverted (tx ${hash})`);
  const [accrued] = parseEventLogs({ abi: contract.abi, logs: receipt.logs, eventName: "FeesAccrued" });
  const after = await readFundStatus(connection, address);
  const shares = (x: bigint) => formatRaoAsTao(x / 10n ** 9n);
  console.log(`Harvested ${after.symbol} at ${address} (tx ${hash})`);
  for (const [i, p] of after.positions.entries()) {
    console.log(`  #${i} netuid ${p.netuid}: ${formatRaoAsTao(p.alphaRao)} alpha, ${formatRaoAsTao(p.valueRao)} TAO`);
  }
  console.log(`  NAV ${formatRaoAsTao(before.navRao)} → ${formatRaoAsTao(after.navRao)} TAO`);
  console.log(
    `  share price ${formatRaoAsTao(before.sharePriceRaoPerShareWad)} → ${formatRaoAsTao(after.sharePriceRaoPerShareWad)} TAO`,
  );
  if (accrued) {
    console.log(
      `  fees minted: ${shares(accrued.args.managementShares)} management, ${shares(accrued.args.performanceShares)} performance shares`,
    );
  } else console.log("  no fees accrued (no shares yet, or the fund is shut down)");
});
