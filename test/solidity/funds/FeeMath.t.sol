// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FeeMath} from "../../../contracts/funds/FeeMath.sol";

import {Assertions} from "../utils/Assertions.sol";

/// @title FeeMathTest
/// @notice Fuzz tests of the fee math: the high-water mark, no fee on a loss, no double charge, the caps.
contract FeeMathTest is Assertions {
    uint256 internal constant MAX_MGMT_BPS = 500;
    uint256 internal constant MAX_PERF_BPS = 3_000;

    function testFuzz_ManagementFeeNeverExceedsItsRate(uint256 supply, uint256 feeBps, uint256 elapsed) public pure {
        supply = _bound(supply, 1, 1e36);
        feeBps = _bound(feeBps, 0, MAX_MGMT_BPS);
        elapsed = _bound(elapsed, 0, 20 * 365 days);
        uint256 shares = FeeMath.managementFeeSharesDown(supply, feeBps, elapsed);
        uint256 charged = elapsed > 10 * 365 days ? 10 * 365 days : elapsed;
        // The dilution x / (supply + x) never exceeds feeBps × elapsed / year.
        assertLe(shares * 10_000 * 365 days, (supply + shares) * feeBps * charged, "dilution within the rate");
        if (feeBps == 0 || elapsed == 0) assertEq(shares, 0, "nothing without a rate or time");
    }

    function testFuzz_ManagementFeeIsAdditiveOverSplitIntervals(uint256 supply, uint256 a, uint256 b) public pure {
        supply = _bound(supply, 1e18, 1e33);
        a = _bound(a, 1, 365 days);
        b = _bound(b, 1, 365 days);
        uint256 once = FeeMath.managementFeeSharesDown(supply, MAX_MGMT_BPS, a + b);
        uint256 first = FeeMath.managementFeeSharesDown(supply, MAX_MGMT_BPS, a);
        uint256 second = FeeMath.managementFeeSharesDown(supply + first, MAX_MGMT_BPS, b);
        // Charging in two steps is never more than in one step plus rounding (no double charge by splitting).
        assertLe(first + second, once + (once / 100) + 2, "splitting does not charge more than 1% above");
    }

    function testFuzz_NoPerformanceFeeOnALoss(uint256 nav, uint256 supply, uint256 mark, uint256 feeBps) public pure {
        supply = _bound(supply, 1e9, 1e33);
        nav = _bound(nav, 0, 1e24);
        feeBps = _bound(feeBps, 0, MAX_PERF_BPS);
        uint256 price = FeeMath.sharePriceRaoPerShareWadDown(nav, supply);
        mark = _bound(mark, price, type(uint128).max);
        (uint256 shares, uint256 newMark) = FeeMath.performanceFeeSharesDown(nav, supply, mark, feeBps);
        assertEq(shares, 0, "no fee at or below the mark");
        assertEq(newMark, mark, "the mark stays");
    }

    function testFuzz_PerformanceFeeTakesAtMostItsShareOfTheGain(
        uint256 nav,
        uint256 supply,
        uint256 markBelow,
        uint256 feeBps
    ) public pure {
        supply = _bound(supply, 1e18, 1e30);
        nav = _bound(nav, 1e9, 1e24);
        feeBps = _bound(feeBps, 1, MAX_PERF_BPS);
        uint256 price = FeeMath.sharePriceRaoPerShareWadDown(nav, supply);
        if (price < 2) return;
        markBelow = _bound(markBelow, 1, price - 1);
        (uint256 shares, uint256 newMark) = FeeMath.performanceFeeSharesDown(nav, supply, markBelow, feeBps);
        uint256 gainRao = ((price - markBelow) * supply) / 1e18;
        uint256 feeValue = FeeMath.dilutionValueRaoDown(shares, supply, nav);
        assertLe(feeValue, (gainRao * feeBps) / 10_000 + 1, "at most feeBps of the gain");
        assertGe(newMark, markBelow, "the mark never falls");
        assertLe(newMark, price, "the new mark is the price after the fee");
        // Charging again at the same NAV takes nothing: no double charge.
        (uint256 again, ) = FeeMath.performanceFeeSharesDown(nav, supply + shares, newMark, feeBps);
        assertEq(again, 0, "the same gain is charged once");
    }

    function test_FeeOnAKnownGain() public pure {
        // 100 shares worth 110 TAO against a mark of 1 TAO per share: gain 10 TAO, 20% fee = 2 TAO.
        (uint256 shares, uint256 newMark) = FeeMath.performanceFeeSharesDown(110e9, 100e18, 1e9, 2_000);
        assertEq(shares, uint256(100e18 * 2e9) / 108e9, "x = supply * fee / (nav - fee)");
        assertEq(newMark, (110e9 * 1e18) / (100e18 + shares), "the mark after the fee");
        assertEq(FeeMath.managementFeeSharesDown(98e18, 200, 365 days), 2e18, "2% a year of 100 shares");
    }

    function testFuzz_NoPerformanceFeeUntilALossIsRecovered(
        uint256 supply,
        uint256 markNav,
        uint256 lossBps,
        uint256 recoveryBps
    ) public pure {
        supply = _bound(supply, 1e18, 1e30);
        markNav = _bound(markNav, 1e9, 1e22);
        uint256 mark = FeeMath.sharePriceRaoPerShareWadDown(markNav, supply);
        lossBps = _bound(lossBps, 1, 9_000);
        uint256 lowNav = markNav - (markNav * lossBps) / 10_000;
        // A partial recovery, still below the mark: no fee, and the mark stays where it was.
        recoveryBps = _bound(recoveryBps, 0, 10_000);
        uint256 backNav = lowNav + ((markNav - lowNav) * recoveryBps) / 10_000;
        if (backNav >= markNav) backNav = markNav - 1;
        (uint256 low, uint256 markAfterLoss) = FeeMath.performanceFeeSharesDown(lowNav, supply, mark, MAX_PERF_BPS);
        (uint256 back, uint256 markAfterRecovery) = FeeMath.performanceFeeSharesDown(
            backNav,
            supply,
            markAfterLoss,
            MAX_PERF_BPS
        );
        assertEq(low + back, 0, "no fee on a loss or its recovery");
        assertEq(markAfterRecovery, mark, "the mark is where the gain stopped");
    }

    function testFuzz_PerformanceFeeChargedInStepsNeverExceedsOnce(
        uint256 supply,
        uint256 nav0,
        uint256 gain1Bps,
        uint256 gain2Bps
    ) public pure {
        supply = _bound(supply, 1e18, 1e30);
        nav0 = _bound(nav0, 1e9, 1e22);
        uint256 mark = FeeMath.sharePriceRaoPerShareWadDown(nav0, supply);
        uint256 nav1 = nav0 + (nav0 * _bound(gain1Bps, 1, 10_000)) / 10_000;
        uint256 nav2 = nav1 + (nav1 * _bound(gain2Bps, 0, 10_000)) / 10_000;
        // In one step, from the mark to nav2.
        (uint256 once, ) = FeeMath.performanceFeeSharesDown(nav2, supply, mark, MAX_PERF_BPS);
        uint256 onceValue = FeeMath.dilutionValueRaoDown(once, supply, nav2);
        // In two steps: at nav1, then at nav2 with the fee shares of the first step in the supply.
        (uint256 first, uint256 mark1) = FeeMath.performanceFeeSharesDown(nav1, supply, mark, MAX_PERF_BPS);
        (uint256 second, ) = FeeMath.performanceFeeSharesDown(nav2, supply + first, mark1, MAX_PERF_BPS);
        uint256 stepsValue = FeeMath.dilutionValueRaoDown(first + second, supply, nav2);
        // The first step's fee shares take part in the second gain and pay its fee like every share, so two steps
        // take a little more than one; the same gain is never charged twice (that would be the rate again).
        uint256 gainRao = nav2 - nav0;
        assertLe(stepsValue, onceValue + (gainRao * MAX_PERF_BPS) / 10_000 / 2 + 2, "no double charge");
    }
}
