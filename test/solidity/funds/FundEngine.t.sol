// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {FundEngine} from "../../../contracts/funds/FundEngine.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";

import {FundBase} from "./FundBase.sol";

/// @notice A receiver that refuses TAO, to show it cannot block the queue.
contract RefusingReceiver {
    function request(AllocatorFund fund, uint256 shares) external returns (uint256) {
        return fund.requestRedemption(shares, address(this), false);
    }

    function claim(AllocatorFund fund) external {
        fund.claim();
    }
}

/// @notice A receiver that tries to claim again while its claim is being paid.
contract ReenteringClaimer {
    AllocatorFund internal fund;
    uint256 public reentries;

    function request(AllocatorFund fund_, uint256 shares) external returns (uint256) {
        fund = fund_;
        return fund_.requestRedemption(shares, address(this), false);
    }

    function claim() external {
        fund.claim();
    }

    receive() external payable {
        ++reentries;
        fund.claim(); // must fail: the claim is already zeroed and the guard is held
    }
}

/// @title FundEngineTest
/// @notice The engine through an allocator fund: shares at NAV, moving-price valuation, fees, the redemption queue,
/// the timelock and roles, the shutdown and the factory.
contract FundEngineTest is FundBase {
    AllocatorFund internal fund;

    function setUp() public override {
        super.setUp();
        // Without fees, so that redemptions pay exact amounts; the fee tests launch their own.
        fund = _allocatorFund(_defaultPositions(), 0, 0, 1_000_000 * TAO);
    }

    function _feeFund() internal returns (AllocatorFund) {
        return _allocatorFund(_defaultPositions(), 200, 2_000, 1_000_000 * TAO);
    }

    /* DEPOSITS AND NAV */

    function test_FirstDepositMintsOneSharePerTao() public {
        uint256 shares = _depositTo(fund, alice, 10 * TAO);
        assertEq(shares, 10e18, "1 share per TAO");
        assertEq(fund.navRao(), 10 * TAO, "NAV is the idle TAO");
        assertEq(fund.balanceOf(alice), shares, "alice holds the shares");
    }

    function test_DepositRefusesSubRaoValue() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotWholeRao.selector, 1e9 + 1));
        fund.deposit{value: 1e9 + 1}(alice, 0);
    }

    function test_DepositRefusesZeroAndEnforcesMinimumShares() public {
        vm.prank(alice);
        vm.expectRevert(IFundEngine.ZeroAmount.selector);
        fund.deposit(alice, 0);
        vm.deal(alice, _wei(TAO));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.SharesBelowMinimum.selector, 1e18, 2e18));
        fund.deposit{value: _wei(TAO)}(alice, 2e18);
    }

    function test_NavValuesStakeAtMovingPriceNotSpot() public {
        _depositTo(fund, alice, 100 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        assertGt(fund.positionValueRao(0), 0, "staked");
        uint256 navBefore = fund.navRao();
        uint256 priceBefore = fund.sharePriceRaoPerShareWad();
        uint256 spotBefore = _spotRao(FUND_NETUID);
        _pumpFundPrice(40 * trade); // a flash move of the spot price in the same block
        assertGt(_spotRao(FUND_NETUID), spotBefore * 2, "the spot price moved a lot");
        assertEq(fund.navRao(), navBefore, "NAV unchanged by a spot move");
        assertEq(fund.sharePriceRaoPerShareWad(), priceBefore, "share price unchanged by a spot move");
        assertEq(fund.previewDeposit(TAO), fund.previewDeposit(TAO), "deterministic preview");
    }

    function test_DepositDoesNotMoveSharePriceBeyondRoundingInFundsFavour() public {
        _depositTo(fund, alice, 100 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        uint256 priceBefore = fund.sharePriceRaoPerShareWad();
        _depositTo(fund, bob, 37 * TAO + 123);
        uint256 priceAfter = fund.sharePriceRaoPerShareWad();
        assertGe(priceAfter, priceBefore, "a deposit never dilutes the holders");
        assertLe(priceAfter - priceBefore, 2, "beyond rounding");
    }

    /* FEES */

    function test_ManagementFeeAccruesContinuouslyAsShares() public {
        fund = _feeFund();
        _depositTo(fund, alice, 100 * TAO);
        uint256 supply = fund.totalSupply();
        _warpBy(365 days);
        fund.accrueFees();
        uint256 feeShares = fund.balanceOf(feeRecipient);
        // 2% of the value: x / (supply + x) = 0.02
        uint256 expected = (supply * 200) / (10_000 - 200);
        assertEq(feeShares, expected, "2% a year, paid in shares");
        fund.accrueFees();
        assertEq(fund.balanceOf(feeRecipient), feeShares, "nothing charged twice in the same second");
    }

    function test_NoPerformanceFeeOnALossAndOnlyAboveTheMark() public {
        fund = _feeFund();
        _depositTo(fund, alice, 100 * TAO);
        uint256 mark = fund.highWaterMarkRaoPerShareWad();
        assertGt(mark, 0, "the mark is set at the first deposit");
        uint256 navBefore = fund.navRao();
        // A loss: TAO leaves the fund (as a slash or a theft would take it).
        vm.deal(address(fund), address(fund).balance - _wei(10 * TAO));
        assertLt(fund.navRao(), navBefore, "a loss");
        (, uint256 perfShares, ) = fund.pendingFeeShares();
        assertEq(perfShares, 0, "no performance fee on a loss");
        fund.accrueFees();
        assertEq(fund.highWaterMarkRaoPerShareWad(), mark, "the mark never falls");
    }

    function test_PerformanceFeeOnGainAboveMarkOnce() public {
        fund = _allocatorFund(_defaultPositions(), 0, 2_000, 1_000_000 * TAO);
        assertEq(fund.managementFeeBps(), 0, "performance fee only");
        _depositTo(fund, alice, 100 * TAO);
        // A gift of TAO is a 10% gain for the holders.
        vm.deal(stranger, _wei(10 * TAO));
        vm.prank(stranger);
        (bool ok, ) = address(fund).call{value: _wei(10 * TAO)}("");
        assertTrue(ok, "gift sent");
        fund.accrueFees();
        uint256 feeShares = fund.balanceOf(feeRecipient);
        uint256 feeValue = fund.previewRedeemRao(feeShares);
        // 20% of 10 TAO = 2 TAO, to within rounding.
        assertApproxAbs(feeValue, 2 * TAO, 2, "20% of the gain");
        fund.accrueFees();
        _warpBy(30 days);
        fund.accrueFees();
        assertEq(fund.balanceOf(feeRecipient), feeShares, "the same gain is never charged twice");
    }

    function test_FeeChangesAreCappedAndTimelocked() public {
        fund = _feeFund();
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotSelf.selector, governance));
        fund.setFees(300, 2_000);
        vm.prank(governance);
        fund.schedule(abi.encodeCall(FundEngine.setFees, (600, 2_000)));
        _warpBy(TIMELOCK);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.FeeAboveCap.selector, 600, 500));
        fund.execute(abi.encodeCall(FundEngine.setFees, (600, 2_000)));
        // Lowering is immediate.
        vm.prank(governance);
        fund.lowerFees(100, 1_000);
        assertEq(fund.managementFeeBps(), 100, "lowered");
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.FeeAboveCap.selector, 200, 100));
        fund.lowerFees(200, 1_000);
    }

    function test_InstantFeeHikeIsImpossibleAndGuardianVetoes() public {
        fund = _feeFund();
        bytes memory data = abi.encodeCall(FundEngine.setFees, (500, 3_000));
        vm.prank(governance);
        bytes32 id = fund.schedule(data);
        uint256 eta = fund.etaOf(id);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.TimelockPending.selector, eta, _timestamp()));
        fund.execute(data);
        vm.prank(guardian);
        fund.veto(id);
        _warpBy(TIMELOCK);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotScheduled.selector, id));
        fund.execute(data);
        assertEq(fund.managementFeeBps(), 200, "unchanged");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotGuardian.selector, stranger));
        fund.veto(id);
    }

    function test_HolderCanExitBeforeATimelockedChangeApplies() public {
        _depositTo(fund, alice, 10 * TAO);
        bytes memory data = abi.encodeCall(FundEngine.setFees, (500, 3_000));
        vm.prank(governance);
        bytes32 id = fund.schedule(data);
        uint256 shares = fund.balanceOf(alice);
        vm.prank(alice);
        fund.requestRedemption(shares, alice, false);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        assertLt(_timestamp(), fund.etaOf(id), "paid before the change can apply");
        assertEq(fund.claimableRao(alice), 10 * TAO, "paid in full at the old terms");
    }

    function test_NewManagerIsTimelocked() public {
        IFundEngine.Roles memory r = _roles();
        r.manager = stranger;
        _timelocked(fund, abi.encodeCall(FundEngine.setRoles, (r)));
        assertEq(fund.roles().manager, stranger, "manager replaced after the delay");
    }

    function test_TimelockMustOutlastNotice() public {
        bytes memory data = abi.encodeCall(FundEngine.setDelays, (3 days, 3 days));
        vm.prank(governance);
        fund.schedule(data);
        _warpBy(TIMELOCK);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.TimelockTooShort.selector, 3 days, 4 days));
        fund.execute(data);
    }

    function test_OnlyRolesAct() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotManager.selector, stranger));
        fund.allocate(0, TAO, NO_LIMIT);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotGovernance.selector, stranger));
        fund.schedule("");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotGuardian.selector, stranger));
        fund.shutdown();
    }

    function test_ManagerCannotOverpayForAlpha() public {
        _depositTo(fund, alice, 100 * TAO);
        _pumpFundPrice(40 * _tradeRao()); // spot far above the moving price
        uint256 spot = _spotRao(FUND_NETUID);
        uint256 ceiling = (fund.movingPriceRaoPerAlpha(FUND_NETUID) * (10_000 + SLIPPAGE_BPS)) / 10_000;
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.PriceAboveLimit.selector, 0, spot, ceiling));
        fund.allocate(0, 10 * TAO, NO_LIMIT);
    }

    /* REDEMPTIONS */

    function test_RequestLocksSharesAndWaitsForNotice() public {
        uint256 shares = _depositTo(fund, alice, 10 * TAO);
        vm.prank(alice);
        uint256 id = fund.requestRedemption(shares, alice, false);
        assertEq(fund.balanceOf(alice), 0, "shares left the holder");
        assertEq(fund.balanceOf(address(fund)), shares, "locked in the fund");
        assertEq(fund.lockedShares(), shares, "counted as locked");
        (uint256 burned, ) = fund.processRedemptions(10, type(uint256).max);
        assertEq(burned, 0, "not ready before the notice");
        _warpBy(NOTICE);
        (burned, ) = fund.processRedemptions(10, type(uint256).max);
        assertEq(burned, shares, "processed after the notice");
        assertEq(fund.request(id).shares, 0, "request filled");
        assertEq(fund.queueHead(), 1, "head moved on");
        uint256 before = alice.balance;
        vm.prank(alice);
        uint256 paid = fund.claim();
        assertEq(alice.balance - before, _wei(paid), "claimed in TAO");
        assertEq(paid, 10 * TAO, "the deposit back");
    }

    function test_RedemptionIsProRataAndKeepsSharePrice() public {
        _depositTo(fund, alice, 100 * TAO);
        _depositTo(fund, bob, 50 * TAO);
        uint256 trade = _tradeRao() / 2;
        vm.startPrank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        fund.allocate(1, trade, NO_LIMIT);
        vm.stopPrank();
        uint256 priceBefore = fund.sharePriceRaoPerShareWad();
        uint256 shares = fund.balanceOf(bob);
        vm.prank(bob);
        fund.requestRedemption(shares, bob, false);
        _warpBy(NOTICE);
        uint256 stakeBefore = fund.positionAlphaRao(0);
        uint256 supplyBefore = fund.totalSupply();
        uint256 navBefore = fund.navRao();
        fund.processRedemptions(10, type(uint256).max);
        uint256 stakeAfter = fund.positionAlphaRao(0);
        // Bob's third of the direct stake was unstaked.
        assertApproxAbs(stakeBefore - stakeAfter, (stakeBefore * shares) / supplyBefore, 1, "pro-rata alpha");
        assertGt(fund.claimableRao(bob), 0, "bob paid");
        uint256 navValue = (navBefore * shares) / supplyBefore;
        // Paid what its third of each holding fetched: its NAV value up to the spread of spot and moving prices.
        assertApproxAbs(fund.claimableRao(bob), navValue, navValue / 50, "about the pro-rata value");
        assertGe(fund.sharePriceRaoPerShareWad(), priceBefore, "the holders who stay lose nothing");
        assertLe(fund.sharePriceRaoPerShareWad() - priceBefore, 10, "beyond rounding");
    }

    function test_PartialFillsAreFairAcrossTheBatch() public {
        uint256 a = _depositTo(fund, alice, 30 * TAO);
        uint256 b = _depositTo(fund, bob, 10 * TAO);
        vm.prank(alice);
        uint256 ida = fund.requestRedemption(a, alice, false);
        vm.prank(bob);
        uint256 idb = fund.requestRedemption(b, bob, false);
        _warpBy(NOTICE);
        uint256 half = (a + b) / 2;
        fund.processRedemptions(10, half);
        assertApproxAbs(fund.request(ida).shares, a / 2, 1, "alice half filled");
        assertApproxAbs(fund.request(idb).shares, b / 2, 1, "bob half filled");
        assertApproxAbs(fund.claimableRao(alice), 15 * TAO, 1, "alice paid for half");
        assertApproxAbs(fund.claimableRao(bob), 5 * TAO, 1, "bob paid for half");
        assertEq(fund.queueHead(), 0, "both keep their place");
        fund.processRedemptions(10, type(uint256).max);
        assertEq(fund.request(ida).shares, 0, "alice filled");
        assertEq(fund.request(idb).shares, 0, "bob filled");
        assertEq(fund.queueHead(), 2, "queue drained");
    }

    function test_InKindRedemptionPaysVaultShares() public {
        _depositTo(fund, alice, 40 * TAO);
        _depositTo(fund, bob, 40 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(1, trade, NO_LIMIT);
        uint256 vaultShares = IERC20(address(fundVault)).balanceOf(address(fund));
        uint256 shares = fund.balanceOf(bob);
        uint256 supply = fund.totalSupply();
        uint256 idleBefore = fund.idleRao();
        vm.prank(bob);
        fund.requestRedemption(shares, bob, true);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        assertEq(
            IERC20(address(fundVault)).balanceOf(bob),
            (vaultShares * shares) / supply,
            "half the vault shares, in kind"
        );
        assertEq(fund.claimableRao(bob), idleBefore / 2, "half the idle TAO");
    }

    function test_CancelReturnsShares() public {
        uint256 shares = _depositTo(fund, alice, 10 * TAO);
        vm.prank(alice);
        uint256 id = fund.requestRedemption(shares, alice, false);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotRequestOwner.selector, id, bob));
        fund.cancelRedemption(id);
        vm.prank(alice);
        fund.cancelRedemption(id);
        assertEq(fund.balanceOf(alice), shares, "shares back");
        assertEq(fund.lockedShares(), 0, "nothing locked");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NothingToCancel.selector, id));
        fund.cancelRedemption(id);
    }

    function test_DustRequestsAreRefusedUnlessWholeBalance() public {
        _depositTo(fund, alice, 10 * TAO);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.RedemptionTooSmall.selector, 1, 1e15));
        fund.requestRedemption(1, alice, false);
        vm.prank(alice);
        fund.transfer(bob, 7);
        vm.prank(bob);
        fund.requestRedemption(7, bob, false); // a whole balance may always leave
    }

    function test_RefusingReceiverCannotBlockTheQueue() public {
        RefusingReceiver griefer = new RefusingReceiver();
        _depositTo(fund, address(griefer), 5 * TAO);
        uint256 a = _depositTo(fund, alice, 5 * TAO);
        griefer.request(fund, fund.balanceOf(address(griefer)));
        vm.prank(alice);
        fund.requestRedemption(a, alice, false);
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        vm.prank(alice);
        fund.claim();
        assertEq(fund.queueHead(), 2, "both processed");
        vm.expectRevert(
            abi.encodeWithSelector(IFundEngine.TaoTransferFailed.selector, address(griefer), _wei(5 * TAO))
        );
        griefer.claim(fund);
    }

    function test_ReentryOnClaimFails() public {
        ReenteringClaimer attacker = new ReenteringClaimer();
        _depositTo(fund, address(attacker), 5 * TAO);
        attacker.request(fund, fund.balanceOf(address(attacker)));
        _warpBy(NOTICE);
        fund.processRedemptions(10, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(IFundEngine.TaoTransferFailed.selector, address(attacker), _wei(5 * TAO))
        );
        attacker.claim();
        assertEq(fund.claimableRao(address(attacker)), 5 * TAO, "still owed once, not twice");
    }

    /* SHUTDOWN */

    function test_ShutdownStopsDeploymentAndFeesButNeverExits() public {
        fund = _feeFund();
        uint256 shares = _depositTo(fund, alice, 10 * TAO);
        _depositTo(fund, bob, 10 * TAO);
        vm.prank(alice);
        fund.requestRedemption(shares, alice, false);
        vm.prank(guardian);
        fund.shutdown();
        vm.prank(manager);
        vm.expectRevert(IFundEngine.IsShutDown.selector);
        fund.allocate(0, TAO, NO_LIMIT);
        vm.deal(carol, _wei(TAO));
        vm.prank(carol);
        vm.expectRevert(IFundEngine.IsShutDown.selector);
        fund.deposit{value: _wei(TAO)}(carol, 0);
        // No notice after a shutdown.
        fund.processRedemptions(10, type(uint256).max);
        assertEq(fund.claimableRao(alice), 10 * TAO, "alice paid at once");
        _warpBy(365 days);
        fund.accrueFees();
        assertEq(fund.balanceOf(feeRecipient), 0, "no fee after the shutdown");
        uint256 b = fund.balanceOf(bob);
        vm.prank(bob);
        fund.requestRedemption(b, bob, false);
        fund.processRedemptions(10, type(uint256).max);
        assertGt(fund.claimableRao(bob), 0, "later exits too");
    }

    /* ATTACKS */

    function test_FirstDepositorInflationIsUnprofitable() public {
        _depositTo(fund, stranger, 1); // one rao
        vm.deal(stranger, _wei(1_000 * TAO));
        vm.prank(stranger);
        (bool ok, ) = address(fund).call{value: _wei(1_000 * TAO)}(""); // donation
        assertTrue(ok, "donated");
        uint256 victimShares = _depositTo(fund, alice, 10 * TAO);
        assertGt(victimShares, 0, "the victim gets shares");
        uint256 victimValue = fund.previewRedeemRao(victimShares);
        assertGe(victimValue, 10 * TAO - 1e3, "the victim keeps its deposit");
        uint256 attackerValue = fund.previewRedeemRao(fund.balanceOf(stranger));
        assertLt(attackerValue, 1_000 * TAO, "the attacker loses its donation");
    }

    /* FACTORY */

    function test_FactoryClonesAndListsFunds() public {
        assertTrue(funds.isFund(address(fund)), "listed");
        assertEq(funds.fundCount(), 1, "one fund");
        address predicted = funds.predictFund(FundFactory.Kind.Allocator, address(this), bytes32(saltCounter + 1));
        AllocatorFund second = _allocatorFund(_defaultPositions(), 0, 0, TAO);
        assertEq(address(second), predicted, "address known before creation");
        assertEq(keccak256(bytes(second.name())), keccak256("Test Fund"), "name set by the initializer");
        assertTrue(second.coldkey() != allocatorImplementation.coldkey(), "own coldkey per clone");
    }

    function test_ClonesAndImplementationCannotBeReinitialised() public {
        uint16[] memory none16 = new uint16[](0);
        uint256[] memory none = new uint256[](0);
        IFundEngine.EngineConfig memory c = _config(_defaultPositions(), 0, 0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        fund.initialize(c, none16, none);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        allocatorImplementation.initialize(c, none16, none);
    }
}
