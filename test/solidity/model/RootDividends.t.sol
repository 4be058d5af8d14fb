// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IRootDividends} from "../../../contracts/interfaces/IRootDividends.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {RegistryTestBase} from "./RegistryTestBase.sol";

/// @notice RootDividends: the per-rao rate, claims of each claim type with exact amounts, the threshold, the
/// adjustments on every root stake change (a later stake cannot claim the past, a removal forfeits as on the chain),
/// the fallback when the root stake cannot carry a dividend, and who may call what.
contract RootDividendsTest is RegistryTestBase {
    uint256 internal constant RATE_SCALE = 1e36;
    uint16 internal constant ROOT = 0;

    uint16 internal netuid;
    uint32 internal generation;
    /// @dev A validator with root nominators: alice 100 TAO and bob 300 TAO.
    bytes32 internal validator;
    /// @dev A second validator with carol's 1 TAO of root stake only.
    bytes32 internal small;

    function setUp() public override {
        super.setUp();
        netuid = _emittingSubnet(owner1, OWNER1_HOTKEY);
        generation = pools.subnetConfig(netuid).generation;
        _neuron(netuid, validator1);
        _neuron(netuid, validator2);
        validator = ck(validator1);
        small = ck(validator2);
        _stake(alice, validator, ROOT, 100 * TAO);
        _stake(bob, validator, ROOT, 300 * TAO);
        _stake(carol, small, ROOT, TAO);
        // an epoch's worth of pending alpha for the settler to hand out
        _advance(40);
        _closePending(netuid);
    }

    function _credit(bytes32 hotkey, uint256 alphaRao) internal returns (bool credited) {
        vm.prank(settler);
        credited = rootDividends.creditRootDividend(netuid, generation, hotkey, alphaRao);
    }

    function _claim(bytes32 hotkey, address who) internal returns (uint256) {
        bytes32 coldkey = ck(who);
        vm.prank(stranger); // anyone may claim for anyone
        return rootDividends.claimRoot(hotkey, coldkey, _u16(netuid));
    }

    function _setKeep(address who) internal {
        vm.prank(who);
        rootDividends.setRootClaimType(IRootDividends.RootClaimType.Keep);
    }

    function _owed() internal view returns (uint256 settlementRao, uint256 rootRao) {
        return pools.owedAlpha(netuid, generation);
    }

    /* RATES */

    function test_creditRootDividend_ratePerRaoOfRootStake() public {
        (uint256 settlementBefore, uint256 rootBefore) = _owed();
        assertTrue(_credit(validator, 4e9), "credited");
        // rate = 4e9 / 400e9 of alpha per rao: alice 1/4, bob 3/4
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 1e9, "alice's share");
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 3e9, "bob's share");
        assertEq(rootDividends.rootClaimable(validator, ck(carol), netuid), 0, "carol stakes elsewhere");
        (uint256 settlementAfter, uint256 rootAfter) = _owed();
        assertEq(settlementAfter, settlementBefore - 4e9, "out of the settlement's debt");
        assertEq(rootAfter, rootBefore + 4e9, "into the root stakers' debt");
        // a second dividend adds to the rate
        _credit(validator, 8e9);
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 3e9, "1 + 2");
    }

    /* CLAIMS */

    function test_claimRoot_keepStakesTheAlphaOnTheSubnet() public {
        _credit(validator, 4e9);
        _setKeep(alice);
        (, uint256 rootOwed) = _owed();
        uint256 claimed = _claim(validator, alice);
        assertEq(claimed, 1e9, "claimed alice's share");
        assertEq(pools.getStake(validator, ck(alice), netuid), 1e9, "staked as alpha on the subnet, same hotkey");
        assertEq(pools.getStake(validator, ck(alice), ROOT), 100 * TAO, "root stake unchanged");
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 0, "nothing left");
        (, uint256 rootOwedAfter) = _owed();
        assertEq(rootOwedAfter, rootOwed - 1e9, "paid out of the root debt");
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 3e9, "bob's share untouched");
        assertEq(_claim(validator, alice), 0, "a second claim finds nothing");
    }

    /// @dev Swap, the default: the alpha is sold fee-less into the pool and the TAO restaked on root; that new root
    /// stake does not claim the dividend it came from.
    function test_claimRoot_swapRestakesOnRoot() public {
        _credit(validator, 4e9);
        pools.poke(netuid); // the claim's sale sees the pool as of this block
        (IAlphaPoolsTypes.Pool memory pool, , ) = pools.storedSubnet(netuid);
        uint256 expectedTao = PoolMath.amountOutDown(3e9, pool.alphaRao, pool.taoRao);
        uint256 claimed = _claim(validator, bob);
        assertEq(claimed, 3e9, "bob's share");
        assertEq(pools.getStake(validator, ck(bob), ROOT), 300 * TAO + expectedTao, "TAO of a fee-less sale, on root");
        assertEq(pools.getStake(validator, ck(bob), netuid), 0, "no alpha kept");
        (IAlphaPoolsTypes.Pool memory afterPool, , ) = pools.storedSubnet(netuid);
        assertEq(afterPool.alphaRao, pool.alphaRao + 3e9, "the alpha went into the pool");
        assertEq(afterPool.taoRao, pool.taoRao - expectedTao, "the TAO came out of it");
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 0, "the restaked TAO claims nothing old");
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 1e9, "alice unaffected");
    }

    /// @dev Anyone may claim for any coldkey, with that coldkey's claim type: nothing reaches the caller.
    function test_claimRoot_forAnotherColdkeyUsesItsClaimType() public {
        _credit(validator, 4e9);
        _setKeep(alice);
        assertTrue(rootDividends.rootClaimType(ck(alice)) == IRootDividends.RootClaimType.Keep, "alice keeps");
        assertTrue(rootDividends.rootClaimType(ck(bob)) == IRootDividends.RootClaimType.Swap, "bob swaps");
        uint256 strangerBalance = stranger.balance;
        _claim(validator, alice);
        _claim(validator, bob);
        assertEq(pools.getStake(validator, ck(alice), netuid), 1e9, "alice: alpha");
        assertEq(pools.getStake(validator, ck(alice), ROOT), 100 * TAO, "alice: no root added");
        assertGt(pools.getStake(validator, ck(bob), ROOT), 300 * TAO, "bob: root added");
        assertEq(pools.getStake(validator, ck(bob), netuid), 0, "bob: no alpha");
        assertEq(stranger.balance, strangerBalance, "the caller receives nothing");
        assertEq(pools.getStake(validator, ck(stranger), netuid), 0, "nor stake");
    }

    /// @dev Netuids without a claim (never credited, root, unknown) are skipped, not refused.
    function test_claimRoot_skipsNetuidsWithoutAClaim() public {
        _credit(validator, 4e9);
        bytes32 coldkey = ck(bob);
        uint16[] memory netuids = _u16(9, ROOT, netuid);
        uint256 claimed = rootDividends.claimRoot(validator, coldkey, netuids);
        assertEq(claimed, 3e9, "only the real claim");
    }

    /// @dev subtensor's `DefaultMinRootClaimAmount`: less than 500,000 alpha-rao waits; exactly 500,000 is claimed.
    function test_claimRoot_threshold() public {
        _credit(small, 499_999);
        assertEq(rootDividends.rootClaimable(small, ck(carol), netuid), 499_999, "carol owns all of it");
        (, uint256 rootOwed) = _owed();
        assertEq(_claim(small, carol), 0, "below the threshold: waits");
        (, uint256 rootOwedAfter) = _owed();
        assertEq(rootOwedAfter, rootOwed, "nothing paid");
        _credit(small, 1);
        assertEq(_claim(small, carol), 500_000, "at the threshold: claimed");
    }

    /* ROOT STAKE CHANGES */

    /// @dev Stake added after a dividend books that dividend as already claimed (subtensor's
    /// add_stake_adjust_root_claimed), so it shares in the next ones only.
    function test_rootStakeAddedLaterCannotClaimThePast() public {
        _credit(validator, 4e9);
        _stake(carol, validator, ROOT, 100 * TAO);
        assertEq(rootDividends.rootClaimable(validator, ck(carol), netuid), 0, "nothing from before");
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 1e9, "alice's share unchanged");
        assertEq(_claim(validator, carol), 0, "nothing to claim");
        // the next dividend is shared over 500 TAO
        _credit(validator, 5e9);
        assertEq(rootDividends.rootClaimable(validator, ck(carol), netuid), 1e9, "carol: 100/500 of the new one");
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 2e9, "alice: 1 + 1");
    }

    /// @dev subtensor's remove_stake_adjust_root_claimed: removing a of stake S with rate R and claimed C leaves
    /// owed = R·(S − a) − max(0, C − R·a) = min(owed before, R·(S − a)). Claim before unstaking.
    function test_rootStakeRemovedForfeitsAsTheChainDoes() public {
        _credit(validator, 4e9); // rate 1e-2 alpha per rao
        _setKeep(alice);
        _setKeep(bob);
        _claim(validator, alice); // C_alice = 1e9
        _claim(validator, bob); // C_bob = 3e9
        _credit(validator, 8e9); // rate 3e-2 in all
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 2e9, "alice owes 3 - 1");
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 6e9, "bob owes 9 - 3");
        // alice removes half: R·a = 1.5e9 > C = 1e9, so she keeps only R·(S − a) = 1.5e9 of her 2e9
        _unstake(alice, validator, ROOT, 50 * TAO);
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 1.5e9, "min(2e9, 1.5e9)");
        // bob removes 10 TAO: R·a = 0.3e9 <= C = 3e9, nothing forfeited
        _unstake(bob, validator, ROOT, 10 * TAO);
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 6e9, "min(6e9, 8.7e9)");
        // removing everything forfeits everything
        _unstake(alice, validator, ROOT, 50 * TAO);
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 0, "all forfeited");
        // and moving root stake away is a removal too
        vm.prank(bob);
        pools.moveStake(validator, small, ROOT, ROOT, 290 * TAO, 0, NO_DEADLINE);
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 0, "moved away: forfeited");
        assertEq(rootDividends.rootClaimable(small, ck(bob), netuid), 0, "and the new hotkey has no old dividend");
    }

    function testFuzz_rootStakeRemoval_owedIsTheMinimum(
        uint256 d1,
        uint256 d2,
        uint256 removed,
        bool claimFirst
    ) public {
        d1 = _bound(d1, 1, 10e9);
        d2 = _bound(d2, 0, 10e9);
        removed = _bound(removed, 1, 100 * TAO);
        _credit(validator, d1);
        if (claimFirst) {
            _setKeep(alice);
            _claim(validator, alice);
        }
        if (d2 != 0) _credit(validator, d2);
        uint256 before = rootDividends.rootClaimable(validator, ck(alice), netuid);
        uint256 rate = Math.mulDiv(d1, RATE_SCALE, 400 * TAO) + (d2 == 0 ? 0 : Math.mulDiv(d2, RATE_SCALE, 400 * TAO));
        uint256 remainingRao = 100 * TAO - removed;
        if (removed == 100 * TAO) _unstake(alice, validator, ROOT, removed);
        else {
            // a partial unstake must leave at least the minimum stake's worth, as on the chain
            if (removed < MIN_STAKE_RAO) removed = MIN_STAKE_RAO;
            remainingRao = 100 * TAO - removed;
            _unstake(alice, validator, ROOT, removed);
        }
        uint256 expected = Math.min(before, Math.mulDiv(remainingRao, rate, RATE_SCALE));
        assertApproxAbs(
            rootDividends.rootClaimable(validator, ck(alice), netuid),
            expected,
            1,
            "owed after = min(owed before, rate x remaining), to the rao"
        );
    }

    /// @dev Regression: stake added after a dividend booked ⌊rate × added⌋ as claimed, so its owner's claimable rose
    /// by up to one alpha-rao (⌊(S + a)·R⌋ − ⌊a·R⌋ can be ⌊S·R⌋ + 1). With two such additions the claims exceeded
    /// the alpha held for root stakers, and the last claimant's claim reverted with PayoutExceedsPot.
    function test_rootStakeAdded_neverRaisesClaimsAboveTheRootDebt() public {
        // alice and bob hold stakes ≡ 200 (mod 400): at a rate of 1/400 alpha per rao each has half a rao of dust
        _stake(alice, validator, ROOT, 2_000_200);
        _unstake(bob, validator, ROOT, 2_000_200);
        _credit(validator, 1e9); // rate 2.5e-3 alpha per rao, exactly
        assertEq(rootDividends.rootClaimable(validator, ck(alice), netuid), 250_005_000, "alice: 250_005_000.5");
        assertEq(rootDividends.rootClaimable(validator, ck(bob), netuid), 749_994_999, "bob: 749_994_999.5");
        // each adds stake whose booking also has half a rao of dust
        _stake(alice, validator, ROOT, 2_000_200);
        _stake(bob, validator, ROOT, 2_000_200);
        uint256 claimable =
            rootDividends.rootClaimable(validator, ck(alice), netuid) +
                rootDividends.rootClaimable(validator, ck(bob), netuid);
        (, uint256 rootOwed) = _owed();
        assertLe(claimable, rootOwed, "claims within the alpha held for them");
        _setKeep(alice);
        _setKeep(bob);
        _claim(validator, alice);
        _claim(validator, bob); // reverted with PayoutExceedsPot before the fix
        assertEq(pools.getStake(validator, ck(bob), netuid), 749_994_999, "bob got his share");
    }

    /* FALLBACK AND ACCESS */

    /// @dev subtensor gives a dividend larger than the hotkey's root stake to its owner as stake: here the credit is
    /// refused and nothing moves, for the settlement to do that.
    function test_creditRootDividend_refusedWithoutEnoughRootStake() public {
        (uint256 settlementBefore, uint256 rootBefore) = _owed();
        bytes32 bare = ck(owner1); // owner1's own id: no root stake at all
        assertTrue(!_credit(bare, 1e9), "no root stake");
        assertTrue(!_credit(small, TAO + 1), "more than the root stake (1 TAO)");
        assertTrue(!_credit(small, 0), "nothing to credit");
        (uint256 settlementAfter, uint256 rootAfter) = _owed();
        assertEq(settlementAfter, settlementBefore, "settlement debt unchanged");
        assertEq(rootAfter, rootBefore, "root debt unchanged");
        assertEq(rootDividends.rootClaimable(small, ck(carol), netuid), 0, "no rate");
        assertTrue(_credit(small, TAO), "exactly the root stake is fine");
        assertEq(rootDividends.rootClaimable(small, ck(carol), netuid), TAO, "all of it to carol");
    }

    function test_RevertWhen_creditRootDividend_notSettlerOrStaleOrAbovePot() public {
        bytes32 role = rootDividends.SETTLER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        rootDividends.creditRootDividend(netuid, generation, validator, 1e9);
        vm.prank(settler);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPoolsTypes.StaleGeneration.selector, netuid, generation + 1, generation)
        );
        rootDividends.creditRootDividend(netuid, generation + 1, validator, 1e9);
        (uint256 settlementOwed, ) = _owed();
        vm.prank(settler);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPoolsTypes.PayoutExceedsPot.selector, settlementOwed + 1, settlementOwed)
        );
        rootDividends.creditRootDividend(netuid, generation, validator, settlementOwed + 1);
    }

    function test_RevertWhen_onRootStakeChange_notFromThePools() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IRootDividends.OnlyPools.selector, stranger));
        rootDividends.onRootStakeChange(validator, ck(alice), 0, 100 * TAO);
    }
}
