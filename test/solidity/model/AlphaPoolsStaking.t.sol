// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";

/// @notice Staking and unstaking on AlphaPools: the swap amounts, limits, minimum-stake rules, deadlines, root, pause
/// and the origins' entry points.
/// @dev The emission reserve is left empty, so no TAO is injected and a pool changes only by the trades of the test:
/// every expected amount is computed from the opening reserves (100 TAO / 100 alpha for the first subnet).
contract AlphaPoolsStakingTest is PoolsTestBase {
    uint16 internal net1;

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
    }

    /* addStake */

    function test_addStake_opensAtTheLockAndOneAlphaPerTao() public view {
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, MIN_LOCK_RAO, "the lock is the pool's TAO");
        assertEq(p.alphaRao, MIN_LOCK_RAO, "at the median price of no subnet (1 TAO)");
        assertEq(_books(net1).alphaIssuanceRao, MIN_LOCK_RAO, "issuance = the pool's alpha");
    }

    function test_addStake_swapsAtConstantProduct() public {
        uint256 gross = 10 * TAO;
        // fee = ⌈10e9·33/65535⌉ = 5 035 478; alpha = ⌊100e9·(10e9 − fee)/(100e9 + 10e9 − fee)⌋
        uint256 expected = _buyDown(gross, 100 * TAO, 100 * TAO, FEE);
        assertEq(expected, 9_086_747_348, "hand-computed anchor");
        pools.poke(net1); // the block's emission accrues first (alpha into the pending buckets, no TAO here)
        uint256 issuanceBefore = _books(net1).alphaIssuanceRao;
        uint256 balanceBefore = address(pools).balance;

        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.Stake(net1, OWNER1_HOTKEY, ck(alice), gross, expected, 5_035_478);
        uint256 alphaOut = _stake(alice, OWNER1_HOTKEY, net1, gross);

        assertEq(alphaOut, expected, "alpha out");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), expected, "stake");
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).alphaRao, expected, "hotkey alpha");
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).shares, expected * VIRTUAL_SHARES, "1e9 shares per alpha-rao");
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, 100 * TAO + gross, "the gross TAO, fee included, enters the pool");
        assertEq(p.alphaRao, 100 * TAO - expected, "alpha leaves the pool");
        assertEq(p.volumeRao, gross, "volume");
        assertEq(address(pools).balance, balanceBefore + _wei(gross), "native TAO held");
        assertEq(_books(net1).alphaIssuanceRao, issuanceBefore, "a trade issues no alpha");
    }

    function test_addStake_secondStakerGetsProportionalShares() public {
        uint256 a = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        uint256 totalShares = pools.hotkeyPool(OWNER1_HOTKEY, net1).shares;
        uint256 b = _stake(bob, OWNER1_HOTKEY, net1, 5 * TAO);
        // bob's shares: ⌊b·(S + 1e9)/(A + 1)⌋; their value: ⌊shares·(A + b + 1)/(S + shares + 1e9)⌋ (both down)
        uint256 bobShares = _sharesDown(b, a, totalShares);
        assertEq(_sharesOf(net1, 1, OWNER1_HOTKEY, ck(bob)), bobShares, "bob's shares");
        uint256 bobValue = _alphaDown(bobShares, a + b, totalShares + bobShares);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(bob), net1), bobValue, "bob's alpha");
        assertLe(bobValue, b, "never above what was bought");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), a, "alice keeps her alpha");
    }

    function test_addStake_minimumGrossExactlyPasses() public {
        // the gross whose fee leaves exactly the minimum: 2e6 + ⌈2e6·33/65502⌉ = 2 001 008
        uint256 minGross = _grossForNetUp(MIN_STAKE, FEE);
        assertEq(minGross, 2_001_008, "hand-computed anchor");
        uint256 alphaOut = _stake(alice, OWNER1_HOTKEY, net1, minGross);
        assertEq(alphaOut, _buyDown(minGross, 100 * TAO, 100 * TAO, FEE), "alpha");
    }

    function test_RevertWhen_addStake_belowMinimumGross() public {
        uint256 minGross = _grossForNetUp(MIN_STAKE, FEE);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, minGross - 1, minGross));
        pools.addStake{value: _wei(minGross - 1)}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_zeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPoolsTypes.ZeroAmount.selector);
        pools.addStake(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_notWholeRao() public {
        vm.deal(alice, 2 ether);
        vm.prank(alice);
        vm.expectRevert(_err(UnitsLib.NotWholeRao.selector, _wei(TAO) + 1));
        pools.addStake{value: _wei(TAO) + 1}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_outputBelowMinimum() public {
        uint256 expected = _buyDown(10 * TAO, 100 * TAO, 100 * TAO, FEE);
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.OutputBelowMinimum.selector, expected, expected + 1));
        pools.addStake{value: _wei(10 * TAO)}(OWNER1_HOTKEY, net1, expected + 1, NO_DEADLINE);
        // exactly the quoted output passes
        vm.prank(alice);
        assertEq(pools.addStake{value: _wei(10 * TAO)}(OWNER1_HOTKEY, net1, expected, NO_DEADLINE), expected, "out");
    }

    function test_RevertWhen_addStake_subtokenDisabledBeforeStartCall() public {
        uint16 quiet = _newSubnet(owner2, OWNER2_HOTKEY);
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SubtokenDisabled.selector, quiet));
        pools.addStake{value: _wei(TAO)}(OWNER2_HOTKEY, quiet, 0, NO_DEADLINE);
        vm.expectRevert(_err(IAlphaPoolsTypes.SubtokenDisabled.selector, quiet));
        pools.addStakeLimit{value: _wei(TAO)}(OWNER2_HOTKEY, quiet, 2e9, true, NO_DEADLINE);
        vm.stopPrank();
        // the start call opens it from the same block
        vm.prank(owner2);
        registry.startCall(quiet);
        assertGt(_stake(alice, OWNER2_HOTKEY, quiet, TAO), 0, "open after the start call");
    }

    function test_RevertWhen_addStake_unknownSubnet() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.UnknownSubnet.selector, 77));
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, 77, 0, NO_DEADLINE);
    }

    function test_RevertWhen_addStake_hotkeyNotRegistered() public {
        bytes32 nobody = keccak256("nobody");
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.HotkeyNotRegistered.selector, nobody));
        pools.addStake{value: _wei(TAO)}(nobody, net1, 0, NO_DEADLINE);
    }

    function test_addStake_registeredHotkeyNeedsNoUidOnTheSubnet() public {
        // OWNER2_HOTKEY is owned (it opened a subnet) but has no uid on net1: stake on it is accepted, as on the chain
        _newSubnet(owner2, OWNER2_HOTKEY);
        assertGt(_stake(alice, OWNER2_HOTKEY, net1, TAO), 0, "staked");
    }

    function test_RevertWhen_addStake_swapInputTooLarge() public {
        uint256 gross = 200_000 * TAO; // net > 1000 × the 100 TAO reserve
        uint256 net = gross - _feeUp(gross, FEE);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SwapInputTooLarge.selector, net, 100_000 * TAO));
        pools.addStake{value: _wei(gross)}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    /// @dev A pool pumped to a few tenths of an alpha: a buy of ~200 pools of TAO would leave less than the minimum
    /// reserve of alpha, and a minimum stake buys less than one alpha-rao once the price is high enough.
    function test_RevertWhen_addStake_reservesTooLowOrNothingBought() public {
        _stake(carol, OWNER1_HOTKEY, net1, 50_000 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 gross = 250 * x;
        uint256 out = _buyDown(gross, x, y, FEE);
        assertLt(y - out, MIN_RESERVE, "the buy would drain the alpha reserve");
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.ReservesTooLow.selector, y - out, MIN_RESERVE));
        pools.addStake{value: _wei(gross)}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
        // push the price past 2e6 rao per alpha-rao: then the minimum stake buys nothing
        _stake(carol, OWNER1_HOTKEY, net1, 190 * x);
        (x, y) = _reservesNow(net1);
        uint256 minGross = _grossForNetUp(MIN_STAKE, FEE);
        assertEq(_buyDown(minGross, x, y, FEE), 0, "less than one alpha-rao");
        vm.prank(alice);
        vm.expectRevert(IAlphaPoolsTypes.InsufficientLiquidity.selector);
        pools.addStake{value: _wei(minGross)}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    /* addStakeLimit */

    function test_addStakeLimit_withinLimitFillsFully() public {
        uint256 gross = TAO;
        uint256 expected = _buyDown(gross, 100 * TAO, 100 * TAO, FEE);
        uint256 alphaOut = _stakeLimit(alice, OWNER1_HOTKEY, net1, gross, 2e9, false);
        assertEq(alphaOut, expected, "full fill");
        assertEq(alice.balance, 0, "nothing refunded");
    }

    function test_RevertWhen_addStakeLimit_fillOrKillCrossesLimit() public {
        // limit 1.21 rao/alpha: √(x·y·1.21) − x = 0.1·x = 10 TAO of net input at most (exact square)
        uint256 gross = 50 * TAO;
        uint256 net = gross - _feeUp(gross, FEE);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SlippageTooHigh.selector, net, 10 * TAO));
        pools.addStakeLimit{value: _wei(gross)}(OWNER1_HOTKEY, net1, 1.21e9, false, NO_DEADLINE);
    }

    function test_addStakeLimit_partialFillRefundsTheRestInWholeRao() public {
        uint256 gross = 50 * TAO;
        uint256 maxNet = 10 * TAO; // see above
        uint256 used = _grossForNetUp(maxNet, FEE); // 10e9 + ⌈10e9·33/65502⌉ = 10 005 038 015
        assertEq(used, 10_005_038_015, "hand-computed anchor");
        uint256 alphaOut = _stakeLimit(alice, OWNER1_HOTKEY, net1, gross, 1.21e9, true);
        assertEq(alphaOut, _outDown(maxNet, 100 * TAO, 100 * TAO), "alpha for the net that fits");
        assertEq(alice.balance, _wei(gross - used), "the unused gross is refunded, in whole rao");
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, 100 * TAO + used, "the pool took the used gross");
        // the price the swap of the net input moved to is within the limit
        assertLe((p.taoRao - (used - maxNet)) * PRICE_SCALE, 1.21e9 * uint256(p.alphaRao), "curve price <= limit");
    }

    function test_RevertWhen_addStakeLimit_partialFillBelowMinimum() public {
        // a limit one rao above the spot leaves room for ⌊√(x·y·(1e9 + 1)/1e9)⌋ − x rao only
        uint256 maxNet = _sqrtDown((100 * TAO * 100 * TAO * (1e9 + 1)) / 1e9) - 100 * TAO;
        assertLt(maxNet, MIN_STAKE, "tiny room");
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, maxNet, MIN_STAKE));
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 1e9 + 1, true, NO_DEADLINE);
    }

    function test_RevertWhen_addStakeLimit_limitAtOrBelowSpot() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.LimitPriceCrossed.selector, 1e9, 1e9));
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 1e9, true, NO_DEADLINE);
    }

    function test_RevertWhen_addStakeLimit_belowMinimumGross() public {
        uint256 minGross = _grossForNetUp(MIN_STAKE, FEE);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, minGross - 1, minGross));
        pools.addStakeLimit{value: _wei(minGross - 1)}(OWNER1_HOTKEY, net1, 2e9, true, NO_DEADLINE);
    }

    /* removeStake */

    function test_removeStake_swapsAtConstantProduct() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 sell = alpha / 2;
        uint256 fee = _feeUp(sell, FEE);
        uint256 expected = _outDown(sell - fee, y, x);

        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.Unstake(net1, OWNER1_HOTKEY, ck(alice), sell, expected, fee);
        uint256 taoOut = _unstake(alice, OWNER1_HOTKEY, net1, sell);

        assertEq(taoOut, expected, "TAO out");
        assertEq(alice.balance, _wei(expected), "paid in wei, a whole number of rao");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - sell, "stake left");
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, x - expected, "TAO reserve");
        assertEq(p.alphaRao, y + sell, "the gross alpha, fee included, enters the pool");
        assertEq(p.volumeRao, 10 * TAO + expected, "volume counts both ways");
    }

    function test_RevertWhen_removeStake_zeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPoolsTypes.ZeroAmount.selector);
        pools.removeStake(OWNER1_HOTKEY, net1, 0, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_insufficientStake() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.InsufficientStake.selector, alpha + 1, alpha));
        pools.removeStake(OWNER1_HOTKEY, net1, alpha + 1, 0, NO_DEADLINE);
        // another coldkey has nothing on this hotkey
        vm.prank(bob);
        vm.expectRevert(_err(IAlphaPoolsTypes.InsufficientStake.selector, 1, 0));
        pools.removeStake(OWNER1_HOTKEY, net1, 1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_unknownSubnet() public {
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.UnknownSubnet.selector, 9));
        pools.removeStake(OWNER1_HOTKEY, 9, 1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_outputBelowMinimum() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expected = _sellDown(alpha, x, y, FEE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.OutputBelowMinimum.selector, expected, expected + 1));
        pools.removeStake(OWNER1_HOTKEY, net1, alpha, expected + 1, NO_DEADLINE);
    }

    function test_RevertWhen_removeStake_partialLeavesStakeAndReturnsLessThanMinimum() public {
        _stake(alice, OWNER1_HOTKEY, net1, TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        // ≈ 1e6 rao, half the minimum
        uint256 sell = 1_000_000;
        uint256 taoOut = _sellDown(sell, x, y, FEE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, taoOut, MIN_STAKE));
        pools.removeStake(OWNER1_HOTKEY, net1, sell, 0, NO_DEADLINE);
    }

    function test_removeStake_partialReturningExactlyTheMinimumPasses() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        // the smallest sale whose output reaches the minimum
        uint256 sell = 1;
        uint256 hi = 10 * MIN_STAKE;
        while (sell < hi) {
            uint256 mid = (sell + hi) / 2;
            if (_sellDown(mid, x, y, FEE) >= MIN_STAKE) hi = mid;
            else sell = mid + 1;
        }
        uint256 taoOut = _unstake(alice, OWNER1_HOTKEY, net1, sell);
        assertGe(taoOut, MIN_STAKE, "at least the minimum");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - sell, "the rest stays");
        (x, y) = _reservesNow(net1);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, _sellDown(sell - 1, x, y, FEE), MIN_STAKE));
        pools.removeStake(OWNER1_HOTKEY, net1, sell - 1, 0, NO_DEADLINE);
    }

    function test_removeStake_fullExitOfASmallPositionIsAllowed() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, _grossForNetUp(MIN_STAKE, FEE));
        // the whole position is worth a little less than the minimum after two fees: still allowed out
        uint256 taoOut = _unstake(alice, OWNER1_HOTKEY, net1, alpha);
        assertLt(taoOut, MIN_STAKE, "below the minimum");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "exited");
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).shares, 0, "no shares left");
    }

    /* removeStakeLimit */

    function test_RevertWhen_removeStakeLimit_limitAtOrAboveSpot() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 spot = _spotRao(x, y);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.LimitPriceCrossed.selector, spot, spot));
        pools.removeStakeLimit(OWNER1_HOTKEY, net1, alpha, spot, false, NO_DEADLINE);
    }

    function test_removeStakeLimit_withinLimitSellsAll() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expected = _sellDown(alpha, x, y, FEE);
        vm.prank(alice);
        uint256 taoOut = pools.removeStakeLimit(OWNER1_HOTKEY, net1, alpha, _spotRao(x, y) / 2, false, NO_DEADLINE);
        assertEq(taoOut, expected, "full sale");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "exited");
    }

    function test_RevertWhen_removeStakeLimit_fillOrKillCrossesLimit() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 limit = _spotRao(x, y) / 2;
        // the price after selling Δ net is x·y/(y + Δ)²: Δ ≤ ⌊√(x·y·1e9/limit)⌋ − y
        uint256 maxNet = _sqrtDown((x * y * PRICE_SCALE) / limit) - y;
        uint256 net = alpha - _feeUp(alpha, FEE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SlippageTooHigh.selector, net, maxNet));
        pools.removeStakeLimit(OWNER1_HOTKEY, net1, alpha, limit, false, NO_DEADLINE);
    }

    function test_removeStakeLimit_partialSellsWhatFits() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 limit = _spotRao(x, y) / 2;
        uint256 maxNet = _sqrtDown((x * y * PRICE_SCALE) / limit) - y;
        uint256 sold = _grossForNetUp(maxNet, FEE);
        vm.prank(alice);
        uint256 taoOut = pools.removeStakeLimit(OWNER1_HOTKEY, net1, alpha, limit, true, NO_DEADLINE);
        assertEq(taoOut, _outDown(maxNet, y, x), "TAO for the net that fits");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - sold, "the rest stays staked");
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.alphaRao, y + sold, "the pool took the sold gross");
        // the price the net sale moved to is at or above the limit
        assertGe(uint256(p.taoRao) * PRICE_SCALE, limit * (p.alphaRao - (sold - maxNet)), "curve price >= limit");
    }

    /* removeStakeFull and removeStakeFullLimit */

    function test_removeStakeFull_exitsEverything() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 3 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expected = _sellDown(alpha, x, y, FEE);
        vm.prank(alice);
        uint256 taoOut = pools.removeStakeFull(OWNER1_HOTKEY, net1, expected, NO_DEADLINE);
        assertEq(taoOut, expected, "TAO out");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "no stake");
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).alphaRao, 0, "hotkey empty");
    }

    function test_RevertWhen_removeStakeFull_noStake() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPoolsTypes.ZeroAmount.selector);
        pools.removeStakeFull(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    function test_RevertWhen_removeStakeFull_outputBelowMinimum() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 3 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expected = _sellDown(alpha, x, y, FEE);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.OutputBelowMinimum.selector, expected, expected + 1));
        pools.removeStakeFull(OWNER1_HOTKEY, net1, expected + 1, NO_DEADLINE);
    }

    function test_removeStakeFullLimit_exitsWithinTheLimit() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 3 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expected = _sellDown(alpha, x, y, FEE);
        vm.prank(alice);
        uint256 taoOut = pools.removeStakeFullLimit(OWNER1_HOTKEY, net1, _spotRao(x, y) / 2, NO_DEADLINE);
        assertEq(taoOut, expected, "TAO out");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "no stake");
    }

    function test_RevertWhen_removeStakeFullLimit_wholePositionCrossesLimit() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 limit = _spotRao(x, y) / 2;
        uint256 maxNet = _sqrtDown((x * y * PRICE_SCALE) / limit) - y;
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.SlippageTooHigh.selector, alpha - _feeUp(alpha, FEE), maxNet));
        pools.removeStakeFullLimit(OWNER1_HOTKEY, net1, limit, NO_DEADLINE);
    }

    /* deadlines */

    function test_RevertWhen_deadlinePassed_everyTradeRevertsWithTheValues() public {
        uint16 net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, type(uint256).max);
        uint256 deadline = block.timestamp - 1;
        bytes memory expired = _err(IAlphaPoolsTypes.DeadlineExpired.selector, deadline, block.timestamp);
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(expired);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 0, deadline);
        vm.expectRevert(expired);
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 2e9, true, deadline);
        vm.expectRevert(expired);
        pools.removeStake(OWNER1_HOTKEY, net1, alpha, 0, deadline);
        vm.expectRevert(expired);
        pools.removeStakeLimit(OWNER1_HOTKEY, net1, alpha, 1, true, deadline);
        vm.expectRevert(expired);
        pools.removeStakeFull(OWNER1_HOTKEY, net1, 0, deadline);
        vm.expectRevert(expired);
        pools.removeStakeFullLimit(OWNER1_HOTKEY, net1, 1, deadline);
        vm.expectRevert(expired);
        pools.unstakeAll(OWNER1_HOTKEY, 0, deadline);
        vm.expectRevert(expired);
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, alpha, 0, deadline);
        vm.expectRevert(expired);
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net1, alpha, 0, deadline);
        vm.expectRevert(expired);
        pools.swapStake(OWNER1_HOTKEY, net1, net2, alpha, 0, deadline);
        vm.expectRevert(expired);
        pools.swapStakeLimit(OWNER1_HOTKEY, net1, net2, alpha, 1, true, deadline);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(expired);
        pools.transferStakeFrom(alice, bob, OWNER1_HOTKEY, net1, net1, alpha, 0, deadline);
    }

    function test_addStake_deadlineEqualToTheBlockTimePasses() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        assertGt(pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 0, block.timestamp), 0, "staked");
    }

    /* root */

    function test_addStake_rootIsOneToOneWithoutFeeOrStartCall() public {
        uint256 alphaOut = _stake(alice, OWNER1_HOTKEY, 0, 7 * TAO);
        assertEq(alphaOut, 7 * TAO, "1:1");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), 0), 7 * TAO, "stake");
        IAlphaPoolsTypes.RootStake memory r = _rootStake();
        assertEq(r.taoRao, 7 * TAO, "root TAO");
        assertEq(r.previousBlockTaoRao, 0, "as of the previous block");
        assertEq(r.changedAtBlock, _now(), "changed now");
        assertEq(r.volumeRao, 7 * TAO, "volume");
        // a second change in the same block keeps the previous block's value
        _stake(bob, OWNER1_HOTKEY, 0, 3 * TAO);
        assertEq(_rootStake().previousBlockTaoRao, 0, "still the previous block's");
        _advance(1);
        uint256 taoOut = _unstake(alice, OWNER1_HOTKEY, 0, 7 * TAO);
        assertEq(taoOut, 7 * TAO, "1:1 back");
        assertEq(alice.balance, _wei(7 * TAO), "paid");
        r = _rootStake();
        assertEq(r.taoRao, 3 * TAO, "root TAO after");
        assertEq(r.previousBlockTaoRao, 10 * TAO, "the end of the previous block");
        assertEq(r.volumeRao, 17 * TAO, "volume both ways");
    }

    function test_RevertWhen_addStake_rootBelowMinimum() public {
        uint256 minimum = pools.ROOT_MIN_STAKE_RAO();
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, minimum - 1, minimum));
        pools.addStake{value: _wei(minimum - 1)}(OWNER1_HOTKEY, 0, 0, NO_DEADLINE);
        // exactly the minimum: no fee on root
        assertEq(_stake(alice, OWNER1_HOTKEY, 0, minimum), minimum, "the minimum passes");
    }

    function test_RevertWhen_removeStake_rootPartialBelowMinimum() public {
        _stake(alice, OWNER1_HOTKEY, 0, 7 * TAO);
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, MIN_STAKE - 1, MIN_STAKE));
        pools.removeStake(OWNER1_HOTKEY, 0, MIN_STAKE - 1, 0, NO_DEADLINE);
        // a full exit of any size is fine
        _stake(bob, OWNER1_HOTKEY, 0, MIN_STAKE);
        assertEq(_unstake(bob, OWNER1_HOTKEY, 0, MIN_STAKE), MIN_STAKE, "full exit");
    }

    function test_addStakeLimit_rootIgnoresTheLimit() public {
        // root has no price: a limit of 1 rao per alpha still stakes 1:1
        assertEq(_stakeLimit(alice, OWNER1_HOTKEY, 0, TAO, 1, false), TAO, "1:1");
    }

    /* pause */

    function test_RevertWhen_paused_stakingAndMovesRevert() public {
        uint16 net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(alice);
        pools.approve(bob, net1, type(uint256).max);
        _pause();
        bytes4 paused = Pausable.EnforcedPause.selector;
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(paused);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
        vm.expectRevert(paused);
        pools.addStakeLimit{value: _wei(TAO)}(OWNER1_HOTKEY, net1, 2e9, true, NO_DEADLINE);
        vm.expectRevert(paused);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, 0, 0, NO_DEADLINE);
        vm.expectRevert(paused);
        pools.moveStake(OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
        vm.expectRevert(paused);
        pools.transferStake(ck(bob), OWNER1_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
        vm.expectRevert(paused);
        pools.swapStake(OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);
        vm.expectRevert(paused);
        pools.swapStakeLimit(OWNER1_HOTKEY, net1, net2, alpha, 1, true, NO_DEADLINE);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(paused);
        pools.transferStakeFrom(alice, bob, OWNER1_HOTKEY, net1, net1, alpha, 0, NO_DEADLINE);
        vm.deal(origin, 1 ether);
        vm.startPrank(origin);
        vm.expectRevert(paused);
        pools.stakeAs{value: _wei(TAO)}(ck(alice), OWNER1_HOTKEY, net1, 0, false);
        vm.expectRevert(paused);
        pools.transitionAs(ck(alice), ck(alice), OWNER1_HOTKEY, OWNER2_HOTKEY, net1, net1, alpha, 0, false);
        vm.stopPrank();
    }

    function test_pause_neverBlocksUnstaking() public {
        uint16 net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
        uint256 a1 = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        uint256 a2 = _stake(alice, OWNER1_HOTKEY, net2, 10 * TAO);
        _stake(alice, OWNER2_HOTKEY, net1, 10 * TAO);
        _stake(alice, OWNER2_HOTKEY, net2, 10 * TAO);
        _stake(alice, OWNER2_HOTKEY, 0, 10 * TAO);
        bytes32 nativeColdkey = keccak256("native coldkey");
        vm.deal(origin, _wei(10 * TAO));
        vm.prank(origin);
        uint256 asAlpha = pools.stakeAs{value: _wei(10 * TAO)}(nativeColdkey, OWNER1_HOTKEY, net1, 0, false);
        _pause();
        vm.startPrank(alice);
        assertGt(pools.removeStake(OWNER1_HOTKEY, net1, a1 / 2, 0, NO_DEADLINE), 0, "removeStake");
        assertGt(pools.removeStakeLimit(OWNER1_HOTKEY, net2, a2 / 2, 1, true, NO_DEADLINE), 0, "removeStakeLimit");
        assertGt(pools.removeStakeFull(OWNER1_HOTKEY, net1, 0, NO_DEADLINE), 0, "removeStakeFull");
        assertGt(pools.removeStakeFullLimit(OWNER1_HOTKEY, net2, 1, NO_DEADLINE), 0, "removeStakeFullLimit");
        assertGt(pools.unstakeAll(OWNER2_HOTKEY, 0, NO_DEADLINE), 10 * TAO, "unstakeAll, root included");
        vm.stopPrank();
        vm.prank(origin);
        assertGt(pools.unstakeAs(nativeColdkey, OWNER1_HOTKEY, net1, asAlpha, 0, false), 0, "unstakeAs");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(alice), 0), 0, "root unstaked");
    }

    function test_pause_unpauseRestoresStaking() public {
        _pause();
        assertTrue(pools.paused(), "paused");
        vm.prank(pauser);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        pools.pause();
        vm.prank(pauser);
        pools.unpause();
        vm.prank(pauser);
        vm.expectRevert(Pausable.ExpectedPause.selector);
        pools.unpause();
        assertGt(_stake(alice, OWNER1_HOTKEY, net1, TAO), 0, "staking again");
    }

    function test_RevertWhen_pause_callerIsNotPauser() public {
        bytes32 role = pools.PAUSER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        pools.pause();
        _pause();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        pools.unpause();
    }

    /* origins */

    function test_stakeAs_creditsTheColdkeyAndUnstakeAsPaysTheOrigin() public {
        bytes32 coldkey = keccak256("native coldkey");
        uint256 expected = _buyDown(5 * TAO, 100 * TAO, 100 * TAO, FEE);
        vm.deal(origin, _wei(5 * TAO));
        vm.prank(origin);
        uint256 alpha = pools.stakeAs{value: _wei(5 * TAO)}(coldkey, OWNER1_HOTKEY, net1, 0, false);
        assertEq(alpha, expected, "alpha");
        assertEq(pools.getStake(OWNER1_HOTKEY, coldkey, net1), alpha, "credited to the coldkey");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(origin), net1), 0, "not to the origin");
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expectedTao = _sellDown(alpha, x, y, FEE);
        vm.prank(origin);
        uint256 taoOut = pools.unstakeAs(coldkey, OWNER1_HOTKEY, net1, alpha, 0, false);
        assertEq(taoOut, expectedTao, "TAO");
        assertEq(origin.balance, _wei(taoOut), "the origin receives the TAO");
        assertEq(pools.getStake(OWNER1_HOTKEY, coldkey, net1), 0, "exited");
    }

    function test_stakeAs_partialFillRefundsTheOrigin() public {
        uint256 used = _grossForNetUp(10 * TAO, FEE);
        vm.deal(origin, _wei(50 * TAO));
        vm.prank(origin);
        uint256 alpha = pools.stakeAs{value: _wei(50 * TAO)}(ck(alice), OWNER1_HOTKEY, net1, 1.21e9, true);
        assertEq(alpha, _outDown(10 * TAO, 100 * TAO, 100 * TAO), "alpha for what fits");
        assertEq(origin.balance, _wei(50 * TAO - used), "refund to the origin");
        // fill-or-kill through the origin: the whole net must fit under the limit
        uint256 maxNet = _maxNetAtCurrent(2e9);
        vm.deal(origin, _wei(50 * TAO));
        vm.prank(origin);
        vm.expectRevert(_err(IAlphaPoolsTypes.SlippageTooHigh.selector, 50 * TAO - _feeUp(50 * TAO, FEE), maxNet));
        pools.stakeAs{value: _wei(50 * TAO)}(ck(alice), OWNER1_HOTKEY, net1, 2e9, false);
    }

    function test_unstakeAs_limitAndPartial() public {
        vm.deal(origin, _wei(100 * TAO));
        vm.prank(origin);
        uint256 alpha = pools.stakeAs{value: _wei(100 * TAO)}(ck(alice), OWNER1_HOTKEY, net1, 0, false);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 limit = _spotRao(x, y) / 2;
        uint256 maxNet = _sqrtDown((x * y * PRICE_SCALE) / limit) - y;
        vm.prank(origin);
        uint256 taoOut = pools.unstakeAs(ck(alice), OWNER1_HOTKEY, net1, alpha, limit, true);
        assertEq(taoOut, _outDown(maxNet, y, x), "partial sale");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - _grossForNetUp(maxNet, FEE), "the rest stays");
    }

    function test_transitionAs_movesAnyColdkeysStakeAndPaysFreeTaoToTheOrigin() public {
        uint16 net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(origin);
        uint256 moved = pools.transitionAs(
            ck(alice),
            ck(bob),
            OWNER1_HOTKEY,
            OWNER2_HOTKEY,
            net1,
            net1,
            alpha,
            0,
            false
        );
        assertEq(moved, alpha, "same netuid: no swap");
        assertEq(pools.getStake(OWNER2_HOTKEY, ck(bob), net1), alpha, "arrived");
        // cross-netuid into a destination whose minimum is above the intermediate TAO: paid to the origin
        _setPoolSettings(net2, uint16(FEE), uint64(1000 * TAO));
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expectedTao = _sellDown(alpha, x, y, FEE);
        vm.prank(origin);
        uint256 out = pools.transitionAs(ck(bob), ck(bob), OWNER2_HOTKEY, OWNER2_HOTKEY, net1, net2, alpha, 0, false);
        assertEq(out, 0, "nothing staked");
        assertEq(origin.balance, _wei(expectedTao), "free TAO to the origin");
    }

    function test_burnAlphaAs_burnsTheColdkeysStake() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        vm.prank(origin);
        pools.burnAlphaAs(ck(alice), OWNER1_HOTKEY, net1, alpha / 4);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - alpha / 4, "burned");
        assertEq(_emission(net1).unownedAlphaRao, alpha / 4, "unowned");
    }

    function test_RevertWhen_origins_callerLacksOriginRole() public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        bytes32 role = pools.ORIGIN_ROLE();
        bytes memory denied = _unauthorized(alice, role);
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(denied);
        pools.stakeAs{value: _wei(TAO)}(ck(alice), OWNER1_HOTKEY, net1, 0, false);
        vm.expectRevert(denied);
        pools.unstakeAs(ck(alice), OWNER1_HOTKEY, net1, alpha, 0, false);
        vm.expectRevert(denied);
        pools.transitionAs(ck(alice), ck(bob), OWNER1_HOTKEY, OWNER1_HOTKEY, net1, net1, alpha, 0, false);
        vm.expectRevert(denied);
        pools.burnAlphaAs(ck(alice), OWNER1_HOTKEY, net1, alpha);
        vm.stopPrank();
    }

    /* helpers */

    function _maxNetAtCurrent(uint256 limit) internal returns (uint256) {
        (uint256 x, uint256 y) = _reservesNow(net1);
        return _sqrtDown((x * y * limit) / PRICE_SCALE) - x;
    }
}
