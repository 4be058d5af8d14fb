// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";

import {FundBase} from "./FundBase.sol";

/// @title RedemptionsTest
/// @notice Redemptions that never stall: in a crash (the spot price far below the moving price) a position whose sale
/// would break the floor is paid in kind; after a shutdown there is no notice and no floor to wait for.
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

    function _bobStake() internal view returns (uint256) {
        return pools.getStake(FUND_HOTKEY, ck(bob), FUND_NETUID);
    }

    function test_RedemptionsProceedDuringACrash() public {
        uint256 bobShares = _invested();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, false);
        _warpBy(NOTICE);
        _crashFundPrice();
        uint256 supply = fund.totalSupply();
        uint256 idle = fund.idleRao();
        uint256 alpha = fund.positionAlphaRao(0);
        uint256 vaultShares = IERC20(address(fundVault)).balanceOf(address(fund));
        uint256 priceBefore = fund.sharePriceRaoPerShareWad();
        (uint256 burned, ) = fund.processRedemptions(10, type(uint256).max);
        assertEq(burned, bobShares, "the queue moves during a crash");
        assertEq(fund.queueHead(), 1, "bob's request is done");
        // Bob takes his fraction of every holding: the idle TAO in TAO, the positions in kind.
        assertEq(fund.claimableRao(bob), (idle * bobShares) / supply, "the idle TAO part in TAO");
        assertEq(fund.claimableAlphaRao(bob, 0), (alpha * bobShares) / supply, "the direct stake owed in kind");
        assertEq(fund.owedAlphaRao(0), fund.claimableAlphaRao(bob, 0), "owed in all");
        assertEq(
            IERC20(address(fundVault)).balanceOf(bob),
            (vaultShares * bobShares) / supply,
            "the vault shares in kind"
        );
        assertApproxAbs(fund.positionAlphaRao(0), alpha - (alpha * bobShares) / supply, 1, "the rest is the fund's");
        uint256 priceAfter = fund.sharePriceRaoPerShareWad();
        assertGe(priceAfter, priceBefore, "alice loses nothing");
        assertLe(priceAfter - priceBefore, 10, "beyond rounding");
        // Bob moves the owed alpha to his own coldkey; the fund's NAV does not change.
        uint256 owed = fund.claimableAlphaRao(bob, 0);
        uint256 stakeBefore = _bobStake();
        uint256 navBefore = fund.navRao();
        vm.prank(bob);
        uint256 moved = fund.claimStake(0, ck(bob));
        assertEq(moved, owed, "all the owed alpha");
        assertApproxAbs(_bobStake() - stakeBefore, owed, 1, "now staked on bob's coldkey");
        assertEq(fund.owedAlphaRao(0), 0, "nothing owed");
        assertApproxAbs(fund.navRao(), navBefore, 1, "the claim moves no value of the fund");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NothingToClaim.selector, bob));
        fund.claimStake(0, ck(bob));
    }

    function test_OwedStakeCanBeSoldOnceTheCrashHasPassed() public {
        uint256 bobShares = _invested();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, false);
        _warpBy(NOTICE);
        _crashFundPrice();
        fund.processRedemptions(10, type(uint256).max);
        uint256 owed = fund.claimableAlphaRao(bob, 0);
        assertGt(owed, 0, "paid in kind");
        uint256 navBefore = fund.navRao();
        uint256 before = bob.balance;
        vm.prank(bob);
        vm.expectRevert(); // PriceBelowFloor: a minimum the crashed pool cannot pay
        fund.sellClaimedStake(0, owed);
        vm.prank(bob);
        uint256 tao = fund.sellClaimedStake(0, 1);
        assertGt(tao, 0, "sold");
        assertEq(bob.balance - before, _wei(tao), "bob is paid the TAO");
        assertEq(fund.claimableAlphaRao(bob, 0), 0, "taken once");
        assertApproxAbs(fund.navRao(), navBefore, 1, "the sale moves no value of the fund");
    }

    function test_OwedAlphaCannotBeSoldOrMovedByTheManager() public {
        uint256 bobShares = _invested();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, false);
        _warpBy(NOTICE);
        _crashFundPrice();
        fund.processRedemptions(10, type(uint256).max);
        uint256 held = fund.positionAlphaRao(0);
        uint256 stakeRao = pools.getStake(FUND_HOTKEY, fund.coldkey(), FUND_NETUID);
        assertEq(stakeRao - held, fund.owedAlphaRao(0), "the stake holds the owed alpha apart");
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.StakeAboveHolding.selector, 0, stakeRao, held));
        fund.deallocate(0, stakeRao, 0);
    }

    function test_ShutdownRedemptionsWaitForNeitherNoticeNorFloor() public {
        _invested();
        vm.prank(guardian);
        fund.shutdown();
        _crashFundPrice();
        uint256 aliceShares = fund.balanceOf(alice);
        vm.prank(alice);
        fund.requestRedemption(aliceShares, alice, false);
        // Same block as the request: no notice after a shutdown, and the crash does not block it.
        (uint256 burned, ) = fund.processRedemptions(10, type(uint256).max);
        assertEq(burned, aliceShares, "alice leaves at once");
        assertGt(fund.claimableRao(alice), 0, "the idle part in TAO");
        assertGt(fund.claimableAlphaRao(alice, 0), 0, "the direct stake in kind");
        assertGt(IERC20(address(fundVault)).balanceOf(alice), 0, "the vault shares in kind");
    }

    function test_OrdinaryRedemptionsAreNotPaidInKind() public {
        uint256 bobShares = _invested();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, false);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        assertEq(fund.claimableAlphaRao(bob, 0), 0, "no alpha owed");
        assertEq(IERC20(address(fundVault)).balanceOf(bob), 0, "no vault shares");
        assertApproxAbs(fund.claimableRao(bob), 40 * TAO, TAO / 50, "about 40 TAO");
    }

    function test_InKindRequestTakesTheDirectStakeAsOwedAlpha() public {
        uint256 bobShares = _invested();
        uint256 supply = fund.totalSupply();
        uint256 alpha = fund.positionAlphaRao(0);
        uint256 idle = fund.idleRao();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, true);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        assertEq(fund.claimableAlphaRao(bob, 0), (alpha * bobShares) / supply, "the direct stake in kind");
        assertEq(fund.claimableRao(bob), (idle * bobShares) / supply, "the idle part in TAO");
    }

    /* DUST AND THE PRICE CAP */

    function test_DustUnderTheMinimumUnstakeStaysWithTheFund() public {
        _depositTo(fund, alice, 100 * TAO);
        uint256 bobShares = _depositTo(fund, bob, TAO / 10);
        vm.prank(manager);
        fund.allocate(0, TAO, NO_LIMIT);
        uint256 alpha = fund.positionAlphaRao(0);
        uint256 fair = fund.previewRedeemRao(bobShares);
        uint256 alicePrice = fund.sharePriceRaoPerShareWad();
        vm.prank(bob);
        fund.requestRedemption(bobShares, bob, false);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        // Bob's part of the stake is worth less than the chain's minimum unstake: it is not sold, and stays.
        assertEq(fund.positionAlphaRao(0), alpha, "the dust alpha stays staked");
        uint256 paid = fund.claimableRao(bob);
        assertLe(paid, fair, "never more than his value");
        assertGe(paid + 5_000_000, fair, "short by less than the minimum unstake (0.005 TAO) per position");
        assertGe(fund.sharePriceRaoPerShareWad(), alicePrice, "the dust benefits the holders who stay");
    }

    function test_MovingPriceCapKeepsTheCeilingNearOneTao() public {
        _depositTo(fund, alice, 100 * TAO);
        _pumpFundPrice(40 * _tradeRao());
        _settlePrices(500); // the moving price follows the spot price, up to its cap
        uint256 moving = fund.movingPriceRaoPerAlpha(FUND_NETUID);
        assertLe(moving, TAO, "the moving price never exceeds 1 TAO per alpha");
        uint256 spot = _spotRao(FUND_NETUID);
        assertGt(spot, (TAO * 11) / 10, "the spot price is above 1.1 TAO");
        uint256 ceiling = (moving * (10_000 + SLIPPAGE_BPS)) / 10_000;
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.PriceAboveLimit.selector, 0, spot, ceiling));
        fund.allocate(0, TAO, NO_LIMIT);
    }
}
