// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {EmissionMath} from "./EmissionMath.sol";
import {MovingPriceLib} from "./MovingPriceLib.sol";
import {PoolMath} from "./PoolMath.sol";
import {SwapLib} from "./SwapLib.sol";
import {UnitsLib} from "./UnitsLib.sol";

/// @title CoinbaseLib
/// @notice subtensor's coinbase as pure functions over a subnet's state in memory: the global emission index, a
/// subnet's catch-up over many blocks (TAO emission by weight, alpha emission by its own halving, the injection with
/// the alpha-in cap and the chain buy, the 18/41/41 split with the root share, the moving price), and the split of the
/// pending alpha at an epoch.
/// @dev The caller loads the state, calls, and stores it: the same code serves the catch-up and the views "as of now".
library CoinbaseLib {
    using SafeCast for uint256;

    /// @dev subtensor's `SubnetOwnerCut` default, 11796/65535 ≈ 18 %.
    uint256 internal constant OWNER_CUT_OF_65535 = 11_796;
    uint256 internal constant FRACTION = 65_535;
    /// @dev Scale of the global emission index: rao of emission per unit of weight, × 1e9.
    uint256 internal constant INDEX_SCALE = 1e9;
    uint256 internal constant WAD = 1e18;

    /// @notice What a catch-up needs besides the subnet's state: the block it catches up to, the root TAO the coinbase
    /// sees, and the model's parameters (subtensor's SubnetMovingAlpha, EMAPriceHalvingBlocks, TaoWeight).
    struct Context {
        uint256 blockNumber;
        uint256 rootTaoRao;
        uint256 movingAlphaWad;
        uint256 emaHalvingBlocks;
        uint256 taoWeightWad;
    }

    /// @notice What one catch-up added.
    struct Accrual {
        uint256 blocks;
        uint256 injectedTaoRao;
        uint256 injectedAlphaRao;
        uint256 chainBuyTaoRao;
        uint256 emittedAlphaRao;
    }

    /// @notice Advances the global index to `blockNumber`: the schedule's emission for the elapsed blocks, as far as
    /// the reserve backs it, spread over the total weight. Returns the emission the reserve could not back.
    /// @dev Drawing for all subnets at once shares a shortfall by the schedule, whoever catches up first.
    function advanceGlobal(
        IAlphaPoolsTypes.Global memory g,
        uint256 issuancePlusReserveRao,
        uint256 blockNumber
    ) internal pure returns (uint256 shortfallRao) {
        if (g.lastBlock >= blockNumber) return 0;
        uint256 blocks = blockNumber - g.lastBlock;
        g.lastBlock = blockNumber.toUint32();
        // With no emitting subnet nothing is issued.
        if (g.totalWeight == 0) return 0;
        uint256 scheduledRao = EmissionMath.emissionOver(issuancePlusReserveRao - g.reserveRao, blocks);
        uint256 backedRao = scheduledRao < g.reserveRao ? scheduledRao : g.reserveRao;
        g.index = (g.index + (backedRao * INDEX_SCALE) / g.totalWeight).toUint88();
        g.reserveRao -= uint56(backedRao);
        shortfallRao = scheduledRao - backedRao;
    }

    /// @notice Catches a subnet up from its last accrual to `ctx.blockNumber`, given the global state already advanced
    /// to that block. Changes `pool`, `em`, `books` and `g` in memory.
    function catchUp(
        IAlphaPoolsTypes.Pool memory pool,
        IAlphaPoolsTypes.Emission memory em,
        IAlphaPoolsTypes.Books memory books,
        IAlphaPoolsTypes.Global memory g,
        IAlphaPoolsTypes.SubnetConfig memory config,
        Context memory ctx
    ) internal pure returns (Accrual memory a) {
        uint256 first = config.firstEmissionBlock;
        // Emission covers the blocks (from, blockNumber], where `from` is the last accrual or the start.
        uint256 from = pool.lastAccrualBlock > first - 1 ? pool.lastAccrualBlock : first - 1;
        a.blocks = ctx.blockNumber - from;
        pool.lastAccrualBlock = ctx.blockNumber.toUint32();

        uint256 taoEmissionRao = (uint256(em.weight) * (g.index - em.indexSnapshot)) / INDEX_SCALE;
        a.emittedAlphaRao = EmissionMath.emissionOver(books.alphaIssuanceRao, a.blocks);
        // Root proportion = root TAO × TAO weight / (root TAO × TAO weight + alpha issuance), kept as a fraction.
        uint256 rootSideWad = ctx.rootTaoRao * ctx.taoWeightWad;
        uint256 denominatorWad = rootSideWad + uint256(books.alphaIssuanceRao) * WAD;
        uint256 boughtAlphaRao;
        (a.injectedTaoRao, a.injectedAlphaRao, a.chainBuyTaoRao, boughtAlphaRao) = injection(
            pool,
            taoEmissionRao,
            Math.mulDiv(a.emittedAlphaRao, rootSideWad, denominatorWad)
        );
        pool.taoRao = (pool.taoRao + a.injectedTaoRao + a.chainBuyTaoRao).toUint64();
        pool.alphaRao = (pool.alphaRao + a.injectedAlphaRao - boughtAlphaRao).toUint64();
        em.unownedAlphaRao = (em.unownedAlphaRao + boughtAlphaRao).toUint64();

        // Alpha out: 18 % owner, 41 % miners, 41 % validators, of which the root proportion goes to root stakers
        // while Σ moving prices > 1 (the root sell flag) and is recycled otherwise.
        uint256 ownerCut = (a.emittedAlphaRao * OWNER_CUT_OF_65535) / FRACTION;
        uint256 validatorHalf = a.emittedAlphaRao - ownerCut - (a.emittedAlphaRao - ownerCut) / 2;
        uint256 rootPart = Math.mulDiv(validatorHalf, rootSideWad, denominatorWad);
        books.pendingAlphaOutRao = (books.pendingAlphaOutRao + a.emittedAlphaRao).toUint56();
        uint256 issued = a.injectedAlphaRao + a.emittedAlphaRao;
        if (g.sumMovingPriceRao > UnitsLib.ALPHA_RAO_PER_ALPHA) {
            books.pendingRootAlphaRao = (books.pendingRootAlphaRao + rootPart).toUint56();
        } else {
            books.pendingRecycledRootAlphaRao = (books.pendingRecycledRootAlphaRao + rootPart).toUint56();
            issued -= rootPart;
        }
        books.alphaIssuanceRao = (books.alphaIssuanceRao + issued).toUint64();

        uint256 oldMovingRao = movingPriceRao(em);
        em.movingPriceWad = MovingPriceLib
            .advance(
                em.movingPriceWad,
                PoolMath.spotPriceWad(pool.taoRao, pool.alphaRao),
                ctx.movingAlphaWad,
                ctx.emaHalvingBlocks,
                from + 2 - first,
                a.blocks
            )
            .toUint64();
        reweigh(em, g, oldMovingRao, config.minerBurnOf65535);
    }

    /// @notice Sets the subnet's weight (moving price in rao per alpha × (1 − miner burn), at least 1) and moves the
    /// global sums and the index snapshot with it.
    function reweigh(
        IAlphaPoolsTypes.Emission memory em,
        IAlphaPoolsTypes.Global memory g,
        uint256 oldMovingRao,
        uint256 minerBurnOf65535
    ) internal pure {
        uint256 movingRao = movingPriceRao(em);
        uint256 weight = (movingRao * (FRACTION - minerBurnOf65535)) / FRACTION;
        if (weight == 0) weight = 1;
        g.totalWeight = (uint256(g.totalWeight) - em.weight + weight).toUint40();
        g.sumMovingPriceRao = (uint256(g.sumMovingPriceRao) - oldMovingRao + movingRao).toUint40();
        em.weight = uint32(weight);
        em.indexSnapshot = g.index;
    }

    /// @notice subtensor's injection: TAO and alpha at the current price, alpha capped at `capAlphaRao` (root
    /// proportion × alpha emission); the TAO the cap leaves over buys alpha for the protocol, fee-less and without a
    /// price limit, never draining the pool below its minimum reserve.
    function injection(
        IAlphaPoolsTypes.Pool memory pool,
        uint256 taoEmissionRao,
        uint256 capAlphaRao
    ) internal pure returns (uint256 taoInRao, uint256 alphaInRao, uint256 chainBuyTaoRao, uint256 boughtAlphaRao) {
        if (taoEmissionRao == 0) return (0, 0, 0, 0);
        alphaInRao = Math.mulDiv(taoEmissionRao, pool.alphaRao, pool.taoRao);
        taoInRao = taoEmissionRao;
        if (alphaInRao > capAlphaRao) {
            alphaInRao = capAlphaRao;
            taoInRao = Math.mulDiv(capAlphaRao, pool.taoRao, pool.alphaRao);
        }
        chainBuyTaoRao = taoEmissionRao - taoInRao;
        if (chainBuyTaoRao != 0) {
            uint256 taoAfter = pool.taoRao + taoInRao;
            uint256 alphaAfter = pool.alphaRao + alphaInRao;
            boughtAlphaRao = PoolMath.amountOutDown(chainBuyTaoRao, taoAfter, alphaAfter);
            if (alphaAfter - boughtAlphaRao < SwapLib.MIN_RESERVE) {
                boughtAlphaRao = alphaAfter > SwapLib.MIN_RESERVE ? alphaAfter - SwapLib.MIN_RESERVE : 0;
            }
        }
    }

    /// @notice The pending alpha split as an epoch distributes it: owner cut, miners, validators (alpha side) and
    /// root stakers.
    function splitPending(
        IAlphaPoolsTypes.Books memory books
    ) internal pure returns (IAlphaPoolsTypes.PendingEmission memory pot) {
        uint256 total = books.pendingAlphaOutRao;
        pot.ownerCutAlphaRao = (total * OWNER_CUT_OF_65535) / FRACTION;
        pot.serverAlphaRao = (total - pot.ownerCutAlphaRao) / 2;
        pot.rootAlphaRao = books.pendingRootAlphaRao;
        pot.validatorAlphaRao =
            total -
            pot.ownerCutAlphaRao -
            pot.serverAlphaRao -
            books.pendingRootAlphaRao -
            books.pendingRecycledRootAlphaRao;
    }

    /// @notice The moving price in rao per alpha, rounded down.
    function movingPriceRao(IAlphaPoolsTypes.Emission memory em) internal pure returns (uint256) {
        return UnitsLib.wadToRaoPerAlphaDown(em.movingPriceWad);
    }
}
