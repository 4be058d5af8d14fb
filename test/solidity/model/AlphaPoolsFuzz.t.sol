// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AlphaPoolsTestBase} from "./AlphaPoolsTestBase.sol";

/// @notice Fuzzed properties of staking through the pools.
contract AlphaPoolsFuzzTest is AlphaPoolsTestBase {
    uint256 internal constant MIN_GROSS = 2_001_008; // min stake grossed up for the 33/65535 fee

    function setUp() public override {
        super.setUp();
        // an emitting subnet, so that accrual is part of the picture before each swap
        vm.prank(owner1);
        registry.startCall(netuid);
        _rollBy(5);
    }

    /// @dev Stake then unstake everything in the same block never returns more than was put in.
    function testFuzz_stakeThenUnstake_neverProfits(uint256 amount, uint256 feeRate, uint256 seedStake) public {
        feeRate = _bound(feeRate, 0, 10_000);
        vm.prank(admin);
        registry.setPoolFees(netuid, uint16(feeRate), uint64(MIN_STAKE));
        _stake(bob, OWNER1_HOTKEY, netuid, _bound(seedStake, 0, 500 * TAO) + TAO);
        uint256 minGross = MIN_STAKE + (MIN_STAKE * feeRate + (D - feeRate) - 1) / (D - feeRate);
        amount = _bound(amount, minGross, 5_000 * TAO);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, amount);
        vm.prank(alice);
        uint256 back = pools.removeStakeFull(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
        assertLe(back, amount, "round trip never profits");
        assertLe(pools.getStake(OWNER1_HOTKEY, ck(alice), netuid), 0, "nothing left");
        assertGt(alpha, 0, "alpha bought");
    }

    /// @dev The quote equals the executed swap when nothing accrues in between (same block, already accrued).
    function testFuzz_simSwapTaoForAlpha_equalsStake(uint256 amount) public {
        amount = _bound(amount, MIN_GROSS, 50_000 * TAO);
        pools.poke(netuid);
        uint256 quote = pools.simSwapTaoForAlpha(netuid, amount);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, amount);
        assertEq(alpha, quote, "quote == stake");
    }

    function testFuzz_simSwapAlphaForTao_equalsUnstake(uint256 amount, uint256 fraction) public {
        amount = _bound(amount, TAO, 50_000 * TAO);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, netuid, amount);
        _rollBy(3);
        pools.poke(netuid);
        uint256 sell = (_bound(fraction, 1, 10_000) * alpha) / 10_000;
        if (sell == 0) sell = alpha;
        uint256 quote = pools.simSwapAlphaForTao(netuid, sell);
        // a partial sale that leaves stake behind must be worth the minimum; sell everything otherwise
        if (quote < MIN_STAKE) {
            sell = alpha;
            quote = pools.simSwapAlphaForTao(netuid, sell);
        }
        uint256 out = _unstake(alice, OWNER1_HOTKEY, netuid, sell);
        assertEq(out, quote, "quote == unstake");
    }

    /// @dev A partial fill leaves the curve price within the limit and refunds exactly the unused TAO.
    function testFuzz_addStakeLimit_partialFillWithinLimit(uint256 amount, uint256 limitBps) public {
        pools.poke(netuid);
        (uint256 x, uint256 y) = _reserves(netuid);
        uint256 spot = (x * 1e9) / y;
        uint256 limit = spot + 1 + (spot * _bound(limitBps, 100, 50_000)) / 10_000;
        amount = _bound(amount, 10 * TAO, 20_000 * TAO);
        vm.deal(alice, _wei(amount));
        vm.prank(alice);
        uint256 alpha = pools.addStakeLimit{value: _wei(amount)}(OWNER1_HOTKEY, netuid, limit, true, NO_DEADLINE);
        uint256 used = amount - alice.balance / WEI_PER_RAO;
        assertEq(alice.balance % WEI_PER_RAO, 0, "refund in whole rao");
        (uint256 x2, uint256 y2) = _reserves(netuid);
        assertEq(x2, x + used, "pool took exactly the used TAO");
        assertEq(y2, y - alpha, "alpha out");
        uint256 fee = used == amount ? _fee(amount, FEE) : used - _netOfUsed(x, y, limit);
        assertLe((x2 - fee) * 1e9, limit * y2, "curve price <= limit");
    }

    function _netOfUsed(uint256 x, uint256 y, uint256 limit) internal pure returns (uint256) {
        uint256 v = (x * y * limit) / 1e9;
        uint256 r = v;
        uint256 z = (v + 1) / 2;
        while (z < r) (r, z) = (z, (v / z + z) / 2);
        return r - x;
    }
}
