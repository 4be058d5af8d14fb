// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FundEngine} from "../../../contracts/funds/FundEngine.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";
import {MiningFund} from "../../../contracts/funds/MiningFund.sol";

import {FundBase} from "./FundBase.sol";

/// @notice A contributor that tries to take its refund twice while the first is being paid.
contract ReenteringRefunder {
    MiningFund internal fund;
    uint256 public attempts;

    function contribute(MiningFund fund_) external payable {
        fund = fund_;
        fund_.contribute{value: msg.value}(new bytes32[](0));
    }

    function refund() external {
        fund.refund();
    }

    receive() external payable {
        ++attempts;
        try fund.refund() {
            revert("refunded twice");
        } catch {}
    }
}

/// @title MiningFundTest
/// @notice The raise (caps, window, per-investor limits, allowlist, exact refunds, vesting) and the manager's policy
/// (neuron registration, staking, moving stake, the budget stream).
contract MiningFundTest is FundBase {
    MiningFund internal fund;
    bytes32 internal ORG_HOTKEY;
    uint64 internal startTime;
    uint64 internal endTime;

    function setUp() public override {
        super.setUp();
        startTime = uint64(_timestamp() + 1 hours);
        endTime = uint64(_timestamp() + 8 days);
        fund = _launch(bytes32(0));
    }

    function _terms(bytes32 root) internal view returns (MiningFund.RaiseTerms memory) {
        return
            MiningFund.RaiseTerms({
                softCapRao: 100 * TAO,
                hardCapRao: 300 * TAO,
                startTime: startTime,
                endTime: endTime,
                minContributionRao: TAO,
                maxContributionRao: 150 * TAO,
                allowlistRoot: root,
                organization: organization,
                organizationAllocationBps: 1_000,
                vestingCliffSeconds: 30 days,
                vestingDurationSeconds: 365 days
            });
    }

    function _launch(bytes32 root) internal returns (MiningFund f) {
        IFundEngine.Position[] memory p = new IFundEngine.Position[](2);
        // The organization's own hotkey (registered by the fund) and the vault of an outside validator.
        ORG_HOTKEY = _hotkeyFor(address(0x0264F), address(0));
        p[0] = IFundEngine.Position(FUND_NETUID, ORG_HOTKEY, address(0));
        p[1] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(fundVault));
        bytes memory init = abi.encodeCall(MiningFund.initialize, (_config(p, 200, 1_000), _terms(root)));
        f = MiningFund(payable(funds.createFund(FundFactory.Kind.Mining, bytes32(++saltCounter), init)));
        _coldkeys[address(f)] = f.coldkey();
        // The hotkey's account approves the fund's coldkey as its owner, as the model asks for proof of control.
        bytes32 fundColdkey = f.coldkey(); // read before the prank, which the next call takes
        vm.prank(address(0x0264F));
        metagraph.approveHotkeyOwner(fundColdkey);
    }

    function _hotkeyFor(address who, address) internal returns (bytes32 hk) {
        hk = pools.coldkeyOf(who);
        _coldkeys[who] = hk;
    }

    function _contribute(address who, uint256 rao) internal {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        fund.contribute{value: _wei(rao)}(new bytes32[](0));
    }

    function _raise(uint256 aliceRao, uint256 bobRao) internal {
        vm.warp(startTime);
        _contribute(alice, aliceRao);
        _contribute(bob, bobRao);
        vm.warp(endTime);
        fund.finalize();
    }

    /* RAISE */

    function test_RaiseWindowIsEnforced() public {
        vm.deal(alice, _wei(TAO));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.RaiseNotOpen.selector, _timestamp(), startTime, endTime));
        fund.contribute{value: _wei(TAO)}(new bytes32[](0));
        vm.warp(endTime);
        vm.deal(alice, _wei(TAO));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.RaiseNotOpen.selector, endTime, startTime, endTime));
        fund.contribute{value: _wei(TAO)}(new bytes32[](0));
    }

    function test_PerInvestorLimitsAndHardCap() public {
        vm.warp(startTime);
        vm.deal(alice, _wei(200 * TAO));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.ContributionBelowMinimum.selector, TAO / 2, TAO));
        fund.contribute{value: _wei(TAO / 2)}(new bytes32[](0));
        _contribute(alice, 100 * TAO);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.ContributionAboveMaximum.selector, 151 * TAO, 150 * TAO));
        fund.contribute{value: _wei(51 * TAO)}(new bytes32[](0));
        _contribute(bob, 150 * TAO);
        vm.deal(carol, _wei(60 * TAO));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.HardCapExceeded.selector, 60 * TAO, 50 * TAO));
        fund.contribute{value: _wei(60 * TAO)}(new bytes32[](0));
        _contribute(carol, 50 * TAO);
        // At the hard cap the raise can close early.
        fund.finalize();
        assertEq(uint8(fund.phase()), uint8(MiningFund.Phase.Succeeded), "succeeded at the hard cap");
    }

    function test_FinalizeWaitsForTheEnd() public {
        vm.warp(startTime);
        _contribute(alice, 120 * TAO);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.RaiseStillOpen.selector, endTime, startTime));
        fund.finalize();
    }

    function test_FailedRaiseRefundsExactly() public {
        vm.warp(startTime);
        _contribute(alice, 40 * TAO + 7);
        _contribute(bob, 30 * TAO + 3);
        vm.warp(endTime);
        fund.finalize();
        assertEq(uint8(fund.phase()), uint8(MiningFund.Phase.Failed), "soft cap missed");
        uint256 a = alice.balance;
        vm.prank(alice);
        fund.refund();
        assertEq(alice.balance - a, _wei(40 * TAO + 7), "alice gets exactly her contribution");
        uint256 b = bob.balance;
        vm.prank(bob);
        fund.refund();
        assertEq(bob.balance - b, _wei(30 * TAO + 3), "bob too");
        assertEq(address(fund).balance, 0, "nothing left behind");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.NothingToRefund.selector, alice));
        fund.refund();
    }

    function test_ReentryOnRefundPaysOnce() public {
        ReenteringRefunder attacker = new ReenteringRefunder();
        vm.warp(startTime);
        vm.deal(address(this), address(this).balance + _wei(5 * TAO));
        attacker.contribute{value: _wei(5 * TAO)}(fund);
        vm.warp(endTime);
        fund.finalize();
        attacker.refund();
        assertEq(address(attacker).balance, _wei(5 * TAO), "refunded once");
        assertEq(attacker.attempts(), 1, "the re-entry was tried and refused");
    }

    function test_SuccessfulRaiseMintsSharesAndVestsTheOrganization() public {
        _raise(100 * TAO, 50 * TAO);
        vm.prank(alice);
        uint256 shares = fund.claimShares();
        assertEq(shares, 100e18, "one share per TAO");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.AlreadyClaimed.selector, alice));
        fund.claimShares();
        uint256 orgShares = fund.organizationShares();
        assertEq(orgShares, uint256(150e18 * 1_000) / 9_000, "10% of all shares");
        vm.prank(organization);
        vm.expectRevert(MiningFund.NothingVested.selector);
        fund.claimVested();
        _warpBy(365 days / 2);
        vm.prank(organization);
        uint256 vested = fund.claimVested();
        assertApproxAbs(vested, orgShares / 2, 1e12, "half vested after half the duration");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.NotOrganization.selector, stranger));
        fund.claimVested();
        assertEq(fund.grossAssetsRao(), 150 * TAO, "gross assets are the raise");
    }

    function test_AllowlistRestrictsContributors() public {
        bytes32 leafAlice = keccak256(bytes.concat(keccak256(abi.encode(alice))));
        bytes32 leafBob = keccak256(bytes.concat(keccak256(abi.encode(bob))));
        bytes32 root =
            leafAlice < leafBob ? keccak256(abi.encode(leafAlice, leafBob)) : keccak256(abi.encode(leafBob, leafAlice));
        fund = _launch(root);
        vm.warp(startTime);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = leafBob;
        vm.deal(alice, _wei(TAO));
        vm.prank(alice);
        fund.contribute{value: _wei(TAO)}(proof);
        assertEq(fund.contributedRao(alice), TAO, "alice is on the list");
        vm.deal(carol, _wei(TAO));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.NotAllowlisted.selector, carol));
        fund.contribute{value: _wei(TAO)}(proof);
    }

    function test_InvalidTermsNameTheField() public {
        MiningFund.RaiseTerms memory t = _terms(bytes32(0));
        t.hardCapRao = t.softCapRao - 1;
        IFundEngine.Position[] memory p = new IFundEngine.Position[](0);
        bytes memory init = abi.encodeCall(MiningFund.initialize, (_config(p, 0, 0), t));
        vm.expectRevert(abi.encodeWithSelector(MiningFund.InvalidTerms.selector, "hardCapRao"));
        funds.createFund(FundFactory.Kind.Mining, bytes32(uint256(999)), init);
    }

    /* POLICY */

    function test_ManagerRegistersStakesAndRewardsRaiseNav() public {
        _raise(100 * TAO, 100 * TAO);
        _timelocked(fund, abi.encodeCall(MiningFund.setBudget, (organization, 1_000_000, 10 * TAO)));
        _warpBy(1 days);
        uint256 burn = metagraph.burnCost(FUND_NETUID);
        vm.prank(manager);
        fund.registerNeuron(FUND_NETUID, ORG_HOTKEY, 2 * burn);
        assertGt(fund.budgetSpentRao(), 0, "the burn is paid from the budget");
        assertLe(fund.budgetSpentRao(), 2 * burn, "within the limit");
        assertEq(metagraph.ownerOf(ORG_HOTKEY), fund.coldkey(), "the fund's coldkey owns the hotkey");
        uint256 trade = _tradeRao() / 2;
        vm.startPrank(manager);
        uint256 alpha = fund.stake(0, trade, NO_LIMIT);
        fund.stake(1, trade, NO_LIMIT);
        vm.stopPrank();
        assertGt(alpha, 0, "staked to its own hotkey");
        uint256 navBefore = fund.navRao();
        _dividend(FUND_NETUID, ORG_HOTKEY, 5 * TAO); // mining rewards arrive as stake on the fund's coldkey
        assertGt(fund.positionAlphaRao(0), alpha, "rewards credited to the fund's stake");
        assertGt(fund.navRao(), navBefore, "NAV rises with the rewards");
    }

    function test_ManagerCannotRegisterForeignHotkeys() public {
        _raise(100 * TAO, 100 * TAO);
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.UnknownHotkey.selector, FUND_NETUID, OWNER2_HOTKEY));
        fund.registerNeuron(FUND_NETUID, OWNER2_HOTKEY, TAO);
    }

    function test_BudgetDrainIsCappedAndTimelocked() public {
        _raise(100 * TAO, 100 * TAO);
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.BudgetExceeded.selector, TAO, 0));
        fund.withdrawBudget(TAO);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotSelf.selector, governance));
        fund.setBudget(manager, 1e9, 1_000 * TAO);
        _timelocked(fund, abi.encodeCall(MiningFund.setBudget, (organization, 1_000, 5 * TAO)));
        _warpBy(365 days);
        uint256 available = fund.budgetAvailableRao();
        assertEq(available, 5 * TAO, "streamed up to the cap only");
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.BudgetExceeded.selector, 6 * TAO, 5 * TAO));
        fund.withdrawBudget(6 * TAO);
        uint256 before = organization.balance;
        vm.prank(manager);
        fund.withdrawBudget(5 * TAO);
        assertEq(organization.balance - before, _wei(5 * TAO), "paid to the recipient, not the caller");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(MiningFund.NotBudgetRecipient.selector, stranger));
        fund.withdrawBudget(0);
    }

    function test_ManagerCannotDrainThroughANewHotkeyInstantly() public {
        _raise(100 * TAO, 100 * TAO);
        IFundEngine.Position memory foreign = IFundEngine.Position(FUND_NETUID, OWNER2_HOTKEY, address(0));
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotSelf.selector, manager));
        fund.addPosition(foreign);
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.UnknownPosition.selector, 2, 2));
        fund.stake(2, 10 * TAO, NO_LIMIT);
    }

    function test_ShutdownDuringOperationStillPaysEveryone() public {
        _raise(100 * TAO, 100 * TAO);
        uint256 trade = _tradeRao();
        vm.prank(manager);
        fund.stake(1, trade, NO_LIMIT);
        vm.prank(alice);
        fund.claimShares();
        vm.prank(guardian);
        fund.shutdown();
        uint256 shares = fund.balanceOf(alice);
        vm.prank(alice);
        fund.requestRedemption(shares, alice, false);
        fund.processRedemptions(10, type(uint256).max);
        // Alice holds 100 of 222.2 shares (the organization's allocation counts): about 45% of 200 TAO.
        assertGt(fund.claimableRao(alice), 85 * TAO, "alice exits with about her value despite the shutdown");
    }
}
