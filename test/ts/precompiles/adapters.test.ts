import { expect } from "chai";
import hre, { network } from "hardhat";
import { readFileSync } from "node:fs";
import {
  type Abi,
  type AbiFunction,
  type AbiParameter,
  getAddress,
  keccak256,
  parseEther,
  toFunctionSelector,
  toFunctionSignature,
  toHex,
} from "viem";

import { deployEconomy, loadParameters } from "../../../scripts/lib/economy.ts";
import {
  createVaults,
  deployLiquidStaking,
  liquidDeploymentEntries,
  seedLiquidPositions,
} from "../../../scripts/lib/liquid.ts";
import {
  ADAPTER_CONTRACTS,
  PRECOMPILE_ADDRESSES,
  type PrecompileName,
  installPrecompiles,
} from "../../../scripts/lib/precompiles.ts";

/** The Rust table of every precompile function (see test/ts/precompiles/signatures.test.ts). */
const FIXTURE = new URL("../../fixtures/precompile-signatures.json", import.meta.url);

interface RustFunction {
  signature: string;
  selector: string;
  stateMutability: string;
  inputs: string[];
  outputs: string[];
}
interface RustPrecompile {
  name: string;
  interface: string;
  address: string;
  functions: RustFunction[];
}
const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { precompiles: RustPrecompile[] };

/** The fixture's precompile names are the adapters' keys. */
const RUST_NAME: Record<PrecompileName, string> = {
  BalanceTransfer: "BalanceTransfer",
  Metagraph: "Metagraph",
  Subnet: "Subnet",
  Neuron: "Neuron",
  StakingV2: "StakingV2",
  UidLookup: "UidLookup",
  Alpha: "Alpha",
  AddressMapping: "AddressMapping",
};

/** Adapters that answer every function of their precompile; the others fail on what the model cannot do. */
const COMPLETE = new Set<PrecompileName>([
  "StakingV2",
  "Alpha",
  "Metagraph",
  "UidLookup",
  "BalanceTransfer",
  "AddressMapping",
]);

/** Functions an adapter may add: never a selector of the Rust precompile. */
const EXTENSIONS: Record<PrecompileName, string[]> = {
  BalanceTransfer: ["isModelAdapter()", "heldRao(bytes32)", "withdrawHeld()"],
  Metagraph: ["isModelAdapter()"],
  Subnet: ["isModelAdapter()", "claimDissolutionRefunds(address,bytes32,uint16)"],
  Neuron: ["isModelAdapter()"],
  StakingV2: ["isModelAdapter()"],
  UidLookup: ["isModelAdapter()"],
  Alpha: ["isModelAdapter()"],
  AddressMapping: ["isModelAdapter()"],
};

function canonicalType(parameter: AbiParameter): string {
  if (parameter.type.startsWith("tuple")) {
    const { components } = parameter as { components: readonly AbiParameter[] };
    return `(${components.map(canonicalType).join(",")})${parameter.type.slice("tuple".length)}`;
  }
  return parameter.type;
}

describe("precompile adapters: the Rust precompiles' selectors, types and mutability", function () {
  for (const name of Object.keys(ADAPTER_CONTRACTS) as PrecompileName[]) {
    const contract = ADAPTER_CONTRACTS[name];
    describe(`${contract} (${name} at ${PRECOMPILE_ADDRESSES[name]})`, () => {
      let functions: AbiFunction[];
      let abi: Abi;
      const rust = fixture.precompiles.find((p) => p.name === RUST_NAME[name])!;
      before(async () => {
        abi = (await hre.artifacts.readArtifact(contract)).abi;
        functions = abi.filter((item): item is AbiFunction => item.type === "function");
      });

      it("stands in for the precompile at the address of the Rust table", () => {
        expect(rust, `${name} in the table`).to.not.equal(undefined);
        expect(getAddress(rust.address)).to.equal(getAddress(PRECOMPILE_ADDRESSES[name]));
      });

      it("declares no events (the precompiles emit none)", () => {
        expect(abi.filter((item) => item.type === "event").length).to.equal(0);
      });

      it("every function is a Rust function with its selector, types and mutability, or a declared extension", () => {
        const bySelector = new Map(rust.functions.map((f) => [f.selector, f]));
        const extensions = new Set(EXTENSIONS[name]);
        for (const f of functions) {
          const signature = toFunctionSignature(f);
          const selector = toFunctionSelector(f);
          const r = bySelector.get(selector);
          if (r === undefined) {
            expect(
              extensions.has(signature),
              `${signature} is neither a ${name} function nor a declared extension`,
            ).to.equal(true);
            continue;
          }
          expect(extensions.has(signature), `${signature} collides with a Rust selector`).to.equal(false);
          expect(
            {
              signature,
              inputs: f.inputs.map(canonicalType),
              outputs: f.outputs.map(canonicalType),
              stateMutability: f.stateMutability,
            },
            signature,
          ).to.deep.equal({
            signature: r.signature,
            inputs: r.inputs,
            outputs: r.outputs,
            stateMutability: r.stateMutability,
          });
        }
      });

      if (COMPLETE.has(name)) {
        it("answers every function of the Rust precompile", () => {
          const declared = new Set<string>(functions.map((f) => toFunctionSelector(f)));
          const missing = rust.functions.filter((f) => !declared.has(f.selector)).map((f) => f.signature);
          expect(missing).to.deep.equal([]);
        });
      }
    });
  }
});

