// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {AlphaPoolsTestBase} from "./AlphaPoolsTestBase.sol";

/// @notice Unit tests for every external function of AlphaPools and each of its revert paths.
contract AlphaPoolsTest is AlphaPoolsTestBase {
    /* addStake */

    function test_addStake_swapsAtConstantProduct() public {
        uint256 gross = 10 * TAO;
        uint256 net = gross - _fee(gross, FEE);
        uint256 expected = _out(net, 100 * TAO, 100 * TAO);
        uint256 balanceBefore = address(pools).balance;

        uint256 alphaOut = _stake(alice, OWNER1_HOTKEY, netuid, gross);

        assertEq(alphaOut, expected, "alpha out");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), expected, "stake");
        assertEq(pools.getTotalHotkeyAlpha(OWNER1_HOTKEY, netuid), expected, "hotkey total");
        (uint256 tao, uint256 alpha) = _reserves(netuid);
        assertEq(tao, 100 * TAO + gross, "the gross TAO (fee included) enters the pool");
        assertEq(alpha, 100 * TAO - expected, "alpha leaves the pool");
        assertEq(pools.poolState(netuid).volume, gross, "volume");
        assertEq(address(pools).balance, balanceBefore + _wei(gross), "native TAO held");
    }

    function test_addStake_secondStakerGetsProportionalShares() public {
        uint256 a = _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        uint256 b = _stake(bob, OWNER1_HOTKEY, netuid, 5 * TAO);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), a, "alice keeps her alpha");
        // bob's shares are floor(b·S/A); their value floors again: at most one alpha-rao below b
        assertApproxAbs(pools.getStake(OWNER1_HOTKEY, ck(bob), netuid), b, 1, "bob's alpha");
        assertLe(pools.getStake(OWNER1_HOTKEY, ck(bob), netuid), b, "never above what was bought");
    }

    function test_RevertWhen_addStake_zeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPools.ZeroAmount.selector);
        pools.addStake(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_notWholeRao() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, 1e9 + 1));
        pools.addStake{value: 1e9 + 1}(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_unknownNetuid() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(7)));
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, 7, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_hotkeyNotRegistered() public {
        bytes32 hk = keccak256("nobody");
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.HotkeyNotRegistered.selector, hk));
        pools.addStake{value: _wei(TAO)}(hk, netuid, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_minStakeNotMet() public {
        // the gross whose fee leaves exactly the minimum: min + ⌈min·r/(D − r)⌉
        uint256 minGross = MIN_STAKE + (MIN_STAKE * FEE + (D - FEE) - 1) / (D - FEE);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.AmountTooLow.selector, minGross - 1, minGross));
        pools.addStake{value: _wei(minGross - 1)}(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
        // exactly the minimum goes through
        _stake(alice, OWNER1_HOTKEY, netuid, minGross);
    }

    function test_RevertWhen_addStake_deadlineExpired() public {
        uint256 deadline = block.timestamp - 1;
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.DeadlineExpired.selector, deadline, block.timestamp));
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 0, deadline);
    }

    function test_addStake_deadlineEqualToTimestampPasses() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 0, block.timestamp);
    }

    function test_RevertWhen_addStake_outputBelowMinimum() public {
        uint256 gross = 10 * TAO;
        uint256 expected = _out(gross - _fee(gross, FEE), 100 * TAO, 100 * TAO);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.OutputBelowMinimum.selector, expected, expected + 1));
        pools.addStake{value: _wei(gross)}(OWNER1_HOTKEY, netuid, expected + 1, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_swapInputTooLarge() public {
        uint256 gross = 200_000 * TAO; // net > 1000 × the 100 TAO reserve
        uint256 net = gross - _fee(gross, FEE);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.SwapInputTooLarge.selector, net, 100_000 * TAO));
        pools.addStake{value: _wei(gross)}(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_reservesTooLow() public {
        _openPool(20, OWNER2_HOTKEY, owner2, TAO, 2_000_000, uint64(MIN_STAKE));
        uint256 gross = 2 * TAO;
        uint256 out = _out(gross - _fee(gross, FEE), TAO, 2_000_000);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.ReservesTooLow.selector, 2_000_000 - out, MIN_RESERVE));
        pools.addStake{value: _wei(gross)}(OWNER2_HOTKEY, 20, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_outputRoundsToZero() public {
        _openPool(20, OWNER2_HOTKEY, owner2, 1_000_000 * TAO, MIN_RESERVE, uint64(MIN_STAKE));
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(IAlphaPools.InsufficientLiquidity.selector);
        pools.addStake{value: _wei(3 * MIN_STAKE)}(OWNER2_HOTKEY, 20, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_paused() public {
        vm.prank(pauser);
        pools.pause();
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
    }

    /* root (netuid 0) */

    function test_addStake_rootIsOneToOne() public {
        uint256 out = _stake(alice, OWNER1_HOTKEY, 0, 7 * TAO);
        assertEq(out, 7 * TAO, "1:1");
        assertEq(pools.poolState(0).taoReserve, 7 * TAO, "root TAO");
        assertEq(pools.simSwapTaoForAlpha(0, 5), 5, "sim 1:1");
        assertEq(pools.simSwapAlphaForTao(0, 5), 5, "sim 1:1");
        assertEq(pools.getAlphaPrice(0), WAD, "price 1");
        assertEq(pools.getMovingAlphaPrice(0), WAD, "moving price 1");
        uint256 back = _unstake(alice, OWNER1_HOTKEY, 0, 7 * TAO);
        assertEq(back, 7 * TAO, "1:1 back");
        assertEq(pools.poolState(0).taoReserve, 0, "root TAO back to zero");
    }

    function test_RevertWhen_addStake_rootBelowMinimum() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.AmountTooLow.selector, MIN_STAKE - 1, MIN_STAKE));
        pools.addStake{value: _wei(MIN_STAKE - 1)}(OWNER1_HOTKEY, 0, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_rootPartialBelowMinimum() public {
        _stake(alice, OWNER1_HOTKEY, 0, 7 * TAO);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.AmountTooLow.selector, MIN_STAKE - 1, MIN_STAKE));
        pools.removeStake(OWNER1_HOTKEY, 0, MIN_STAKE - 1, 0, NO_DEADLINE);
    }

    /* addStakeLimit */

    function test_RevertWhen_addStakeLimit_limitAtOrBelowSpot() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.LimitPriceCrossed.selector, 1e9, 1e9));
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 1e9, false, NO_DEADLINE);
    }

    function test_addStakeLimit_withinLimitFillsFully() public {
        uint256 gross = TAO;
        uint256 expected = _out(gross - _fee(gross, FEE), 100 * TAO, 100 * TAO);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        uint256 out = pools.addStakeLimit{value: _wei(gross)}(OWNER1_HOTKEY, netuid, 2e9, false, NO_DEADLINE);
        assertEq(out, expected, "full fill");
        assertEq(alice.balance, 0, "nothing refunded");
    }

    function test_RevertWhen_addStakeLimit_fillOrKillExceedsLimit() public {
        // limit 1.21 rao/alpha: √(x·y·1.21) − x = 0.1·x = 10 TAO of net input at most
        uint256 gross = 50 * TAO;
        uint256 net = gross - _fee(gross, FEE);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.SlippageTooHigh.selector, net, 10 * TAO));
        pools.addStakeLimit{value: _wei(gross)}(OWNER1_HOTKEY, netuid, 1.21e9, false, NO_DEADLINE);
    }

    function test_addStakeLimit_allowPartialRefundsTheRest() public {
        uint256 gross = 50 * TAO;
        uint256 maxNet = 10 * TAO; // see above
        uint256 used = maxNet + (maxNet * FEE + (D - FEE) - 1) / (D - FEE);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        uint256 out = pools.addStakeLimit{value: _wei(gross)}(OWNER1_HOTKEY, netuid, 1.21e9, true, NO_DEADLINE);
        assertEq(out, _out(maxNet, 100 * TAO, 100 * TAO), "alpha for the net that fits");
        assertEq(alice.balance, _wei(gross - used), "refund of the unused gross");
        (uint256 tao, uint256 alpha) = _reserves(netuid);
        assertEq(tao, 100 * TAO + used, "pool took the used gross");
        // the curve price (reserves net of the fee) is within the limit
        assertLe((tao - (used - maxNet)) * 1e9, 1.21e9 * alpha, "curve price <= limit");
    }

    function test_RevertWhen_addStakeLimit_partialFillBelowMinStake() public {
        // a limit one rao above the spot leaves room for √(x·y·(1e9 + 1)/1e9) − x rao only
        uint256 maxNet = _sqrt((100 * TAO * 100 * TAO * (1e9 + 1)) / 1e9) - 100 * TAO;
        assertLt(maxNet, MIN_STAKE, "tiny room");
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.AmountTooLow.selector, maxNet, MIN_STAKE));
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 1e9 + 1, true, NO_DEADLINE);
    }

    function test_RevertWhen_addStakeLimit_paused() public {
        vm.prank(pauser);
        pools.pause();
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 2e9, true, NO_DEADLINE);
    }

    /* removeStake */

    function test_removeStake_swapsAtConstantProduct() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        (uint256 x, uint256 y) = _reserves(netuid);
        uint256 sell = alpha / 2;
        uint256 expected = _out(sell - _fee(sell, FEE), y, x);
        uint256 out = _unstake(alice, OWNER1_HOTKEY, netuid, sell);
        assertEq(out, expected, "tao out");
        assertEq(alice.balance, _wei(expected), "paid in wei, whole rao");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), alpha - sell, "stake left");
        (uint256 x2, uint256 y2) = _reserves(netuid);
        assertEq(x2, x - expected, "tao reserve");
        assertEq(y2, y + sell, "the gross alpha (fee included) enters the pool");
    }

    function test_RevertWhen_removeStake_zeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPools.ZeroAmount.selector);
        pools.removeStake(OWNER1_HOTKEY, netuid, 0, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_insufficientStake() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.InsufficientStake.selector, alpha + 1, alpha));
        pools.removeStake(OWNER1_HOTKEY, netuid, alpha + 1, 0, NO_DEADLINE);
        // another coldkey has nothing on this hotkey
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.InsufficientStake.selector, 1, 0));
        pools.removeStake(OWNER1_HOTKEY, netuid, 1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_unknownNetuid() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(9)));
        pools.removeStake(OWNER1_HOTKEY, 9, 1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_deadlineExpired() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        vm.warp(block.timestamp + 100);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPools.DeadlineExpired.selector, block.timestamp - 1, block.timestamp)
        );
        pools.removeStake(OWNER1_HOTKEY, netuid, alpha, 0, block.timestamp - 1);
    }

    function test_RevertWhen_removeStake_outputBelowMinimum() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        uint256 expected = pools.simSwapAlphaForTao(netuid, alpha);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.OutputBelowMinimum.selector, expected, expected + 1));
        pools.removeStake(OWNER1_HOTKEY, netuid, alpha, expected + 1, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_partialLeavesDustBelowMinStake() public {
        _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        (uint256 x, uint256 y) = _reserves(netuid);
        uint256 sell = 1_000_000; // worth ≈ 1e6 rao < the 2e6 minimum
        uint256 taoOut = _out(sell - _fee(sell, FEE), y, x);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.AmountTooLow.selector, taoOut, MIN_STAKE));
        pools.removeStake(OWNER1_HOTKEY, netuid, sell, 0, NO_DEADLINE);
    }

    function test_removeStake_fullExitOfSmallPositionAllowed() public {
        uint256 minGross = MIN_STAKE + (MIN_STAKE * FEE + (D - FEE) - 1) / (D - FEE);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, minGross);
        // the whole position is worth a little less than the minimum after the fees: still allowed out
        uint256 out = _unstake(alice, OWNER1_HOTKEY, netuid, alpha);
        assertLt(out, MIN_STAKE, "below the minimum");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), 0, "exited");
    }

    function test_removeStake_worksWhilePaused() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        vm.prank(pauser);
        pools.pause();
        uint256 out = _unstake(alice, OWNER1_HOTKEY, netuid, alpha);
        assertGt(out, 0, "unstaked while paused");
    }

    /* removeStakeLimit */

    function test_RevertWhen_removeStakeLimit_limitAtOrAboveSpot() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        (uint256 x, uint256 y) = _reserves(netuid);
        uint256 spot = (x * 1e9) / y;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.LimitPriceCrossed.selector, spot, spot));
        pools.removeStakeLimit(OWNER1_HOTKEY, netuid, alpha, spot, false, NO_DEADLINE);
    }

    function test_RevertWhen_removeStakeLimit_fillOrKillExceedsLimit() public {
        _openPool(20, OWNER2_HOTKEY, owner2, 100 * TAO, 100 * TAO, uint64(MIN_STAKE));
        uint256 alpha = _stake(alice, OWNER2_HOTKEY, 20, 100 * TAO);
        (uint256 x, uint256 y) = _reserves(20);
        uint256 limit = (x * 1e9) / y / 2;
        uint256 maxNet = _sqrt((x * y * 1e9) / limit) - y;
        uint256 net = alpha - _fee(alpha, FEE);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.SlippageTooHigh.selector, net, maxNet));
        pools.removeStakeLimit(OWNER2_HOTKEY, 20, alpha, limit, false, NO_DEADLINE);
    }

    function test_removeStakeLimit_allowPartialSellsWhatFits() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, 100 * TAO);
        (uint256 x, uint256 y) = _reserves(netuid);
        uint256 limit = (x * 1e9) / y / 2;
        uint256 maxNet = _sqrt((x * y * 1e9) / limit) - y;
        uint256 gross = maxNet + (maxNet * FEE + (D - FEE) - 1) / (D - FEE);
        vm.prank(alice);
        uint256 out = pools.removeStakeLimit(OWNER1_HOTKEY, netuid, alpha, limit, true, NO_DEADLINE);
        assertEq(out, _out(maxNet, y, x), "tao for the net that fits");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), alpha - gross, "the rest stays staked");
        (uint256 x2, uint256 y2) = _reserves(netuid);
        // the curve price (alpha reserve net of the fee) stays at or above the limit
        assertGe(x2 * 1e9, limit * (y2 - (gross - maxNet)), "curve price >= limit");
    }

    /* removeStakeFull */

    function test_removeStakeFull_exitsEverything() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, 3 * TAO);
        uint256 quote = pools.simSwapAlphaForTao(netuid, alpha);
        vm.prank(alice);
        uint256 out = pools.removeStakeFull(OWNER1_HOTKEY, netuid, quote, NO_DEADLINE);
        assertEq(out, quote, "quote");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), 0, "no stake");
        assertEq(pools.getTotalHotkeyAlpha(OWNER1_HOTKEY, netuid), 0, "hotkey empty");
    }

    function test_RevertWhen_removeStakeFull_noStake() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPools.ZeroAmount.selector);
        pools.removeStakeFull(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStakeFull_deadlineExpired() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.DeadlineExpired.selector, 0, block.timestamp));
        pools.removeStakeFull(OWNER1_HOTKEY, netuid, 0, 0);
    }

    /* addStakeAs / removeStakeAs */

    function test_addStakeAs_creditsTheColdkeyAndRemoveStakeAsPaysTheOrigin() public {
        bytes32 coldkey = keccak256("native coldkey");
        vm.deal(origin, _wei(5 * TAO));
        vm.prank(origin);
        uint256 alpha = pools.addStakeAs{value: _wei(5 * TAO)}(coldkey, OWNER1_HOTKEY, netuid, 0, false);
        assertEq(pools.getStake(OWNER1_HOTKEY, coldkey, netuid), alpha, "credited to the coldkey");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(origin), netuid), 0, "not to the origin");
        vm.prank(origin);
        uint256 out = pools.removeStakeAs(coldkey, OWNER1_HOTKEY, netuid, alpha, 0, false);
        assertEq(origin.balance, _wei(out), "origin receives the TAO");
    }

    function test_RevertWhen_addStakeAs_notOrigin() public {
        bytes32 role = pools.ORIGIN_ROLE();
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, role));
        pools.addStakeAs{value: _wei(TAO)}(ck(alice), OWNER1_HOTKEY, netuid, 0, false);
    }

    function test_RevertWhen_removeStakeAs_notOrigin() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        bytes32 role = pools.ORIGIN_ROLE();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, role));
        pools.removeStakeAs(ck(alice), OWNER1_HOTKEY, netuid, alpha, 0, false);
    }

    function test_RevertWhen_addStakeAs_paused() public {
        vm.prank(pauser);
        pools.pause();
        vm.deal(origin, 1 ether);
        vm.prank(origin);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        pools.addStakeAs{value: _wei(TAO)}(ck(alice), OWNER1_HOTKEY, netuid, 0, false);
    }

    function test_addStakeAs_limitIsHonoured() public {
        vm.deal(origin, _wei(50 * TAO));
        vm.prank(origin);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPools.SlippageTooHigh.selector, 50 * TAO - _fee(50 * TAO, FEE), 10 * TAO)
        );
        pools.addStakeAs{value: _wei(50 * TAO)}(ck(alice), OWNER1_HOTKEY, netuid, 1.21e9, false);
    }

    /* poke and the coinbase */

    function test_RevertWhen_poke_unknownNetuid() public {
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(200)));
        pools.poke(200);
    }

    function test_poke_beforeStartCallEmitsNothing() public {
        _rollBy(50);
        pools.poke(netuid);
        assertEq(pools.bookkeeping(netuid).alphaIssuance, 100 * TAO, "no alpha issued");
        assertEq(pools.treasury().taoIssuedRao, 0, "no TAO issued");
        assertEq(pools.poolState(netuid).lastAccrualBlock, block.number, "accrual block recorded");
        pools.poke(0); // root: nothing to accrue
    }

    /// @dev Only subnet, no root stake: the alpha-in cap is 0, so all emitted TAO buys alpha for the protocol.
    function test_poke_accruesEmissionAndChainBuy() public {
        vm.prank(owner1);
        registry.startCall(netuid);
        uint256 reserveBefore = pools.treasury().emissionReserveRao;
        _rollBy(10);
        pools.poke(netuid);

        uint256 e = 10 * TAO; // 10 blocks × 1 alpha (and 1 TAO), first era
        uint256 ownerCut = (e * 11_796) / D;
        uint256 server = (e - ownerCut) / 2;
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(netuid);
        assertEq(p.ownerCut, ownerCut, "owner cut 18 %");
        assertEq(p.server, server, "miners' half");
        assertEq(p.validator, e - ownerCut - server, "validators' half");

        assertEq(pools.treasury().taoIssuedRao, e, "whole block emission to the only subnet");
        assertEq(pools.treasury().emissionReserveRao, reserveBefore - e, "drawn from the reserve");
        assertEq(pools.globalEmission().scheduledIssuance, e, "schedule");

        uint256 bought = _out(e, 100 * TAO, 100 * TAO);
        (uint256 tao, uint256 alpha) = _reserves(netuid);
        assertEq(tao, 110 * TAO, "emitted TAO in the pool");
        assertEq(alpha, 100 * TAO - bought, "chain buy");
        assertEq(pools.protocolAlpha(netuid), bought, "protocol-owned alpha");
        assertEq(pools.bookkeeping(netuid).alphaIssuance, 100 * TAO + e, "alpha issuance");
    }

    /// @dev With root stake the alpha-in cap is root proportion × alpha emission.
    function test_poke_injectionCappedByRootProportion() public {
        _stake(alice, OWNER1_HOTKEY, 0, 1000 * TAO);
        vm.prank(owner1);
        registry.startCall(netuid);
        _rollBy(10);
        pools.poke(netuid);

        uint256 e = 10 * TAO;
        uint256 rootSide = 1000 * TAO * TAO_WEIGHT_WAD;
        uint256 cap = (e * rootSide) / (rootSide + 100 * TAO * WAD);
        // a 1:1 pool wants alphaIn = e > cap, so alphaIn = cap and taoIn = cap
        uint256 chainBuy = e - cap;
        uint256 bought = _out(chainBuy, 100 * TAO + cap, 100 * TAO + cap);
        (uint256 tao, uint256 alpha) = _reserves(netuid);
        assertEq(tao, 100 * TAO + e, "all emitted TAO in the pool");
        assertEq(alpha, 100 * TAO + cap - bought, "alpha in (capped) less the chain buy");
        assertEq(pools.bookkeeping(netuid).alphaIssuance, 100 * TAO + cap + e, "issuance");
    }

    function test_poke_oneBlockMovingPriceFollowsSubtensor() public {
        vm.prank(owner1);
        registry.startCall(netuid);
        _rollBy(1);
        pools.poke(netuid);
        (uint256 tao, uint256 alpha) = _reserves(netuid);
        uint256 spot = (tao * WAD) / alpha;
        uint256 target = spot < WAD ? spot : WAD;
        uint256 a = (MOVING_ALPHA_WAD * 1) / (1 + EMA_HALVING_BLOCKS); // b = 1 at the first block
        assertEq(pools.getMovingAlphaPrice(netuid), (a * target) / WAD, "p = alpha*min(spot, 1) from 0");
    }

    function test_poke_twoSubnetsShareEmissionByWeight() public {
        vm.prank(owner1);
        registry.startCall(netuid);
        uint16 second = _emittingSubnet(owner2, OWNER2_HOTKEY);
        _rollBy(1);
        pools.poke(netuid);
        pools.poke(second);
        uint256 issuedBefore = pools.treasury().taoIssuedRao;
        uint256 scheduledBefore = pools.globalEmission().scheduledIssuance;
        _rollBy(20);
        pools.poke(netuid);
        pools.poke(second);
        uint256 issued = pools.treasury().taoIssuedRao - issuedBefore;
        assertEq(pools.globalEmission().scheduledIssuance - scheduledBefore, 20 * TAO, "20 blocks scheduled");
        // index rounding: at most one rao per subnet per accrual below the schedule
        assertLe(issued, 20 * TAO, "never above the schedule");
        assertGe(issued, 20 * TAO - 2, "the whole schedule, less rounding");
    }

    /* fundEmissionReserve */

    function test_fundEmissionReserve_adds() public {
        uint256 before = pools.treasury().emissionReserveRao;
        pools.fundEmissionReserve{value: _wei(3)}();
        assertEq(pools.treasury().emissionReserveRao, before + 3, "reserve");
    }

    function test_RevertWhen_fundEmissionReserve_zero() public {
        vm.expectRevert(IAlphaPools.ZeroAmount.selector);
        pools.fundEmissionReserve();
    }

    function test_RevertWhen_fundEmissionReserve_notWholeRao() public {
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, 5));
        pools.fundEmissionReserve{value: 5}();
    }

    /* openSubnet */

    function test_openSubnet_setsPoolAndOwner() public {
        _openPool(30, keccak256("hk30"), bob, 5 * TAO, 7 * TAO, 123);
        (uint256 tao, uint256 alpha) = _reserves(30);
        assertEq(tao, 5 * TAO, "tao");
        assertEq(alpha, 7 * TAO, "alpha");
        assertEq(pools.hotkeyOwner(keccak256("hk30")), ck(bob), "owner");
        assertEq(pools.subnetOwnerHotkey(30), keccak256("hk30"), "owner hotkey");
        assertEq(pools.subnetConfig(30).minStake, 123, "min stake");
        assertEq(pools.subnetConfig(30).generation, 1, "generation");
        assertEq(pools.bookkeeping(30).alphaIssuance, 7 * TAO, "issuance");
    }

    function test_RevertWhen_openSubnet_notRegistry() public {
        bytes32 role = pools.REGISTRY_ROLE();
        vm.deal(stranger, 1 ether);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.openSubnet{value: _wei(TAO)}(30, OWNER2_HOTKEY, ck(owner2), TAO, 20, 33, 0);
    }

    function test_RevertWhen_openSubnet_root() public {
        vm.deal(registrar, 1 ether);
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.RootSubnet.selector, uint16(0)));
        pools.openSubnet{value: _wei(TAO)}(0, OWNER2_HOTKEY, ck(owner2), TAO, 20, 33, 0);
    }

    function test_RevertWhen_openSubnet_alreadyOpen() public {
        vm.deal(registrar, 1 ether);
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.SubnetAlreadyOpen.selector, netuid));
        pools.openSubnet{value: _wei(TAO)}(netuid, OWNER2_HOTKEY, ck(owner2), TAO, 20, 33, 0);
    }

    function test_RevertWhen_openSubnet_feeRateTooHigh() public {
        vm.deal(registrar, 1 ether);
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.FeeRateTooHigh.selector, uint16(10_001), uint16(10_000)));
        pools.openSubnet{value: _wei(TAO)}(30, OWNER2_HOTKEY, ck(owner2), TAO, 20, 10_001, 0);
    }

    function test_RevertWhen_openSubnet_reservesTooLow() public {
        vm.deal(registrar, 1 ether);
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.ReservesTooLow.selector, MIN_RESERVE - 1, MIN_RESERVE));
        pools.openSubnet{value: _wei(MIN_RESERVE - 1)}(30, OWNER2_HOTKEY, ck(owner2), TAO, 20, 33, 0);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.ReservesTooLow.selector, 5, MIN_RESERVE));
        pools.openSubnet{value: _wei(TAO)}(30, OWNER2_HOTKEY, ck(owner2), 5, 20, 33, 0);
        vm.stopPrank();
    }

    function test_RevertWhen_openSubnet_notWholeRao() public {
        vm.deal(registrar, 2 ether);
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, _wei(TAO) + 1));
        pools.openSubnet{value: _wei(TAO) + 1}(30, OWNER2_HOTKEY, ck(owner2), TAO, 20, 33, 0);
    }

    function test_RevertWhen_openSubnet_hotkeyOwnedByOther() public {
        vm.deal(registrar, 1 ether);
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.HotkeyOwnedByOther.selector, OWNER1_HOTKEY, ck(owner1)));
        pools.openSubnet{value: _wei(TAO)}(30, OWNER1_HOTKEY, ck(owner2), TAO, 20, 33, 0);
    }

    /* startEmission */

    function test_startEmission_startsNextBlockAndIsIdempotent() public {
        vm.prank(registrar);
        pools.startEmission(netuid);
        assertEq(pools.subnetConfig(netuid).firstEmissionBlock, block.number + 1, "next block");
        assertEq(pools.globalEmission().totalWeight, 1, "weight 1 while the price is unknown");
        vm.prank(registrar);
        pools.startEmission(netuid);
        assertEq(pools.globalEmission().totalWeight, 1, "second call changes nothing");
        // nothing is emitted in the start block itself
        pools.poke(netuid);
        assertEq(pools.bookkeeping(netuid).alphaIssuance, 100 * TAO, "no emission yet");
    }

    function test_RevertWhen_startEmission_notRegistry() public {
        bytes32 role = pools.REGISTRY_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.startEmission(netuid);
    }

    function test_RevertWhen_startEmission_rootOrUnknown() public {
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.RootSubnet.selector, uint16(0)));
        pools.startEmission(0);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(77)));
        pools.startEmission(77);
        vm.stopPrank();
    }

    /* dissolveSubnet and claimRefund */

    function test_dissolveSubnet_setsPotAndRecyclesTheProtocolShare() public {
        uint256 a = _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        uint256 b = _stake(bob, OWNER1_HOTKEY, netuid, 30 * TAO);
        (uint256 tao, uint256 alphaReserve) = _reserves(netuid);
        uint256 issuance = pools.bookkeeping(netuid).alphaIssuance;
        uint256 staked = issuance - alphaReserve;
        assertEq(staked, a + b, "all alpha outside the pool is staked");
        uint256 pot = (tao * staked + issuance - 1) / issuance; // rounded up
        uint256 reserveBefore = pools.treasury().emissionReserveRao;

        vm.prank(registrar);
        uint32 generation = pools.dissolveSubnet(netuid);

        assertEq(generation, 1, "generation");
        AlphaPools.Refund memory r = pools.refundState(netuid, 1);
        assertEq(r.taoRao, tao, "pool TAO");
        assertEq(r.alphaIssuance, issuance, "issuance");
        assertEq(r.potRao, pot, "stakers' pot");
        assertEq(pools.treasury().emissionReserveRao, reserveBefore + tao - pot, "protocol share recycled");
        assertTrue(!pools.subnetConfig(netuid).active, "inactive");
        assertEq(pools.poolState(netuid).taoReserve, 0, "pool cleared");

        // each claim is floor(alpha·tao/issuance)
        uint256 balanceBefore = alice.balance;
        vm.prank(alice);
        uint256 claimA = pools.claimRefund(OWNER1_HOTKEY, netuid, 1);
        assertEq(claimA, (a * tao) / issuance, "alice's refund");
        assertEq(alice.balance - balanceBefore, _wei(claimA), "paid");
        vm.prank(bob);
        uint256 claimB = pools.claimRefund(OWNER1_HOTKEY, netuid, 1);
        assertEq(claimB, (b * tao) / issuance, "bob's refund");
        assertEq(pools.refundState(netuid, 1).claimedRao, claimA + claimB, "claimed");
        assertLe(claimA + claimB, pot, "claims within the pot");
        assertLe(pot - claimA - claimB, 2, "pot left over at most one rao per holder");
    }

    function test_RevertWhen_claimRefund_twice() public {
        _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        vm.prank(registrar);
        pools.dissolveSubnet(netuid);
        vm.startPrank(alice);
        pools.claimRefund(OWNER1_HOTKEY, netuid, 1);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.NothingToRefund.selector, netuid, uint32(1)));
        pools.claimRefund(OWNER1_HOTKEY, netuid, 1);
        vm.stopPrank();
    }

    function test_RevertWhen_claimRefund_notDissolved() public {
        _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.RefundNotAvailable.selector, netuid, uint32(1)));
        pools.claimRefund(OWNER1_HOTKEY, netuid, 1);
    }

    function test_RevertWhen_claimRefund_noPosition() public {
        _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        vm.prank(registrar);
        pools.dissolveSubnet(netuid);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.NothingToRefund.selector, netuid, uint32(1)));
        pools.claimRefund(OWNER1_HOTKEY, netuid, 1);
    }

    function test_claimRefund_worksWhilePaused() public {
        _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        vm.prank(registrar);
        pools.dissolveSubnet(netuid);
        vm.prank(pauser);
        pools.pause();
        vm.prank(alice);
        assertGt(pools.claimRefund(OWNER1_HOTKEY, netuid, 1), 0, "claimed while paused");
    }

    function test_dissolveSubnet_reopenedNetuidStartsWithAnEmptyLedger() public {
        uint256 a = _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        vm.prank(registrar);
        pools.dissolveSubnet(netuid);
        _openPool(netuid, OWNER1_HOTKEY, owner1, 50 * TAO, 50 * TAO, uint64(MIN_STAKE));
        assertEq(pools.subnetConfig(netuid).generation, 2, "new generation");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), 0, "no stake in the new instance");
        (uint256 alpha, uint256 refund) = pools.getRefund(OWNER1_HOTKEY, ck(alice), netuid, 1);
        assertEq(alpha, a, "old position still claimable");
        assertGt(refund, 0, "refund");
    }

    function test_RevertWhen_dissolveSubnet_rootUnknownOrUnauthorized() public {
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.RootSubnet.selector, uint16(0)));
        pools.dissolveSubnet(0);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(99)));
        pools.dissolveSubnet(99);
        vm.stopPrank();
        bytes32 role = pools.REGISTRY_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.dissolveSubnet(netuid);
    }

    function test_dissolveSubnet_removesTheSubnetsEmissionWeight() public {
        vm.prank(owner1);
        registry.startCall(netuid);
        _rollBy(5);
        pools.poke(netuid);
        uint256 weight = pools.emissionState(netuid).weight;
        uint256 total = pools.globalEmission().totalWeight;
        vm.prank(registrar);
        pools.dissolveSubnet(netuid);
        assertEq(pools.globalEmission().totalWeight, total - weight, "weight removed");
    }

    /* setPoolParams */

    function test_setPoolParams_updates() public {
        vm.prank(registrar);
        pools.setPoolParams(netuid, 500, 7, 99);
        AlphaPools.SubnetConfig memory c = pools.subnetConfig(netuid);
        assertEq(c.feeRate, 500, "fee");
        assertEq(c.minStake, 7, "min stake");
        assertEq(c.tempo, 99, "tempo");
    }

    function test_RevertWhen_setPoolParams_invalid() public {
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.FeeRateTooHigh.selector, uint16(10_001), uint16(10_000)));
        pools.setPoolParams(netuid, 10_001, 7, 99);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(99)));
        pools.setPoolParams(99, 1, 7, 99);
        vm.stopPrank();
        bytes32 role = pools.REGISTRY_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.setPoolParams(netuid, 1, 7, 99);
    }

    /* registerHotkey and recycle (metagraph role) */

    function test_registerHotkey_setsOwnerOnce() public {
        bytes32 hk = keccak256("hk");
        vm.prank(address(metagraph));
        pools.registerHotkey(hk, ck(alice));
        assertEq(pools.hotkeyOwner(hk), ck(alice), "owner");
        vm.prank(address(metagraph));
        pools.registerHotkey(hk, ck(alice)); // same owner: no-op
        vm.prank(address(metagraph));
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.HotkeyOwnedByOther.selector, hk, ck(alice)));
        pools.registerHotkey(hk, ck(bob));
    }

    function test_RevertWhen_registerHotkey_notMetagraph() public {
        bytes32 role = pools.METAGRAPH_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.registerHotkey(keccak256("hk"), ck(stranger));
    }

    function test_recycle_addsToReserve() public {
        uint256 before = pools.treasury().emissionReserveRao;
        vm.deal(address(metagraph), 1 ether);
        vm.prank(address(metagraph));
        pools.recycle{value: _wei(4)}();
        assertEq(pools.treasury().emissionReserveRao, before + 4, "reserve");
        assertEq(pools.treasury().recycledRao, 4, "recycled");
    }

    function test_RevertWhen_recycle_notMetagraphOrNotWholeRao() public {
        bytes32 role = pools.METAGRAPH_ROLE();
        vm.deal(stranger, 1 ether);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.recycle{value: _wei(1)}();
        vm.deal(address(metagraph), 1 ether);
        vm.prank(address(metagraph));
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, 3));
        pools.recycle{value: 3}();
    }

    /* settleEpoch */

    function _emitFor(uint256 blocks) internal {
        vm.prank(owner1);
        registry.startCall(netuid);
        _rollBy(blocks);
    }

    function test_settleEpoch_paysIncentiveDividendsAndOwnerCut() public {
        // a nominator on the owner's hotkey, then 20 blocks of emission
        uint256 nominated = _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        _emitFor(20);
        pools.poke(netuid);
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(netuid);
        uint256 issuanceBefore = pools.bookkeeping(netuid).alphaIssuance;

        // miner = a hotkey of bob's, registered through the metagraph
        bytes32 miner = keccak256("miner");
        vm.prank(address(metagraph));
        pools.registerHotkey(miner, ck(bob));
        uint64 incentive = p.server / 2;
        uint64 dividends = p.validator / 4;
        bytes32[] memory hks = new bytes32[](2);
        (hks[0], hks[1]) = (miner, OWNER1_HOTKEY);
        uint64[] memory inc = new uint64[](2);
        inc[0] = incentive;
        uint64[] memory div = new uint64[](2);
        div[1] = dividends;

        vm.prank(settler);
        pools.settleEpoch(netuid, _payout(hks, inc, div));

        assertEq(pools.getStake(miner, ck(bob), netuid), incentive, "incentive becomes the owner's stake");
        // the dividend and the owner cut both go to the owner hotkey's pool (the cut as owner1's new shares)
        assertEq(
            pools.getTotalHotkeyAlpha(OWNER1_HOTKEY, netuid),
            nominated + dividends + p.ownerCut,
            "validator pool grew by dividend and owner cut"
        );
        assertGt(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), nominated, "nominator's stake grew");
        uint256 recycled = uint256(p.server) + p.validator - incentive - dividends;
        assertEq(pools.bookkeeping(netuid).alphaIssuance, issuanceBefore - recycled, "rest recycled out of issuance");
        IAlphaPools.PendingEmission memory after_ = pools.pendingEmission(netuid);
        assertEq(after_.ownerCut + after_.server + after_.validator, 0, "buckets emptied");
        assertEq(pools.subnetConfig(netuid).lastEpochBlock, block.number, "epoch block");
    }

    function test_settleEpoch_noIncentiveLetsValidatorsTakeTheMinersShare() public {
        _emitFor(20);
        pools.poke(netuid);
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(netuid);
        uint64 all = p.server + p.validator;
        vm.prank(settler);
        pools.settleEpoch(netuid, _payout(_one(OWNER1_HOTKEY), _one64(0), _one64(all)));
        // no nominators on the owner hotkey: the dividend is credited as the owner's stake
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(owner1), netuid), uint256(all) + p.ownerCut, "owner stake");
    }

    function test_RevertWhen_settleEpoch_payoutExceedsPending() public {
        _emitFor(20);
        pools.poke(netuid);
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(netuid);
        vm.startPrank(settler);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPools.PayoutExceedsPending.selector, uint256(p.server) + 1, p.server)
        );
        pools.settleEpoch(netuid, _payout(_one(OWNER1_HOTKEY), _one64(p.server + 1), _one64(0)));
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPools.PayoutExceedsPending.selector, uint256(p.validator) + 1, p.validator)
        );
        pools.settleEpoch(netuid, _payout(_one(OWNER1_HOTKEY), _one64(1), _one64(p.validator + 1)));
        uint256 pot = uint256(p.server) + p.validator;
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.PayoutExceedsPending.selector, pot + 1, pot));
        pools.settleEpoch(netuid, _payout(_one(OWNER1_HOTKEY), _one64(0), _one64(uint64(pot + 1))));
        vm.stopPrank();
    }

    function test_RevertWhen_settleEpoch_notDue() public {
        _emitFor(5);
        uint256 since = block.number - pools.subnetConfig(netuid).lastEpochBlock;
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.EpochNotDue.selector, netuid, since, uint256(20)));
        pools.settleEpoch(netuid, _payout(new bytes32[](0), new uint64[](0), new uint64[](0)));
    }

    function test_RevertWhen_settleEpoch_lengthMismatch() public {
        _emitFor(20);
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.LengthMismatch.selector, 1, 0, 1));
        pools.settleEpoch(netuid, _payout(_one(OWNER1_HOTKEY), new uint64[](0), _one64(0)));
    }

    function test_RevertWhen_settleEpoch_unregisteredHotkey() public {
        _emitFor(20);
        pools.poke(netuid);
        bytes32 ghost = keccak256("ghost");
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.HotkeyNotRegistered.selector, ghost));
        pools.settleEpoch(netuid, _payout(_one(ghost), _one64(1), _one64(0)));
    }

    function test_RevertWhen_settleEpoch_rootUnknownOrUnauthorized() public {
        IAlphaPools.EpochPayout memory empty = _payout(new bytes32[](0), new uint64[](0), new uint64[](0));
        vm.startPrank(settler);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.RootSubnet.selector, uint16(0)));
        pools.settleEpoch(0, empty);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(88)));
        pools.settleEpoch(88, empty);
        vm.stopPrank();
        bytes32 role = pools.SETTLER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.settleEpoch(netuid, empty);
    }

    function test_settleEpoch_minerBurnLowersTheSubnetsWeight() public {
        _emitFor(20);
        IAlphaPools.EpochPayout memory payout = _payout(new bytes32[](0), new uint64[](0), new uint64[](0));
        payout.minerBurn = 32_767; // ≈ half
        vm.prank(settler);
        pools.settleEpoch(netuid, payout);
        assertEq(pools.subnetConfig(netuid).minerBurn, 32_767, "stored");
        _rollBy(3);
        pools.poke(netuid);
        uint256 moving = pools.getMovingAlphaPrice(netuid);
        uint256 expected = (moving * (D - 32_767)) / (D * 1e9);
        assertEq(pools.emissionState(netuid).weight, expected == 0 ? 1 : expected, "weight = price x (1 - burn)");
    }

    /* pause */

    function test_RevertWhen_pause_notPauser() public {
        bytes32 role = pools.PAUSER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.pause();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        pools.unpause();
    }

    function test_pause_unpauseRestoresStaking() public {
        vm.prank(pauser);
        pools.pause();
        assertTrue(pools.paused(), "paused");
        vm.prank(pauser);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        pools.pause();
        vm.prank(pauser);
        pools.unpause();
        vm.prank(pauser);
        vm.expectRevert(Pausable.ExpectedPause.selector);
        pools.unpause();
        _stake(alice, OWNER1_HOTKEY, netuid, TAO);
    }

    /* views */

    function test_RevertWhen_simSwap_unknownNetuid() public {
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(9)));
        pools.simSwapTaoForAlpha(9, TAO);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.UnknownSubnet.selector, uint16(9)));
        pools.simSwapAlphaForTao(9, TAO);
    }

    function test_views_priceAndShares() public {
        assertEq(pools.getAlphaPrice(netuid), WAD, "1:1 pool");
        assertEq(pools.emissionShareWad(netuid), 0, "not emitting");
        vm.prank(owner1);
        registry.startCall(netuid);
        assertEq(pools.emissionShareWad(netuid), WAD, "only emitting subnet");
        bytes32[] memory hks = new bytes32[](2);
        (hks[0], hks[1]) = (OWNER1_HOTKEY, keccak256("none"));
        uint256 a = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        uint256[] memory totals = pools.getTotalHotkeyAlphas(hks, netuid);
        assertEq(totals[0], a, "total");
        assertEq(totals[1], 0, "none");
    }

    /// @dev The invariant suite reads share balances from storage; this pins the slots it assumes.
    function test_storageLayout_ledgerSlots() public {
        uint256 a = _stake(alice, OWNER1_HOTKEY, netuid, TAO);
        uint48 instance = (uint48(1) << 16) | netuid;
        bytes32 inner = keccak256(abi.encode(uint256(instance), uint256(9)));
        bytes32 hp = vm.load(address(pools), keccak256(abi.encode(OWNER1_HOTKEY, inner)));
        assertEq(uint256(hp) & type(uint128).max, a, "_hotkeyPools at slot 9: totalAlpha");
        assertEq(uint256(hp) >> 128, a * 1e9, "totalShares: 1e9 per alpha-rao in an empty pool");
        bytes32 sInner = keccak256(abi.encode(OWNER1_HOTKEY, keccak256(abi.encode(uint256(instance), uint256(10)))));
        assertEq(
            uint256(vm.load(address(pools), keccak256(abi.encode(ck(alice), sInner)))),
            a * 1e9,
            "_shares at slot 10"
        );
        assertEq(vm.load(address(pools), keccak256(abi.encode(OWNER1_HOTKEY, uint256(12)))), ck(owner1), "owner at 12");
    }

    function _sqrt(uint256 x) internal pure returns (uint256 r) {
        if (x == 0) return 0;
        r = x;
        uint256 y = (x + 1) / 2;
        while (y < r) (r, y) = (y, (x / y + y) / 2);
    }
}
