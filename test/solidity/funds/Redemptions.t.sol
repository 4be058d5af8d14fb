// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";

import {FundBase} from "./FundBase.sol";

/// @title RedemptionsTest
/// @notice Redemptions that must never stall: in a crash (the spot price far below the moving price) and after a
/// shutdown.
contract RedemptionsTest is FundBase {
    AllocatorFund internal fund;

    function setUp() public override {
        super.setUp();
        fund = _allocatorFund(_defaultPositions(), 0, 0, 1_000_000 * TAO);
    }

    /// @dev Alice and Bob hold 60 and 40 TAO of a fund with a direct position and a vault position.
    function _invested() internal returns (uint256 bobShares) {
        _depositTo(fund, alice, 60 * TAO);
        bobShares = _depositTo(fund, bob, 40 * TAO);
        uint256 trade = _tradeRao() / 2;
        vm.startPrank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        fund.allocate(1, trade, NO_LIMIT);
        vm.stopPrank();
    }

    function test_RedemptionsProceedDuringACrash() public {
        uint256 bobShares = _invested();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, false);
        _warpBy(NOTICE);
        _crashFundPrice();
        (uint256 burned, ) = fund.processRedemptions(10, type(uint256).max);
        assertEq(burned, bobShares, "the queue moves during a crash");
        assertEq(fund.queueHead(), 1, "bob's request is done");
    }
}
