import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = join(ROOT, "keeper/yuma/cli.ts");
const FIXTURES = join(ROOT, "test/fixtures/yuma");

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Json = Record<string, unknown>;

describe("yuma: CLI", function () {
  this.timeout(60_000);
  let tmp = "";
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "yuma-cli-"));
  });
  after(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const fixture = (name: string): Json => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as Json;
  const write = (name: string, data: unknown): string => {
    const f = join(tmp, name);
    writeFileSync(f, typeof data === "string" ? data : JSON.stringify(data));
    return f;
  };

  for (const name of ["subtensor_bonds_classic_ema_8_epochs.json", "random-2.json"]) {
    it(`run ${name}: stdout is exactly the expected array`, () => {
      const r = cli("run", join(FIXTURES, name));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal("");
      expect(JSON.parse(r.stdout)).to.deep.equal(fixture(name).expected);
    });
  }

  it("run ignores `expected` (absent or wrong)", () => {
    const s = fixture("random-4.json");
    const want = s.expected;
    const r1 = cli("run", write("noexp.json", { ...s, expected: undefined }));
    expect(r1.code, r1.stderr).to.equal(0);
    expect(JSON.parse(r1.stdout)).to.deep.equal(want);
    const r2 = cli("run", write("badexp.json", { ...s, expected: [] }));
    expect(JSON.parse(r2.stdout)).to.deep.equal(want);
  });

  it("check passes on the fixtures and prints one line per file", () => {
    const r = cli("check", FIXTURES);
    expect(r.code, r.stdout).to.equal(0);
    expect(r.stdout.match(/^PASS /gm)?.length).to.be.greaterThanOrEqual(12);
    expect(r.stdout).to.not.match(/^FAIL /m);
  });

  it("check reports the first mismatch (field, epoch, uid) and exits non-zero", () => {
    const s = fixture("subtensor_bonds_classic_ema_8_epochs.json");
    const expected = structuredClone(s.expected) as Json[];
    (expected[2]!.dividends as number[])[3]! += 1;
    const f = write("tampered.json", { ...s, expected });
    const r = cli("check", f);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/^FAIL tampered\.json: dividends \(epoch 2, uid 3\)/m);
  });

  const invalid: [string, (s: Json) => unknown, RegExp][] = [
    ["a missing field", (s) => ({ ...s, stake: undefined }), /\bstake: missing field/],
    [
      "a missing parameter",
      (s) => ({ ...s, params: { ...(s.params as Json), kappa: undefined } }),
      /params\.kappa: missing field/,
    ],
    [
      "a wrong length",
      (s) => ({ ...s, last_update: (s.last_update as number[]).slice(1) }),
      /last_update: expected \d+ entries/,
    ],
    [
      "a u16 out of range",
      (s) => ({ ...s, params: { ...(s.params as Json), bonds_penalty: 65536 } }),
      /params\.bonds_penalty: 65536 is out of range/,
    ],
    [
      "a weight value out of range",
      (s) => {
        const steps = structuredClone(s.steps) as Json[];
        (steps[1]!.values as number[])[0] = 70000;
        return { ...s, steps };
      },
      /steps\[1\]\.values\[0\]: 70000 is out of range/,
    ],
    [
      "a uid ≥ n",
      (s) => {
        const steps = structuredClone(s.steps) as Json[];
        (steps[1]!.uids as number[])[2] = 999;
        return { ...s, steps };
      },
      /steps\[1\]\.uids\[2\]: uid 999 is not below n = 8/,
    ],
    [
      "a non-monotone block",
      (s) => {
        const steps = structuredClone(s.steps) as Json[];
        steps[5]!.block = 0;
        return { ...s, steps };
      },
      /steps\[5\]\.block: 0 is before the block \d+ of steps\[4\]/,
    ],
    [
      "a bad decimal string",
      (s) => ({ ...s, stake: (s.stake as string[]).map((x, i) => (i === 2 ? "-5" : x)) }),
      /stake\[2\]: expected a decimal string/,
    ],
    [
      "a stake ≥ 2^64",
      (s) => ({ ...s, stake: (s.stake as string[]).map((x, i) => (i === 1 ? "18446744073709551616" : x)) }),
      /stake\[1\]: .* does not fit in 64 bits/,
    ],
    [
      "an unknown operation",
      (s) => ({ ...s, steps: [...(s.steps as Json[]), { op: "nope" }] }),
      /steps\[\d+\]\.op: unknown operation "nope"/,
    ],
  ];
  for (const [what, mutate, message] of invalid) {
    it(`run rejects ${what}, naming the field and index`, () => {
      const s = fixture("subtensor_bonds_classic_ema_8_epochs.json");
      const r = cli("run", write("invalid.json", mutate(s)));
      expect(r.code).to.not.equal(0);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(message);
    });
  }

  it("run rejects malformed JSON and a missing file", () => {
    const r1 = cli("run", write("broken.json", "{ not json"));
    expect(r1.code).to.not.equal(0);
    expect(r1.stderr).to.match(/invalid JSON/);
    const r2 = cli("run", join(tmp, "does-not-exist.json"));
    expect(r2.code).to.not.equal(0);
    expect(r2.stderr).to.match(/cannot read/);
  });
});
