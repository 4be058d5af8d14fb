// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {MarketsLens} from "../../../contracts/lens/MarketsLens.sol";
import {CoinbaseLib} from "../../../contracts/libraries/CoinbaseLib.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {PoolsView} from "../../../contracts/libraries/PoolsView.sol";
import {RegistryTestBase} from "./RegistryTestBase.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @notice MarketsLens and PoolsView: every view is the state as of the current block, the same a catch-up in this
/// block stores; quotes are what a trade in this block returns.
contract MarketsLensTest is RegistryTestBase {
    MarketsLens internal lens;
    uint16 internal started;
    uint16 internal idle;

    function setUp() public override {
        super.setUp();
        lens = MarketsLens(Deploy.create("MarketsLens.sol:MarketsLens", abi.encode(pools, registry, metagraph)));
        started = _emittingSubnet(owner1, OWNER1_HOTKEY);
        idle = _registerSubnet(owner2, OWNER2_HOTKEY);
        _stake(alice, OWNER1_HOTKEY, started, 30 * TAO);
        _stake(bob, OWNER1_HOTKEY, 0, 50 * TAO); // root stake: the injection has a cap above zero
        _advance(25); // emission accrues, unstored
    }

    function _pools() internal view returns (IAlphaPools) {
        return IAlphaPools(address(pools));
    }

    /// @dev The lens, read before any catch-up, equals what is stored once the subnets are caught up in this block.
    function test_markets_asOfNow() public {
        MarketsLens.SubnetMarket[] memory list = lens.markets();
        assertEq(list.length, 2, "two subnets");
        pools.poke(started);
        pools.poke(idle);
        for (uint256 i; i < 2; ++i) {
            MarketsLens.SubnetMarket memory m = list[i];
            (
                IAlphaPoolsTypes.Pool memory pool,
                IAlphaPoolsTypes.Emission memory em,
                IAlphaPoolsTypes.Books memory books
            ) = pools.storedSubnet(m.netuid);
            (IAlphaPoolsTypes.Global memory g, , ) = pools.storedGlobal();
            IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(m.netuid);
            IAlphaPoolsTypes.PendingEmission memory pending = CoinbaseLib.splitPending(books);
            assertEq(m.taoReserveRao, pool.taoRao, "TAO reserve as of now");
            assertEq(m.alphaReserveAlphaRao, pool.alphaRao, "alpha reserve as of now");
            assertEq(m.alphaOutstandingAlphaRao, books.alphaIssuanceRao - pool.alphaRao, "alpha outside the pool");
            assertEq(m.spotPriceWad, PoolMath.spotPriceWad(pool.taoRao, pool.alphaRao), "spot price");
            assertEq(m.movingPriceWad, em.movingPriceWad, "moving price as of now");
            assertEq(m.volumeRao, pool.volumeRao, "volume");
            assertEq(m.pendingOwnerCutAlphaRao, pending.ownerCutAlphaRao, "pending owner cut");
            assertEq(m.pendingServerAlphaRao, pending.serverAlphaRao, "pending miners");
            assertEq(m.pendingValidatorAlphaRao, pending.validatorAlphaRao, "pending validators");
            assertEq(m.pendingRootAlphaRao, pending.rootAlphaRao, "pending root");
            assertEq(m.lastAccrualBlock, pool.lastAccrualBlock, "accrued to this block");
            assertEq(m.firstEmissionBlock, config.firstEmissionBlock, "first emission block");
            assertEq(m.feeRateOf65535, config.feeRateOf65535, "fee");
            assertEq(m.minStakeRao, config.minStakeRao, "minimum stake");
            assertEq(m.tempo, config.tempo, "tempo");
            assertTrue(m.transfersEnabled == config.transfersEnabled, "transfer toggle");
            assertEq(m.minerBurnOf65535, config.minerBurnOf65535, "miner burn");
            assertEq(m.neurons, metagraph.neuronCount(m.netuid), "neurons");
            assertEq(m.owner, registry.subnetOwner(m.netuid), "owner");
            assertEq(m.ownerHotkey, registry.ownerHotkey(m.netuid), "owner hotkey");
            assertEq(m.registeredAt, registry.subnet(m.netuid).registeredAt, "registered at");
            assertEq(keccak256(bytes(m.name)), keccak256("subnet"), "name");
            uint256 share = config.firstEmissionBlock == 0 ? 0 : (uint256(em.weight) * WAD) / g.totalWeight;
            assertEq(m.emissionShareWad, share, "emission share");
        }
        assertEq(list[0].netuid, started, "in netuid order");
        assertGt(list[0].emissionShareWad, 0, "the started subnet emits");
        assertEq(list[1].emissionShareWad, 0, "the idle one does not");
        assertEq(list[0].lastAccrualBlock, _blockNow(), "as of this block");
    }

    function test_marketsAndStakes() public view {
        MarketsLens.Position[] memory positions = new MarketsLens.Position[](3);
        positions[0] = MarketsLens.Position(OWNER1_HOTKEY, started);
        positions[1] = MarketsLens.Position(OWNER1_HOTKEY, 0);
        positions[2] = MarketsLens.Position(OWNER2_HOTKEY, idle);
        (MarketsLens.SubnetMarket[] memory list, uint256[] memory stakes) = lens.marketsAndStakes(ck(alice), positions);
        assertEq(list.length, 2, "the markets");
        assertEq(stakes[0], pools.getStake(OWNER1_HOTKEY, ck(alice), started), "alice on the started subnet");
        assertGt(stakes[0], 0, "she has stake there");
        assertEq(stakes[1], 0, "none on root");
        assertEq(stakes[2], 0, "none on the idle subnet");
        (, stakes) = lens.marketsAndStakes(ck(bob), positions);
        assertEq(stakes[1], 50 * TAO, "bob's root stake, 1:1");
    }

    /// @dev A quote is exactly what the trade then returns in the same block, catch-up included; root is 1:1.
    function test_quotes_equalTheTrades() public {
        uint256 quotedAlpha = lens.quoteStake(started, 7 * TAO);
        uint256 alpha = _stake(carol, OWNER1_HOTKEY, started, 7 * TAO);
        assertEq(alpha, quotedAlpha, "stake quote");
        uint256 quotedTao = lens.quoteUnstake(started, alpha / 2);
        assertEq(_unstake(carol, OWNER1_HOTKEY, started, alpha / 2), quotedTao, "unstake quote");
        assertEq(lens.quoteStake(0, 3 * TAO), 3 * TAO, "root: 1:1");
        assertEq(lens.quoteUnstake(0, 3 * TAO), 3 * TAO, "root: 1:1");
    }

    /* PoolsView directly */

    function test_poolsView_root() public view {
        (IAlphaPoolsTypes.Pool memory pool, , , ) = PoolsView.subnetNow(_pools(), 0);
        (, , IAlphaPoolsTypes.RootStake memory root) = pools.storedGlobal();
        assertEq(pool.taoRao, root.taoRao, "root TAO");
        assertEq(pool.alphaRao, root.taoRao, "root alpha = TAO");
        assertEq(PoolsView.spotPriceWad(_pools(), 0), WAD, "root spot 1");
        assertEq(PoolsView.movingPriceWad(_pools(), 0), WAD, "root moving 1");
        assertEq(PoolsView.emissionShareWad(_pools(), 0), 0, "root has no emission share");
        assertEq(PoolsView.emissionShareWad(_pools(), idle), 0, "nor a subnet before its start call");
    }

    function test_poolsView_subnetAsOfNow() public {
        uint256 spot = PoolsView.spotPriceWad(_pools(), started);
        uint256 moving = PoolsView.movingPriceWad(_pools(), started);
        uint256 share = PoolsView.emissionShareWad(_pools(), started);
        IAlphaPoolsTypes.PendingEmission memory pending = PoolsView.pendingEmission(_pools(), started);
        pools.poke(started);
        (
            IAlphaPoolsTypes.Pool memory pool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books
        ) = pools.storedSubnet(started);
        (IAlphaPoolsTypes.Global memory g, , ) = pools.storedGlobal();
        assertEq(spot, PoolMath.spotPriceWad(pool.taoRao, pool.alphaRao), "spot as of now");
        assertEq(moving, em.movingPriceWad, "moving as of now");
        assertEq(share, (uint256(em.weight) * WAD) / g.totalWeight, "share as of now");
        assertEq(keccak256(abi.encode(pending)), keccak256(abi.encode(CoinbaseLib.splitPending(books))), "pending");
        assertGt(pending.serverAlphaRao, 0, "emission is pending");
    }
}
