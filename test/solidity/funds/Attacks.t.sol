// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {FundEngine} from "../../../contracts/funds/FundEngine.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";
import {MiningFund} from "../../../contracts/funds/MiningFund.sol";
import {SubnetIndexFund} from "../../../contracts/funds/SubnetIndexFund.sol";

import {FundBase} from "./FundBase.sol";

/// @notice A redeemer that tries to re-enter the fund while it is paid for its owed stake.
contract ReenteringSeller {
    AllocatorFund internal fund;
    bool public reentered;

    function request(AllocatorFund fund_, uint256 shares) external returns (uint256) {
        fund = fund_;
        return fund_.requestRedemption(shares, address(this), false);
    }

    function sell(uint256 index) external returns (uint256) {
        return fund.sellClaimedStake(index, 1);
    }

    receive() external payable {
        try fund.sellClaimedStake(0, 1) {
            reentered = true;
        } catch {}
        try fund.processRedemptions(10, type(uint256).max) {
            reentered = true;
        } catch {}
    }
}

/// @title AttacksTest
/// @notice Each test is an attack on a fund, named after it, and shows that it fails or does not pay.
contract AttacksTest is FundBase {
    AllocatorFund internal fund;

    function setUp() public override {
        super.setUp();
        fund = _allocatorFund(_defaultPositions(), 200, 2_000, 1_000_000 * TAO);
    }

    function _gift(address to, uint256 rao) internal {
        vm.deal(stranger, stranger.balance + _wei(rao));
        vm.prank(stranger);
        (bool ok, ) = to.call{value: _wei(rao)}("");
        assertTrue(ok, "gift sent");
    }

    function _miningFund() internal returns (MiningFund f, uint64 start, uint64 end) {
        start = uint64(_timestamp() + 1 hours);
        end = uint64(_timestamp() + 8 days);
        IFundEngine.Position[] memory p = new IFundEngine.Position[](1);
        p[0] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(fundVault));
        MiningFund.RaiseTerms memory t = MiningFund.RaiseTerms({
            softCapRao: 100 * TAO,
            hardCapRao: 300 * TAO,
            startTime: start,
            endTime: end,
            minContributionRao: 1,
            maxContributionRao: 200 * TAO,
            allowlistRoot: bytes32(0),
            organization: organization,
            organizationAllocationBps: 1_000,
            vestingCliffSeconds: 0,
            vestingDurationSeconds: 365 days
        });
        bytes memory init = abi.encodeCall(MiningFund.initialize, (_config(p, 200, 1_000), t));
        f = MiningFund(payable(funds.createFund(FundFactory.Kind.Mining, bytes32(++saltCounter), init)));
        _coldkeys[address(f)] = f.coldkey();
    }

    function _contribute(MiningFund f, address who, uint256 rao) internal {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        f.contribute{value: _wei(rao)}(new bytes32[](0));
    }

    /* INFLATION AND DONATION AT LAUNCH */

    function test_InflationByStakeDonationAtLaunchIsUnprofitable() public {
        _depositTo(fund, stranger, 1);
        // The attacker pushes stake onto the fund's coldkey, on its direct position, to inflate the share price.
        uint256 alpha = _stake(stranger, FUND_HOTKEY, FUND_NETUID, 50 * TAO);
        bytes32 fundColdkey = fund.coldkey();
        vm.prank(stranger);
        pools.transferStake(fundColdkey, FUND_HOTKEY, FUND_NETUID, FUND_NETUID, alpha, 0, NO_DEADLINE);
        assertGt(fund.positionValueRao(0), 20 * TAO, "the donation is the fund's");
        uint256 victimShares = _depositTo(fund, alice, 10 * TAO);
        assertGe(fund.previewRedeemRao(victimShares), 10 * TAO - 1e3, "the victim keeps its deposit");
        assertLt(fund.previewRedeemRao(fund.balanceOf(stranger)), 50 * TAO, "the attacker loses part of the donation");
    }

    function test_DonationDuringARaiseSkewsNoShareAndNoRefund() public {
        (MiningFund f, uint64 start, uint64 end) = _miningFund();
        vm.warp(start);
        _contribute(f, stranger, 1);
        _gift(address(f), 100 * TAO); // enough TAO to reach the soft cap, but not as contributions
        _contribute(f, alice, 40 * TAO + 3);
        vm.warp(end);
        f.finalize();
        assertEq(uint8(f.phase()), uint8(MiningFund.Phase.Failed), "a donation does not count toward the soft cap");
        uint256 before = alice.balance;
        vm.prank(alice);
        f.refund();
        assertEq(alice.balance - before, _wei(40 * TAO + 3), "refunded exactly");
        before = stranger.balance;
        vm.prank(stranger);
        f.refund();
        assertEq(stranger.balance - before, _wei(1), "the donor gets its contribution only");
    }

    function test_DonationBeforeFinalizeGoesToAllHoldersPerShare() public {
        (MiningFund f, uint64 start, uint64 end) = _miningFund();
        vm.warp(start);
        _contribute(f, stranger, 1);
        _contribute(f, alice, 150 * TAO);
        _gift(address(f), 30 * TAO);
        vm.warp(end);
        f.finalize();
        vm.prank(stranger);
        uint256 attackerShares = f.claimShares();
        assertEq(attackerShares, 1e9, "one share per TAO contributed, whatever the balance");
        assertLt(f.previewRedeemRao(attackerShares), 2, "the attacker's claim on the donation is its share of it");
    }

    /* MANAGER AND GOVERNANCE DRAINS */

    function test_ManagerDrainThroughABudgetHikeLetsHoldersExitFirst() public {
        (MiningFund f, uint64 start, uint64 end) = _miningFund();
        vm.warp(start);
        _contribute(f, alice, 150 * TAO);
        vm.warp(end);
        f.finalize();
        vm.prank(alice);
        uint256 shares = f.claimShares();
        bytes memory drain = abi.encodeCall(MiningFund.setBudget, (manager, 1_000 * TAO, 1_000 * TAO));
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotGovernance.selector, manager));
        f.schedule(drain);
        vm.prank(governance);
        bytes32 id = f.schedule(drain);
        // Alice sees the schedule and leaves before it can apply.
        vm.prank(alice);
        f.requestRedemption(shares, alice, false);
        _warpBy(NOTICE);
        f.processRedemptions(10, type(uint256).max);
        assertLt(_timestamp(), f.etaOf(id), "paid before the budget can apply");
        // 90% of the raise (the organization's allocation is 10%), less a day of the 2% management fee.
        assertApproxAbs(f.claimableRao(alice), (150 * TAO * 9_000) / 10_000, TAO / 100, "her whole share");
        vm.prank(guardian);
        f.veto(id);
        _warpBy(TIMELOCK);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotScheduled.selector, id));
        f.execute(drain);
    }

    function test_ManagerDrainThroughAForeignHotkeyIsRefused() public {
        _depositTo(fund, alice, 50 * TAO);
        IFundEngine.Position memory foreign = IFundEngine.Position(FUND_NETUID, OWNER2_HOTKEY, address(0));
        vm.startPrank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotSelf.selector, manager));
        fund.addPosition(foreign);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.UnknownPosition.selector, 2, 2));
        fund.allocate(2, 10 * TAO, NO_LIMIT);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotGovernance.selector, manager));
        fund.schedule(abi.encodeCall(FundEngine.addPosition, (foreign)));
        vm.stopPrank();
        // Governance may admit it only under the timelock, which the guardian can veto.
        vm.prank(governance);
        bytes32 id = fund.schedule(abi.encodeCall(FundEngine.addPosition, (foreign)));
        vm.prank(guardian);
        fund.veto(id);
        assertEq(fund.positions().length, 2, "no new hotkey");
    }

    function test_InstantFeeHikeThroughAShorterTimelockIsImpossible() public {
        // Shortening the delays is itself timelocked by the current delay, so a fee hike scheduled with it waits too.
        bytes memory shorten = abi.encodeCall(FundEngine.setDelays, (0, 1 days));
        bytes memory hike = abi.encodeCall(FundEngine.setFees, (500, 3_000));
        vm.startPrank(governance);
        fund.schedule(shorten);
        bytes32 hikeId = fund.schedule(hike);
        vm.stopPrank();
        _warpBy(TIMELOCK - 1);
        uint256 eta = fund.etaOf(hikeId);
        uint256 now_ = _timestamp();
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.TimelockPending.selector, eta, now_));
        fund.execute(hike);
        assertEq(fund.managementFeeBps(), 200, "unchanged within the delay");
    }

    function test_GovernanceCannotMoveTheFundsOwnSharesThroughTheTimelock() public {
        uint256 shares = _depositTo(fund, alice, 10 * TAO);
        vm.prank(alice);
        fund.requestRedemption(shares, alice, false);
        // The locked shares sit on the fund's own balance; a timelocked call runs as the fund.
        bytes[] memory calls = new bytes[](3);
        calls[0] = abi.encodeCall(IERC20.transfer, (stranger, shares));
        calls[1] = abi.encodeCall(IERC20.approve, (stranger, shares));
        calls[2] = abi.encodeCall(FundEngine.requestRedemption, (shares, stranger, false));
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(governance);
            fund.schedule(calls[i]);
        }
        _warpBy(TIMELOCK);
        for (uint256 i; i < 2; ++i) {
            vm.prank(governance);
            vm.expectRevert(abi.encodeWithSelector(IFundEngine.FundSharesNotMovable.selector));
            fund.execute(calls[i]);
        }
        // Every function that moves value is guarded against re-entry, which `execute` holds.
        vm.prank(governance);
        vm.expectRevert(bytes4(keccak256("ReentrancyGuardReentrantCall()")));
        fund.execute(calls[2]);
        assertEq(fund.balanceOf(address(fund)), shares, "the locked shares stay locked");
        assertEq(fund.allowance(address(fund), stranger), 0, "no allowance");
    }

    /* FLASH SPOT MOVES */

    function test_FlashPumpAroundADepositBuysNoExtraShares() public {
        _depositTo(fund, alice, 100 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        uint256 expected = fund.previewDeposit(10 * TAO);
        _pumpFundPrice(20 * _tradeRao());
        uint256 shares = _depositTo(fund, stranger, 10 * TAO);
        assertEq(shares, expected, "priced at moving prices: the pump changes nothing");
    }

    function test_FlashDumpAroundADepositBuysNoExtraShares() public {
        _depositTo(fund, alice, 100 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        _crashFundPrice();
        // The crash's many blocks moved the moving price: the preview is taken after them, in the crash's block.
        uint256 expected = fund.previewDeposit(10 * TAO);
        uint256 navBefore = fund.navRao();
        uint256 shares = _depositTo(fund, stranger, 10 * TAO);
        assertEq(shares, expected, "priced at moving prices, not at the crashed spot");
        assertGe(fund.navRao(), navBefore + 10 * TAO - 1, "the deposit adds its value");
    }

    function test_FlashMoveAroundAFeeCrystallisationChargesNothingMore() public {
        _depositTo(fund, alice, 100 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        _warpBy(30 days);
        (uint256 mBefore, uint256 pBefore, ) = fund.pendingFeeShares();
        _pumpFundPrice(40 * _tradeRao());
        (uint256 mAfter, uint256 pAfter, ) = fund.pendingFeeShares();
        assertEq(mAfter, mBefore, "management fee unchanged");
        assertEq(pAfter, pBefore, "no performance fee on a flash gain");
        fund.accrueFees();
        assertEq(fund.balanceOf(feeRecipient), mBefore + pBefore, "crystallised as before the pump");
    }

    function test_FlashDumpBeforeAnIndexRebalanceCostsTheIndexNothing() public {
        IFundEngine.Position[] memory p = new IFundEngine.Position[](1);
        p[0] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(0));
        uint16[] memory caps = new uint16[](1);
        bytes memory init = abi.encodeCall(SubnetIndexFund.initialize, (_config(p, 0, 0), caps, 200, 1 hours));
        SubnetIndexFund index = SubnetIndexFund(
            payable(funds.createFund(FundFactory.Kind.Index, bytes32(++saltCounter), init))
        );
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        index.deposit{value: _wei(trade)}(alice, 0);
        _crashFundPrice();
        uint256 navBefore = index.navRao();
        (, uint256 bought) = index.rebalance();
        assertGt(bought, 0, "the index buys within its ceiling");
        assertGe(index.navRao(), navBefore, "buying below the moving price never lowers NAV");
    }

    /* QUEUE GRIEFING */

    function test_QueueGriefingWithManyTinyRequestsStaysBoundedAndFair() public {
        uint256 minShares = fund.minRedemptionShares();
        _depositTo(fund, stranger, 5 * TAO);
        for (uint256 i; i < 40; ++i) {
            vm.prank(stranger);
            fund.requestRedemption(minShares, stranger, false);
        }
        uint256 a = _depositTo(fund, alice, 10 * TAO);
        vm.prank(alice);
        uint256 id = fund.requestRedemption(a, alice, false);
        _warpBy(NOTICE);
        uint256 g0 = gasleft();
        fund.processRedemptions(10, type(uint256).max);
        uint256 gasFor10 = g0 - gasleft();
        g0 = gasleft();
        fund.processRedemptions(20, type(uint256).max);
        uint256 gasFor20 = g0 - gasleft();
        assertEq(fund.queueHead(), 30, "bounded batches: 30 processed");
        // Constant cost per request: twice the requests costs about twice the gas.
        assertLt(gasFor20, (gasFor10 * 23) / 10, "cost per request does not grow with the queue");
        fund.processRedemptions(11, type(uint256).max);
        assertEq(fund.request(id).shares, 0, "alice's turn comes in order");
        assertApproxAbs(fund.claimableRao(alice), 10 * TAO, TAO / 100, "alice paid in full, less a day's fee");
    }

    function test_QueueJumpByCancelAndRequestAgainIsImpossible() public {
        uint256 s = _depositTo(fund, stranger, 10 * TAO);
        uint256 a = _depositTo(fund, alice, 10 * TAO);
        vm.prank(alice);
        uint256 aliceId = fund.requestRedemption(a, alice, false);
        vm.prank(stranger);
        uint256 first = fund.requestRedemption(s, stranger, false);
        _warpBy(NOTICE / 2);
        vm.startPrank(stranger);
        fund.cancelRedemption(first);
        uint256 again = fund.requestRedemption(s, stranger, false);
        vm.stopPrank();
        assertGt(again, aliceId, "a new request joins the tail");
        assertEq(fund.request(again).readyAt, _timestamp() + NOTICE, "and waits the whole notice again");
        _warpBy(NOTICE / 2);
        fund.processRedemptions(10, type(uint256).max);
        assertEq(fund.request(aliceId).shares, 0, "alice is paid");
        assertEq(fund.request(again).shares, s, "the re-request still waits");
    }

    /* RE-ENTRY */

    function test_ReentryOnAnOwedStakeSaleFails() public {
        ReenteringSeller attacker = new ReenteringSeller();
        _depositTo(fund, alice, 50 * TAO);
        uint256 shares = _depositTo(fund, address(attacker), 50 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.allocate(0, trade, NO_LIMIT);
        attacker.request(fund, shares);
        _warpBy(NOTICE);
        _crashFundPrice();
        fund.processRedemptions(10, type(uint256).max);
        uint256 owed = fund.claimableAlphaRao(address(attacker), 0);
        assertGt(owed, 0, "owed in kind");
        uint256 stakeBefore = pools.getStake(FUND_HOTKEY, fund.coldkey(), FUND_NETUID);
        attacker.sell(0);
        assertTrue(!attacker.reentered(), "no re-entry succeeded");
        assertApproxAbs(
            stakeBefore - pools.getStake(FUND_HOTKEY, fund.coldkey(), FUND_NETUID),
            owed,
            1,
            "sold exactly what was owed, once"
        );
    }

    /* SHUTDOWN */

    function test_ShutdownInACrashStillPaysEveryoneAtOnce() public {
        _depositTo(fund, alice, 50 * TAO);
        uint256 b = _depositTo(fund, bob, 50 * TAO);
        uint256 half = _tradeRao() / 2;
        vm.startPrank(manager);
        fund.allocate(0, half, NO_LIMIT);
        fund.allocate(1, half, NO_LIMIT);
        vm.stopPrank();
        vm.prank(bob);
        fund.requestRedemption(b, bob, false);
        vm.prank(guardian);
        fund.shutdown();
        _crashFundPrice();
        uint256 a = fund.balanceOf(alice);
        vm.prank(alice);
        fund.requestRedemption(a, alice, true);
        (uint256 burned, ) = fund.processRedemptions(10, type(uint256).max);
        assertEq(burned, a + b, "every request leaves at once");
        assertEq(fund.totalSupply(), fund.balanceOf(feeRecipient), "only the fee recipient's shares remain");
        assertGt(fund.claimableAlphaRao(alice, 0), 0, "alice paid in kind");
        assertGt(fund.claimableAlphaRao(bob, 0), 0, "bob paid in kind too: the crash");
    }
}
