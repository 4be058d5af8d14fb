// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {SwapLib} from "../../../contracts/libraries/SwapLib.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";

/// @dev External entry points, so that a revert of the library can be expected.
contract SwapLibHarness {
    function buy(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossRao,
        uint256 feeRate,
        uint256 limit,
        bool allowPartial,
        uint256 minNetRao
    ) external pure returns (uint256 alphaRao, uint256 usedRao, uint256 feeRao, IAlphaPoolsTypes.Pool memory) {
        (alphaRao, usedRao, feeRao) = SwapLib.buyAlpha(pool, grossRao, feeRate, limit, allowPartial, minNetRao);
        return (alphaRao, usedRao, feeRao, pool);
    }

    function sell(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 grossAlphaRao,
        uint256 feeRate,
        uint256 minPrice,
        bool allowPartial
    ) external pure returns (uint256 taoRao, uint256 soldAlphaRao, uint256 feeAlphaRao, IAlphaPoolsTypes.Pool memory) {
        (taoRao, soldAlphaRao, feeAlphaRao) = SwapLib.sellAlpha(pool, grossAlphaRao, feeRate, minPrice, allowPartial);
        return (taoRao, soldAlphaRao, feeAlphaRao, pool);
    }
}

/// @notice SwapLib: the fee from the input (kept by the pool), limit prices with partial fills, the input cap and the
/// minimum reserve, on pools in memory.
contract SwapLibTest is Assertions {
    uint256 internal constant NO_LIMIT = type(uint256).max;
    uint256 internal constant FEE = 33;
    uint256 internal constant MIN_RESERVE = 1_000_000;

    SwapLibHarness internal h = new SwapLibHarness();

    function _pool(uint256 tao, uint256 alpha) internal pure returns (IAlphaPoolsTypes.Pool memory) {
        return IAlphaPoolsTypes.Pool(uint64(tao), uint64(alpha), 7, 1_000);
    }

    /* BUY */

    function test_buyAlpha_noLimit() public view {
        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 200e9);
        (uint256 alpha, uint256 used, uint256 fee, IAlphaPoolsTypes.Pool memory a) = h.buy(
            p,
            10e9,
            FEE,
            NO_LIMIT,
            false,
            0
        );
        // fee = ⌈10e9·33/65535⌉ = ⌈5_035_477.2⌉; out = 200e9·net/(100e9 + net)
        assertEq(fee, 5_035_478, "fee rounded up");
        uint256 net = 10e9 - fee;
        assertEq(alpha, (200e9 * net) / (100e9 + net), "constant-product output");
        assertEq(used, 10e9, "whole input used");
        assertEq(a.taoRao, 110e9, "the fee stays in the pool");
        assertEq(a.alphaRao, 200e9 - alpha, "alpha out of the pool");
        assertEq(a.volumeRao, 1_000 + 10e9, "volume grows by the TAO in");
        assertEq(a.lastAccrualBlock, 7, "accrual block untouched");
    }

    function test_RevertWhen_buyAlpha_limitAtOrBelowSpot() public {
        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 200e9); // 0.5 TAO per alpha = 5e8 rao per alpha
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.LimitPriceCrossed.selector, 5e8, 5e8));
        h.buy(p, 1e9, FEE, 5e8, true, 0);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.LimitPriceCrossed.selector, 1, 5e8));
        h.buy(p, 1e9, FEE, 1, true, 0);
    }

    function test_buyAlpha_limitFillOrKillAndPartial() public {
        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 100e9);
        // a limit of 4 TAO per alpha lets exactly 100 TAO of net input in (√(x·y·4) − x)
        uint256 maxNet = PoolMath.maxNetTaoInForLimit(100e9, 100e9, 4e9);
        assertEq(maxNet, 100e9, "max net input");
        uint256 gross = 300e9;
        uint256 net = gross - PoolMath.feeOnGross(gross, FEE);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.SlippageTooHigh.selector, net, maxNet));
        h.buy(p, gross, FEE, 4e9, false, 0);

        (uint256 alpha, uint256 used, uint256 fee, IAlphaPoolsTypes.Pool memory a) = h.buy(p, gross, FEE, 4e9, true, 0);
        assertEq(used, PoolMath.grossForNet(maxNet, FEE), "partial: the gross of the max net");
        assertEq(used - fee, maxNet, "net = max net");
        assertEq(alpha, 50e9, "half the alpha reserve: the price is now 4");
        assertLe(
            PoolMath.spotPriceRao(uint256(a.taoRao) - fee, a.alphaRao),
            4e9,
            "price after the net within the limit"
        );
        // the whole input fits below a higher limit: no partial fill
        (, uint256 usedAll, , ) = h.buy(p, 1e9, FEE, 4e9, true, 0);
        assertEq(usedAll, 1e9, "fits entirely");
    }

    function test_RevertWhen_buyAlpha_partialBelowMinimum() public {
        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 100e9);
        // a limit just above spot lets almost nothing in
        uint256 limit = 1e9 + 1;
        uint256 maxNet = PoolMath.maxNetTaoInForLimit(100e9, 100e9, limit);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.AmountTooLow.selector, maxNet, 2_000_000));
        h.buy(p, 10e9, FEE, limit, true, 2_000_000);
    }

    function test_RevertWhen_buyAlpha_inputTooLargeOrReserveTooLow() public {
        IAlphaPoolsTypes.Pool memory p = _pool(1e9, 100e9);
        uint256 gross = 1_001e9 + 1_000e9; // net above 1000 × the TAO reserve
        uint256 net = gross - PoolMath.feeOnGross(gross, 0);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.SwapInputTooLarge.selector, net, 1_000e9));
        h.buy(p, gross, 0, NO_LIMIT, false, 0);

        IAlphaPoolsTypes.Pool memory thin = _pool(1e9, 1_500_000);
        uint256 out = PoolMath.amountOutDown(999e9, 1e9, 1_500_000);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.ReservesTooLow.selector, 1_500_000 - out, MIN_RESERVE));
        h.buy(thin, 999e9, 0, NO_LIMIT, false, 0);
    }

    /* SELL */

    function test_sellAlpha_noLimit() public view {
        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 200e9);
        (uint256 tao, uint256 sold, uint256 fee, IAlphaPoolsTypes.Pool memory a) = h.sell(p, 10e9, FEE, 0, false);
        assertEq(fee, 5_035_478, "fee in alpha, rounded up");
        assertEq(tao, (100e9 * (10e9 - fee)) / (200e9 + 10e9 - fee), "constant-product output");
        assertEq(sold, 10e9, "all sold");
        assertEq(a.alphaRao, 210e9, "the alpha fee stays in the pool");
        assertEq(a.taoRao, 100e9 - tao, "TAO out");
        assertEq(a.volumeRao, 1_000 + tao, "volume grows by the TAO out");
    }

    function test_sellAlpha_limitFillOrKillAndPartial() public {
        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 100e9);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.LimitPriceCrossed.selector, 1e9, 1e9));
        h.sell(p, 1e9, FEE, 1e9, true);
        // a quarter of the spot: up to 100 alpha of net input
        uint256 gross = 300e9;
        uint256 net = gross - PoolMath.feeOnGross(gross, FEE);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.SlippageTooHigh.selector, net, 100e9));
        h.sell(p, gross, FEE, 25e7, false);
        (uint256 tao, uint256 sold, uint256 fee, ) = h.sell(p, gross, FEE, 25e7, true);
        assertEq(sold, PoolMath.grossForNet(100e9, FEE), "partial: gross of the max net");
        assertEq(sold - fee, 100e9, "net = max net");
        assertEq(tao, 50e9, "half the TAO: the price is now a quarter");
    }

    function test_RevertWhen_sellAlpha_nothingOutOrReserveTooLow() public {
        IAlphaPoolsTypes.Pool memory dust = _pool(2_000_000, 1e15);
        VM.expectRevert(IAlphaPoolsTypes.InsufficientLiquidity.selector);
        h.sell(dust, 1, 0, 0, false);

        IAlphaPoolsTypes.Pool memory thin = _pool(1_500_000, 1e9);
        uint256 out = PoolMath.amountOutDown(999e9, 1e9, 1_500_000);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.ReservesTooLow.selector, 1_500_000 - out, MIN_RESERVE));
        h.sell(thin, 999e9, 0, 0, false);

        IAlphaPoolsTypes.Pool memory p = _pool(100e9, 1e9);
        VM.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.SwapInputTooLarge.selector, 1_000e9 + 1, 1_000e9));
        h.sell(p, 1_000e9 + 1, 0, 0, false);
    }

    /* PROPERTIES */

    /// @dev A buy never lowers k and never pays more than the quote; the quote is the no-limit output.
    function testFuzz_buyAlpha_keepsKAndMatchesQuote(
        uint256 tao,
        uint256 alpha,
        uint256 gross,
        uint256 fee
    ) public view {
        tao = _bound(tao, MIN_RESERVE, 1e16);
        alpha = _bound(alpha, MIN_RESERVE, 1e16);
        gross = _bound(gross, 1, tao * 100);
        fee = _bound(fee, 0, 10_000);
        IAlphaPoolsTypes.Pool memory p = _pool(tao, alpha);
        uint256 quoted = SwapLib.quote(p, gross, fee, true);
        try h.buy(p, gross, fee, NO_LIMIT, false, 0) returns (
            uint256 out,
            uint256 used,
            uint256,
            IAlphaPoolsTypes.Pool memory a
        ) {
            assertEq(out, quoted, "quote = output");
            assertEq(used, gross, "no limit: all used");
            assertGe(uint256(a.taoRao) * a.alphaRao, tao * alpha, "k never decreases");
            assertGe(a.alphaRao, MIN_RESERVE, "minimum reserve kept");
        } catch (bytes memory reason) {
            // only the minimum reserve can stop a buy this size
            assertEq(bytes32(bytes4(reason)), bytes32(IAlphaPoolsTypes.ReservesTooLow.selector), "only ReservesTooLow");
            assertLt(alpha - quoted, MIN_RESERVE, "and only when the reserve would fall below the minimum");
        }
    }

    /// @dev `canSellAlpha` is true exactly when a no-limit sale goes through; and a sale pays the quote.
    function testFuzz_sellAlpha_canSellAndQuote(uint256 tao, uint256 alpha, uint256 gross, uint256 fee) public view {
        tao = _bound(tao, MIN_RESERVE, 1e16);
        alpha = _bound(alpha, MIN_RESERVE, 1e16);
        gross = _bound(gross, 1, alpha * 1_100);
        fee = _bound(fee, 0, 10_000);
        IAlphaPoolsTypes.Pool memory p = _pool(tao, alpha);
        bool can = SwapLib.canSellAlpha(p, gross, fee);
        try h.sell(p, gross, fee, 0, false) returns (uint256 out, uint256, uint256, IAlphaPoolsTypes.Pool memory a) {
            assertTrue(can, "canSellAlpha agrees");
            assertEq(out, SwapLib.quote(p, gross, fee, false), "quote = output");
            assertGe(uint256(a.taoRao) * a.alphaRao, tao * alpha, "k never decreases");
        } catch {
            assertTrue(!can, "canSellAlpha agrees on a failure");
        }
    }

    /// @dev A partial buy stops where the limit is: the net input moves the price to at most the limit.
    function testFuzz_buyAlpha_partialRespectsLimit(uint256 tao, uint256 alpha, uint256 limitBps) public view {
        tao = _bound(tao, 1e9, 1e15);
        alpha = _bound(alpha, 1e9, 1e15);
        IAlphaPoolsTypes.Pool memory p = _pool(tao, alpha);
        uint256 spot = PoolMath.spotPriceRao(tao, alpha);
        uint256 limit = spot + 1 + (spot * _bound(limitBps, 1, 100_000)) / 10_000;
        try h.buy(p, tao * 500, FEE, limit, true, 0) returns (
            uint256 out,
            uint256 used,
            uint256 fee,
            IAlphaPoolsTypes.Pool memory
        ) {
            uint256 net = used - fee;
            assertLe((tao + net) * 1e9, limit * (alpha - out), "price after the net input <= limit");
        } catch (bytes memory reason) {
            assertEq(bytes32(bytes4(reason)), bytes32(IAlphaPoolsTypes.ReservesTooLow.selector), "only ReservesTooLow");
        }
    }
}
