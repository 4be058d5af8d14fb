// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {CoinbaseLib} from "../../../contracts/libraries/CoinbaseLib.sol";
import {EmissionMath} from "../../../contracts/libraries/EmissionMath.sol";
import {MovingPriceLib} from "../../../contracts/libraries/MovingPriceLib.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {Assertions} from "../utils/Assertions.sol";

/// @notice CoinbaseLib on state in memory: the global index and its reserve, the injection with the alpha-in cap and
/// the chain buy, the split of the pending alpha, the reweighing, and whole catch-ups.
contract CoinbaseLibTest is Assertions {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant MIN_RESERVE = 1_000_000;
    uint256 internal constant OWNER_CUT = 11_796;

    function _global(
        uint256 index,
        uint256 lastBlock,
        uint256 totalWeight,
        uint256 reserve
    ) internal pure returns (IAlphaPoolsTypes.Global memory g) {
        g = IAlphaPoolsTypes.Global(uint88(index), uint32(lastBlock), uint40(totalWeight), 0, uint56(reserve));
    }

    /* advanceGlobal */

    function test_advanceGlobal_drawsTheScheduleFromTheReserve() public pure {
        IAlphaPoolsTypes.Global memory g = _global(5, 100, 1_000, 50e9);
        // issuance = issuance + reserve − reserve = 0: 1 TAO per block
        uint256 shortfall = CoinbaseLib.advanceGlobal(g, 50e9, 110);
        assertEq(shortfall, 0, "fully backed");
        assertEq(g.lastBlock, 110, "caught up");
        assertEq(g.index, 5 + (10e9 * 1e9) / 1_000, "index += emission x 1e9 / total weight");
        assertEq(g.reserveRao, 40e9, "reserve drawn");
    }

    function test_advanceGlobal_dryReserveBacksWhatItHas() public pure {
        IAlphaPoolsTypes.Global memory g = _global(0, 100, 1_000, 3e9);
        uint256 shortfall = CoinbaseLib.advanceGlobal(g, 3e9, 110);
        assertEq(shortfall, 7e9, "the unbacked part");
        assertEq(g.index, (3e9 * 1e9) / 1_000, "only the backed part is indexed");
        assertEq(g.reserveRao, 0, "reserve empty");
    }

    function test_advanceGlobal_noOpCases() public pure {
        IAlphaPoolsTypes.Global memory g = _global(9, 100, 1_000, 3e9);
        assertEq(CoinbaseLib.advanceGlobal(g, 3e9, 100), 0, "same block");
        assertEq(CoinbaseLib.advanceGlobal(g, 3e9, 99), 0, "earlier block");
        assertEq(g.lastBlock, 100, "unchanged");
        IAlphaPoolsTypes.Global memory idle = _global(9, 100, 0, 3e9);
        assertEq(CoinbaseLib.advanceGlobal(idle, 3e9, 150), 0, "no emitting subnet: nothing is issued");
        assertEq(idle.lastBlock, 150, "but the clock moves");
        assertEq(idle.index, 9, "index unchanged");
        assertEq(idle.reserveRao, 3e9, "reserve unchanged");
    }

    /// @dev Past the first halving (issuance 10.5M TAO) a block emits 0.5 TAO.
    function test_advanceGlobal_followsTheHalving() public pure {
        uint256 issuance = EmissionMath.TOTAL_SUPPLY / 2;
        IAlphaPoolsTypes.Global memory g = _global(0, 100, 1, 100e9);
        CoinbaseLib.advanceGlobal(g, issuance + 100e9, 110);
        assertEq(g.reserveRao, 95e9, "10 blocks at 0.5 TAO");
    }

    /// @dev Catching up in two steps or one draws the same TAO and leaves the same index (up to one unit per step of
    /// rounding): a dry reserve is shared by the schedule, whatever the timing. Within one era of the halving.
    function testFuzz_advanceGlobal_timingDoesNotMatter(
        uint256 reserve,
        uint256 weight,
        uint256 split,
        uint256 blocks
    ) public pure {
        reserve = _bound(reserve, 0, 1e15);
        weight = _bound(weight, 1, 1e12);
        blocks = _bound(blocks, 1, 100_000);
        split = _bound(split, 0, blocks);
        IAlphaPoolsTypes.Global memory once = _global(0, 1_000, weight, reserve);
        IAlphaPoolsTypes.Global memory twice = _global(0, 1_000, weight, reserve);
        uint256 shortOnce = CoinbaseLib.advanceGlobal(once, reserve, 1_000 + blocks);
        uint256 shortTwice = CoinbaseLib.advanceGlobal(twice, reserve, 1_000 + split);
        shortTwice += CoinbaseLib.advanceGlobal(twice, reserve, 1_000 + blocks);
        assertEq(twice.reserveRao, once.reserveRao, "same TAO drawn");
        assertEq(shortTwice, shortOnce, "same shortfall");
        assertApproxAbs(twice.index, once.index, 1, "same index up to rounding");
        // conservation: backed + shortfall = the schedule
        assertEq(reserve - once.reserveRao + shortOnce, blocks * 1e9, "backed + shortfall = schedule");
        assertLe(uint256(once.index) * weight, (reserve - once.reserveRao) * 1e9, "the index never over-issues");
    }

    /* injection */

    function test_injection_underTheCapKeepsThePrice() public pure {
        IAlphaPoolsTypes.Pool memory p = IAlphaPoolsTypes.Pool(100e9, 200e9, 0, 0);
        (uint256 taoIn, uint256 alphaIn, uint256 buy, uint256 bought) = CoinbaseLib.injection(p, 1e9, 10e9);
        assertEq(taoIn, 1e9, "all TAO injected");
        assertEq(alphaIn, 2e9, "alpha at the current price");
        assertEq(buy, 0, "no chain buy");
        assertEq(bought, 0, "nothing bought");
        (taoIn, alphaIn, buy, bought) = CoinbaseLib.injection(p, 0, 10e9);
        assertEq(taoIn + alphaIn + buy + bought, 0, "no emission, no injection");
    }

    function test_injection_aboveTheCapBuysAlpha() public pure {
        IAlphaPoolsTypes.Pool memory p = IAlphaPoolsTypes.Pool(100e9, 200e9, 0, 0);
        (uint256 taoIn, uint256 alphaIn, uint256 buy, uint256 bought) = CoinbaseLib.injection(p, 1e9, 5e8);
        assertEq(alphaIn, 5e8, "alpha capped");
        assertEq(taoIn, 25e7, "TAO injected at the price of the capped alpha");
        assertEq(buy, 75e7, "the rest buys alpha");
        assertEq(bought, PoolMath.amountOutDown(75e7, 100e9 + 25e7, 200e9 + 5e8), "fee-less, after the injection");
        // a zero cap (no root stake): everything is a chain buy
        (taoIn, alphaIn, buy, ) = CoinbaseLib.injection(p, 1e9, 0);
        assertEq(taoIn + alphaIn, 0, "nothing injected");
        assertEq(buy, 1e9, "all bought");
    }

    function test_injection_chainBuyNeverDrainsTheReserve() public pure {
        IAlphaPoolsTypes.Pool memory p = IAlphaPoolsTypes.Pool(1e9, 1_500_000, 0, 0);
        (, , , uint256 bought) = CoinbaseLib.injection(p, 1_000e9, 0);
        assertEq(bought, 500_000, "stops at the minimum reserve");
        IAlphaPoolsTypes.Pool memory dry = IAlphaPoolsTypes.Pool(1e9, 900_000, 0, 0);
        (, , , bought) = CoinbaseLib.injection(dry, 1_000e9, 0);
        assertEq(bought, 0, "below the minimum already: buys nothing");
    }

    function testFuzz_injection_splitsTheEmission(
        uint256 tao,
        uint256 alpha,
        uint256 emission,
        uint256 cap
    ) public pure {
        tao = _bound(tao, MIN_RESERVE, 1e16);
        alpha = _bound(alpha, MIN_RESERVE, 1e16);
        emission = _bound(emission, 0, 1e12);
        cap = _bound(cap, 0, 1e12);
        IAlphaPoolsTypes.Pool memory p = IAlphaPoolsTypes.Pool(uint64(tao), uint64(alpha), 0, 0);
        (uint256 taoIn, uint256 alphaIn, uint256 buy, uint256 bought) = CoinbaseLib.injection(p, emission, cap);
        assertEq(taoIn + buy, emission, "every rao of emission is injected or buys");
        assertLe(alphaIn, cap, "alpha in within the cap");
        // the injection is at the pool's price: alphaIn/taoIn within rounding of alpha/tao
        assertLe(alphaIn * tao, (taoIn + 1) * alpha, "not more alpha than the price gives");
        if (alpha + alphaIn >= MIN_RESERVE) assertLe(bought, alpha + alphaIn - MIN_RESERVE, "reserve kept");
        if (buy == 0) assertEq(bought, 0, "no buy, nothing bought");
    }

    /* splitPending */

    function test_splitPending_ownerMinersValidatorsRoot() public pure {
        IAlphaPoolsTypes.Books memory b = IAlphaPoolsTypes.Books(10e9, 1e9, 5e8, 0);
        IAlphaPoolsTypes.PendingEmission memory pot = CoinbaseLib.splitPending(b);
        assertEq(pot.ownerCutAlphaRao, 1_799_954_222, "18 %: 10e9 x 11796 / 65535");
        assertEq(pot.serverAlphaRao, (10e9 - 1_799_954_222) / 2, "miners: half the rest");
        assertEq(pot.rootAlphaRao, 1e9, "root part as accrued");
        uint256 validatorHalf = 10e9 - 1_799_954_222 - (10e9 - 1_799_954_222) / 2;
        assertEq(pot.validatorAlphaRao, validatorHalf - 1e9 - 5e8, "validators: their half less root and recycled");
    }

    /* reweigh */

    function test_reweigh_movesTheGlobalSums() public pure {
        IAlphaPoolsTypes.Emission memory em = IAlphaPoolsTypes.Emission(0, 100, 6e17, 0);
        IAlphaPoolsTypes.Global memory g = IAlphaPoolsTypes.Global(777, 0, 1_100, 2e9, 0);
        // moving 0.6 TAO = 6e8 rao per alpha; miner burn a quarter
        CoinbaseLib.reweigh(em, g, 1e8, 16_383);
        uint256 movingRao = 6e8;
        uint256 weight = (movingRao * (65_535 - 16_383)) / 65_535;
        assertEq(em.weight, weight, "moving price x (1 - burn)");
        assertEq(g.totalWeight, 1_100 - 100 + weight, "total weight follows");
        assertEq(g.sumMovingPriceRao, 2e9 - 1e8 + 6e8, "sum of moving prices follows");
        assertEq(em.indexSnapshot, 777, "snapshot at the current index");
        // a zero moving price still weighs 1, so the subnet stays in the index
        IAlphaPoolsTypes.Emission memory zero = IAlphaPoolsTypes.Emission(0, 5, 0, 0);
        CoinbaseLib.reweigh(zero, g, 0, 65_535);
        assertEq(zero.weight, 1, "at least 1");
    }

    /* catchUp */

    struct Subnet {
        IAlphaPoolsTypes.Pool pool;
        IAlphaPoolsTypes.Emission em;
        IAlphaPoolsTypes.Books books;
        IAlphaPoolsTypes.Global g;
        IAlphaPoolsTypes.SubnetConfig config;
    }

    function _subnet() internal pure returns (Subnet memory s) {
        s.pool = IAlphaPoolsTypes.Pool(100e9, 100e9, 1_000, 0);
        s.em = IAlphaPoolsTypes.Emission(0, 1e9, 1e18, 0);
        s.books = IAlphaPoolsTypes.Books(0, 0, 0, 100e9);
        // 10 TAO of emission indexed for this subnet's weight since its snapshot
        s.g = IAlphaPoolsTypes.Global(10e9, 1_010, 1e9, 1e9, 0);
        s.config = IAlphaPoolsTypes.SubnetConfig(2_000_000, 1, 501, 33, 0, 20, true, true);
    }

    function _ctx(uint256 blockNumber, uint256 rootTaoRao) internal pure returns (CoinbaseLib.Context memory) {
        return CoinbaseLib.Context(blockNumber, rootTaoRao, 1e17, 100, 0.18e18);
    }

    /// @dev Without root stake the cap is zero: all TAO emission buys alpha for nobody; Σ moving prices ≤ 1 turns
    /// the (zero) root share into recycling.
    function test_catchUp_withoutRootStake() public pure {
        Subnet memory s = _subnet();
        CoinbaseLib.Accrual memory a = CoinbaseLib.catchUp(s.pool, s.em, s.books, s.g, s.config, _ctx(1_010, 0));
        assertEq(a.blocks, 10, "ten blocks");
        assertEq(a.emittedAlphaRao, 10e9, "1 alpha per block");
        assertEq(a.injectedTaoRao + a.injectedAlphaRao, 0, "nothing injected");
        assertEq(a.chainBuyTaoRao, 10e9, "all TAO buys");
        uint256 bought = PoolMath.amountOutDown(10e9, 100e9, 100e9);
        assertEq(s.pool.taoRao, 110e9, "TAO in the pool");
        assertEq(s.pool.alphaRao, 100e9 - bought, "alpha bought out");
        assertEq(s.em.unownedAlphaRao, bought, "bought alpha is nobody's");
        assertEq(s.pool.lastAccrualBlock, 1_010, "accrued");
        assertEq(s.books.pendingAlphaOutRao, 10e9, "pending emission");
        assertEq(s.books.pendingRootAlphaRao + s.books.pendingRecycledRootAlphaRao, 0, "no root share");
        assertEq(s.books.alphaIssuanceRao, 110e9, "issuance grows by the emission");
        uint256 expectedMoving = MovingPriceLib.advance(
            1e18,
            PoolMath.spotPriceWad(110e9, 100e9 - bought),
            1e17,
            100,
            1_000 + 2 - 501,
            10
        );
        assertEq(s.em.movingPriceWad, expectedMoving, "moving price advanced from the first emission block");
        assertEq(s.em.indexSnapshot, 10e9, "snapshot moved to the index");
    }

    /// @dev With root stake the alpha-in is capped at the root proportion of the alpha emission, and with
    /// Σ moving prices > 1 the root share of the validators' half is pending for root stakers.
    function test_catchUp_withRootStake() public pure {
        Subnet memory s = _subnet();
        s.g.sumMovingPriceRao = 2e9;
        uint256 rootTao = 1_000e9;
        CoinbaseLib.Accrual memory a = CoinbaseLib.catchUp(s.pool, s.em, s.books, s.g, s.config, _ctx(1_010, rootTao));
        uint256 rootSide = rootTao * 0.18e18;
        uint256 denominator = rootSide + 100e9 * WAD;
        uint256 cap = Math.mulDiv(10e9, rootSide, denominator);
        assertEq(a.injectedAlphaRao, cap, "alpha in = cap");
        assertEq(a.injectedTaoRao, cap, "TAO in at price 1");
        assertEq(a.chainBuyTaoRao, 10e9 - cap, "the rest buys");
        uint256 cut = (10e9 * OWNER_CUT) / 65_535;
        uint256 validatorHalf = 10e9 - cut - (10e9 - cut) / 2;
        assertEq(s.books.pendingRootAlphaRao, Math.mulDiv(validatorHalf, rootSide, denominator), "root share pending");
        assertEq(s.books.alphaIssuanceRao, 100e9 + cap + 10e9, "issuance: alpha in + alpha out");
        // the same with Σ moving prices ≤ 1: recycled, and out of the issuance
        Subnet memory t = _subnet();
        CoinbaseLib.catchUp(t.pool, t.em, t.books, t.g, t.config, _ctx(1_010, rootTao));
        assertEq(t.books.pendingRootAlphaRao, 0, "nothing pending for root");
        assertEq(t.books.pendingRecycledRootAlphaRao, s.books.pendingRootAlphaRao, "recycled instead");
        assertEq(t.books.alphaIssuanceRao, s.books.alphaIssuanceRao - s.books.pendingRootAlphaRao, "out of issuance");
    }

    /// @dev Over any sequence of catch-ups: the emission is conserved in the books (issuance = pool alpha + unowned
    /// + pending − recycled), the pool receives exactly the TAO emission, and the pending split never underflows.
    function testFuzz_catchUp_conservesAlphaAndSplits(
        uint256 seed,
        uint256 steps,
        uint256 rootTao,
        bool flag
    ) public pure {
        steps = _bound(steps, 1, 12);
        rootTao = _bound(rootTao, 0, 1e16);
        Subnet memory s = _subnet();
        s.em = IAlphaPoolsTypes.Emission(0, 1, 0, 0);
        s.g = IAlphaPoolsTypes.Global(0, 1_000, 1, flag ? 5e9 : 0, uint56(1e15));
        uint256 issuancePlusReserve = 1e15;
        uint256 bn = 1_000;
        uint256 taoEmitted;
        for (uint256 i; i < steps; ++i) {
            seed = uint256(keccak256(abi.encode(seed, i)));
            bn += 1 + (seed % 5_000);
            CoinbaseLib.advanceGlobal(s.g, issuancePlusReserve, bn);
            uint256 taoBefore = s.pool.taoRao;
            CoinbaseLib.Accrual memory a = CoinbaseLib.catchUp(s.pool, s.em, s.books, s.g, s.config, _ctx(bn, rootTao));
            assertEq(s.pool.taoRao - taoBefore, a.injectedTaoRao + a.chainBuyTaoRao, "pool TAO grows by the emission");
            taoEmitted += a.injectedTaoRao + a.chainBuyTaoRao;
            assertEq(
                s.books.alphaIssuanceRao,
                uint256(s.pool.alphaRao) +
                    s.em.unownedAlphaRao +
                    s.books.pendingAlphaOutRao -
                    s.books.pendingRecycledRootAlphaRao,
                "alpha conserved"
            );
            assertLe(s.em.movingPriceWad, WAD, "moving price capped at 1");
        }
        assertLe(taoEmitted, 1e15 - s.g.reserveRao, "no more TAO than the reserve backed");
        IAlphaPoolsTypes.PendingEmission memory pot = CoinbaseLib.splitPending(s.books);
        assertEq(
            pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao,
            uint256(s.books.pendingAlphaOutRao) - s.books.pendingRecycledRootAlphaRao,
            "the split hands out all pending alpha but the recycled part"
        );
    }
}
