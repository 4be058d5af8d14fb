// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {MarketsLens} from "../../../contracts/lens/MarketsLens.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @notice Fuzzed properties of the pools with emission running: round trips never profit, quotes (which apply the
/// catch-up that is due) equal the executed swaps, rounding favours the pool, the ledger's shares add up.
contract AlphaPoolsFuzzTest is PoolsTestBase {
    uint16 internal net1;
    uint16 internal net2;
    MarketsLens internal lens;

    function setUp() public override {
        super.setUp(); // 100 000 TAO in the emission reserve
        net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        net2 = _newStartedSubnet(owner2, OWNER2_HOTKEY);
        lens = MarketsLens(Deploy.create("MarketsLens.sol:MarketsLens", abi.encode(pools, registry, metagraph)));
        _advance(5);
    }

    /// @dev Stake then unstake everything in the same block returns at most what was put in, for any fee rate,
    /// any earlier stake on the hotkey and any emission before.
    function testFuzz_stakeThenUnstake_neverProfits(
        uint256 amount,
        uint256 feeRate,
        uint256 seed,
        uint256 blocks
    ) public {
        feeRate = _bound(feeRate, 0, 10_000);
        _setPoolSettings(net1, uint16(feeRate), uint64(MIN_STAKE));
        _stake(bob, OWNER1_HOTKEY, net1, _bound(seed, TAO, 500 * TAO));
        _advance(_bound(blocks, 0, 50));
        amount = _bound(amount, _grossForNetUp(MIN_STAKE, feeRate), 5_000 * TAO);
        uint256 bobBefore = pools.getStake(OWNER1_HOTKEY, ck(bob), net1);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, amount);
        vm.prank(alice);
        uint256 back = pools.removeStakeFull(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
        assertLe(back, amount, "a round trip never profits");
        assertGt(alpha, 0, "alpha bought");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 0, "nothing left");
        assertGe(pools.getStake(OWNER1_HOTKEY, ck(bob), net1), bobBefore, "the other holder lost nothing");
    }

    /// @dev Stake on net1, swap to net2 and back, unstake: never more TAO than went in.
    function testFuzz_swapRoundTrip_neverProfits(uint256 amount, uint256 blocks) public {
        amount = _bound(amount, TAO, 2_000 * TAO);
        _advance(_bound(blocks, 0, 30));
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, amount);
        vm.startPrank(alice);
        uint256 there = pools.swapStake(OWNER1_HOTKEY, net1, net2, alpha, 0, NO_DEADLINE);
        uint256 back = pools.swapStake(OWNER1_HOTKEY, net2, net1, there, 0, NO_DEADLINE);
        uint256 taoOut = pools.removeStake(OWNER1_HOTKEY, net1, back, 0, NO_DEADLINE);
        vm.stopPrank();
        assertLe(taoOut, amount, "a round trip through two pools never profits");
    }

    /// @dev The lens quotes as of the current block (the due catch-up applied in a view) and the stake executes
    /// after the same catch-up: they agree exactly, and so do the unstake quote and the unstake.
    function testFuzz_quote_equalsTheExecutedSwap(
        uint256 amount,
        uint256 blocks,
        uint256 fraction,
        uint256 later
    ) public {
        amount = _bound(amount, _grossForNetUp(MIN_STAKE, FEE), 10_000 * TAO);
        _advance(_bound(blocks, 0, 200));
        uint256 quote = lens.quoteStake(net1, amount);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, amount);
        assertEq(alpha, quote, "stake = quote");
        _advance(_bound(later, 0, 200));
        uint256 sell = (alpha * _bound(fraction, 1, 10_000)) / 10_000;
        if (sell == 0) sell = alpha;
        uint256 quoteOut = lens.quoteUnstake(net1, sell);
        // a partial sale that leaves stake behind must be worth the minimum: sell everything otherwise
        if (sell < alpha && quoteOut < MIN_STAKE) {
            sell = alpha;
            quoteOut = lens.quoteUnstake(net1, sell);
        }
        assertEq(_unstake(alice, OWNER1_HOTKEY, net1, sell), quoteOut, "unstake = quote");
        assertEq(lens.quoteStake(0, amount), amount, "root quotes 1:1");
    }

    /// @dev Every rounding goes the pool's way: x·y never falls on a trade, a holder is never credited more alpha than
    /// was bought, a partial exit never leaves more than the rest, and another holder's value never falls.
    function testFuzz_rounding_favoursThePool(uint256 amount, uint256 seed, uint256 fraction) public {
        _stake(bob, OWNER1_HOTKEY, net1, _bound(seed, _grossForNetUp(MIN_STAKE, FEE), 1_000 * TAO));
        amount = _bound(amount, _grossForNetUp(MIN_STAKE, FEE), 3_000 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 bobValue = pools.getStake(OWNER1_HOTKEY, ck(bob), net1);

        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, amount);
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertGe(uint256(p.taoRao) * p.alphaRao, x * y, "x*y never falls on a buy");
        uint256 net = amount - _feeUp(amount, FEE);
        assertLe(alpha * (x + net), y * net, "alpha out rounded down");
        uint256 held = pools.getStake(OWNER1_HOTKEY, ck(alice), net1);
        assertLe(held, alpha, "never credited more than bought");
        assertGe(pools.getStake(OWNER1_HOTKEY, ck(bob), net1), bobValue, "bob's value never falls on a stake");

        bobValue = pools.getStake(OWNER1_HOTKEY, ck(bob), net1);
        uint256 sell = (held * _bound(fraction, 1, 9_999)) / 10_000;
        (x, y) = (p.taoRao, p.alphaRao);
        if (sell == 0 || _sellDown(sell, x, y, FEE) < MIN_STAKE) return;
        uint256 taoOut = _unstake(alice, OWNER1_HOTKEY, net1, sell);
        p = _pool(net1);
        assertGe(uint256(p.taoRao) * p.alphaRao, x * y, "x*y never falls on a sale");
        uint256 netAlpha = sell - _feeUp(sell, FEE);
        assertLe(taoOut * (y + netAlpha), x * netAlpha, "TAO out rounded down");
        assertLe(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), held - sell, "the rest, rounded down");
        assertGe(pools.getStake(OWNER1_HOTKEY, ck(bob), net1), bobValue, "bob's value never falls on a sale");
    }

    /// @dev Random stakes, partial and full unstakes and same-netuid moves by three holders on two hotkeys: the
    /// holders' shares always sum to each hotkey pool's total, and their values never exceed its alpha.
    function testFuzz_shares_sumEqualsTotals(uint256[8] calldata ops) public {
        address[3] memory who = [alice, bob, carol];
        bytes32[2] memory hks = [OWNER1_HOTKEY, OWNER2_HOTKEY];
        for (uint256 i; i < ops.length; ++i) {
            uint256 op = ops[i];
            address actor = who[op % 3];
            bytes32 hk = hks[(op >> 8) % 2];
            uint256 held = pools.getStake(hk, ck(actor), net1);
            uint256 kind = (op >> 16) % 3;
            if (kind == 0 || held == 0) {
                _stake(actor, hk, net1, _bound(op >> 32, _grossForNetUp(MIN_STAKE, FEE), 200 * TAO));
            } else if (kind == 1) {
                uint256 sell = (held * _bound(op >> 32, 1, 10_000)) / 10_000;
                (uint256 x, uint256 y) = _reservesNow(net1);
                if (sell == 0 || (sell < held && _sellDown(sell, x, y, FEE) < MIN_STAKE)) sell = held;
                if (_sellDown(sell, x, y, FEE) == 0) continue;
                _unstake(actor, hk, net1, sell);
            } else {
                (uint256 x, uint256 y) = _reservesNow(net1);
                if ((held * _spotRao(x, y)) / PRICE_SCALE < MIN_STAKE) continue;
                vm.prank(actor);
                pools.moveStake(hk, hks[((op >> 8) + 1) % 2], net1, net1, held, 0, NO_DEADLINE);
            }
            _advance((op >> 40) % 3);
            for (uint256 h; h < 2; ++h) {
                uint256 sumShares;
                uint256 sumValues;
                for (uint256 j; j < 3; ++j) {
                    sumShares += _sharesOf(net1, 1, hks[h], ck(who[j]));
                    sumValues += pools.getStake(hks[h], ck(who[j]), net1);
                }
                IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(hks[h], net1);
                assertEq(sumShares, hp.shares, "shares sum to the total");
                assertLe(sumValues, hp.alphaRao, "values within the pool's alpha");
            }
        }
    }

    /// @dev A partial limit buy moves the price at most to the limit and refunds exactly the unused TAO.
    function testFuzz_addStakeLimit_partialFillRefundsExactly(uint256 amount, uint256 limitBps) public {
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 spot = _spotRao(x, y);
        uint256 limit = spot + 1 + (spot * _bound(limitBps, 100, 50_000)) / 10_000;
        uint256 maxNet = _sqrtDown((x * y * limit) / PRICE_SCALE) - x;
        amount = _bound(amount, 10 * TAO, 20_000 * TAO);
        uint256 net = amount - _feeUp(amount, FEE);
        uint256 used = net <= maxNet ? amount : _grossForNetUp(maxNet, FEE);
        uint256 alpha = _stakeLimit(alice, OWNER1_HOTKEY, net1, amount, limit, true);
        assertEq(alice.balance, _wei(amount - used), "refund of the unused TAO, in whole rao");
        assertEq(alpha, _outDown(net <= maxNet ? net : maxNet, x, y), "alpha for the net that fits");
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, x + used, "the pool took what was used");
        assertLe(
            (p.taoRao - (used - (net <= maxNet ? net : maxNet))) * PRICE_SCALE,
            limit * p.alphaRao,
            "within limit"
        );
    }

    /// @dev A partial cross-netuid limit swap moves exactly min(amount, the constant-product maximum).
    function testFuzz_swapStakeLimit_movesTheConstantProductMaximum(uint256 amount, uint256 limitPct) public {
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, net1, _bound(amount, 5 * TAO, 1_000 * TAO));
        (uint256 y1, uint256 x1) = _reservesNow(net1);
        (uint256 y2, uint256 x2) = _reservesNow(net2);
        uint256 ratio = (y1 * x2 * PRICE_SCALE) / (x1 * y2);
        uint256 limit = (ratio * _bound(limitPct, 50, 99)) / 100;
        uint256 root = _sqrtDown((x1 * y1 * PRICE_SCALE * x2 * y2) / limit);
        uint256 maxAlpha = root > x1 * y2 ? (root - x1 * y2) / (y1 + y2) : 0;
        uint256 moved = alpha < maxAlpha ? alpha : maxAlpha;
        if (_sellDown(moved, y1, x1, FEE) <= MIN_STAKE) return; // the origin sale must exceed the minimum
        vm.prank(alice);
        pools.swapStakeLimit(OWNER1_HOTKEY, net1, net2, alpha, limit, true, NO_DEADLINE);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), alpha - moved, "moved exactly the maximum");
    }
}