describe("installPrecompiles and liquid staking on the in-process chain", function () {
  this.timeout(300_000);

  it("installs the adapters at the real addresses, and a vault deposit runs through them without events from them", async () => {
    const connection = await network.create();
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const economy = await deployEconomy(connection, await loadParameters("local"));
    const installed = await installPrecompiles(connection, economy);
    expect(installed.atRealAddresses).to.equal(true);
    for (const name of Object.keys(PRECOMPILE_ADDRESSES) as PrecompileName[]) {
      const real = await publicClient.getCode({ address: PRECOMPILE_ADDRESSES[name] });
      const own = await publicClient.getCode({ address: installed.adapters[name] });
      expect(real, `${name} installed`).to.equal(own);
      expect(installed.addresses[name]).to.equal(PRECOMPILE_ADDRESSES[name]);
    }

    // A started subnet and a validator hotkey (the owner's own account id, registered at registration).
    await economy.pools.write.fundEmissionReserve({ value: parseEther("1000") });
    const [owner, user] = await viem.getWalletClients();
    const hotkey = await economy.pools.read.coldkeyOf([owner!.account.address]);
    const cost = await economy.registry.read.lockCost();
    await economy.registry.write.registerNetwork([hotkey, "liquid", cost], { value: cost * 10n ** 9n });
    const netuid = (await economy.registry.read.activeNetuids()).at(-1)!;
    await economy.registry.write.startCall([netuid]);
    const testClient = await viem.getTestClient();
    await testClient.mine({ blocks: 2 });

    const liquid = await deployLiquidStaking(connection, installed);
    const [vaultAddress] = await createVaults(connection, liquid, [{ netuid, hotkey }]);
    const vault = await viem.getContractAt("LiquidAlphaVault", vaultAddress!);
    expect(await vault.read.STAKES_WITH_VALUE()).to.equal(true);
    expect(getAddress((await vault.read.precompiles()).staking)).to.equal(PRECOMPILE_ADDRESSES.StakingV2);

    const hash = await vault.write.deposit([user!.account.address, 0n, 2n ** 64n - 1n, 2n ** 40n], {
      value: parseEther("5"),
      account: user!.account,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    expect(await vault.read.balanceOf([user!.account.address])).to.be.a("bigint");
    expect((await vault.read.balanceOf([user!.account.address])) > 0n).to.equal(true);
    const fromPrecompiles = receipt.logs.filter((l) =>
      Object.values(PRECOMPILE_ADDRESSES).some((a) => getAddress(a) === getAddress(l.address)),
    );
    expect(fromPrecompiles, "no log from a precompile address").to.deep.equal([]);

    // Seeding through the router: a depositor's allocation lands in the vault, nothing stays in the router.
    const wallets = await viem.getWalletClients();
    const depositor = wallets[3]!.account.address;
    await seedLiquidPositions(connection, liquid, {
      positions: [{ netuid, hotkey }],
      depositors: [wallets[3]!.account],
    });
    expect((await vault.read.balanceOf([depositor])) > 0n, "the depositor holds shares").to.equal(true);
    expect(await publicClient.getBalance({ address: liquid.router.address })).to.equal(0n);

    const entries = liquidDeploymentEntries(installed, liquid);
    expect(entries.additionalContracts.LiquidVaultFactory.precompiles).to.deep.equal(liquid.precompiles);
    expect(entries.additionalContracts.AllocationRouter.address).to.equal(liquid.router.address);
    expect(entries.extra.precompiles.addresses.StakingV2).to.equal(PRECOMPILE_ADDRESSES.StakingV2);
    const roleOf = keccak256(toHex("ORIGIN_ROLE"));
    expect(await economy.pools.read.hasRole([roleOf, PRECOMPILE_ADDRESSES.StakingV2])).to.equal(true);
    expect(await economy.metagraph.read.hasRole([roleOf, PRECOMPILE_ADDRESSES.Neuron])).to.equal(true);
  });

  it("without hardhat_setCode the contracts call the adapters' own addresses", async () => {
    const connection = await network.create();
    const economy = await deployEconomy(connection, await loadParameters("local"));
    const installed = await installPrecompiles(connection, economy, { atRealAddresses: false });
    expect(installed.atRealAddresses).to.equal(false);
    expect(installed.addresses).to.deep.equal(installed.adapters);
    const code = await (await connection.viem.getPublicClient()).getCode({ address: PRECOMPILE_ADDRESSES.StakingV2 });
    expect(code ?? "0x").to.equal("0x");
  });
});
