import { expect } from "chai";

import * as fx from "../../../keeper/yuma/fixed.ts";
import {
  divFloor,
  EXP_BOUND_LIMIT,
  expRaw,
  expSeriesBounds,
  expSeriesEst,
  expSeriesSlack,
  idivFloor,
  limbs16,
  mulEmission,
  mulFloor,
  mulFloorEst,
  divFloorRecip,
  mulFloorSigned,
  mulFloorSplit,
  mulFloorWide,
  splitHi,
  toU16,
  U16_PROPORTION,
} from "../../../keeper/yuma/math.ts";
import { Rng } from "../../../keeper/yuma/gen.ts";
import { liquidAlphaOf } from "../../../keeper/yuma/epoch.ts";
import { alphaSigmoid } from "../../../keeper/yuma/reference.ts";

const TWO32 = 1n << 32n;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

/** floor(a/b) for bigints and b > 0, written independently of BigInt's truncating `/`. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b > a ? q - 1n : q;
}

/** Random integer in [0, 2^bits), built from 16-bit pieces. */
function randBits(r: Rng, bits: number): number {
  let v = 0;
  for (let b = 0; b < bits; b += 16) v = v * 65536 + (r.next() & 0xffff);
  return Number(BigInt(v) & ((1n << BigInt(bits)) - 1n));
}

describe("yuma: BigInt fixed point (substrate-fixed semantics)", () => {
  it("multiplication floors toward −∞ and saturates", () => {
    expect(fx.mul(3n, 5n)).to.equal(0n); // 15 / 2^32 → 0
    expect(fx.mul(-3n, 5n)).to.equal(-1n); // −15 / 2^32 → floor −1 (not 0)
    expect(fx.mul(fx.fromInt(-7), TWO32 / 2n)).to.equal(floorDiv(-7n * TWO32 * (TWO32 / 2n), TWO32));
    expect(fx.mul(I64_MAX, I64_MAX)).to.equal(I64_MAX);
    expect(fx.mul(I64_MIN, I64_MAX)).to.equal(I64_MIN);
    expect(fx.checkedMul(fx.fromInt(1 << 20), fx.fromInt(1 << 20))).to.equal(null);
  });

  it("division truncates toward zero, saturates, and safe_div by zero gives 0", () => {
    expect(fx.div(fx.fromInt(-1), fx.fromInt(3))).to.equal(-(TWO32 / 3n)); // −0.333… toward 0
    expect(fx.div(fx.fromInt(1), fx.fromInt(-3))).to.equal(-(TWO32 / 3n));
    expect(fx.div(fx.fromInt(2), fx.fromInt(3))).to.equal((2n * TWO32) / 3n);
    expect(fx.div(I64_MAX, 1n)).to.equal(I64_MAX); // 2^63·2^32 overflows → saturates
    expect(fx.div(I64_MIN, 1n)).to.equal(I64_MIN);
    expect(fx.safeDiv(fx.fromInt(5), 0n)).to.equal(0n);
    expect(fx.checkedDiv(1n, 0n)).to.equal(null);
    expect(() => fx.div(1n, 0n)).to.throw(RangeError);
  });

  it("add/sub saturate, conversions floor and clamp", () => {
    expect(fx.add(I64_MAX, 1n)).to.equal(I64_MAX);
    expect(fx.sub(I64_MIN, 1n)).to.equal(I64_MIN);
    expect(fx.fromInt(1n << 40n)).to.equal(I64_MAX);
    expect(fx.toUint(-1n, 32n, 65535n)).to.equal(0n);
    expect(fx.toUint(fx.fromInt(70000), 32n, 65535n)).to.equal(65535n);
    expect(fx.toUint(fx.fromInt(3) - 1n, 32n, 65535n)).to.equal(2n);
    expect(fx.i64f64ToI32f32((5n << 64n) + 1n)).to.equal(5n << 32n);
    expect(fx.proportionToU16(TWO32)).to.equal(65535);
    expect(fx.proportionToU16(TWO32 / 2n)).to.equal(32767); // floor(0.5·65535)
    expect(fx.proportionToU16(TWO32 / 64n)).to.equal(1023);
    expect(fx.proportionToU16(-5n)).to.equal(0);
    expect(fx.u16Proportion(65535)).to.equal(TWO32);
    expect(fx.u16Proportion(1)).to.equal(floorDiv(TWO32, 65535n));
  });

  it("exp: special cases, Taylor series with inversion, overflow", () => {
    expect(fx.exp(0n)).to.equal(TWO32);
    expect(fx.exp(TWO32)).to.equal(22802600n << 9n); // e at 23 fractional bits
    // Independent transcription of the series: term_i = floor(floor(term·x/2^32)/i), i = 2…31.
    const series = (x: bigint): bigint => {
      let result = x + TWO32;
      let term = x;
      for (let i = 2n; i <= 31n; i++) {
        term = floorDiv(floorDiv(term * x, TWO32), i);
        result += term;
      }
      return result;
    };
    for (const x of [1n, TWO32 / 2n, 3n * TWO32, 20n * TWO32, TWO32 + 1n, TWO32 - 1n]) {
      expect(fx.exp(x), `exp(${x})`).to.equal(series(x));
      expect(fx.exp(-x), `exp(-${x})`).to.equal((TWO32 * TWO32) / series(x));
    }
    expect(fx.exp(fx.fromInt(-1))).to.equal((TWO32 * TWO32) / series(TWO32)); // −1 is not special
    expect(fx.exp(fx.fromInt(40))).to.equal(null); // e^40 exceeds I32F32
    expect(fx.expSafe(fx.fromInt(40))).to.equal(series(20n * TWO32)); // clamped to 20
    expect(fx.expSafe(fx.fromInt(-40))).to.equal((TWO32 * TWO32) / series(20n * TWO32));
  });
});

