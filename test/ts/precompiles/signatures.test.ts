import { expect } from "chai";
import hre, { network } from "hardhat";
import { readFileSync } from "node:fs";
import {
  type Abi,
  type AbiFunction,
  type AbiParameter,
  getAddress,
  keccak256,
  slice,
  toFunctionSelector,
  toFunctionSignature,
  toHex,
} from "viem";
import { z } from "zod";

/**
 * The precompiles' public functions as subtensor's Rust source declares them (`#[precompile::public("…")]`, the
 * Rust parameter and return types, `#[precompile::view]`/`#[precompile::payable]`), at the commit named in the file.
 */
const FIXTURE = new URL("../../fixtures/precompile-signatures.json", import.meta.url);

/**
 * Interfaces that declare every public function of their precompile. An interface not listed here may leave
 * functions out, but may never declare one the precompile lacks or get one wrong.
 */
const COMPLETE = new Set([
  "IStakingV2",
  "IAlphaPrecompile",
  "IMetagraphPrecompile",
  "ISubnetPrecompile",
  "INeuronPrecompile",
  "IUidLookupPrecompile",
  "IBalanceTransferPrecompile",
  "IAddressMappingPrecompile",
]);

const rustFunction = z.object({
  name: z.string(),
  signature: z.string(),
  selector: z.string().regex(/^0x[0-9a-f]{8}$/),
  stateMutability: z.enum(["view", "nonpayable", "payable"]),
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
  rustFn: z.string(),
});
const fixtureSchema = z.object({
  source: z.object({
    repository: z.literal("opentensor/subtensor"),
    commit: z.string().regex(/^[0-9a-f]{40}$/),
    files: z.array(z.string()),
  }),
  precompiles: z.array(
    z.object({
      name: z.string(),
      interface: z.string(),
      file: z.string(),
      index: z.number().int(),
      address: z.string().regex(/^0x[0-9a-f]{40}$/),
      functions: z.array(rustFunction).min(1),
    }),
  ),
});
type RustFunction = z.infer<typeof rustFunction>;

const fixture = fixtureSchema.parse(JSON.parse(readFileSync(FIXTURE, "utf8")));

/** The canonical ABI type of a parameter, tuples spelled out as `(a,b,…)` with their array suffix. */
function canonicalType(parameter: AbiParameter): string {
  if (parameter.type.startsWith("tuple")) {
    const { components } = parameter as { components: readonly AbiParameter[] };
    return `(${components.map(canonicalType).join(",")})${parameter.type.slice("tuple".length)}`;
  }
  return parameter.type;
}

/** What must agree between the interface and the Rust source, for one function. */
function shape(f: AbiFunction | RustFunction) {
  if ("rustFn" in f) {
    const { signature, selector, inputs, outputs, stateMutability } = f;
    return { signature, selector, inputs, outputs, stateMutability };
  }
  return {
    signature: toFunctionSignature(f),
    selector: toFunctionSelector(f),
    inputs: f.inputs.map(canonicalType),
    outputs: f.outputs.map(canonicalType),
    stateMutability: f.stateMutability,
  };
}

describe("precompile interfaces: exactly the ABI of subtensor's Rust precompiles", function () {
  it("the table is consistent: selectors hash their signatures, inputs spell them, addresses follow INDEX", () => {
    expect(fixture.source.files).to.deep.equal(fixture.precompiles.map((p) => p.file));
    for (const p of fixture.precompiles) {
      expect(p.address, p.name).to.equal(`0x${p.index.toString(16).padStart(40, "0")}`);
      const signatures = p.functions.map((f) => f.signature);
      expect(new Set(signatures).size, `${p.name}: duplicate signatures`).to.equal(signatures.length);
      for (const f of p.functions) {
        expect(f.signature, p.name).to.equal(`${f.name}(${f.inputs.join(",")})`);
        expect(f.selector, f.signature).to.equal(slice(keccak256(toHex(f.signature)), 0, 4));
      }
    }
  });

  it("covers every interface in contracts/precompiles, each once", () => {
    const interfaces = fixture.precompiles.map((p) => p.interface);
    expect([...interfaces].sort()).to.deep.equal([...COMPLETE].sort());
  });

  for (const p of fixture.precompiles) {
    describe(`${p.interface} (${p.name} at ${p.address})`, () => {
      let abi: Abi;
      before(async () => {
        abi = (await hre.artifacts.readArtifact(p.interface)).abi as Abi;
      });

      it("declares only functions: the precompiles emit no events and return no custom errors", () => {
        expect(abi.filter((item) => item.type !== "function").map((item) => item.type)).to.deep.equal([]);
      });

      it("every function has the Rust selector, input and output types, and mutability", () => {
        const rustBySelector = new Map(p.functions.map((f) => [f.selector, f]));
        const functions = abi.filter((item): item is AbiFunction => item.type === "function");
        expect(functions.length, "an interface with no functions").to.be.greaterThan(0);
        for (const f of functions) {
          const ours = shape(f);
          const rust = rustBySelector.get(ours.selector);
          expect(rust, `${ours.signature} (${ours.selector}) is not a function of ${p.name}`).to.not.equal(undefined);
          expect(ours, ours.signature).to.deep.equal(shape(rust!));
        }
      });

      if (COMPLETE.has(p.interface)) {
        it("is complete: declares every public function of the Rust precompile", () => {
          const declared = new Set<string>(
            abi.filter((item): item is AbiFunction => item.type === "function").map((f) => toFunctionSelector(f)),
          );
          const missing = p.functions.filter((f) => !declared.has(f.selector)).map((f) => f.signature);
          expect(missing, `missing from ${p.interface}`).to.deep.equal([]);
          expect(declared.size).to.equal(p.functions.length);
        });
      }
    });
  }

  it("the Precompiles library's addresses are the precompiles' addresses", async () => {
    const { viem } = await network.create();
    const harness = await viem.deployContract("PrecompilesHarness");
    const [interfaces, addresses] = await harness.read.precompileAddresses();
    const ours = Object.fromEntries(interfaces.map((name, i) => [name, addresses[i]]));
    const rust = Object.fromEntries(fixture.precompiles.map((p) => [p.interface, getAddress(p.address)]));
    expect(ours).to.deep.equal(rust);
  });
});
