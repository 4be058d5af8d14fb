/**
 * `npx hardhat fund:deploy-capital --network <net> --fund <f> [--position <i>] [--tao <amount>] [--limit-price <p>]`:
 * puts idle TAO to work within the fund's policy. A mining fund whose raise has ended is finalised first, then stakes
 * into position <i>; an allocator stakes into position <i>, or along its supply queue without --position; the index
 * rebalances toward its targets (no other option applies). Sent by the manager (the index: by anyone).
 */
import type { NetworkConnection } from "hardhat/types/network";
import type { Address, Hex } from "viem";

import { formatRaoAsTao, gasWithHeadroom } from "../../client/index.ts";
import { CommandError, InputError } from "../lib/cli.ts";
import { parseDecimal } from "../lib/fund-config.ts";
import { connect, fundAction, fundKindOf, integerOption, resolveFund } from "./fund-common.ts";

const NO_LIMIT = 2n ** 64n - 1n;

interface Args {
  fund: string;
  position: string;
  tao: string;
  limitPrice: string;
}

export default fundAction<Args>("fund:deploy-capital", async (args, hre) => {
  const limit = args.limitPrice === "" ? NO_LIMIT : parseDecimal(args.limitPrice, "--limit-price", 9, "TAO per alpha");
  const { connection, chainId } = await connect(hre);
  const address = await resolveFund(args.fund, chainId);
  const kind = await fundKindOf(connection, address);
  const publicClient = await connection.viem.getPublicClient();
  const [walletClient] = await connection.viem.getWalletClients();
  if (!walletClient) throw new CommandError("the network has no account to send from");
  const wallet = walletClient.account.address;
  const send = async (what: string, hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new CommandError(`${what} reverted (tx ${hash})`);
    console.log(`  ${what}: tx ${hash} (gas ${receipt.gasUsed})`);
  };

  if (kind === "index") {
    if (args.position !== "" || args.tao !== "") {
      throw new InputError("--position and --tao do not apply to an index fund: it rebalances toward its targets");
    }
    const index = await connection.viem.getContractAt("SubnetIndexFund", address);
    const gas = await index.estimateGas.rebalance({ account: wallet });
    await send("rebalance", await index.write.rebalance({ gas: gasWithHeadroom(gas) }));
  } else {
    const mining = await connection.viem.getContractAt("MiningFund", address);
    if (kind === "mining" && (await mining.read.phase()) === 0) {
      const end = (await mining.read.terms()).endTime;
      const now = (await publicClient.getBlock()).timestamp;
      if (now < end && (await mining.read.totalRaisedRao()) < (await mining.read.terms()).hardCapRao) {
        throw new CommandError(
          `the raise is still open until ${new Date(Number(end) * 1000).toISOString()}: capital is deployed after it`,
        );
      }
      await send("finalize (the raise has ended)", await mining.write.finalize());
      if ((await mining.read.phase()) === 2) {
        throw new CommandError("the raise missed its soft cap: contributors take refunds, nothing to deploy");
      }
    }
    const idle = await mining.read.idleRao();
    const amount = args.tao === "" ? idle : parseDecimal(args.tao, "--tao", 9, "TAO");
    if (amount === 0n) throw new CommandError("the fund has no idle TAO to deploy");
    if (amount > idle)
      throw new InputError(`--tao is ${formatRaoAsTao(amount)} TAO; the fund has ${formatRaoAsTao(idle)} idle`);
    const count = (await mining.read.positions()).length;
    if (kind === "allocator" && args.position === "") {
      const allocator = await connection.viem.getContractAt("AllocatorFund", address);
      const gas = await allocator.estimateGas.deploySupply([amount], { account: wallet });
      await send(
        `deploySupply(${formatRaoAsTao(amount)} TAO)`,
        await allocator.write.deploySupply([amount], { gas: gasWithHeadroom(gas) }),
      );
    } else {
      const position = integerOption(args.position, "position", 0, count - 1);
      await stakeInto(connection, kind, address, position, amount, limit, wallet, send);
    }
  }
  const fund = await connection.viem.getContractAt("MiningFund", address);
  console.log(
    `Deployed: ${formatRaoAsTao(await fund.read.idleRao())} TAO idle, NAV ${formatRaoAsTao(await fund.read.navRao())} TAO`,
  );
});

async function stakeInto(
  connection: NetworkConnection,
  kind: "mining" | "allocator",
  address: Address,
  position: number,
  amountRao: bigint,
  limit: bigint,
  wallet: Address,
  send: (what: string, hash: Hex) => Promise<void>,
) {
  const what = `stake ${formatRaoAsTao(amountRao)} TAO into position #${position}`;
  if (kind === "mining") {
    const mining = await connection.viem.getContractAt("MiningFund", address);
    const args = [BigInt(position), amountRao, limit] as const;
    const gas = await mining.estimateGas.stake(args, { account: wallet });
    await send(what, await mining.write.stake(args, { gas: gasWithHeadroom(gas) }));
  } else {
    const allocator = await connection.viem.getContractAt("AllocatorFund", address);
    const args = [BigInt(position), amountRao, limit] as const;
    const gas = await allocator.estimateGas.allocate(args, { account: wallet });
    await send(what, await allocator.write.allocate(args, { gas: gasWithHeadroom(gas) }));
  }
}