describe("yuma: fast number primitives equal the BigInt definitions", () => {
  const r = new Rng(20260701);
  const P32 = 2 ** 32;

  it("mulFloor on [0, 2^34]² (edges and random)", () => {
    const edges = [0, 1, 2, 65535, 65536, P32 - 1, P32, P32 + 1, 2 ** 33, 2 ** 34 - 1, 2 ** 34];
    const check = (a: number, b: number): void => {
      expect(mulFloor(a, b), `${a}·${b}`).to.equal(Number(floorDiv(BigInt(a) * BigInt(b), TWO32)));
    };
    for (const a of edges) for (const b of edges) check(a, b);
    for (let k = 0; k < 20000; k++) check(randBits(r, r.int(1, 34)), randBits(r, r.int(1, 34)));
  });

  it("mulFloorEst on [0, 2^34]² (edges, near-integral quotients, random)", () => {
    const edges = [0, 1, 2, 65535, 65536, 65537, P32 - 1, P32, P32 + 1, 2 ** 33, 2 ** 34 - 1, 2 ** 34];
    const check = (a: number, b: number): void => {
      expect(mulFloorEst(a, b), `${a}·${b}`).to.equal(Number(floorDiv(BigInt(a) * BigInt(b), TWO32)));
    };
    for (const a of edges) for (const b of edges) check(a, b);
    for (let k = 0; k < 40000; k++) check(randBits(r, r.int(1, 34)), randBits(r, r.int(1, 34)));
    // Products at or next to multiples of 2^32 (quotient integral or within 2^-32 of one).
    for (let k = 0; k < 20000; k++) {
      const a = randBits(r, 16) + 1;
      const m = BigInt(randBits(r, 18)) * TWO32 + BigInt(r.int(-2, 2));
      const b = Number(m / BigInt(a)) + r.int(-1, 1);
      if (b >= 0 && b <= 2 ** 34) check(a, b);
      if (a * 65536 <= 2 ** 34) check(a * 65536, randBits(r, 32));
    }
  });

  it("mulFloorSplit on [0, 2^34]² with the factor split once (edges and random)", () => {
    const edges = [0, 1, 2, 65535, 65536, 65537, P32 - 1, P32, P32 + 1, 2 ** 33, 2 ** 34 - 1, 2 ** 34];
    const check = (a: number, b: number): void => {
      const bh = splitHi(b);
      const got = mulFloorSplit(a, bh, b - bh * 65536);
      expect(got, `${a}·${b}`).to.equal(Number(floorDiv(BigInt(a) * BigInt(b), TWO32)));
    };
    for (const a of edges) for (const b of edges) check(a, b);
    for (let k = 0; k < 20000; k++) check(randBits(r, r.int(1, 34)), randBits(r, r.int(1, 34)));
  });

  it("divFloorRecip for 0 ≤ a ≤ b (exact quotients, near-integral quotients, random)", () => {
    const check = (a: number, b: number): void => {
      const got = divFloorRecip(a, b, P32 / b);
      expect(got, `${a}/${b}`).to.equal(Number(floorDiv(BigInt(a) << 32n, BigInt(b))));
    };
    for (const [a, b] of [
      [0, 1],
      [1, 1],
      [P32, P32],
      [P32 - 1, P32],
      [1, P32],
      [3, 3],
      [1, 3],
      [2, 3],
      [65535, 65535],
      [1, 65535],
      [65534, 65535],
      [2 ** 40, 2 ** 41],
      [2 ** 52 - 2, 2 ** 52 - 1],
      [2 ** 53 - 2, 2 ** 53 - 1],
    ] as const) {
      check(a, b);
    }
    for (let k = 0; k < 20000; k++) {
      const b = randBits(r, r.int(1, 52)) + 1;
      // a a multiple of b / 2^m (exact or near-exact quotients), or uniform in [0, b].
      const a = r.chance(1, 3) ? Math.floor(b / 2 ** r.int(0, 20)) : randBits(r, 52) % (b + 1);
      if (a <= b) check(a, b);
      if (a > 0 && a - 1 <= b) check(a - 1, b);
      if (a + 1 <= b) check(a + 1, b);
    }
    // Row sums of u16 weights: every numerator 0…65535 for a few sums.
    for (const b of [65535, 65535 * 3, 8313848, 65535 * 256, 65535 * 1024]) {
      for (let a = 0; a <= 65535 && a <= b; a += r.int(1, 7)) check(a, b);
    }
  });

  it("divFloor and idivFloor (exact quotients, equal operands, random)", () => {
    const check = (a: number, b: number): void => {
      expect(divFloor(a, b), `${a}/${b}`).to.equal(Number(floorDiv(BigInt(a) << 32n, BigInt(b))));
    };
    for (const [a, b] of [
      [0, 1],
      [1, 1],
      [P32, P32],
      [P32 - 1, P32],
      [1, P32],
      [3, 3],
      [65535, 65535],
      [1, 65535],
      [2 ** 40, 2 ** 41],
      [2 ** 52, 2 ** 52 - 1],
    ] as const) {
      check(a, b);
    }
    for (let k = 0; k < 20000; k++) {
      const b = randBits(r, r.int(1, 40)) + 1;
      const a = r.chance(1, 4) ? b * r.int(0, 3) : randBits(r, r.int(0, 40));
      if (Number.isSafeInteger(a)) check(a, b);
    }
    // Quotients at or next to integers (the exact-remainder path): a = b·m/2^32 ± δ for b | …
    for (let k = 0; k < 20000; k++) {
      const b = r.chance(1, 2) ? 2 ** r.int(0, 32) : randBits(r, r.int(1, 33)) + 1;
      const a = Math.max(0, Math.min(2 ** 33 - 1, b * r.int(0, 4) + r.int(-2, 2)));
      check(a, b);
    }
    for (let k = 0; k < 20000; k++) {
      const b = r.int(1, 100);
      const a = r.chance(1, 3) ? b * randBits(r, 44) : randBits(r, 52);
      expect(idivFloor(a, b), `${a} div ${b}`).to.equal(Number(BigInt(a) / BigInt(b)));
    }
  });

  it("mulFloorSigned (the sigmoid's exponent argument) floors toward −∞", () => {
    const check = (a: number, b: number): void => {
      expect(mulFloorSigned(a, b), `${a}·${b}`).to.equal(Number(fx.mul(BigInt(a), BigInt(b))));
    };
    const lim = 2 ** 41 - 1;
    for (const a of [0, 1, -1, lim, -lim, -(10 * P32), 10 * P32, -11338713661])
      for (const b of [0, 1, -1, P32, -P32, 2 ** 31, -(2 ** 31), 12345]) check(a, b);
    for (let k = 0; k < 20000; k++) {
      const a = (r.chance(1, 2) ? -1 : 1) * randBits(r, r.int(0, 41));
      const b = (r.chance(1, 2) ? -1 : 1) * randBits(r, r.int(0, 32));
      check(a, b);
    }
  });

  it("mulFloorWide on [0, 2^50) × [0, 2^36)", () => {
    for (let k = 0; k < 20000; k++) {
      const t = randBits(r, r.int(0, 50));
      const x = randBits(r, r.int(0, 36));
      expect(mulFloorWide(t, x)).to.equal(Number(floorDiv(BigInt(t) * BigInt(x), TWO32)));
    }
  });

  it("expRaw equals substrate-fixed exp on [−12, 12] and falls back beyond", () => {
    const check = (x: number): void => {
      expect(expRaw(x, fx.expSafe), `exp(${x})`).to.equal(Number(fx.exp(BigInt(x))));
    };
    for (const x of [
      0,
      1,
      -1,
      P32,
      -P32,
      P32 - 1,
      P32 + 1,
      12 * P32,
      -12 * P32,
      5 * P32,
      -5 * P32,
      2 ** 31,
      -(2 ** 31),
    ])
      check(x);
    for (let k = 0; k < 4000; k++) check(r.int(0, 24 * 65536) * 65536 - 12 * P32 + r.int(0, 65535));
    // Beyond |x| = 12 the BigInt path is taken; results may exceed 2^53, so compare as BigInt.
    expect(BigInt(expRaw(-20 * P32, fx.expSafe))).to.equal(fx.exp(-20n * TWO32));
  });

  it("expSeriesBounds brackets the library's series sum on (0, 6] (edges and random)", () => {
    // P(op): the Taylor loop of substrate-fixed exp for |x| = op, before any inversion.
    const seriesSum = (op: bigint): bigint => {
      let result = op + TWO32;
      let term = op;
      for (let i = 2n; i < 32n; i++) {
        term = fx.div(fx.mul(term, op), fx.fromInt(i));
        result += term;
      }
      return result;
    };
    const out = new Float64Array(2);
    let widest = 0;
    const check = (op: number): void => {
      expSeriesBounds(op, out);
      const P = Number(seriesSum(BigInt(op)));
      expect(out[0]! <= P && P <= out[1]!, `bounds(${op}) = [${out[0]}, ${out[1]}], P = ${P}`).to.equal(true);
      expect(Number.isInteger(out[0]!) && Number.isInteger(out[1]!)).to.equal(true);
      widest = Math.max(widest, out[1]! - out[0]!);
      // The real bracket used by the engine's σ decision: fl(est − slack) < P < fl(est + 1).
      const est = expSeriesEst(op);
      const lo = est - expSeriesSlack(op);
      expect(lo < P && P < est + 1, `real bounds(${op}) = (${lo}, ${est + 1}), P = ${P}`).to.equal(true);
      expect(lo > P32 - 128).to.equal(true);
    };
    const edges = [1, 2, 3, 65535, 2 ** 26 - 1, 2 ** 26, 2 ** 26 + 1, 2 ** 31, P32 - 1, P32, P32 + 1];
    for (const op of edges) check(op);
    for (let k = 1; k <= 384; k++) for (const dk of [-1, 0, 1]) check(k * 2 ** 26 + dk);
    for (const op of [EXP_BOUND_LIMIT - 1, EXP_BOUND_LIMIT]) check(op);
    for (let k = 0; k < 20000; k++) check(1 + Math.floor((r.next() / 2 ** 32) * EXP_BOUND_LIMIT));
    for (let k = 0; k < 2000; k++) check(1 + randBits(r, r.int(0, 32)));
    expect(widest).to.be.below(128); // narrow enough to decide most alphas
  });

  it("the engine's liquid alpha equals alpha_sigmoid (σ bracket, exact and BigInt paths)", () => {
    const check = (c: number, w: number, b: number, low: number, high: number, steep: number): void => {
      const lowR = fx.u16Proportion(low);
      const highR = fx.u16Proportion(high);
      const want = alphaSigmoid(BigInt(c), BigInt(w), BigInt(b), lowR, highR, fx.fromInt(steep));
      expect(liquidAlphaOf(c, w, b, low, high, steep), `alpha(${c}, ${w}, ${b}, ${low}, ${high}, ${steep})`).to.equal(
        Number(want),
      );
    };
    const steeps = [1000, -1000, 100, 1, -1, 0, 250, 999, 1200, 2400, 32767, -32768, 10, 37];
    const levels = (): number => {
      switch (r.int(0, 5)) {
        case 0:
          return r.int(0, 3);
        case 1:
          return P32 - r.int(0, 3);
        case 2:
          return 2 ** 31 + r.int(-3000, 3000); // d near 0.5: x near 0
        case 3:
          return r.int(0, 2 ** 26);
        default:
          return Math.floor((r.next() / 2 ** 32) * (P32 + 1));
      }
    };
    for (let k = 0; k < 6000; k++) {
      const steep = k % 3 === 0 ? r.int(-32768, 32767) : steeps[k % steeps.length]!;
      const low = r.int(0, 65535);
      const high = k % 7 === 0 ? r.int(0, 65535) : r.int(low, 65535);
      check(levels(), levels(), levels(), low, high, steep);
    }
    // The σ bracket (both signs of x) on the chain's default alphas: d spread over [0, 1],
    // small d (the common case: x near +5), and d just around 0.5 (σ near 1/2, widest bracket).
    for (let k = 0; k < 20000; k++) {
      const steep = k % 4 === 0 ? r.int(-32768, 32767) : [1000, -1000, 700, 1300][k % 4]!;
      const w = Math.floor((r.next() / 2 ** 32) * (P32 + 1));
      const span = [P32, 2 ** 26, 2 ** 20][k % 3]!;
      const c = Math.max(0, w - Math.floor((r.next() / 2 ** 32) * span));
      const b = k % 5 === 0 ? Math.min(P32, w + r.int(0, 2 ** 31)) : r.int(0, w);
      check(c, w, b, 45875, 58982, steep);
      check(2 ** 31 + r.int(-(2 ** 24), 2 ** 24), P32, 0, r.int(0, 30000), r.int(30000, 65535), steep);
    }
    // d at the edges of the fast window (|x| = 6 at steepness 1000 is d = 0.5 ± 0.6).
    for (const d of [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, Math.floor(0.1 * P32), Math.floor(0.9 * P32)]) {
      check(0, d, 0, 45875, 58982, 1000);
      check(0, 0, d, 45875, 58982, 1000);
    }
  });

  it("emission product floor(share·E/2^32) over u64, as two words", () => {
    const words = new Uint32Array(2);
    const check = (share: number, E: bigint): void => {
      mulEmission(share, limbs16(E), words, 0);
      const got = (BigInt(words[1]!) << 32n) | BigInt(words[0]!);
      expect(got, `${share}·${E}`).to.equal((BigInt(share) * E) >> 32n);
    };
    const U64 = (1n << 64n) - 1n;
    for (const s of [0, 1, P32 - 1, P32, 2 ** 31])
      for (const E of [0n, 1n, 1_000_000_000n, U64, 1n << 63n]) check(s, E);
    for (let k = 0; k < 10000; k++) check(randBits(r, 32), r.u64());
  });

  it("u16 conversions", () => {
    for (let u = 0; u <= 65535; u += 7) expect(U16_PROPORTION[u]).to.equal(Number(fx.u16Proportion(u)));
    expect(U16_PROPORTION[65535]).to.equal(P32);
    for (const x of [0, 1, P32, P32 + 1, P32 / 2, 2 ** 36, -3]) {
      expect(toU16(x), `u16(${x})`).to.equal(fx.proportionToU16(BigInt(x)));
    }
    for (let k = 0; k < 5000; k++) {
      const x = randBits(r, 33);
      expect(toU16(x)).to.equal(fx.proportionToU16(BigInt(x)));
    }
  });
});
