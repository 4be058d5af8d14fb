/**
 * `npx hardhat fund:process-redemptions --network <net> --fund <f> [--max-requests 100] [--max-batches 10]`: pays the
 * ready requests at the head of the redemption queue, one bounded batch per transaction, until none is ready. Anyone
 * may run it; receivers then `claim` their TAO.
 */
import { maxUint256, parseEventLogs } from "viem";

import { formatRaoAsTao } from "../../client/index.ts";
import { CommandError } from "../lib/cli.ts";
import { connect, fundAction, integerOption, resolveFund } from "./fund-common.ts";

export default fundAction<{ fund: string; maxRequests: string; maxBatches: string }>(
  "fund:process-redemptions",
  async (args, hre) => {
    const maxRequests = integerOption(args.maxRequests, "max-requests", 1, 1000);
    const maxBatches = integerOption(args.maxBatches, "max-batches", 1, 10_000);
    const { connection, chainId } = await connect(hre);
    const address = await resolveFund(args.fund, chainId);
    const fund = await connection.viem.getContractAt("MiningFund", address);
    const publicClient = await connection.viem.getPublicClient();
    let requests = 0;
    let taoRao = 0n;
    for (let batch = 1; batch <= maxBatches; batch++) {
      const head = await fund.read.queueHead();
      const tail = await fund.read.queueTail();
      if (head === tail) break;
      const first = await fund.read.request([head]);
      const now = (await publicClient.getBlock()).timestamp;
      if (!(await fund.read.isShutDown()) && first.readyAt > now) {
        console.log(
          `  the next request (#${head}) is ready at ${new Date(Number(first.readyAt) * 1000).toISOString()} ` +
            `(${first.readyAt - now} s from now)`,
        );
        break;
      }
      const hash = await fund.write.processRedemptions([BigInt(maxRequests), maxUint256]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new CommandError(`processRedemptions reverted (tx ${hash})`);
      const [done] = parseEventLogs({ abi: fund.abi, logs: receipt.logs, eventName: "RedemptionBatch" });
      if (!done) break;
      requests += Number(done.args.requests);
      taoRao += done.args.taoRao;
      console.log(
        `  batch ${batch}: ${done.args.requests} request(s), ${formatRaoAsTao(done.args.shares / 10n ** 9n)} shares, ` +
          `${formatRaoAsTao(done.args.taoRao)} TAO credited to receivers (gas ${receipt.gasUsed})`,
      );
    }
    const left = (await fund.read.queueTail()) - (await fund.read.queueHead());
    console.log(
      `Processed ${requests} request(s) of ${address}: ${formatRaoAsTao(taoRao)} TAO to claim; ${left} left in the queue`,
    );
  },
);
