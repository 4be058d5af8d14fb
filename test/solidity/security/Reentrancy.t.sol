// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../../../contracts/interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {IRootDividends} from "../../../contracts/interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";

import {Attacker} from "./Attacker.sol";
import {SecurityBase} from "./SecurityBase.sol";

/// @notice Reentrancy through every path that pays native TAO: an attacker contract whose receive hook re-enters
/// (the same function, another one, or another contract) while it is being paid. Every re-entry must revert with
/// the guard's error, the payout must happen once, views read during the payout must already show the final state
/// (read-only reentrancy), and the conservation laws must hold afterwards.
/// @dev Paths: removeStake, removeStakeLimit, removeStakeFull, removeStakeFullLimit, unstakeAll, the free TAO of
/// moveStake/swapStake/swapStakeLimit/transferStakeFrom, the refund of a partial addStakeLimit, the origins'
/// unstakeAs/transitionAs, SubnetRegistry.claimRefund and registerNetwork's excess refund, Metagraph.burnedRegister's
/// excess refund, and root claims (claimRoot pays no native TAO; it is re-entered from the other payouts).
contract ReentrancyTest is SecurityBase {
    uint16 internal n;
    uint16 internal m;
    Attacker internal attacker;
    bytes32 internal attackerColdkey;

    /// @dev Rounding of the emission index over the few catch-ups of a test, in rao.
    uint256 internal constant MAX_DUST_RAO = 100;

    function setUp() public override {
        super.setUp();
        n = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        m = _newEmittingSubnet(owner2, OWNER2_HOTKEY);
        _stake(alice, OWNER1_HOTKEY, n, 10 * TAO);
        _stake(bob, OWNER2_HOTKEY, m, 10 * TAO);
        _stake(bob, OWNER2_HOTKEY, ROOT, 10 * TAO);
        attacker = _newAttacker(10_000 * TAO);
        attackerColdkey = pools.coldkeyOf(address(attacker));
        _advance(3);
    }

    /* HELPERS */

    function _run(address target, uint256 valueRao, bytes memory data) internal returns (bytes memory) {
        return attacker.execute(_calls(_call(target, valueRao, data)))[0];
    }

    function _attackerStake(bytes32 hotkey, uint16 netuid, uint256 rao) internal returns (uint256) {
        bytes memory data = abi.encodeCall(IAlphaPools.addStake, (hotkey, netuid, 0, NO_DEADLINE));
        return abi.decode(_run(address(pools), rao, data), (uint256));
    }

    function _stakeOfAttacker(bytes32 hotkey, uint16 netuid) internal view returns (uint256) {
        return pools.getStake(hotkey, attackerColdkey, netuid);
    }

    function _arm(address target, bytes memory data) internal {
        attacker.armReentry(target, 0, data);
    }

    function _assertReentryBlocked() internal view {
        assertTrue(attacker.reentryAttempted(), "the receive hook re-entered");
        assertTrue(!attacker.reentrySucceeded(), "the re-entry failed");
        assertEq(
            keccak256(attacker.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "with the guard's error"
        );
    }

    function _assertPaidOnce(uint256 rao) internal view {
        assertEq(attacker.receipts(), 1, "one payout");
        assertEq(attacker.receivedWei(), _wei(rao), "of exactly the amount returned");
    }

    function _assertConsistent() internal view {
        bytes32[] memory hotkeys = _list(OWNER1_HOTKEY, OWNER2_HOTKEY, attackerColdkey);
        _assertTaoConserved(MAX_DUST_RAO);
        uint16[] memory netuids = registry.activeNetuids();
        for (uint256 i; i < netuids.length; ++i) _assertAlphaConserved(netuids[i], hotkeys);
        _assertRootConserved(hotkeys);
    }

    /// @dev Raises `netuid`'s minimum stake to 1 TAO, so that a cross-netuid transition of less pays free TAO.
    function _highMinStake(uint16 netuid) internal {
        vm.prank(admin);
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(FEE_RATE, uint64(TAO)));
    }

    /// @dev Alpha of `netuid` that sells for about half a TAO now: above the origin's minimum, below 1 TAO.
    function _halfTaoOfAlpha(uint16 netuid) internal view returns (uint256 alphaRao) {
        alphaRao = (TAO * TAO) / ((2 * views.spotPriceWad(pools, netuid)) / 1e9);
    }

    /* UNSTAKING */

    function test_Reentrancy_removeStake() public {
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        uint256 sell = alpha / 2;
        _arm(address(pools), abi.encodeCall(IAlphaPools.removeStake, (OWNER1_HOTKEY, n, alpha - sell, 0, NO_DEADLINE)));
        attacker.watch(address(pools), abi.encodeCall(IAlphaPools.storedSubnet, (n)));
        uint256 poolTaoBefore = _pool(n).taoRao;
        bytes memory data = abi.encodeCall(IAlphaPools.removeStake, (OWNER1_HOTKEY, n, sell, 0, NO_DEADLINE));
        uint256 out = abi.decode(_run(address(pools), 0, data), (uint256));
        _assertReentryBlocked();
        _assertPaidOnce(out);
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - sell, "only the first unstake happened");
        // Read-only reentrancy: during the payout the pool already showed its final state.
        (IAlphaPoolsTypes.Pool memory seen, , ) = abi.decode(
            attacker.viewSeen(),
            (IAlphaPoolsTypes.Pool, IAlphaPoolsTypes.Emission, IAlphaPoolsTypes.Books)
        );
        assertEq(seen.taoRao, _pool(n).taoRao, "the pool seen during the payout is the final pool");
        assertEq(seen.alphaRao, _pool(n).alphaRao, "alpha reserve too");
        assertEq(poolTaoBefore - _pool(n).taoRao, out, "the pool paid exactly the payout");
        _assertConsistent();
    }

    function test_Reentrancy_removeStakeLimit() public {
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        _arm(address(pools), abi.encodeCall(IAlphaPools.removeStakeFull, (OWNER1_HOTKEY, n, 0, NO_DEADLINE)));
        attacker.watch(address(pools), abi.encodeCall(IAlphaPools.getStake, (OWNER1_HOTKEY, attackerColdkey, n)));
        bytes memory data = abi.encodeCall(
            IAlphaPools.removeStakeLimit,
            (OWNER1_HOTKEY, n, alpha / 3, 1, false, NO_DEADLINE)
        );
        uint256 out = abi.decode(_run(address(pools), 0, data), (uint256));
        _assertReentryBlocked();
        _assertPaidOnce(out);
        assertEq(abi.decode(attacker.viewSeen(), (uint256)), alpha - alpha / 3, "stake seen during the payout");
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - alpha / 3, "final stake");
        _assertConsistent();
    }

    function test_Reentrancy_removeStakeFull() public {
        _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        // The re-entry brings TAO of its own: staking during the payout is refused as well.
        attacker.armReentry(
            address(pools),
            _wei(TAO),
            abi.encodeCall(IAlphaPools.addStake, (OWNER1_HOTKEY, n, 0, NO_DEADLINE))
        );
        bytes memory data = abi.encodeCall(IAlphaPools.removeStakeFull, (OWNER1_HOTKEY, n, 0, NO_DEADLINE));
        uint256 out = abi.decode(_run(address(pools), 0, data), (uint256));
        _assertReentryBlocked();
        _assertPaidOnce(out);
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), 0, "no stake left, none added");
        _assertConsistent();
    }

    function test_Reentrancy_removeStakeFullLimit() public {
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        _arm(
            address(pools),
            abi.encodeCall(IAlphaPools.moveStake, (OWNER1_HOTKEY, OWNER2_HOTKEY, n, m, alpha, 0, NO_DEADLINE))
        );
        bytes memory data = abi.encodeCall(IAlphaPools.removeStakeFullLimit, (OWNER1_HOTKEY, n, 1, NO_DEADLINE));
        uint256 out = abi.decode(_run(address(pools), 0, data), (uint256));
        _assertReentryBlocked();
        _assertPaidOnce(out);
        assertEq(_stakeOfAttacker(OWNER2_HOTKEY, m), 0, "the re-entered move did not happen");
        _assertConsistent();
    }

    function test_Reentrancy_unstakeAll() public {
        _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        _attackerStake(OWNER1_HOTKEY, m, 5 * TAO);
        _attackerStake(OWNER1_HOTKEY, ROOT, 7 * TAO);
        _arm(address(pools), abi.encodeCall(IAlphaPools.unstakeAll, (OWNER1_HOTKEY, 0, NO_DEADLINE)));
        bytes memory data = abi.encodeCall(IAlphaPools.unstakeAll, (OWNER1_HOTKEY, 0, NO_DEADLINE));
        uint256 out = abi.decode(_run(address(pools), 0, data), (uint256));
        _assertReentryBlocked();
        _assertPaidOnce(out);
        assertEq(
            _stakeOfAttacker(OWNER1_HOTKEY, n) +
                _stakeOfAttacker(OWNER1_HOTKEY, m) +
                _stakeOfAttacker(OWNER1_HOTKEY, ROOT),
            0,
            "every position closed once"
        );
        _assertConsistent();
    }

    /* MOVES THAT PAY FREE TAO */

    function test_Reentrancy_moveStakeFreeTao() public {
        _highMinStake(m);
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        uint256 moved = _halfTaoOfAlpha(n);
        _arm(
            address(pools),
            abi.encodeCall(IAlphaPools.moveStake, (OWNER1_HOTKEY, OWNER2_HOTKEY, n, m, moved, 0, NO_DEADLINE))
        );
        bytes memory data = abi.encodeCall(
            IAlphaPools.moveStake,
            (OWNER1_HOTKEY, OWNER2_HOTKEY, n, m, moved, 0, NO_DEADLINE)
        );
        assertEq(abi.decode(_run(address(pools), 0, data), (uint256)), 0, "nothing arrives on m: paid as free TAO");
        _assertReentryBlocked();
        assertEq(attacker.receipts(), 1, "one payout");
        assertGt(attacker.receivedWei(), _wei(MIN_STAKE_RAO), "above the origin's minimum");
        assertLt(attacker.receivedWei(), _wei(TAO), "below the destination's minimum");
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - moved, "moved once");
        _assertConsistent();
    }

    function test_Reentrancy_swapStakeFreeTao() public {
        _highMinStake(m);
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        uint256 moved = _halfTaoOfAlpha(n);
        _arm(address(pools), abi.encodeCall(IAlphaPools.swapStake, (OWNER1_HOTKEY, n, m, moved, 0, NO_DEADLINE)));
        _run(address(pools), 0, abi.encodeCall(IAlphaPools.swapStake, (OWNER1_HOTKEY, n, m, moved, 0, NO_DEADLINE)));
        _assertReentryBlocked();
        assertEq(attacker.receipts(), 1, "one payout");
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - moved, "swapped once");
        _assertConsistent();
    }

    function test_Reentrancy_swapStakeLimitFreeTao() public {
        _highMinStake(m);
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        uint256 moved = _halfTaoOfAlpha(n);
        bytes memory data = abi.encodeCall(
            IAlphaPools.swapStakeLimit,
            (OWNER1_HOTKEY, n, m, moved, 1, true, NO_DEADLINE)
        );
        _arm(address(pools), data);
        _run(address(pools), 0, data);
        _assertReentryBlocked();
        assertEq(attacker.receipts(), 1, "one payout");
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - moved, "swapped once");
        _assertConsistent();
    }

    /// @dev The attacker is both the spender of alice's allowance and the destination, which receives the free TAO.
    function test_Reentrancy_transferStakeFromFreeTao() public {
        _highMinStake(m);
        uint256 moved = _halfTaoOfAlpha(n);
        vm.prank(alice);
        pools.approve(address(attacker), n, 3 * moved);
        uint256 aliceBefore = pools.getStake(OWNER1_HOTKEY, ck(alice), n);
        bytes memory data = abi.encodeCall(
            IAlphaPools.transferStakeFrom,
            (alice, address(attacker), OWNER1_HOTKEY, n, m, moved, 0, NO_DEADLINE)
        );
        _arm(address(pools), data);
        _run(address(pools), 0, data);
        _assertReentryBlocked();
        assertEq(attacker.receipts(), 1, "one payout");
        assertEq(pools.allowance(alice, address(attacker), n), 2 * moved, "the allowance was spent once");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), n), aliceBefore - moved, "alice's stake moved once");
        _assertConsistent();
    }

    /* REFUNDS */

    /// @dev A partial fill at a limit price refunds the unused TAO.
    function test_Reentrancy_addStakeLimitRefund() public {
        uint256 spotRao = views.spotPriceWad(pools, n) / 1e9;
        uint256 limit = (spotRao * 11) / 10;
        bytes memory data = abi.encodeCall(IAlphaPools.addStakeLimit, (OWNER1_HOTKEY, n, limit, true, NO_DEADLINE));
        _arm(address(pools), data);
        uint256 balanceBefore = address(attacker).balance;
        uint256 alpha = abi.decode(_run(address(pools), 100 * TAO, data), (uint256));
        _assertReentryBlocked();
        assertEq(attacker.receipts(), 1, "one refund");
        assertGt(attacker.receivedWei(), 0, "a partial fill refunded");
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha, "one stake");
        assertEq(
            balanceBefore - address(attacker).balance,
            _wei(100 * TAO) - attacker.receivedWei(),
            "paid for what it got"
        );
        _assertConsistent();
    }

    /// @dev The registry refunds a pruned subnet's stakers.
    function test_Reentrancy_claimRefund() public {
        _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        _attackerStake(OWNER2_HOTKEY, m, 10 * TAO);
        _advance(NETWORK_IMMUNITY);
        _newSubnet(owner3, OWNER3_HOTKEY);
        uint16 pruned = _newSubnet(owner3, OWNER3_HOTKEY);
        assertTrue(pruned == n || pruned == m, "one of the attacker's subnets was pruned");
        bytes32 hotkey = pruned == n ? OWNER1_HOTKEY : OWNER2_HOTKEY;
        uint256 owed = registry.refundOf(hotkey, attackerColdkey, pruned, 1);
        assertGt(owed, 0, "a refund is owed");
        bytes memory data = abi.encodeCall(ISubnetRegistry.claimRefund, (hotkey, pruned, 1));
        _arm(address(registry), data);
        uint256 registryBefore = address(registry).balance;
        uint256 paid = abi.decode(_run(address(registry), 0, data), (uint256));
        _assertReentryBlocked();
        assertEq(paid, owed, "the refund owed");
        _assertPaidOnce(paid);
        assertEq(registryBefore - address(registry).balance, _wei(paid), "the registry paid once");
        assertEq(registry.refundPot(pruned, 1).paidRao, paid, "booked once");
        _expectAttackReverts(
            attacker,
            _calls(_call(address(registry), 0, data)),
            abi.encodeWithSelector(ISubnetRegistry.NothingToRefund.selector, pruned, uint32(1))
        );
        _assertConsistent();
    }

    function test_Reentrancy_registerNetworkRefund() public {
        _advance(NETWORK_RATE_LIMIT);
        uint256 lock = registry.lockCost();
        bytes memory data = abi.encodeCall(ISubnetRegistry.registerNetwork, (attackerColdkey, "attacker", lock));
        attacker.armReentry(address(registry), _wei(lock), data);
        uint256 balanceBefore = address(attacker).balance;
        uint16 netuid = abi.decode(_run(address(registry), lock + 5 * TAO, data), (uint16));
        _assertReentryBlocked();
        _assertPaidOnce(5 * TAO);
        assertEq(balanceBefore - address(attacker).balance, _wei(lock), "paid the lock once");
        assertEq(registry.subnetCount(), 3, "one subnet registered");
        assertEq(registry.subnetOwner(netuid), address(attacker), "the attacker's subnet");
        _assertConsistent();
    }

    function test_Reentrancy_burnedRegisterRefund() public {
        uint256 burn = metagraph.burnCost(n);
        bytes memory data = abi.encodeCall(IMetagraph.burnedRegister, (n, attackerColdkey, burn));
        attacker.armReentry(address(metagraph), _wei(burn), data);
        uint16 countBefore = metagraph.neuronCount(n);
        uint256 balanceBefore = address(attacker).balance;
        _run(address(metagraph), burn + TAO, data);
        _assertReentryBlocked();
        _assertPaidOnce(TAO);
        assertEq(balanceBefore - address(attacker).balance, _wei(burn), "burned once");
        assertEq(metagraph.neuronCount(n), countBefore + 1, "registered once");
        _assertConsistent();
    }

    /* ORIGINS */

    /// @dev Even a trusted origin (a precompile adapter) that forwarded its TAO to a re-entering receiver could not
    /// re-enter: the guard covers the origins' entry points.
    function test_Reentrancy_originUnstakeAsAndTransitionAs() public {
        vm.startPrank(admin);
        pools.grantRole(pools.ORIGIN_ROLE(), address(attacker));
        vm.stopPrank();
        _highMinStake(m);
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        bytes memory data = abi.encodeCall(
            IAlphaPoolsHooks.unstakeAs,
            (attackerColdkey, OWNER1_HOTKEY, n, alpha / 4, 0, false)
        );
        _arm(address(pools), data);
        uint256 out = abi.decode(_run(address(pools), 0, data), (uint256));
        _assertReentryBlocked();
        _assertPaidOnce(out);
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - alpha / 4, "unstaked once");

        uint256 moved = _halfTaoOfAlpha(n);
        data = abi.encodeCall(
            IAlphaPoolsHooks.transitionAs,
            (attackerColdkey, attackerColdkey, OWNER1_HOTKEY, OWNER2_HOTKEY, n, m, moved, 0, false)
        );
        _arm(address(pools), data);
        _run(address(pools), 0, data);
        _assertReentryBlocked();
        assertEq(attacker.receipts(), 2, "one more payout: the free TAO");
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha - alpha / 4 - moved, "moved once");
        _assertConsistent();
    }

    /* ROOT CLAIMS */

    /// @dev claimRoot pays no native TAO (a Swap claim restakes on root); its risk is being re-entered from another
    /// payout, while the pools are mid-call. The claim then fails as a whole and stays claimable, once.
    function test_Reentrancy_claimRootFromAPayout() public {
        _attackerStake(OWNER1_HOTKEY, ROOT, 100 * TAO);
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        _advance(20);
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(n);
        vm.prank(settler);
        assertTrue(rootDividends.creditRootDividend(n, generation, OWNER1_HOTKEY, pot.serverAlphaRao), "credited");
        uint256 claimable = rootDividends.rootClaimable(OWNER1_HOTKEY, attackerColdkey, n);
        assertGt(claimable, rootDividends.ROOT_CLAIM_THRESHOLD_ALPHA_RAO(), "claimable");

        _arm(
            address(rootDividends),
            abi.encodeCall(IRootDividends.claimRoot, (OWNER1_HOTKEY, attackerColdkey, _netuids(n)))
        );
        _run(address(pools), 0, abi.encodeCall(IAlphaPools.removeStake, (OWNER1_HOTKEY, n, alpha / 2, 0, NO_DEADLINE)));
        _assertReentryBlocked();
        assertEq(rootDividends.rootClaimable(OWNER1_HOTKEY, attackerColdkey, n), claimable, "still claimable");
        uint256 rootBefore = _stakeOfAttacker(OWNER1_HOTKEY, ROOT);

        uint256 claimed = rootDividends.claimRoot(OWNER1_HOTKEY, attackerColdkey, _netuids(n));
        assertEq(claimed, claimable, "claimed once, in full");
        assertEq(rootDividends.rootClaimable(OWNER1_HOTKEY, attackerColdkey, n), 0, "nothing left");
        assertGt(_stakeOfAttacker(OWNER1_HOTKEY, ROOT), rootBefore, "swapped to root stake");
        assertEq(
            rootDividends.claimRoot(OWNER1_HOTKEY, attackerColdkey, _netuids(n)),
            0,
            "a second claim gets nothing"
        );
        _assertConsistent();
    }

    /* A RECEIVER THAT REFUSES TAO */

    function test_Reentrancy_refusingReceiverOnlyBlocksItself() public {
        uint256 alpha = _attackerStake(OWNER1_HOTKEY, n, 10 * TAO);
        attacker.setRejectTao(true);
        uint256 quote = views.quote(pools, n, alpha, false);
        _expectAttackReverts(
            attacker,
            _calls(
                _call(
                    address(pools),
                    0,
                    abi.encodeCall(IAlphaPools.removeStake, (OWNER1_HOTKEY, n, alpha, 0, NO_DEADLINE))
                )
            ),
            abi.encodeWithSelector(IAlphaPoolsTypes.TaoTransferFailed.selector, address(attacker), _wei(quote))
        );
        assertEq(_stakeOfAttacker(OWNER1_HOTKEY, n), alpha, "its stake is intact");
        // Everyone else still exits.
        uint256 aliceAlpha = pools.getStake(OWNER1_HOTKEY, ck(alice), n);
        _unstake(alice, OWNER1_HOTKEY, n, aliceAlpha);
        _assertConsistent();
    }
}
