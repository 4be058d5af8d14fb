// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStakingV2} from "../../../../contracts/precompiles/IStakingV2.sol";
import {ILiquidAlphaVault} from "../../../../contracts/staking/interfaces/ILiquidAlphaVault.sol";

import {LiquidBase} from "../LiquidBase.sol";

/// @title VaultPropertiesTest
/// @notice ERC-4626-style properties of the vault, fuzzed: a round trip never profits, previews never overstate,
/// `max*` never reverts and is honoured, conversions round towards the vault.
contract VaultPropertiesTest is LiquidBase {
    function _taoAmount(uint256 x) internal view returns (uint256) {
        return _bound(x, MIN_DEPOSIT_RAO, 100 * TAO);
    }

    /// @dev Some state: an earlier holder and, optionally, vested dividends.
    function _prepare(uint256 prior, bool withDividend) internal {
        prior = _bound(prior, 0, 40 * TAO);
        if (prior >= MIN_DEPOSIT_RAO) _deposit(bob, vault, prior);
        if (withDividend && prior >= MIN_DEPOSIT_RAO) _dividend(NETUID, VALIDATOR_HOTKEY, 2 * TAO);
    }

    /* PREVIEWS NEVER OVERSTATE */

    function testFuzz_previewDeposit_neverOverstates(uint256 prior, uint256 amount, bool withDividend) public {
        _prepare(prior, withDividend);
        amount = _taoAmount(amount);
        uint256 preview = vault.previewDeposit(amount);
        uint256 shares = _deposit(alice, vault, amount);
        assertLe(preview, shares, "previewDeposit <= deposit");
    }

    function testFuzz_previewDepositStake_neverOverstates(uint256 prior, uint256 amount) public {
        _prepare(prior, false);
        _stake(alice, VALIDATOR_HOTKEY, NETUID, _taoAmount(amount));
        // The chain's share pool may credit one alpha-rao less than the swap bought: pull what alice holds.
        uint256 alpha = _ownStake(alice, VALIDATOR_HOTKEY, NETUID);
        vm.prank(alice);
        IStakingV2(P.staking).approve(address(vault), NETUID, alpha);
        uint256 preview = vault.previewDepositStake(alpha);
        vm.prank(alice);
        uint256 shares = vault.depositStake(alpha, alice, 0, NO_DEADLINE);
        assertLe(preview, shares, "previewDepositStake <= depositStake");
    }

    function testFuzz_previewRedeem_neverOverstates(
        uint256 prior,
        uint256 amount,
        uint256 fraction,
        bool withDividend
    ) public {
        _prepare(prior, withDividend);
        uint256 shares = _deposit(alice, vault, _taoAmount(amount));
        uint256 part = _bound(fraction, shares / 1000 + 1, shares);
        uint256 preview = vault.previewRedeem(part);
        vm.prank(alice);
        try vault.redeem(part, alice, alice, 0, NO_DEADLINE) returns (uint256 tao) {
            assertLe(preview, tao, "previewRedeem <= redeem");
        } catch {
            // A sale below the chain's minimum stake fails; the preview may quote it.
            assertLt(preview, MIN_DEPOSIT_RAO, "only a sale below the minimum may fail");
        }
    }

    function testFuzz_previewRedeemInKind_neverOverstates(uint256 prior, uint256 amount, uint256 fraction) public {
        _prepare(prior, false);
        uint256 shares = _deposit(alice, vault, _taoAmount(amount));
        uint256 part = _bound(fraction, 1, shares);
        uint256 preview = vault.previewRedeemInKind(part);
        vm.prank(alice);
        try vault.redeemInKind(part, ck(dave), alice, 0, NO_DEADLINE) returns (uint256 alpha) {
            assertLe(preview, alpha, "previewRedeemInKind <= redeemInKind");
        } catch {
            assertLt(preview * _spotRao(NETUID), MIN_DEPOSIT_RAO * TAO, "only a transfer below the minimum may fail");
        }
    }

    /* ROUND TRIPS NEVER PROFIT */

    function testFuzz_roundTrip_taoNeverProfits(uint256 prior, uint256 amount) public {
        _prepare(prior, false);
        amount = _taoAmount(amount);
        uint256 shares = _deposit(alice, vault, amount);
        vm.prank(alice);
        try vault.redeem(shares, alice, alice, 0, NO_DEADLINE) returns (uint256 tao) {
            assertLt(tao, amount, "redeem(deposit(t)) < t");
        } catch {}
        assertEq(address(vault).balance, 0, "no TAO stays");
    }

    function testFuzz_roundTrip_inKindNeverProfits(uint256 prior, uint256 amount) public {
        _prepare(prior, true);
        // An in-kind transfer must be worth the chain's minimum stake: start well above it.
        _stake(alice, VALIDATOR_HOTKEY, NETUID, _bound(amount, 10 * MIN_DEPOSIT_RAO, 100 * TAO));
        uint256 alpha = _ownStake(alice, VALIDATOR_HOTKEY, NETUID);
        vm.startPrank(alice);
        IStakingV2(P.staking).approve(address(vault), NETUID, alpha);
        uint256 shares = vault.depositStake(alpha, alice, 0, NO_DEADLINE);
        try vault.redeemInKind(shares, ck(alice), alice, 0, NO_DEADLINE) returns (uint256 back) {
            assertLe(back, alpha, "redeemInKind(depositStake(a)) <= a");
        } catch {}
        vm.stopPrank();
    }

    function testFuzz_roundTrip_sharesNeverGrow(uint256 prior, uint256 amount, uint256 fraction) public {
        _prepare(prior, true);
        uint256 shares = _deposit(alice, vault, _taoAmount(amount));
        uint256 part = _bound(fraction, shares / 100 + 1, shares);
        vm.startPrank(alice);
        try vault.redeemInKind(part, ck(alice), alice, 0, NO_DEADLINE) returns (uint256 alpha) {
            IStakingV2(P.staking).approve(address(vault), NETUID, alpha);
            // Pulling it back is a same-subnet transfer too: below the minimum stake the chain refuses it.
            try vault.depositStake(alpha, alice, 0, NO_DEADLINE) returns (uint256 again) {
                assertLe(again, part, "depositStake(redeemInKind(s)) <= s");
            } catch {}
        } catch {}
        vm.stopPrank();
    }

    function testFuzz_convert_roundsTowardsTheVault(uint256 prior, uint256 amount, uint256 x) public {
        _prepare(prior, true);
        _deposit(alice, vault, _taoAmount(amount));
        uint256 a = _bound(x, 0, 1e18);
        assertLe(vault.convertToAssets(vault.convertToShares(a)), a, "assets(shares(a)) <= a");
        uint256 s = _bound(x, 0, vault.totalSupply());
        assertLe(vault.convertToShares(vault.convertToAssets(s)), s, "shares(assets(s)) <= s");
    }

    /* MAX NEVER REVERTS AND IS HONOURED */

    function testFuzz_maxDeposit_isHonoured(uint256 prior, uint256 amount) public {
        _prepare(prior, false);
        uint256 max = vault.maxDeposit(alice);
        assertGt(max, MIN_DEPOSIT_RAO, "deposits possible");
        uint256 t = _bound(amount, MIN_DEPOSIT_RAO, max);
        assertGt(_deposit(alice, vault, t), 0, "any amount up to max goes through");
        uint256 again = vault.maxDeposit(alice);
        assertGt(_deposit(alice, vault, again), 0, "max itself goes through");
    }

    function testFuzz_maxRedeem_isHonoured(uint256 prior, uint256 amount, bool withDividend) public {
        _prepare(prior, withDividend);
        _deposit(alice, vault, _taoAmount(amount));
        uint256 max = vault.maxRedeem(alice);
        if (max == 0) return;
        vm.prank(alice);
        vault.redeem(max, alice, alice, 0, NO_DEADLINE);
    }

    function testFuzz_maxRedeemInKind_isHonoured(uint256 prior, uint256 amount) public {
        _prepare(prior, false);
        _deposit(alice, vault, _taoAmount(amount));
        uint256 max = vault.maxRedeemInKind(alice);
        if (max == 0) return;
        vm.prank(alice);
        vault.redeemInKind(max, ck(alice), alice, 0, NO_DEADLINE);
    }

    /// @dev Every view answers in every state: fresh, funded, paused, stake missing, dissolved.
    function test_maxAndPreviews_neverRevertInAnyState() public {
        _allViews("fresh");
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        _allViews("funded");
        vm.prank(guardian);
        vault.pause();
        _allViews("paused");
        assertEq(vault.maxDeposit(alice), 0, "paused: no deposit");
        assertEq(vault.maxRedeem(alice), shares, "paused: exits open");
        vm.prank(guardian);
        vault.unpause();
        uint256 stake = _vaultStake(vault);
        vm.prank(address(vault));
        IStakingV2(P.staking).moveStake(VALIDATOR_HOTKEY, OWNER1_HOTKEY, NETUID, NETUID, stake);
        _allViews("stake missing");
        assertEq(vault.maxRedeem(alice), 0, "stake missing: nothing redeemable");
        uint256 moved = _ownStakeOfVault(OWNER1_HOTKEY); // read before the prank, which the next call takes
        vm.prank(address(vault));
        IStakingV2(P.staking).moveStake(OWNER1_HOTKEY, VALIDATOR_HOTKEY, NETUID, NETUID, moved);
        _dissolve(NETUID);
        _allViews("dissolved");
        assertEq(vault.maxDeposit(alice), 0, "dissolved: no deposit");
        assertEq(vault.maxRedeemInKind(alice), 0, "dissolved: no alpha");
    }

    /// @dev Many tiny round trips at the minimum: the user's TAO only ever falls.
    function test_tinyRoundTrips_neverGrowTheBalance() public {
        _deposit(bob, vault, 20 * TAO);
        vm.deal(alice, _wei(1 * TAO));
        uint256 last = alice.balance;
        for (uint256 i; i < 60; ++i) {
            vm.prank(alice);
            uint256 shares = vault.deposit{value: _wei(5 * MIN_DEPOSIT_RAO)}(alice, 0, NO_LIMIT, NO_DEADLINE);
            vm.prank(alice);
            vault.redeem(shares, alice, alice, 0, NO_DEADLINE);
            assertLe(alice.balance, last, "never grows");
            last = alice.balance;
        }
        assertLt(alice.balance, _wei(1 * TAO), "and fell");
    }

    function _ownStakeOfVault(bytes32 hk) internal view returns (uint256) {
        return pools.getStake(hk, ck(address(vault)), NETUID);
    }

    function _allViews(string memory) internal view {
        vault.maxDeposit(alice);
        vault.maxDepositStake(alice);
        vault.maxRedeem(alice);
        vault.maxRedeemInKind(alice);
        vault.previewDeposit(10 * TAO);
        vault.previewDepositStake(10 * TAO);
        vault.previewRedeem(1e18);
        vault.previewRedeemInKind(1e18);
        vault.convertToShares(1e9);
        vault.convertToAssets(1e18);
        vault.totalAssets();
        vault.dissolvedPotRao();
    }
}
