// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {VaultMath} from "../../../../contracts/libraries/VaultMath.sol";
import {IStakingV2} from "../../../../contracts/precompiles/IStakingV2.sol";
import {StakingClient} from "../../../../contracts/staking/StakingClient.sol";
import {IAllocationRouter} from "../../../../contracts/staking/interfaces/IAllocationRouter.sol";
import {ILiquidAlphaVault} from "../../../../contracts/staking/interfaces/ILiquidAlphaVault.sol";

import {LiquidBase} from "../LiquidBase.sol";
import {ReentrantReceiver} from "../mocks/Actors.sol";

/// @title VaultAttacksTest
/// @notice The attacks of the security notes (§2.1–2.4, 2.10, 2.11) against a vault: first-depositor inflation with
/// donated stake and donated TAO, spot-price manipulation before a deposit or a redemption, sandwiches, re-entry
/// through native TAO, fee-cap bypass, a pause that would block exits, and a dissolution while a deposit is in flight.
contract VaultAttacksTest is LiquidBase {
    address internal attacker = address(0xBAD);

    function setUp() public override {
        super.setUp();
        _coldkeys[attacker] = pools.coldkeyOf(attacker);
    }

    /* FIRST-DEPOSITOR INFLATION */

    function test_inflation_donatedStakeCannotRobTheNextDepositor() public {
        _inflationRound(MIN_DEPOSIT_RAO, 1_000 * TAO, 1 * TAO);
    }

    function testFuzz_inflation_neverProfitsAndNeverRobs(uint256 seed, uint256 donation, uint256 victim) public {
        uint256 attackerDeposit = _bound(seed, MIN_DEPOSIT_RAO, 10 * TAO);
        _inflationRound(
            attackerDeposit,
            _bound(donation, 1 * TAO, 1_000 * TAO),
            _bound(victim, MIN_DEPOSIT_RAO, 50 * TAO)
        );
    }

    /// @dev The attacker deposits first, then pushes stake onto the vault's coldkey, then the victim deposits.
    function _inflationRound(uint256 attackerDeposit, uint256 donationTao, uint256 victimTao) internal {
        uint256 attackerShares = _deposit(attacker, vault, attackerDeposit);
        uint256 attackerIn = _vaultStake(vault);
        _stake(attacker, VALIDATOR_HOTKEY, NETUID, donationTao);
        uint256 donated = _ownStake(attacker, VALIDATOR_HOTKEY, NETUID);
        vm.prank(attacker);
        pools.transferStake(ck(address(vault)), VALIDATOR_HOTKEY, NETUID, NETUID, donated, 0, NO_DEADLINE);

        uint256 before = _vaultStake(vault);
        uint256 victimShares = _deposit(alice, vault, victimTao);
        uint256 victimBrought = _vaultStake(vault) - before;
        assertGt(victimShares, 0, "the victim always gets shares");
        assertGe(vault.convertToAssets(victimShares) + 2, victimBrought, "the victim loses at most rounding");

        uint256 attackerClaim = vault.convertToAssets(attackerShares);
        assertLe(attackerClaim, attackerIn + donated, "the attacker gets back at most what it put in");
    }

    function test_inflation_donatedTaoIsNotAnAsset() public {
        _deposit(attacker, vault, MIN_DEPOSIT_RAO);
        uint256 assets = vault.totalAssets();
        // Forced TAO (a self-destruct, a balance credit) lands on the vault.
        vm.deal(address(vault), _wei(1_000 * TAO));
        assertEq(vault.totalAssets(), assets, "not counted");
        assertEq(vault.dissolvedPotRao(), 0, "and no pot while live");
        uint256 before = _vaultStake(vault);
        uint256 shares = _deposit(alice, vault, 1 * TAO);
        assertGe(vault.convertToAssets(shares) + 2, _vaultStake(vault) - before, "the victim is unaffected");
    }

    function test_donatedStakeGoesToHoldersNotToTheNextDepositor() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint256 aliceBefore = vault.convertToAssets(a);
        _stake(attacker, VALIDATOR_HOTKEY, NETUID, 20 * TAO);
        uint256 donated = _ownStake(attacker, VALIDATOR_HOTKEY, NETUID);
        vm.prank(attacker);
        pools.transferStake(ck(address(vault)), VALIDATOR_HOTKEY, NETUID, NETUID, donated, 0, NO_DEADLINE);
        uint256 stakeBefore = _vaultStake(vault);
        uint256 b = _deposit(bob, vault, 10 * TAO);
        uint256 brought = _vaultStake(vault) - stakeBefore;
        assertLe(vault.convertToAssets(b), brought, "bob gets no part of the donation");
        assertGt(vault.convertToAssets(a), aliceBefore + (donated * 99) / 100, "alice (the holder) gets it");
    }

    /* SPOT-PRICE MANIPULATION */

    function test_spotPumpBeforeADeposit_theLimitProtects_holdersUntouched() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint256 aliceClaim = vault.convertToAssets(a);
        uint256 spot = _spotRao(NETUID);
        uint256 pumped = _stakeOn(attacker, OWNER1_HOTKEY, 100 * TAO); // front-run
        vm.deal(bob, _wei(10 * TAO));
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(StakingClient.StakingCallFailed.selector, IStakingV2.addStakeLimit.selector)
        );
        vault.deposit{value: _wei(10 * TAO)}(bob, 0, spot + spot / 50, NO_DEADLINE);
        assertEq(vault.convertToAssets(a), aliceClaim, "the holder's alpha did not move");
        // Without a limit the depositor pays the pumped price; still only for its own alpha.
        uint256 stakeBefore = _vaultStake(vault);
        uint256 b = _deposit(bob, vault, 10 * TAO);
        assertLe(vault.convertToAssets(b), _vaultStake(vault) - stakeBefore, "bob's shares are his alpha");
        assertEq(vault.convertToAssets(a), aliceClaim, "alice untouched");
        _unstake(attacker, OWNER1_HOTKEY, NETUID, pumped);
        assertEq(vault.convertToAssets(a), aliceClaim, "nor by the back-run");
    }

    function test_spotDumpBeforeARedeem_theMinimumOutProtects_sharePriceUntouched() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint256 b = _deposit(bob, vault, 10 * TAO);
        uint256 quoted = vault.previewRedeem(b);
        uint256 aliceClaim = vault.convertToAssets(a);
        _dumpPrice(NETUID, _ownStake(carol, VALIDATOR_HOTKEY, NETUID) / 2); // front-run
        vm.prank(bob);
        vm.expectRevert();
        vault.redeem(b, bob, bob, quoted - quoted / 100, NO_DEADLINE);
        assertEq(vault.convertToAssets(a), aliceClaim, "the price of a share in alpha did not move");
    }

    function testFuzz_sandwich_profitIsBoundedByTheVictimsTolerance(uint256 frontRun, uint256 victim) public {
        _deposit(alice, vault, 10 * TAO);
        uint256 front = _bound(frontRun, MIN_DEPOSIT_RAO, 100 * TAO);
        uint256 victimTao = _bound(victim, MIN_DEPOSIT_RAO, 20 * TAO);
        uint256 spot = _spotRao(NETUID);
        uint256 limit = spot + spot / 20; // the victim accepts up to 5 % above the price it saw
        uint256 attackerAlpha = _stakeOn(attacker, OWNER1_HOTKEY, front);
        vm.deal(bob, _wei(victimTao));
        vm.prank(bob);
        try vault.deposit{value: _wei(victimTao)}(bob, 0, limit, NO_DEADLINE) {} catch {}
        uint256 back = _unstake(attacker, OWNER1_HOTKEY, NETUID, attackerAlpha);
        // Whatever the attacker gains comes out of the victim's accepted slippage.
        if (back > front) assertLe(back - front, victimTao / 20, "profit <= the victim's 5 % tolerance");
    }

    /* RE-ENTRY */

    function test_reentry_throughTheTaoPayout_isRefused() public {
        ReentrantReceiver r = new ReentrantReceiver();
        uint256 shares = _deposit(address(r), vault, 10 * TAO);
        r.arm(
            address(vault),
            abi.encodeCall(ILiquidAlphaVault.redeem, (1, address(r), address(r), 0, NO_DEADLINE)),
            0,
            false
        );
        uint256 supplyBefore = vault.totalSupply();
        r.call(
            address(vault),
            abi.encodeCall(ILiquidAlphaVault.redeem, (shares / 2, address(r), address(r), 0, NO_DEADLINE))
        );
        assertTrue(r.reentered(), "the receiver tried");
        assertTrue(!r.reentrySucceeded(), "and was refused");
        assertEq(
            keccak256(r.reentryReturn()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "by the re-entrancy guard"
        );
        assertEq(vault.totalSupply(), supplyBefore - shares / 2, "only the outer redemption happened");
    }

    function test_reentry_intoTheRouterOrAnotherEntryPoint_isRefused() public {
        ReentrantReceiver r = new ReentrantReceiver();
        uint256 shares = _deposit(address(r), vault, 10 * TAO);
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](1);
        legs[0] = IAllocationRouter.Leg(NETUID, VALIDATOR_HOTKEY, 1, NO_LIMIT, 0);
        r.arm(address(router), abi.encodeCall(IAllocationRouter.allocate, (legs, address(r), NO_DEADLINE)), 1e18, true);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidAlphaVault.TaoTransferFailed.selector,
                address(r),
                _wei(vault.previewRedeem(shares))
            )
        );
        r.call(
            address(vault),
            abi.encodeCall(ILiquidAlphaVault.redeem, (shares, address(r), address(r), 0, NO_DEADLINE))
        );
        assertEq(vault.balanceOf(address(r)), shares, "a refused re-entry undoes the whole redemption");
    }

    function test_readOnlyReentry_viewsDuringThePayoutAreFinal() public {
        ReentrantReceiver r = new ReentrantReceiver();
        uint256 shares = _deposit(address(r), vault, 10 * TAO);
        _deposit(bob, vault, 10 * TAO);
        uint256 bobShares = vault.balanceOf(bob);
        r.watch(address(vault), abi.encodeCall(ILiquidAlphaVault.convertToAssets, (bobShares)));
        r.call(
            address(vault),
            abi.encodeCall(ILiquidAlphaVault.redeem, (shares, address(r), address(r), 0, NO_DEADLINE))
        );
        assertEq(abi.decode(r.viewSeen(), (uint256)), vault.convertToAssets(bobShares), "the state was final");
    }

    /* FEE-CAP BYPASS */

    function test_feeCapBypass_noPathExceedsTheCapsOrSkipsTheTimelock() public {
        vm.startPrank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidAlphaVault.FeeTooHigh.selector, uint256(type(uint16).max), uint256(100))
        );
        vault.scheduleFees(type(uint16).max, 0, dave);
        uint256 t0 = _timestamp();
        vault.scheduleFees(100, 100, dave);
        uint256 firstEta = vault.pendingFees().eta;
        vm.warp(t0 + 1 days);
        vault.scheduleFees(100, 100, attacker); // rescheduling restarts the clock
        vm.stopPrank();
        vm.warp(firstEta);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.TimelockPending.selector, t0 + 3 days, firstEta));
        vault.applyFees();
        vm.warp(t0 + 3 days);
        vault.applyFees();
        assertEq(vault.fees().recipient, attacker, "applied only after its own timelock");

        // The "lower fees apply at once" path cannot raise one fee while lowering another, nor change the recipient.
        vm.startPrank(governance);
        vault.scheduleFees(50, 100, attacker);
        assertEq(vault.fees().depositFeeBps, 50, "a pure decrease is immediate");
        vault.scheduleFees(0, 100, dave);
        assertEq(vault.fees().recipient, attacker, "a new recipient waits");
        vault.scheduleFees(100, 0, attacker);
        assertEq(vault.fees().depositFeeBps, 50, "an increase waits");
        vm.stopPrank();

        // At the cap, a deposit pays exactly the cap.
        uint256 stakeBefore = _vaultStake(vault);
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 gross = VaultMath.toSharesDown(_vaultStake(vault) - stakeBefore, 0, 0);
        assertEq(gross - shares, VaultMath.feeUp(gross, 50), "the fee in force, no more");
        assertEq(vault.MAX_DEPOSIT_FEE_BPS(), 100, "caps are constants");
    }

    /* PAUSE */

    function test_pauseNeverBlocksExits() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        ILiquidAlphaVault other = ILiquidAlphaVault(factory.createVault(NETUID, OWNER1_HOTKEY));
        vm.prank(governance);
        vault.pause();
        assertTrue(vault.paused(), "paused");
        vm.prank(alice);
        vault.migrate(a / 3, address(other), alice, alice, 0, NO_LIMIT, false, NO_DEADLINE);
        vm.prank(alice);
        vault.redeemInKind(a / 3, ck(alice), alice, 0, NO_DEADLINE);
        assertGt(_redeem(alice, vault, vault.balanceOf(alice)), 0, "every exit works while paused");
        assertEq(vault.balanceOf(alice), 0, "all out");
    }

    /* DISSOLUTION WHILE A DEPOSIT IS IN FLIGHT */

    function test_dissolvedWhileADepositIsInFlight_theDepositFailsAndHoldersGetTao() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint256 deadline = block.timestamp + 1 hours;
        // Bob signs a deposit; before it is mined, the subnet is dissolved and its netuid registered again.
        _dissolve(NETUID);
        vm.deal(bob, _wei(10 * TAO));
        vm.prank(bob);
        vm.expectRevert();
        vault.deposit{value: _wei(10 * TAO)}(bob, 0, NO_LIMIT, deadline);
        assertEq(bob.balance, _wei(10 * TAO), "bob keeps his TAO");
        IAllocationRouter.Leg[] memory legs = new IAllocationRouter.Leg[](1);
        legs[0] = IAllocationRouter.Leg(NETUID, VALIDATOR_HOTKEY, 1, NO_LIMIT, 0);
        assertTrue(
            router.previewAllocate(legs, 10 * TAO)[0].vault != address(vault),
            "the router targets the new subnet"
        );
        uint256 tao = _redeem(alice, vault, a);
        assertGt(tao, 0, "alice redeems her refund");
        assertEq(vault.balanceOf(bob), 0, "bob never held old shares");
    }

    function _stakeOn(address who, bytes32 hk, uint256 rao) internal returns (uint256) {
        return _stake(who, hk, NETUID, rao);
    }
}
