// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {SwapLib} from "../../../contracts/libraries/SwapLib.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";

/// @notice PoolMath: every rounding favours the pool, and the limit functions keep the post-trade price in bounds,
/// including the cross-subnet limit of a stake swap.
contract PoolMathTest is Assertions {
    uint256 internal constant D = 65_535;
    uint256 internal constant SCALE = 1e9;
    uint256 internal constant MIN_RESERVE = 1e6;
    uint256 internal constant MAX_RESERVE = 1e16; // 10M TAO: keeps the reference products inside 256 bits

    /* FEES */

    function test_feeOnGross_examples() public pure {
        assertEq(PoolMath.feeOnGross(0, 33), 0, "zero");
        assertEq(PoolMath.feeOnGross(1, 33), 1, "one rao pays one (ceil)");
        assertEq(PoolMath.feeOnGross(65_535, 33), 33, "exact");
        assertEq(PoolMath.feeOnGross(65_536, 33), 34, "rounds up");
        assertEq(PoolMath.feeOnGross(1e9, 0), 0, "no fee");
    }

    function testFuzz_feeOnGross_roundsUp(uint256 gross, uint256 feeRate) public pure {
        gross = _bound(gross, 0, type(uint128).max);
        feeRate = _bound(feeRate, 0, 10_000);
        uint256 fee = PoolMath.feeOnGross(gross, feeRate);
        assertGe(fee * D, gross * feeRate, "fee >= exact");
        if (fee > 0) assertLt((fee - 1) * D, gross * feeRate, "fee - 1 < exact");
    }

    function testFuzz_grossForNet_leavesAtLeastNet(uint256 net, uint256 feeRate) public pure {
        net = _bound(net, 0, type(uint128).max);
        feeRate = _bound(feeRate, 0, 10_000);
        uint256 gross = PoolMath.grossForNet(net, feeRate);
        assertGe(gross - PoolMath.feeOnGross(gross, feeRate), net, "net of gross >= net");
        // gross is the exact net·D/(D−r) rounded up: at most one rao above it.
        assertLe(gross * (D - feeRate), net * D + (D - feeRate), "gross <= exact + 1");
        assertGe(gross * (D - feeRate), net * D, "gross >= exact");
    }

    /* SWAP OUTPUT */

    function testFuzz_amountOutDown_roundsDownAndKeepsK(
        uint256 netIn,
        uint256 reserveIn,
        uint256 reserveOut
    ) public pure {
        reserveIn = _bound(reserveIn, 1, type(uint64).max);
        reserveOut = _bound(reserveOut, 1, type(uint64).max);
        netIn = _bound(netIn, 0, type(uint64).max);
        uint256 out = PoolMath.amountOutDown(netIn, reserveIn, reserveOut);
        assertLt(out, reserveOut + (netIn == 0 ? 1 : 0), "never the whole reserve");
        assertLe(out * (reserveIn + netIn), reserveOut * netIn, "out <= exact");
        assertGt((out + 1) * (reserveIn + netIn), reserveOut * netIn, "out + 1 > exact");
        assertGe((reserveIn + netIn) * (reserveOut - out), reserveIn * reserveOut, "k never decreases");
    }

    function testFuzz_spotPriceRao_roundsDown(uint256 tao, uint256 alpha) public pure {
        tao = _bound(tao, 0, type(uint64).max);
        alpha = _bound(alpha, 1, type(uint64).max);
        uint256 spot = PoolMath.spotPriceRao(tao, alpha);
        assertLe(spot * alpha, tao * SCALE, "spot <= exact");
        assertGt((spot + 1) * alpha, tao * SCALE, "spot + 1 > exact");
        uint256 wad = PoolMath.spotPriceWad(tao, alpha);
        assertLe(wad * alpha, tao * 1e18, "wad <= exact");
        assertGt((wad + 1) * alpha, tao * 1e18, "wad + 1 > exact");
    }

    function test_spotPrice_emptyAlphaReserveIsZero() public pure {
        assertEq(PoolMath.spotPriceRao(1e9, 0), 0, "rao");
        assertEq(PoolMath.spotPriceWad(1e9, 0), 0, "wad");
    }

    /* LIMITS */

    /// @dev A buy of the maximal net input leaves the curve price at most the limit; one rao more would not.
    function testFuzz_maxNetTaoInForLimit_keepsPriceWithinLimit(uint256 x, uint256 y, uint256 limitBps) public pure {
        x = _bound(x, MIN_RESERVE, MAX_RESERVE);
        y = _bound(y, MIN_RESERVE, MAX_RESERVE);
        uint256 spot = PoolMath.spotPriceRao(x, y);
        uint256 limit = spot + 1 + Mul.bps(spot, _bound(limitBps, 0, 10_000_000)); // up to 1000× the spot
        uint256 delta = PoolMath.maxNetTaoInForLimit(x, y, limit);
        uint256 out = PoolMath.amountOutDown(delta, x, y);
        // price after = (x + Δ)·1e9 / (y − out) ≤ limit
        assertLe((x + delta) * SCALE, limit * (y - out), "post-trade price <= limit");
        // maximal: (x + Δ + 1)² > x·y·limit/1e9
        assertGt((x + delta + 1) * (x + delta + 1) * SCALE, x * y * limit, "maximal");
    }

    function testFuzz_maxNetAlphaInForLimit_keepsPriceWithinLimit(uint256 x, uint256 y, uint256 limitBps) public pure {
        x = _bound(x, MIN_RESERVE, MAX_RESERVE);
        // keep the spot at least 1 rao per alpha so that a positive limit below it exists
        y = _bound(y, MIN_RESERVE, x * SCALE < MAX_RESERVE ? x * SCALE : MAX_RESERVE);
        uint256 spot = PoolMath.spotPriceRao(x, y);
        // a limit in [1, spot]
        uint256 limit = 1 + ((spot - 1) * _bound(limitBps, 0, 10_000)) / 10_000;
        uint256 delta = PoolMath.maxNetAlphaInForLimit(x, y, limit);
        uint256 out = PoolMath.amountOutDown(delta, y, x);
        // price after = (x − out)·1e9 / (y + Δ) ≥ limit
        assertGe((x - out) * SCALE, limit * (y + delta), "post-trade price >= limit");
        // maximal: (y + Δ + 1)²·limit > x·y·1e9
        assertGt((y + delta + 1) * (y + delta + 1) * limit, x * y * SCALE, "maximal");
    }

    function test_maxNetTaoInForLimit_zeroAtOrBelowSpot() public pure {
        assertEq(PoolMath.maxNetTaoInForLimit(100e9, 100e9, 1e9), 0, "at spot");
        assertEq(PoolMath.maxNetTaoInForLimit(100e9, 100e9, 5e8), 0, "below spot");
        // 1:1 pool, limit 4 rao/alpha-rao·1e9 = 4× spot: √(x·y·4) − x = x
        assertEq(PoolMath.maxNetTaoInForLimit(100e9, 100e9, 4e9), 100e9, "four times the spot");
    }

    function test_maxNetAlphaInForLimit_examples() public pure {
        assertEq(PoolMath.maxNetAlphaInForLimit(100e9, 100e9, 0), type(uint256).max, "no limit");
        assertEq(PoolMath.maxNetAlphaInForLimit(100e9, 100e9, 1e9), 0, "at spot");
        // a quarter of the spot: √(x·y·4) − y = y
        assertEq(PoolMath.maxNetAlphaInForLimit(100e9, 100e9, 25e7), 100e9, "a quarter of the spot");
    }

    /* CROSS-SUBNET LIMIT (swapStakeLimit) */

    /// @dev Two 1:1 pools of 100/100: selling Δ of origin alpha for TAO and buying destination alpha leaves the
    /// ratio at (100/(100+Δ))²·(100/(100+T))² with (100+Δ)(100+T) = 200(100+Δ) − 10^4; a limit of a quarter
    /// (0.25e9 destination alpha-rao per origin alpha) allows (√(k1·k2/L') − x1·y2)/(y1 + y2) = (2·10^4 − 10^4)/200
    /// = 50 alpha.
    function test_maxAlphaInForCrossLimit_example() public pure {
        assertEq(PoolMath.maxAlphaInForCrossLimit(100e9, 100e9, 100e9, 100e9, 25e7), 50e9, "a quarter: 50 alpha");
        assertEq(PoolMath.maxAlphaInForCrossLimit(100e9, 100e9, 100e9, 100e9, 1e9), 0, "at the current ratio");
        assertEq(PoolMath.maxAlphaInForCrossLimit(100e9, 100e9, 100e9, 100e9, 2e9), 0, "above it");
    }

    /// @dev The limit holds after the two swaps (the origin sale with its fee, the destination buy without, as the
    /// model charges one leg), and, in exact arithmetic, one more alpha-rao would break it.
    function testFuzz_maxAlphaInForCrossLimit_limitHoldsAndIsTight(
        uint256 x1,
        uint256 y1,
        uint256 x2,
        uint256 y2,
        uint256 fractionBps
    ) public {
        x1 = _bound(x1, 1e9, 1e15);
        y1 = _bound(y1, 1e9, 1e15);
        x2 = _bound(x2, 1e9, 1e15);
        y2 = _bound(y2, 1e9, 1e15);
        // the current ratio (destination alpha-rao per whole origin alpha), and a limit below it
        uint256 ratio = (y1 * x2 * SCALE) / (x1 * y2);
        uint256 limit = (ratio * _bound(fractionBps, 10, 9_999)) / 10_000;
        VM.assume(limit > 0);
        uint256 delta = PoolMath.maxAlphaInForCrossLimit(x1, y1, x2, y2, limit);
        uint256 k1k2 = x1 * y1 * x2 * y2 * SCALE;
        // exact arithmetic: (x1+Δ)(y1+y2) − x1·y1 is (x1+Δ)·(y2+T) after a fee-less sale of Δ
        uint256 s = x1 * y2 + delta * (y1 + y2);
        assertLe(limit * s * s, k1k2, "the limit holds at the maximum");
        uint256 s1 = s + (y1 + y2);
        assertGt(limit * s1 * s1, k1k2, "one more alpha-rao breaks it");
        if (delta == 0) return;
        // with the model's integer swaps
        IAlphaPoolsTypes.Pool memory origin = IAlphaPoolsTypes.Pool(uint64(y1), uint64(x1), 0, 0);
        IAlphaPoolsTypes.Pool memory destination = IAlphaPoolsTypes.Pool(uint64(y2), uint64(x2), 0, 0);
        uint256 tao = PoolMath.amountOutDown(delta - PoolMath.feeOnGross(delta, 33), x1, y1);
        VM.assume(tao > 0 && y1 - tao >= SwapLib.MIN_RESERVE);
        (tao, , ) = SwapLib.sellAlpha(origin, delta, 33, 0, false);
        uint256 out = PoolMath.amountOutDown(tao, y2, x2);
        VM.assume(tao <= 1_000 * y2 && x2 - out >= SwapLib.MIN_RESERVE);
        SwapLib.buyAlpha(destination, tao, 0, type(uint256).max, false, 0);
        // ratio after = (origin TAO/alpha) / (destination TAO/alpha) × 1e9 >= limit
        assertGe(
            uint256(origin.taoRao) * destination.alphaRao * SCALE,
            limit * origin.alphaRao * destination.taoRao,
            "ratio after the swaps >= limit"
        );
    }
}

library Mul {
    function bps(uint256 v, uint256 b) internal pure returns (uint256) {
        return (v * b) / 10_000;
    }
}
