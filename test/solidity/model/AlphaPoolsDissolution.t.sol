// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";

/// @notice Dissolution of a pruned subnet through the registry and the stakers' refunds: the pot, the recycled
/// remainder, pro-rata claims rounded down, a vesting dividend counted in the refund, and the closed ledger.
/// @dev The economy is redeployed with an initial issuance of 1M TAO (the TAO users bring is counted in it) and no
/// emission reserve: pools move only by trades until the prune. Three subnets fill the limit of 3; net3 starts last,
/// so its moving price is the lowest when a fourth registration prunes it.
contract AlphaPoolsDissolutionTest is PoolsTestBase {
    uint16 internal net1;
    uint16 internal net2;
    uint16 internal net3;
    uint32 internal constant GEN = 1;
    bytes32 internal hotkey4;

    /// @dev What the prune set aside, read just before it.
    uint256 internal poolTao;
    uint256 internal issuance;
    uint256 internal staked;

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        _redeploy(1_000_000 * TAO);
        net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
        net3 = _newSubnet(owner3, OWNER3_HOTKEY);
        hotkey4 = _hotkey(address(0x0E4F), stranger);
        _advance(NETWORK_IMMUNITY - 10);
        vm.prank(owner3);
        registry.startCall(net3);
        _advance(1);
    }

    /// @dev Positions on net3: alice and bob on OWNER3_HOTKEY, carol on OWNER1_HOTKEY (part of it burned), the miner
    /// credit on OWNER2_HOTKEY for owner2, a dividend vesting on OWNER3_HOTKEY, and some of the pot still owed.
    function _positions() internal returns (uint256 dividend) {
        _stake(alice, OWNER3_HOTKEY, net3, 10 * TAO);
        _stake(bob, OWNER3_HOTKEY, net3, 30 * TAO);
        uint256 c = _stake(carol, OWNER1_HOTKEY, net3, 5 * TAO);
        vm.prank(carol);
        pools.burnAlpha(OWNER1_HOTKEY, net3, c / 5);
        _advance(4);
        vm.startPrank(settler);
        (, IAlphaPoolsTypes.PendingEmission memory pot) = pools.closePending(net3);
        pools.creditStake(net3, GEN, OWNER2_HOTKEY, ck(owner2), pot.serverAlphaRao);
        dividend = pot.validatorAlphaRao;
        pools.creditDividend(net3, GEN, OWNER3_HOTKEY, ck(owner3), dividend);
        vm.stopPrank();
        // the owner cut stays owed; two more blocks stay pending
        _advance(2);
    }

    /// @dev Prunes net3 with a fourth registration, after recording the pool, the issuance and the staked alpha as
    /// the sum of the hotkey pools (vested and vesting), independently of the contract's formula.
    function _prune() internal {
        _advance(NETWORK_IMMUNITY);
        pools.poke(net3);
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, net3, "net3 has the lowest moving price");
        IAlphaPoolsTypes.Pool memory p = _pool(net3);
        poolTao = p.taoRao;
        issuance = _books(net3).alphaIssuanceRao;
        staked = _hotkeyAlpha(OWNER1_HOTKEY) + _hotkeyAlpha(OWNER2_HOTKEY) + _hotkeyAlpha(OWNER3_HOTKEY);
        assertEq(_newSubnet(stranger, hotkey4), net3, "net3 pruned and reused");
    }

    function _hotkeyAlpha(bytes32 hotkey) internal view returns (uint256) {
        IAlphaPoolsTypes.HotkeyPool memory hp = _storedHotkeyPool(net3, GEN, hotkey);
        return uint256(hp.alphaRao) + hp.unvestedAlphaRao;
    }

    /* dissolveSubnet */

    function test_dissolveSubnet_setsAsideThePotAndRecyclesTheRest() public {
        _positions();
        _advance(NETWORK_IMMUNITY);
        pools.poke(net3);
        // the contract's formula: staked = issuance − pool alpha − unowned − pending − owed (settlement and root)
        IAlphaPoolsTypes.Books memory b = _books(net3);
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(net3, GEN);
        uint256 formula =
            uint256(b.alphaIssuanceRao) +
                b.pendingRecycledRootAlphaRao -
                _pool(net3).alphaRao -
                _emission(net3).unownedAlphaRao -
                b.pendingAlphaOutRao -
                settlementOwed -
                rootOwed;
        uint256 sum = _hotkeyAlpha(OWNER1_HOTKEY) + _hotkeyAlpha(OWNER2_HOTKEY) + _hotkeyAlpha(OWNER3_HOTKEY);
        assertEq(formula, sum, "the staked alpha is what the hotkey pools hold");
        assertGt(settlementOwed, 0, "some of the pot is still owed");
        assertGt(b.pendingAlphaOutRao, 0, "some emission is pending");
        assertGt(_emission(net3).unownedAlphaRao, 0, "some alpha was burned");

        uint256 tao = _pool(net3).taoRao;
        uint256 pot = (tao * sum) / b.alphaIssuanceRao; // pro rata to alpha, rounded down
        uint256 reserve0 = _global().reserveRao;
        uint256 taoIssuance0 = _taoIssuance();
        uint256 registryBalance0 = address(registry).balance;
        uint256 totalWeight0 = _global().totalWeight;
        uint256 weight3 = _emission(net3).weight;
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.DissolveSubnet(net3, GEN, pot, tao - pot);
        _newSubnet(stranger, hotkey4);

        ISubnetRegistry.Refund memory r = registry.refundPot(net3, GEN);
        assertEq(r.potRao, pot, "pot");
        assertEq(r.stakedAlphaRao, sum, "staked alpha");
        assertEq(r.paidRao, 0, "nothing paid yet");
        assertEq(address(registry).balance - registryBalance0, _wei(pot), "the registry holds the pot");
        assertEq(_global().reserveRao, reserve0 + tao - pot, "the rest is recycled into the reserve");
        assertEq(_taoIssuance(), taoIssuance0 - (tao - pot), "and leaves the issuance");
        assertEq(_global().totalWeight, totalWeight0 - weight3, "its weight leaves the emission");
        assertEq(_generation(net3), GEN + 1, "the netuid is reused");
    }

    /* claimRefund */

    function test_claimRefund_paysProRataRoundedDown() public {
        _positions();
        _prune();
        ISubnetRegistry.Refund memory r = registry.refundPot(net3, GEN);
        IAlphaPoolsTypes.HotkeyPool memory hp = _storedHotkeyPool(net3, GEN, OWNER3_HOTKEY);
        uint256 aliceAlpha = _alphaDown(
            _sharesOf(net3, GEN, OWNER3_HOTKEY, ck(alice)),
            uint256(hp.alphaRao) + hp.unvestedAlphaRao,
            hp.shares
        );
        uint256 expected = (aliceAlpha * r.potRao) / r.stakedAlphaRao;
        assertEq(registry.refundOf(OWNER3_HOTKEY, ck(alice), net3, GEN), expected, "view");
        vmx.expectEmit(true, true, true, true, address(registry));
        emit ISubnetRegistry.ClaimRefund(net3, GEN, ck(alice), OWNER3_HOTKEY, expected);
        vm.prank(alice);
        uint256 taoRao = registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        assertEq(taoRao, expected, "alpha x pot / staked, down");
        assertEq(alice.balance, _wei(expected), "paid");
        assertEq(registry.refundPot(net3, GEN).paidRao, expected, "paid counted");
        assertEq(_sharesOf(net3, GEN, OWNER3_HOTKEY, ck(alice)), 0, "position closed");
        assertEq(pools.instanceStake(net3, GEN, OWNER3_HOTKEY, ck(alice)), 0, "nothing left");
    }

    /// @dev The dividend credited just before the prune had hardly vested; the holders' refunds count all of it.
    function test_claimRefund_countsTheVestingDividend() public {
        uint256 dividend = _positions();
        IAlphaPoolsTypes.HotkeyPool memory before = pools.hotkeyPool(OWNER3_HOTKEY, net3);
        assertGt(before.unvestedAlphaRao, 0, "still vesting");
        _prune();
        IAlphaPoolsTypes.HotkeyPool memory hp = _storedHotkeyPool(net3, GEN, OWNER3_HOTKEY);
        uint256 total = uint256(hp.alphaRao) + hp.unvestedAlphaRao;
        uint256 aliceShares = _sharesOf(net3, GEN, OWNER3_HOTKEY, ck(alice));
        uint256 bobShares = _sharesOf(net3, GEN, OWNER3_HOTKEY, ck(bob));
        uint256 aliceAlpha = _alphaDown(aliceShares, total, hp.shares);
        uint256 bobAlpha = _alphaDown(bobShares, total, hp.shares);
        assertEq(pools.instanceStake(net3, GEN, OWNER3_HOTKEY, ck(alice)), aliceAlpha, "instance stake counts it");
        assertGt(aliceAlpha + bobAlpha, total - dividend, "more than the vested part");
        ISubnetRegistry.Refund memory r = registry.refundPot(net3, GEN);
        vm.prank(alice);
        assertEq(registry.claimRefund(OWNER3_HOTKEY, net3, GEN), (aliceAlpha * r.potRao) / r.stakedAlphaRao, "alice");
        // alice's closed shares took their value rounded down, so bob's value never falls by it
        uint256 bobNow = pools.instanceStake(net3, GEN, OWNER3_HOTKEY, ck(bob));
        assertGe(bobNow, bobAlpha, "bob's value never falls");
        assertLe(bobNow, bobAlpha + 1, "by rounding only");
        vm.prank(bob);
        assertEq(registry.claimRefund(OWNER3_HOTKEY, net3, GEN), (bobNow * r.potRao) / r.stakedAlphaRao, "bob");
    }

    function test_claimRefund_everyHolderClaimsWithinThePot() public {
        _positions();
        _prune();
        ISubnetRegistry.Refund memory r = registry.refundPot(net3, GEN);
        uint256 paid;
        vm.prank(alice);
        paid += registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        vm.prank(bob);
        paid += registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        vm.prank(carol);
        paid += registry.claimRefund(OWNER1_HOTKEY, net3, GEN);
        vm.prank(owner2);
        paid += registry.claimRefund(OWNER2_HOTKEY, net3, GEN);
        // the owner's credited stake on OWNER3_HOTKEY: none (the dividend vested into the pool, not to the owner)
        assertEq(registry.refundOf(OWNER3_HOTKEY, ck(owner3), net3, GEN), 0, "owner3 holds no share");
        assertEq(registry.refundPot(net3, GEN).paidRao, paid, "paid");
        assertLe(paid, r.potRao, "never more than the pot");
        // what stays: one rao of rounding per claim, and the part of each of the three hotkey pools that its virtual
        // shares hold (a couple of alpha-rao each), at pot/staked TAO per alpha-rao
        assertLe(r.potRao - paid, 4 + 3 * ((3 * r.potRao) / r.stakedAlphaRao + 1), "only rounding dust stays");
        assertEq(address(registry).balance, _wei(r.potRao - paid), "the registry holds exactly the rest");
    }

    function test_RevertWhen_claimRefund_nothingToRefundOrNotAvailable() public {
        _positions();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, net3, GEN));
        registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        _prune();
        vm.prank(alice);
        registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NothingToRefund.selector, net3, GEN));
        registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NothingToRefund.selector, net3, GEN));
        registry.claimRefund(OWNER3_HOTKEY, net3, GEN);
        // the new instance and a live subnet have no refund
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, net3, GEN + 1));
        registry.claimRefund(OWNER3_HOTKEY, net3, GEN + 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, net1, GEN));
        registry.claimRefund(OWNER1_HOTKEY, net1, GEN);
    }

    function test_claimRefund_worksWhilePaused() public {
        _positions();
        _prune();
        _pause();
        vm.prank(alice);
        assertGt(registry.claimRefund(OWNER3_HOTKEY, net3, GEN), 0, "claimed while paused");
    }

    /* closePosition */

    function test_RevertWhen_closePosition_instanceStillOpen() public {
        _stake(alice, OWNER1_HOTKEY, net1, TAO);
        address registrar = address(0x2E6);
        vm.startPrank(admin);
        pools.grantRole(pools.REGISTRY_ROLE(), registrar);
        vm.stopPrank();
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.SubnetAlreadyOpen.selector, net1));
        pools.closePosition(net1, GEN, OWNER1_HOTKEY, ck(alice));
        assertGt(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "the live position stays");
    }

    function test_dissolveSubnet_theReusedNetuidStartsWithAnEmptyLedger() public {
        _positions();
        _prune();
        vm.prank(stranger);
        registry.startCall(net3);
        assertEq(pools.getStake(OWNER3_HOTKEY, ck(alice), net3), 0, "no stake in the new instance");
        assertEq(pools.hotkeyPool(OWNER3_HOTKEY, net3).shares, 0, "no shares");
        IAlphaPoolsTypes.Emission memory em = _emission(net3);
        assertEq(em.unownedAlphaRao, 0, "no unowned alpha carried over");
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(net3, GEN + 1);
        assertEq(settlementOwed + rootOwed, 0, "no debt carried over");
        assertGt(pools.instanceStake(net3, GEN, OWNER3_HOTKEY, ck(alice)), 0, "the old instance keeps the claim");
        uint256 a = _stake(alice, hotkey4, net3, TAO);
        assertEq(pools.getStake(hotkey4, ck(alice), net3), a, "a fresh position");
    }
}