/// @notice Fuzzed vesting: whatever the amounts and timing, the holders together never receive more than was
/// credited, a late staker gains at most its share of what vests after it came, and all of it vests by the end.
contract AlphaPoolsVestingFuzzTest is PoolsTestBase {
    uint16 internal net1;
    uint32 internal gen;
    IAlphaPoolsTypes.PendingEmission internal pot;

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        _advance(200);
        vm.prank(settler);
        (gen, pot) = pools.closePending(net1);
    }

    function testFuzz_vesting_neverPaysMoreThanCredited(
        uint256 s,
        uint256 d,
        uint256 b,
        uint256 joinAfter,
        uint256 checkAfter
    ) public {
        uint16 tempo = pools.subnetConfig(net1).tempo;
        uint256 sAlpha = _stake(alice, OWNER1_HOTKEY, net1, _bound(s, TAO, 500 * TAO));
        d = _bound(d, 1, pot.validatorAlphaRao);
        uint256 t0 = _now();
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), d);
        joinAfter = _bound(joinAfter, 0, tempo + 5);
        vm.roll(t0 + joinAfter);
        uint256 vestedAtJoin = joinAfter >= tempo ? d : (d * joinAfter) / tempo;
        uint256 bAlpha = _stake(bob, OWNER1_HOTKEY, net1, _bound(b, TAO, 500 * TAO));
        checkAfter = _bound(checkAfter, joinAfter, 3 * tempo);
        vm.roll(t0 + checkAfter);

        uint256 aliceValue = pools.getStake(OWNER1_HOTKEY, ck(alice), net1);
        uint256 bobValue = pools.getStake(OWNER1_HOTKEY, ck(bob), net1);
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(OWNER1_HOTKEY, net1);
        assertLe(aliceValue + bobValue, sAlpha + bAlpha + d, "never more than principal + credit");
        assertLe(aliceValue + bobValue, hp.alphaRao, "only vested alpha is paid");
        assertEq(uint256(hp.alphaRao) + hp.unvestedAlphaRao, sAlpha + bAlpha + d, "nothing lost either");
        // bob gains at most his pro-rata part of what vested after he came (plus one alpha-rao of rounding)
        if (bobValue > bAlpha) {
            uint256 fair = ((d - vestedAtJoin) * bAlpha) / (sAlpha + vestedAtJoin + bAlpha);
            assertLe(bobValue - bAlpha, fair + 1, "bob's gain within his share of the later vesting");
        }
        if (checkAfter >= tempo) assertEq(hp.unvestedAlphaRao, 0, "all vested by the end of the tempo");
    }
}
