// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice PoolMath: every rounding favours the pool, and the limit functions keep the post-trade price in bounds.
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
}

library Mul {
    function bps(uint256 v, uint256 b) internal pure returns (uint256) {
        return (v * b) / 10_000;
    }
}
