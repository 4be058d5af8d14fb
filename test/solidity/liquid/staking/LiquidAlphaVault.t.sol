// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IAlphaPoolsTypes} from "../../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../../../contracts/interfaces/ISubnetRegistry.sol";
import {UnitsLib} from "../../../../contracts/libraries/UnitsLib.sol";
import {VaultMath} from "../../../../contracts/libraries/VaultMath.sol";
import {IStakingV2} from "../../../../contracts/precompiles/IStakingV2.sol";
import {LiquidAlphaVault} from "../../../../contracts/staking/LiquidAlphaVault.sol";
import {StakingClient} from "../../../../contracts/staking/StakingClient.sol";
import {ILiquidAlphaVault} from "../../../../contracts/staking/interfaces/ILiquidAlphaVault.sol";
import {ILiquidVaultFactory} from "../../../../contracts/staking/interfaces/ILiquidVaultFactory.sol";

import {LiquidBase} from "../LiquidBase.sol";

/// @title LiquidAlphaVaultTest
/// @notice The vault against the adapters installed at Bittensor's precompile addresses (the local chain).
/// `LiquidAlphaVaultAtAdapterAddressesTest` runs the same tests against the adapters at their own addresses.
contract LiquidAlphaVaultTest is LiquidBase {
    /* FACTORY */

    function test_factory_vaultForIsKnownBeforeCreation() public {
        bytes32 hk = OWNER1_HOTKEY;
        address predicted = factory.vaultFor(NETUID, hk);
        assertEq(predicted.code.length, 0, "nothing there yet");
        address created = factory.createVault(NETUID, hk);
        assertEq(created, predicted, "created where predicted");
        assertTrue(factory.isVault(created), "known to the factory");
        assertEq(
            factory.vaultForInstance(NETUID, hk, uint64(registry.subnet(NETUID).registeredAt)),
            created,
            "keyed by the subnet instance"
        );
        vm.expectRevert(abi.encodeWithSelector(ILiquidVaultFactory.VaultExists.selector, created));
        factory.createVault(NETUID, hk);
    }

    function test_factory_vaultIdentity() public view {
        (uint16 netuid, bytes32 hk, bytes32 coldkey) = vault.position();
        assertEq(netuid, NETUID, "netuid");
        assertEq(hk, VALIDATOR_HOTKEY, "hotkey");
        assertEq(coldkey, pools.coldkeyOf(address(vault)), "coldkey is the mapped account");
        assertEq(vault.decimals(), 18, "9 decimals of alpha + offset 9");
        assertEq(bytes(vault.symbol()).length, 5, "laSN1");
        assertTrue(vault.STAKES_WITH_VALUE(), "the probe found an adapter");
        assertEq(vault.MIN_DEPOSIT_RAO(), MIN_DEPOSIT_RAO, "minimum deposit");
        assertTrue(vault.isLive(), "live");
    }

    function test_RevertWhen_createVault_rootOrUnknownSubnet() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidVaultFactory.UnsupportedNetuid.selector, uint16(0)));
        factory.createVault(0, VALIDATOR_HOTKEY);
        vm.expectRevert(abi.encodeWithSelector(ILiquidVaultFactory.UnknownSubnet.selector, uint16(9)));
        factory.createVault(9, VALIDATOR_HOTKEY);
    }

    function test_permit_approvesBySignature() public {
        uint256 key = 0xA11CE5;
        address signer = vmx.addr(key);
        uint256 shares = _deposit(signer, vault, 5 * TAO);
        uint256 deadline = _timestamp() + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                signer,
                address(router),
                shares,
                vault.nonces(signer),
                deadline
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", vault.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vmx.sign(key, digest);
        vm.prank(stranger);
        vault.permit(signer, address(router), shares, deadline, v, r, s);
        assertEq(vault.allowance(signer, address(router)), shares, "EIP-2612 allowance");
        assertEq(vault.nonces(signer), 1, "nonce used");
    }

    /* DEPOSIT */

    function test_deposit_mintsTheSharesOfTheAlphaCredited() public {
        uint256 preview = vault.previewDeposit(10 * TAO);
        uint256 stakeBefore = _vaultStake(vault);
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 credited = _vaultStake(vault) - stakeBefore;
        assertEq(shares, VaultMath.toSharesDown(credited, 0, 0), "first deposit: 1e9 shares per alpha-rao");
        assertEq(vault.balanceOf(alice), shares, "alice holds them");
        assertGe(shares, preview, "the preview does not overstate");
        assertLe(shares - preview, 1e9, "and is off by at most one alpha-rao of shares");
        assertEq(address(vault).balance, 0, "no TAO stays in the vault");
    }

    function test_deposit_secondDepositorPaysTheSamePrice() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint256 stakeBefore = _vaultStake(vault);
        uint256 supply = vault.totalSupply();
        uint256 b = _deposit(bob, vault, 5 * TAO);
        uint256 credited = _vaultStake(vault) - stakeBefore;
        assertEq(b, VaultMath.toSharesDown(credited, stakeBefore, supply), "priced on alpha held, rounded down");
        assertGt(a, 0, "alice's shares");
        assertLe(vault.convertToAssets(b), credited, "bob cannot claim more than he brought");
    }

    function test_deposit_toAnotherReceiver() public {
        vm.deal(alice, _wei(5 * TAO));
        vm.prank(alice);
        uint256 shares = vault.deposit{value: _wei(5 * TAO)}(bob, 0, NO_LIMIT, NO_DEADLINE);
        assertEq(vault.balanceOf(bob), shares, "bob received");
        assertEq(vault.balanceOf(alice), 0, "alice none");
    }

    function test_RevertWhen_deposit_notWholeRao() public {
        vm.deal(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, uint256(5e18 + 1)));
        vault.deposit{value: 5e18 + 1}(alice, 0, NO_LIMIT, NO_DEADLINE);
    }

    function test_RevertWhen_deposit_belowMinimum_beforeAnyPrecompileCall() public {
        uint256 amount = MIN_DEPOSIT_RAO - 1;
        vm.deal(alice, _wei(amount));
        vm.prank(alice);
        uint256 gasBefore = gasleft();
        (bool ok, bytes memory ret) = address(vault).call{value: _wei(amount)}(
            abi.encodeCall(ILiquidAlphaVault.deposit, (alice, 0, NO_LIMIT, NO_DEADLINE))
        );
        uint256 used = gasBefore - gasleft();
        assertTrue(!ok, "reverted");
        assertEq(
            keccak256(ret),
            keccak256(abi.encodeWithSelector(ILiquidAlphaVault.AmountBelowMinimum.selector, amount, MIN_DEPOSIT_RAO)),
            "named error with the values"
        );
        assertLt(used, 100_000, "cheap: it never reached the precompile");
    }

    function test_RevertWhen_deposit_limitPriceBelowSpot() public {
        uint256 spot = _spotRao(NETUID);
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(StakingClient.StakingCallFailed.selector, IStakingV2.addStakeLimit.selector)
        );
        vault.deposit{value: _wei(10 * TAO)}(alice, 0, spot - 1, NO_DEADLINE);
    }

    function test_RevertWhen_deposit_belowMinShares() public {
        uint256 preview = vault.previewDeposit(10 * TAO);
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert(); // SharesBelowMinimum(shares, minimum): shares are measured, so only the selector is fixed
        vault.deposit{value: _wei(10 * TAO)}(alice, preview * 2, NO_LIMIT, NO_DEADLINE);
    }

    function test_RevertWhen_deposit_afterDeadline() public {
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidAlphaVault.DeadlineExpired.selector, block.timestamp - 1, block.timestamp)
        );
        vault.deposit{value: _wei(10 * TAO)}(alice, 0, NO_LIMIT, block.timestamp - 1);
    }

    /* DEPOSIT STAKE */

    function test_depositStake_pullsAlphaWithThePrecompileAllowance() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 20 * TAO);
        vm.prank(alice);
        IStakingV2(P.staking).approve(address(vault), NETUID, alpha);
        uint256 preview = vault.previewDepositStake(alpha);
        vm.prank(alice);
        uint256 shares = vault.depositStake(alpha, alice, 0, NO_DEADLINE);
        assertEq(_ownStake(alice, VALIDATOR_HOTKEY, NETUID), 0, "alice's stake moved");
        assertApproxAbs(_vaultStake(vault), alpha, 1, "to the vault's coldkey, same hotkey");
        assertGe(shares, preview, "preview not overstated");
        assertEq(IStakingV2(P.staking).allowance(alice, address(vault), NETUID), 0, "allowance spent");
    }

    function test_RevertWhen_depositStake_withoutAllowance() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 20 * TAO);
        vm.prank(alice);
        IStakingV2(P.staking).approve(address(vault), NETUID, alpha - 1);
        vm.prank(alice);
        vm.expectRevert(bytes("trying to spend more than allowed"));
        vault.depositStake(alpha, alice, 0, NO_DEADLINE);
    }

    function test_RevertWhen_depositStake_transfersDisabled() public {
        uint256 alpha = _stake(alice, VALIDATOR_HOTKEY, NETUID, 20 * TAO);
        _setTransfers(NETUID, false);
        vm.prank(alice);
        IStakingV2(P.staking).approve(address(vault), NETUID, alpha);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(StakingClient.StakingCallFailed.selector, IStakingV2.transferStakeFrom.selector)
        );
        vault.depositStake(alpha, alice, 0, NO_DEADLINE);
    }

    /* REDEEM */

    function test_redeem_paysWholeRaoAndNoMoreThanPreviewed() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        _advance(3);
        uint256 preview = vault.previewRedeem(shares / 3);
        uint256 before = alice.balance;
        uint256 tao = _redeem(alice, vault, shares / 3);
        assertEq(alice.balance - before, _wei(tao), "paid what it returned");
        assertEq((alice.balance - before) % 1e9, 0, "a whole number of rao");
        assertGe(tao, preview, "preview not overstated");
        assertEq(vault.balanceOf(alice), shares - shares / 3, "shares burned");
        assertEq(address(vault).balance, 0, "no TAO stays");
    }

    function test_redeem_roundTripNeverProfits() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 tao = _redeem(alice, vault, shares);
        assertLt(tao, 10 * TAO, "two swaps and two fees: less than put in");
    }

    function test_redeem_byAnApprovedSpender() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        vm.prank(alice);
        vault.approve(bob, shares);
        uint256 before = carol.balance;
        vm.prank(bob);
        uint256 tao = vault.redeem(shares, carol, alice, 0, NO_DEADLINE);
        assertEq(carol.balance - before, _wei(tao), "carol paid");
        assertEq(vault.allowance(alice, bob), 0, "allowance spent");
    }

    function test_RevertWhen_redeem_withoutAllowance() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, shares));
        vault.redeem(shares, bob, alice, 0, NO_DEADLINE);
    }

    function test_RevertWhen_redeem_belowMinTaoOut() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 preview = vault.previewRedeem(shares);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.TaoBelowMinimum.selector, preview, preview + 1));
        vault.redeem(shares, alice, alice, preview + 1, NO_DEADLINE);
    }

    function test_redeemInKind_transfersStakeToTheNamedColdkey() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 preview = vault.previewRedeemInKind(shares / 2);
        vm.prank(alice);
        uint256 alpha = vault.redeemInKind(shares / 2, ck(bob), alice, 0, NO_DEADLINE);
        assertEq(_ownStake(bob, VALIDATOR_HOTKEY, NETUID), alpha, "bob's coldkey holds it");
        assertGe(alpha, preview, "preview not overstated");
    }

    function test_RevertWhen_redeemInKind_transfersDisabled_butTaoExitWorks() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        _setTransfers(NETUID, false);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(StakingClient.StakingCallFailed.selector, IStakingV2.transferStake.selector)
        );
        vault.redeemInKind(shares, ck(bob), alice, 0, NO_DEADLINE);
        assertGt(_redeem(alice, vault, shares), 0, "the TAO exit still works");
    }

    /* DIVIDENDS */

    function test_sharePrice_risesWithTheHotkeysDividends() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 before = vault.convertToAssets(shares);
        _dividend(NETUID, VALIDATOR_HOTKEY, 5 * TAO);
        uint256 afterDividend = vault.convertToAssets(shares);
        assertGt(afterDividend, before, "alice's claim grew");
        // The vault's share of the dividend follows its share of the hotkey pool.
        assertGt(afterDividend - before, TAO / 10, "by a real part of the dividend");
    }

    function test_deposit_afterADividendGetsNoPartOfIt() public {
        _deposit(alice, vault, 10 * TAO);
        _dividend(NETUID, VALIDATOR_HOTKEY, 5 * TAO);
        uint256 stakeBefore = _vaultStake(vault);
        uint256 shares = _deposit(bob, vault, 10 * TAO);
        uint256 brought = _vaultStake(vault) - stakeBefore;
        assertLe(vault.convertToAssets(shares), brought, "bob's claim is what he brought, not more");
    }

    /* FEES */

    function test_fees_areTimelockedThenChargedInShares() public {
        vm.prank(governance);
        vault.scheduleFees(50, 30, dave);
        assertEq(vault.fees().depositFeeBps, 0, "not yet");
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidAlphaVault.TimelockPending.selector,
                block.timestamp + vault.FEE_TIMELOCK(),
                block.timestamp
            )
        );
        vault.applyFees();
        vm.warp(_timestamp() + vault.FEE_TIMELOCK());
        vault.applyFees();
        assertEq(vault.fees().depositFeeBps, 50, "applied");

        uint256 stakeBefore = _vaultStake(vault);
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 gross = VaultMath.toSharesDown(_vaultStake(vault) - stakeBefore, 0, 0);
        uint256 fee = VaultMath.feeUp(gross, 50);
        assertEq(shares, gross - fee, "0.5 % of the shares kept");
        assertEq(vault.balanceOf(dave), fee, "to the recipient");

        vm.prank(alice);
        vault.redeem(shares, alice, alice, 0, NO_DEADLINE);
        assertEq(vault.balanceOf(dave), fee + VaultMath.feeUp(shares, 30), "0.3 % of redeemed shares kept");
    }

    function test_fees_lowerFeesApplyAtOnce() public {
        _setFeesNow(50, 50, dave);
        vm.prank(governance);
        vault.scheduleFees(10, 0, dave);
        assertEq(vault.fees().depositFeeBps, 10, "applied without waiting");
        assertEq(vault.fees().redeemFeeBps, 0, "both");
    }

    function test_RevertWhen_fees_aboveCapOrWithoutRecipientOrNotGovernance() public {
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.FeeTooHigh.selector, uint256(101), uint256(100)));
        vault.scheduleFees(101, 0, dave);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.FeeTooHigh.selector, uint256(101), uint256(100)));
        vault.scheduleFees(0, 101, dave);
        vm.expectRevert(ILiquidAlphaVault.FeeRecipientRequired.selector);
        vault.scheduleFees(10, 0, address(0));
        vm.stopPrank();
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.NotGovernance.selector, guardian));
        vault.scheduleFees(10, 0, dave);
    }

    /* PAUSE */

    function test_pause_stopsDepositsButNeverExits() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 alpha = _stake(bob, VALIDATOR_HOTKEY, NETUID, 5 * TAO);
        vm.prank(guardian);
        vault.pause();
        assertEq(vault.maxDeposit(alice), 0, "max deposit 0 while paused");
        assertEq(vault.previewDeposit(10 * TAO), 0, "preview 0 while paused");

        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert(ILiquidAlphaVault.DepositsPaused.selector);
        vault.deposit{value: _wei(10 * TAO)}(alice, 0, NO_LIMIT, NO_DEADLINE);
        vm.prank(bob);
        IStakingV2(P.staking).approve(address(vault), NETUID, alpha);
        vm.prank(bob);
        vm.expectRevert(ILiquidAlphaVault.DepositsPaused.selector);
        vault.depositStake(alpha, bob, 0, NO_DEADLINE);

        assertEq(vault.maxRedeem(alice), shares, "exits stay open");
        vm.prank(alice);
        vault.redeemInKind(shares / 2, ck(alice), alice, 0, NO_DEADLINE);
        assertGt(_redeem(alice, vault, vault.balanceOf(alice)), 0, "TAO exit works while paused");
    }

    function test_RevertWhen_pause_byAStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ILiquidAlphaVault.NotGuardian.selector, stranger));
        vault.pause();
    }

    /* HOTKEY MIGRATION */

    function test_hotkeyMigration_isTimelockedAndMovesTheStakeWithoutASwap() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 claimBefore = vault.convertToAssets(shares);
        bytes32 newHotkey = OWNER1_HOTKEY;
        vm.prank(governance);
        vault.scheduleHotkeyMigration(newHotkey);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidAlphaVault.TimelockPending.selector,
                block.timestamp + vault.HOTKEY_TIMELOCK(),
                block.timestamp
            )
        );
        vault.executeHotkeyMigration();
        vm.warp(_timestamp() + vault.HOTKEY_TIMELOCK());
        pools.poke(NETUID);
        (IAlphaPoolsTypes.Pool memory before, , ) = pools.storedSubnet(NETUID);
        vault.executeHotkeyMigration(); // anyone may
        (IAlphaPoolsTypes.Pool memory afterMigration, , ) = pools.storedSubnet(NETUID);
        assertEq(vault.hotkey(), newHotkey, "the vault's hotkey");
        assertEq(pools.getStake(VALIDATOR_HOTKEY, ck(address(vault)), NETUID), 0, "nothing left on the old hotkey");
        assertApproxAbs(vault.convertToAssets(shares), claimBefore, 2, "holders keep their alpha");
        assertEq(afterMigration.volumeRao, before.volumeRao, "no swap: no volume");
        assertEq(afterMigration.taoRao, before.taoRao, "TAO reserve unchanged");
        assertEq(afterMigration.alphaRao, before.alphaRao, "alpha reserve unchanged");
        assertGt(_deposit(bob, vault, 5 * TAO), 0, "deposits go to the new hotkey");
    }

    /// @dev A chain-side hotkey swap moves the vault's stake to another hotkey by itself; the vault refuses to price
    /// shares on the missing stake until governance points it at the new hotkey.
    function test_hotkeySwapOnTheChain_freezesPricingUntilMigrated() public {
        uint256 shares = _deposit(alice, vault, 10 * TAO);
        uint256 stake = _vaultStake(vault);
        // What the chain's swap does: the vault's coldkey's stake now sits on the new hotkey.
        vm.prank(address(vault));
        IStakingV2(P.staking).moveStake(VALIDATOR_HOTKEY, OWNER1_HOTKEY, NETUID, NETUID, stake);
        vm.deal(bob, _wei(5 * TAO));
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidAlphaVault.StakeMissing.selector, VALIDATOR_HOTKEY, vault.totalSupply())
        );
        vault.deposit{value: _wei(5 * TAO)}(bob, 0, NO_LIMIT, NO_DEADLINE);
        assertEq(vault.maxDeposit(bob), 0, "max deposit 0");
        assertEq(vault.maxRedeem(alice), 0, "max redeem 0 until migrated");

        vm.prank(governance);
        vault.scheduleHotkeyMigration(OWNER1_HOTKEY);
        vm.warp(_timestamp() + vault.HOTKEY_TIMELOCK());
        vault.executeHotkeyMigration();
        assertApproxAbs(vault.totalAssets(), stake, 1, "found on the new hotkey");
        assertGt(_redeem(alice, vault, shares), 0, "alice exits");
    }

    /* DISSOLUTION */

    function test_dissolution_holdersRedeemTheirProRataTao() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint256 b = _deposit(bob, vault, 30 * TAO);
        _dissolve(NETUID);
        assertTrue(!vault.isLive(), "no longer live");
        assertEq(vault.totalAssets(), 0, "no alpha");
        assertEq(vault.maxDeposit(alice), 0, "no deposits");

        vm.deal(carol, _wei(10 * TAO));
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILiquidAlphaVault.SubnetDissolved.selector,
                NETUID,
                vault.REGISTERED_AT_BLOCK(),
                uint256(registry.subnet(NETUID).registeredAt)
            )
        );
        vault.deposit{value: _wei(10 * TAO)}(carol, 0, NO_LIMIT, NO_DEADLINE);

        uint256 taoA = _redeem(alice, vault, a); // pulls the refund first (the local chain's stand-in)
        uint256 pot = taoA + address(vault).balance / 1e9;
        uint256 taoB = _redeem(bob, vault, b);
        assertGt(taoA, 0, "alice paid");
        assertApproxAbs((taoA * b) / a, taoB, 2, "pro rata to shares");
        assertLe(taoA + taoB, pot, "never more than the refund");
        assertLe(address(vault).balance, 1e9, "at most the virtual shares' rao stays");
    }

    function test_dissolution_refundClaimedByAnyoneFirst() public {
        uint256 a = _deposit(alice, vault, 10 * TAO);
        uint32 generation = _dissolve(NETUID);
        uint256 refund = registry.claimRefundTo(address(vault), VALIDATOR_HOTKEY, NETUID, generation);
        assertEq(address(vault).balance, _wei(refund), "credited without calling the vault");
        uint256 tao = _redeem(alice, vault, a);
        assertApproxAbs(tao, refund, 1, "alice takes it (virtual shares keep at most a rao)");
    }

    function test_dissolution_theNewSubnetGetsNewVaults() public {
        _deposit(alice, vault, 10 * TAO);
        _dissolve(NETUID);
        address fresh = factory.vaultFor(NETUID, VALIDATOR_HOTKEY);
        assertTrue(fresh != address(vault), "a new address for the new subnet instance");
        // The new subnet's owner must start it before anyone stakes; the vault exists before that.
        assertEq(factory.createVault(NETUID, VALIDATOR_HOTKEY), fresh, "created for the new instance");
        assertTrue(LiquidAlphaVault(fresh).isLive(), "live");
        assertTrue(!vault.isLive(), "the old one is not");
    }

    /* HELPERS */

    function _setTransfers(uint16 netuid, bool enabled) internal {
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(netuid);
        hp.transfersEnabled = enabled;
        vm.prank(registry.subnetOwner(netuid));
        registry.setHyperparameters(netuid, hp);
    }

    function _setFeesNow(uint16 depositBps, uint16 redeemBps, address recipient) internal {
        vm.prank(governance);
        vault.scheduleFees(depositBps, redeemBps, recipient);
        vm.warp(_timestamp() + vault.FEE_TIMELOCK());
        vault.applyFees();
    }
}

/// @notice The same vault tests with the staking contracts calling the adapters at their own addresses.
contract LiquidAlphaVaultAtAdapterAddressesTest is LiquidAlphaVaultTest {
    function _atRealAddresses() internal pure override returns (bool) {
        return false;
    }
}
