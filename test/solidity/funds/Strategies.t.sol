// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";
import {SubnetIndexFund} from "../../../contracts/funds/SubnetIndexFund.sol";
import {IStakingV2} from "../../../contracts/precompiles/IStakingV2.sol";

import {FundBase} from "./FundBase.sol";

/// @title StrategiesTest
/// @notice The allocator's caps under the timelock, and the index's permissionless, rate-limited rebalance.
contract StrategiesTest is FundBase {
    function _index() internal returns (SubnetIndexFund fund) {
        IFundEngine.Position[] memory p = new IFundEngine.Position[](1);
        p[0] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(0));
        uint16[] memory caps = new uint16[](1);
        bytes memory init = abi.encodeCall(SubnetIndexFund.initialize, (_config(p, 0, 0), caps, 200, 1 hours));
        fund = SubnetIndexFund(payable(funds.createFund(FundFactory.Kind.Index, bytes32(++saltCounter), init)));
        _coldkeys[address(fund)] = fund.coldkey();
    }

    function test_AllocatorStaysWithinCapsSetUnderTimelock() public {
        uint256 trade = _tradeRao();
        AllocatorFund fund = _allocatorFund(_defaultPositions(), 0, 0, trade / 4);
        _depositTo(fund, alice, 50 * TAO);
        vm.prank(manager);
        vm.expectRevert(); // CapExceeded: the value after the stake is above the cap
        fund.allocate(0, trade, NO_LIMIT);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotSelf.selector, governance));
        fund.setCap(FUND_NETUID, 1_000 * TAO);
        _timelocked(fund, abi.encodeCall(AllocatorFund.setCap, (FUND_NETUID, 1_000 * TAO)));
        vm.prank(manager);
        uint256 alpha = fund.allocate(0, trade, NO_LIMIT);
        assertGt(alpha, 0, "allocated within the raised cap");
        vm.prank(governance);
        fund.lowerCap(FUND_NETUID, trade / 4);
        assertEq(fund.capRaoOf(FUND_NETUID), trade / 4, "lowered at once");
    }

    function test_IndexRebalanceIsPermissionlessAndRateLimited() public {
        SubnetIndexFund fund = _index();
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        fund.deposit{value: _wei(trade)}(alice, 0);
        uint256[] memory w = fund.targetWeightsBps();
        assertEq(w[0], 10_000, "one subnet takes the whole weight");
        vm.prank(stranger);
        (, uint256 bought) = fund.rebalance();
        assertGt(bought, 0, "bought toward the target");
        assertGt(fund.positionAlphaRao(0), 0, "holds the subnet");
        uint256 next = fund.lastRebalance() + 1 hours;
        vm.expectRevert(abi.encodeWithSelector(SubnetIndexFund.RebalanceTooSoon.selector, next, _timestamp()));
        fund.rebalance();
    }

    function test_IndexRebalanceIgnoresAFlashSpotMove() public {
        SubnetIndexFund fund = _index();
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        fund.deposit{value: _wei(trade)}(alice, 0);
        _pumpFundPrice(40 * trade); // spot far above the moving price, in the same block
        uint256 navBefore = fund.navRao();
        (uint256 sold, uint256 bought) = fund.rebalance();
        assertEq(sold + bought, 0, "no trade at a manipulated price");
        assertEq(fund.navRao(), navBefore, "NAV untouched");
    }

    /// @dev Bob stakes `rao` on the index's subnet and lets the fund pull that alpha.
    function _bobAlphaFor(SubnetIndexFund fund, uint256 rao) internal returns (uint256 alpha) {
        _stake(bob, FUND_HOTKEY, FUND_NETUID, rao);
        alpha = pools.getStake(FUND_HOTKEY, ck(bob), FUND_NETUID);
        vm.prank(bob);
        IStakingV2(P.staking).approve(address(fund), FUND_NETUID, alpha);
    }

    function test_IndexTakesDepositsInKindAtTheLowerOfMovingAndSpot() public {
        SubnetIndexFund fund = _index();
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        fund.deposit{value: _wei(trade)}(alice, 0);
        fund.rebalance();
        uint256 alpha = _bobAlphaFor(fund, trade / 2);
        uint256 price = fund.sharePriceRaoPerShareWad();
        uint256 moving = fund.movingPriceRaoPerAlpha(FUND_NETUID);
        uint256 spot = _spotRao(FUND_NETUID);
        uint256 value = (alpha * (moving < spot ? moving : spot)) / 1e9;
        uint256 expected = fund.previewDeposit(value);
        vm.prank(bob);
        uint256 shares = fund.depositStake(0, alpha, bob, 0);
        assertApproxAbs(shares, expected, expected / 1e9 + 1, "priced at the lower of the moving and spot prices");
        assertEq(pools.getStake(FUND_HOTKEY, ck(bob), FUND_NETUID), 0, "the alpha moved to the fund");
        assertGe(fund.sharePriceRaoPerShareWad(), price, "the holders lose nothing");
        // And out in kind: bob's redemption is owed the alpha, which he moves back to his coldkey.
        vm.prank(bob);
        fund.requestRedemption(shares, bob, true);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        uint256 owed = fund.claimableAlphaRao(bob, 0);
        assertGt(owed, 0, "paid in kind");
        vm.prank(bob);
        fund.claimStake(0, ck(bob));
        assertApproxAbs(pools.getStake(FUND_HOTKEY, ck(bob), FUND_NETUID), owed, 1, "the alpha is bob's again");
    }

    function test_InKindDepositOfCrashBoughtAlphaIsPricedAtTheCrashedSpot() public {
        SubnetIndexFund fund = _index();
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        fund.deposit{value: _wei(trade)}(alice, 0);
        _crashFundPrice();
        uint256 price = fund.sharePriceRaoPerShareWad();
        uint256 alpha = _bobAlphaFor(fund, trade / 2); // bought at the crashed price
        uint256 spot = _spotRao(FUND_NETUID);
        assertLt(spot, fund.movingPriceRaoPerAlpha(FUND_NETUID), "still below the moving price");
        uint256 expected = fund.previewDeposit((alpha * spot) / 1e9);
        vm.prank(bob);
        uint256 shares = fund.depositStake(0, alpha, bob, 0);
        // Not the moving price, which would hand bob the gap between the crashed and the moving price.
        assertApproxAbs(shares, expected, expected / 1e9 + 1, "priced at the crashed spot");
        assertGe(fund.sharePriceRaoPerShareWad(), price, "the holders lose nothing");
    }
}
