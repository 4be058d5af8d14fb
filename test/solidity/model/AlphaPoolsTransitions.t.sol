// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";

/// @notice Moves, transfers and swaps of stake with the chain's semantics, allowances, `unstakeAll` and `burnAlpha`.
/// @dev Quiet pools (no emission reserve): reserves change only by the trades here. Two started subnets: net1
/// (owner1, OWNER1_HOTKEY) and net2 (owner2, OWNER2_HOTKEY); both hotkeys are registered, so both can hold stake
/// on either netuid.
contract AlphaPoolsTransitionsTest is PoolsTestBase {
    uint16 internal net1;
    uint16 internal net2;

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
    }

    /* moveStake within a netuid */

    function test_moveStake_sameNetuidMovesSharesWithoutSwapOrFee() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        IAlphaPoolsTypes.Pool memory before = _pool(net1);
        uint256 moved = alpha / 3;

        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.MoveStake(ck(alice), ck(alice), net1, net1, OWNER1_HOTKEY, OWNER2_HOTKEY, moved, moved);
        vm.prank(alice);
        uint256 out = pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, moved, moved, NO_DEADLINE);

        assertEq(out, moved, "the same alpha arrives");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - moved, "origin");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), net1), moved, "destination");
        assertEq(pools.hotkeyPool(OWNER2_HOTKEY, net1).alphaRao, moved, "destination hotkey");
        IAlphaPoolsTypes.Pool memory after_ = _pool(net1);
        assertEq(after_.taoRao, before.taoRao, "no swap: TAO");
        assertEq(after_.alphaRao, before.alphaRao, "no swap: alpha");
        assertEq(after_.volumeRao, before.volumeRao, "no volume");
    }

    function test_RevertWhen_moveStake_sameNetuidWorthLessThanMinimumAtSpot() public {
        _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 spot = _spotRao(x, y);
        // the smallest alpha worth the minimum at the spot price: ⌈2e6·1e9/spot⌉ (value rounds down)
        uint256 smallest = (MIN_STAKE * PRICE_SCALE + spot - 1) / spot;
        uint256 below = smallest - 1;
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, (below * spot) / PRICE_SCALE, MIN_STAKE));
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, below, 0, NO_DEADLINE);
        vm.prank(alice);
        assertEq(
            pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, smallest, 0, NO_DEADLINE),
            smallest,
            "exactly the minimum moves"
        );
    }

    function test_RevertWhen_moveStake_sameHotkeySameNetuid() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        vm.startPrank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SameNetuid.selector, net1));
        pools.moveStake(OWNER1_HOTKEY, OWNER1_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
        vm.expectRevert(_err(IAlphaPoolsTypes.SameNetuid.selector, net1));
        pools.swapStake(OWNER1_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
        vm.expectRevert(_err(IAlphaPoolsTypes.SameNetuid.selector, net1));
        pools.swapStakeLimit(OWNER1_HOTKEY, net1, net1, alpha, 1, true, NO_DEADLINE);
        vm.expectRevert(_err(IAlphaPoolsTypes.SameNetuid.selector, net1));
        pools.transferStake(ck(alice), OWNER1_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
        vm.stopPrank();
    }

    function test_RevertWhen_moveStake_destinationHotkeyNotRegistered() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        bytes32 nobody = keccak256("nobody");
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.HotkeyNotRegistered.selector, nobody));
        pools.moveStake(OWNER1_HOTKEY, nobody, net1, net1, alpha, 0, NO_DEADLINE);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.HotkeyNotRegistered.selector, nobody));
        pools.moveStake(OWNER1_HOTKEY, nobody, net1, net2, alpha, 0, NO_DEADLINE);
        vm.stopPrank();
    }

    function test_RevertWhen_moveStake_zeroOrMoreThanStaked() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        vm.startPrank(alice);
        vm.expectRevert(IAlphaPoolsTypes.ZeroAmount.selector);
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, 0, 0, NO_DEADLINE);
        vm.expectRevert(_err(IAlphaPoolsTypes.InsufficientStake.selector, alpha + 1, alpha));
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net2, alpha + 1, 0, NO_DEADLINE);
        vm.stopPrank();
    }

    function test_RevertWhen_moveStake_destinationMinimumOutNotMet() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.OutputBelowMinimum.selector, alpha, alpha + 1));
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, alpha, alpha + 1, NO_DEADLINE);
    }

    function test_RevertWhen_moveStake_subtokenDisabledOnEitherSide() public {
        uint16 quiet = _newSubnet(owner3, OWNER3_HOTKEY);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SubtokenDisabled.selector, quiet));
        pools.moveStake(OWNER1_HOTKEY, OWNER1_HOTKEY, net1, quiet, alpha, 0, NO_DEADLINE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SubtokenDisabled.selector, quiet));
        pools.swapStake(OWNER1_HOTKEY, quiet, net1, alpha, 0, NO_DEADLINE);
    }

    function test_moveStake_ignoresTheTransferToggle() public {
        _setTransfers(net1, owner1, false);
        _setTransfers(net2, owner2, false);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.startPrank(alice);
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, alpha / 2, 0, NO_DEADLINE);
        assertGt(pools.swapStake(OWNER2_HOTKEY, net1, net2, alpha / 2, 0, NO_DEADLINE), 0, "swap");
        assertGt(pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net2, alpha / 4, 0, NO_DEADLINE), 0, "move");
        vm.stopPrank();
    }

    /* moveStake across netuids */

    function test_moveStake_crossNetuidChargesTheFeeOnTheOriginLegOnly() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        (uint256 x2, uint256 y2) = _reservesNow(net2);
        uint256 feeAlpha = _feeUp(alpha, FEE);
        uint256 taoRao = _outDown(alpha - feeAlpha, y1, x1); // origin leg: fee taken from the alpha
        uint256 expected = _outDown(taoRao, x2, y2); // destination leg: no fee

        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.Unstake(net1, OWNER1_HOTKEY, ck(alice), alpha, taoRao, feeAlpha);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.Stake(net2, OWNER2_HOTKEY, ck(alice), taoRao, expected, 0);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.MoveStake(
            ck(alice),
            ck(alice),
            net1,
            net2,
            OWNER1_HOTKEY,
            OWNER2_HOTKEY,
            alpha,
            expected
        );
        vm.prank(alice);
        uint256 out = pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net2, alpha, expected, NO_DEADLINE);

        assertEq(out, expected, "destination alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "origin emptied");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), net2), expected, "destination");
        IAlphaPoolsTypes.Pool memory p1 = _pool(net1);
        IAlphaPoolsTypes.Pool memory p2 = _pool(net2);
        assertEq(p1.taoRao, x1 - taoRao, "origin TAO");
        assertEq(p1.alphaRao, y1 + alpha, "origin alpha, fee included");
        assertEq(p2.taoRao, x2 + taoRao, "destination TAO");
        assertEq(p2.alphaRao, y2 - expected, "destination alpha");
        assertEq(alice.balance, 0, "no TAO paid out");
    }

    function test_moveStake_fromRootChargesTheFeeOnTheDestinationLeg() public {
        _stake(alice, OWNER1_HOTKEY, 0, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        uint256 moved = 4 * TAO;
        // root sells 1:1 without a fee; the destination buy pays ⌈4e9·33/65535⌉
        uint256 expected = _buyDown(moved, x1, y1, FEE);
        vm.prank(alice);
        uint256 out = pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, 0, net1, moved, 0, NO_DEADLINE);
        assertEq(out, expected, "destination alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), 0), 6 * TAO, "root left");
        assertEq(_rootStake().taoRao, 6 * TAO, "root TAO");
        assertEq(_pool(net1).taoRao, x1 + moved, "the gross TAO enters the destination");
    }

    function test_moveStake_intoRootAtOneToOne() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        uint256 taoRao = _sellDown(alpha, x1, y1, FEE);
        vm.prank(alice);
        uint256 out = pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, 0, alpha, 0, NO_DEADLINE);
        assertEq(out, taoRao, "root stake = the TAO, no second fee");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), 0), taoRao, "root stake");
        assertEq(_rootStake().taoRao, taoRao, "root TAO");
    }

    /// @dev Regression: a root-origin move pays the fee on the destination leg, and subtensor restakes any
    /// intermediate TAO of at least the minimum stake (`transition_stake_internal` has no gross-up check there).
    /// Root alpha of just above the minimum must reach the destination, not revert.
    function test_moveStake_fromRootJustAboveTheMinimumStakesOnTheDestination() public {
        _stake(alice, OWNER1_HOTKEY, 0, TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        uint256 moved = MIN_STAKE + 1;
        uint256 expected = _buyDown(moved, x1, y1, FEE);
        vm.prank(alice);
        uint256 out = pools.moveStake(OWNER1_HOTKEY, OWNER1_HOTKEY, 0, net1, moved, 0, NO_DEADLINE);
        assertEq(out, expected, "staked on the destination");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), expected, "destination stake");
    }

    function test_moveStake_intermediateBelowTheDestinationMinimumIsPaidAsFreeTao() public {
        _setPoolSettings(net2, uint16(FEE), uint64(50 * TAO));
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        (uint256 x2, uint256 y2) = _reservesNow(net2);
        uint256 taoRao = _sellDown(alpha, x1, y1, FEE);
        assertLt(taoRao, 50 * TAO, "below the destination's minimum");

        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.MoveStake(ck(alice), ck(alice), net1, net2, OWNER1_HOTKEY, OWNER2_HOTKEY, alpha, 0);
        vm.prank(alice);
        uint256 out = pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);

        assertEq(out, 0, "nothing staked");
        assertEq(alice.balance, _wei(taoRao), "the intermediate TAO is paid to the caller");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), net2), 0, "no destination stake");
        assertEq(_pool(net2).taoRao, x2, "destination untouched: TAO");
        assertEq(_pool(net2).alphaRao, y2, "destination untouched: alpha");
        // the same through swapStake
        alpha = _stake(bob, OWNER1_HOTKEY, net1, 10 * TAO);
        (x1, y1) = _reservesNow(net1);
        taoRao = _sellDown(alpha, x1, y1, FEE);
        vm.prank(bob);
        assertEq(pools.swapStake(OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE), 0, "swap: nothing staked");
        assertEq(bob.balance, _wei(taoRao), "swap: free TAO to the caller");
    }

    function test_RevertWhen_moveStake_crossNetuidSaleNotAboveTheMinimum() public {
        _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        // the largest sale returning at most the minimum (strictly more is required)
        uint256 lo = 1;
        uint256 hi = 2 * MIN_STAKE;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            if (_sellDown(mid, x1, y1, FEE) <= MIN_STAKE) lo = mid;
            else hi = mid - 1;
        }
        uint256 taoRao = _sellDown(lo, x1, y1, FEE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, taoRao, MIN_STAKE + 1));
        pools.moveStake(OWNER1_HOTKEY, OWNER1_HOTKEY, net1, net2, lo, 0, NO_DEADLINE);
        vm.prank(alice);
        assertGt(pools.moveStake(OWNER1_HOTKEY, OWNER1_HOTKEY, net1, net2, lo + 1, 0, NO_DEADLINE), 0, "one more");
    }

    /* transferStake */

    function test_transferStake_sameNetuidChangesTheColdkeyWithoutSwap() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        IAlphaPoolsTypes.Pool memory before = _pool(net1);
        bytes32 nativeColdkey = keccak256("a coldkey that is no EVM account");
        vm.prank(alice);
        uint256 out = pools.transferStake(nativeColdkey, OWNER1_HOTKEY, net1, net1, alpha / 2, 0, NO_DEADLINE);
        assertEq(out, alpha / 2, "same alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, nativeColdkey, net1), alpha / 2, "destination coldkey");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - alpha / 2, "origin");
        assertEq(_pool(net1).taoRao, before.taoRao, "no swap");
    }

    function test_transferStake_crossNetuidFeeOnTheOriginLeg() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        (uint256 x2, uint256 y2) = _reservesNow(net2);
        uint256 expected = _outDown(_sellDown(alpha, x1, y1, FEE), x2, y2);
        vm.prank(alice);
        uint256 out = pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);
        assertEq(out, expected, "destination alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(bob), net2), expected, "bob holds it on net2");
    }

    function test_RevertWhen_transferStake_transfersDisabledOnEitherNetuid() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        _setTransfers(net2, owner2, false);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.TransfersDisabled.selector, net2));
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);
        // the origin's toggle alone still allows a same-netuid transfer on it
        vm.prank(alice);
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net1, alpha / 2, 0, NO_DEADLINE);
        _setTransfers(net1, owner1, false);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.TransfersDisabled.selector, net1));
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net1, alpha / 4, 0, NO_DEADLINE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.TransfersDisabled.selector, net1));
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, 0, alpha / 4, 0, NO_DEADLINE);
    }

    /// @dev Documented divergence: the chain pays the intermediate TAO to the destination coldkey; the model cannot
    /// pay a coldkey that may not be an EVM account, so it refuses.
    function test_RevertWhen_transferStake_intermediateBelowTheDestinationMinimum() public {
        _setPoolSettings(net2, uint16(FEE), uint64(50 * TAO));
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        uint256 taoRao = _sellDown(alpha, x1, y1, FEE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, taoRao, 50 * TAO));
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);
    }

    /* swapStake and swapStakeLimit */

    function test_swapStake_movesBetweenNetuidsOnTheSameHotkey() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        (uint256 x2, uint256 y2) = _reservesNow(net2);
        uint256 expected = _outDown(_sellDown(alpha / 2, x1, y1, FEE), x2, y2);
        vm.prank(alice);
        uint256 out = pools.swapStake(OWNER1_HOTKEY, net1, net2, alpha / 2, expected, NO_DEADLINE);
        assertEq(out, expected, "destination alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net2), expected, "same hotkey on net2");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - alpha / 2, "rest on net1");
    }

    function test_swapStakeLimit_partialMovesTheExactConstantProductMaximum() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO);
        (uint256 y1, uint256 x1) = _reservesNow(net1); // y = TAO, x = alpha
        (uint256 y2, uint256 x2) = _reservesNow(net2);
        // the price of origin alpha in destination alpha-rao per whole alpha, now: (y1/x1)/(y2/x2)·1e9
        uint256 ratio = (y1 * x2 * PRICE_SCALE) / (x1 * y2);
        uint256 limit = (ratio * 9) / 10;
        uint256 maxAlpha = _maxCrossAlpha(x1, y1, x2, y2, limit);
        assertLt(maxAlpha, alpha, "the limit binds");
        uint256 expected = _outDown(_sellDown(maxAlpha, y1, x1, FEE), x2, y2);
        vm.prank(alice);
        uint256 out = pools.swapStakeLimit(OWNER1_HOTKEY, net1, net2, alpha, limit, true, NO_DEADLINE);
        assertEq(out, expected, "destination alpha for the maximum");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - maxAlpha, "the rest stays on the origin");
        // fee-less, the price after the move is still within the limit, and one more alpha-rao would cross it
        assertTrue(_crossPriceAtLeast(x1, y1, x2, y2, maxAlpha, limit), "at the maximum: within");
        assertTrue(!_crossPriceAtLeast(x1, y1, x2, y2, maxAlpha + 2, limit), "past the maximum: crossed");
    }

    function test_RevertWhen_swapStakeLimit_fillOrKillCrossesLimit() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO);
        (uint256 y1, uint256 x1) = _reservesNow(net1);
        (uint256 y2, uint256 x2) = _reservesNow(net2);
        uint256 limit = (((y1 * x2 * PRICE_SCALE) / (x1 * y2)) * 9) / 10;
        uint256 maxAlpha = _maxCrossAlpha(x1, y1, x2, y2, limit);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SlippageTooHigh.selector, alpha, maxAlpha));
        pools.swapStakeLimit(OWNER1_HOTKEY, net1, net2, alpha, limit, false, NO_DEADLINE);
        // within the limit it moves everything
        vm.prank(alice);
        assertGt(pools.swapStakeLimit(OWNER1_HOTKEY, net1, net2, maxAlpha, limit, false, NO_DEADLINE), 0, "fits");
    }

    function test_swapStakeLimit_fromRootCapsTheDestinationPrice() public {
        _stake(alice, OWNER1_HOTKEY, 0, 100 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        // limit in destination alpha-rao per TAO: the destination price may rise to 1e18/limit rao per alpha
        uint256 limit = 0.8e9;
        uint256 maxPrice = 1e18 / limit;
        uint256 maxTao = _sqrtDown((x * y * maxPrice) / PRICE_SCALE) - x;
        uint256 expected = _buyDown(maxTao, x, y, FEE);
        vm.prank(alice);
        uint256 out = pools.swapStakeLimit(OWNER1_HOTKEY, 0, net1, 100 * TAO, limit, true, NO_DEADLINE);
        assertEq(out, expected, "destination alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), 0), 100 * TAO - maxTao, "root left");
    }

    function test_swapStakeLimit_intoRootFloorsTheOriginPrice() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 limit = _spotRao(x, y) / 2;
        uint256 maxAlpha = _sqrtDown((x * y * PRICE_SCALE) / limit) - y;
        uint256 expected = _sellDown(maxAlpha, x, y, FEE);
        vm.prank(alice);
        uint256 out = pools.swapStakeLimit(OWNER1_HOTKEY, net1, 0, alpha, limit, true, NO_DEADLINE);
        assertEq(out, expected, "root stake");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - maxAlpha, "origin left");
    }

    /* allowances and transferStakeFrom */

    function test_approve_setsAnAllowancePerNetuid() public {
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.Approval(alice, bob, net1, 5 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, 5 * TAO);
        assertEq(pools.allowance(alice, bob, net1), 5 * TAO, "net1");
        assertEq(pools.allowance(alice, bob, net2), 0, "not net2");
        assertEq(pools.allowance(bob, alice, net1), 0, "not the other way");
        vm.prank(alice);
        pools.approve(bob, net1, 1);
        assertEq(pools.allowance(alice, bob, net1), 1, "overwritten");
    }

    function test_transferStakeFrom_spendsTheAllowance() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, alpha);
        vm.prank(bob);
        uint256 out = pools.transferStakeFrom(alice, carol, OWNER1_HOTKEY, net1, net1, alpha / 2, 0, NO_DEADLINE);
        assertEq(out, alpha / 2, "same netuid, same alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(carol), net1), alpha / 2, "carol received it");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(bob), net1), 0, "the spender received nothing");
        assertEq(pools.allowance(alice, bob, net1), alpha - alpha / 2, "allowance spent");
    }

    function test_RevertWhen_transferStakeFrom_insufficientAllowance() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, alpha / 2);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPoolsTypes.InsufficientAllowance.selector, alice, bob, net1, alpha / 2)
        );
        pools.transferStakeFrom(alice, bob, OWNER1_HOTKEY, net1, net1, alpha / 2 + 1, 0, NO_DEADLINE);
        // an allowance on another netuid does not count
        vm.prank(alice);
        pools.approve(bob, net2, type(uint256).max);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.InsufficientAllowance.selector, alice, carol, net1, 0));
        pools.transferStakeFrom(alice, carol, OWNER1_HOTKEY, net1, net1, 1, 0, NO_DEADLINE);
    }

    function test_transferStakeFrom_maxAllowanceIsNotDecremented() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, type(uint256).max);
        vm.prank(bob);
        pools.transferStakeFrom(alice, bob, OWNER1_HOTKEY, net1, net1, alpha / 2, 0, NO_DEADLINE);
        assertEq(pools.allowance(alice, bob, net1), type(uint256).max, "unlimited stays unlimited");
    }

    function test_transferStakeFrom_crossNetuidFreeTaoGoesToTheDestination() public {
        _setPoolSettings(net2, uint16(FEE), uint64(50 * TAO));
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, alpha);
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        uint256 taoRao = _sellDown(alpha, x1, y1, FEE);
        vm.prank(bob);
        uint256 out = pools.transferStakeFrom(alice, carol, OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);
        assertEq(out, 0, "nothing staked");
        assertEq(carol.balance, _wei(taoRao), "the destination account receives the TAO");
        assertEq(bob.balance, 0, "not the spender");
        assertEq(pools.allowance(alice, bob, net1), 0, "allowance spent");
    }

    function test_RevertWhen_transferStakeFrom_transfersDisabled() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, alpha);
        _setTransfers(net1, owner1, false);
        vm.prank(bob);
        vm.expectRevert(_err(IAlphaPoolsTypes.TransfersDisabled.selector, net1));
        pools.transferStakeFrom(alice, carol, OWNER1_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
    }

    function test_allowance_voidedWhenTheNetuidIsRegisteredAgain() public {
        // net3 never starts: at the limit it has the lowest moving price and is pruned first
        uint16 net3 = _newSubnet(owner3, OWNER3_HOTKEY);
        vm.prank(alice);
        pools.approve(bob, net3, type(uint256).max);
        _advance(NETWORK_IMMUNITY + 1);
        bytes32 hotkey4 = _hotkey(address(0x0E4F), stranger);
        uint16 reused = _newSubnet(stranger, hotkey4);
        assertEq(reused, net3, "net3 was pruned and reused");
        assertEq(_generation(net3), 2, "a new generation");
        assertEq(pools.allowance(alice, bob, net3), 0, "the old allowance is void");
        vm.prank(stranger);
        registry.startCall(net3);
        _stake(alice, hotkey4, net3, 10 * TAO);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.InsufficientAllowance.selector, alice, bob, net3, 0));
        pools.transferStakeFrom(alice, bob, hotkey4, net3, net3, 1, 0, NO_DEADLINE);
    }

    /* unstakeAll */

    function test_unstakeAll_sellsEveryWholePositionRootIncluded() public {
        uint256 a1 = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        uint256 a2 = _stake(alice, OWNER1_HOTKEY, net2, 20 * TAO);
        _stake(alice, OWNER1_HOTKEY, 0, 5 * TAO);
        uint256 other = _stake(alice, OWNER2_HOTKEY, net1, 3 * TAO); // another hotkey: untouched
        (uint256 x1, uint256 y1) = _reservesNow(net1);
        (uint256 x2, uint256 y2) = _reservesNow(net2);
        uint256 expected = 5 * TAO + _sellDown(a1, x1, y1, FEE) + _sellDown(a2, x2, y2, FEE);
        vm.prank(alice);
        uint256 taoOut = pools.unstakeAll(OWNER1_HOTKEY, expected, NO_DEADLINE);
        assertEq(taoOut, expected, "root 1:1 plus both sales");
        assertEq(alice.balance, _wei(expected), "paid");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), 0), 0, "root");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "net1");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net2), 0, "net2");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), net1), other, "another hotkey stays");
    }

    function test_unstakeAll_skipsWhatCannotBeSoldWhole() public {
        // alone on OWNER2_HOTKEY: selling all but one alpha-rao leaves a position worth exactly 1 alpha-rao, whose
        // sale pays a 1-rao fee and returns nothing
        uint256 a = _stake(alice, OWNER2_HOTKEY, net1, 10 * TAO);
        _unstake(alice, OWNER2_HOTKEY, net1, a - 1);
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), net1), 1, "one alpha-rao left");
        uint256 a2 = _stake(alice, OWNER2_HOTKEY, net2, 10 * TAO);
        (uint256 x2, uint256 y2) = _reservesNow(net2);
        uint256 before = alice.balance;
        vm.prank(alice);
        uint256 taoOut = pools.unstakeAll(OWNER2_HOTKEY, 0, NO_DEADLINE);
        assertEq(taoOut, _sellDown(a2, x2, y2, FEE), "only net2 sold");
        assertEq(alice.balance - before, _wei(taoOut), "paid");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), net1), 1, "the unsellable position stays");
        vm.prank(alice);
        vm.expectRevert(IAlphaPoolsTypes.InsufficientLiquidity.selector);
        pools.removeStake(OWNER2_HOTKEY, net1, 1, 0, NO_DEADLINE);
    }

    function test_unstakeAll_withNothingStakedReturnsZero() public {
        vm.prank(alice);
        assertEq(pools.unstakeAll(OWNER1_HOTKEY, 0, NO_DEADLINE), 0, "nothing");
    }

    function test_RevertWhen_unstakeAll_outputBelowMinimum() public {
        _stake(alice, OWNER1_HOTKEY, 0, 5 * TAO);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.OutputBelowMinimum.selector, 5 * TAO, 5 * TAO + 1));
        pools.unstakeAll(OWNER1_HOTKEY, 5 * TAO + 1, NO_DEADLINE);
    }

    /* burnAlpha */

    function test_burnAlpha_leavesThePositionAsUnownedAlpha() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        IAlphaPoolsTypes.Pool memory before = _pool(net1);
        uint256 issuance = _books(net1).alphaIssuanceRao;
        uint256 burned = alpha / 4;
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.BurnAlpha(net1, OWNER1_HOTKEY, ck(alice), burned);
        vm.prank(alice);
        pools.burnAlpha(OWNER1_HOTKEY, net1, burned);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - burned, "stake");
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).alphaRao, alpha - burned, "hotkey alpha");
        assertEq(_emission(net1).unownedAlphaRao, burned, "unowned");
        assertEq(_books(net1).alphaIssuanceRao, issuance, "still issued");
        assertEq(_pool(net1).alphaRao, before.alphaRao, "not back in the pool");
        assertEq(_pool(net1).taoRao, before.taoRao, "no TAO out");
    }

    function test_RevertWhen_burnAlpha_zeroTooMuchOrRoot() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        _stake(alice, OWNER1_HOTKEY, 0, TAO);
        vm.startPrank(alice);
        vm.expectRevert(IAlphaPoolsTypes.ZeroAmount.selector);
        pools.burnAlpha(OWNER1_HOTKEY, net1, 0);
        vm.expectRevert(_err(IAlphaPoolsTypes.InsufficientStake.selector, alpha + 1, alpha));
        pools.burnAlpha(OWNER1_HOTKEY, net1, alpha + 1);
        vm.expectRevert(_err(IAlphaPoolsTypes.RootSubnet.selector, 0));
        pools.burnAlpha(OWNER1_HOTKEY, 0, TAO);
        vm.stopPrank();
    }

    /* helpers */

    /// @dev Largest alpha Δ sold into pool 1 (alpha x1, TAO y1) whose TAO T bought into pool 2 (alpha x2, TAO y2)
    /// keeps the price of pool-1 alpha in pool-2 alpha ≥ limit/1e9, fees ignored. After the move that price is
    /// k1·k2/((x1+Δ)·(y2+T))², and (x1+Δ)·(y2+T) = x1·y2 + Δ·(y1+y2) (T = y1·Δ/(x1+Δ)), so
    /// Δ = ⌊(⌊√(k1·k2·1e9/limit)⌋ − x1·y2)/(y1 + y2)⌋, each step rounded down.
    function _maxCrossAlpha(
        uint256 x1,
        uint256 y1,
        uint256 x2,
        uint256 y2,
        uint256 limit
    ) internal pure returns (uint256) {
        uint256 root = _sqrtDown((x1 * y1 * PRICE_SCALE * x2 * y2) / limit);
        return root > x1 * y2 ? (root - x1 * y2) / (y1 + y2) : 0;
    }

    /// @dev Whether the fee-less cross price after moving `delta` is still ≥ limit, in exact integer arithmetic:
    /// k1·k2·1e9 ≥ limit·(x1·y2 + Δ·(y1+y2))².
    function _crossPriceAtLeast(
        uint256 x1,
        uint256 y1,
        uint256 x2,
        uint256 y2,
        uint256 delta,
        uint256 limit
    ) internal pure returns (bool) {
        uint256 m = x1 * y2 + delta * (y1 + y2);
        return x1 * y1 * PRICE_SCALE * x2 * y2 >= limit * m * m;
    }
}
