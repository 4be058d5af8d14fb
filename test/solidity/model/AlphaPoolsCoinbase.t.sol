// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {PoolsView} from "../../../contracts/libraries/PoolsView.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";

/// @notice The coinbase: catch-up amounts over n blocks against a computation written here from subtensor's
/// per-block definitions, the global emission reserve, TAO issuance and the halvings.
/// @dev The emission reserve starts empty; each test funds what it needs. The first subnet opens at 100 TAO /
/// 100 alpha, so its spot price is 1 and a chain buy of E TAO returns ⌊100e9·E/(100e9 + E)⌋ alpha.
contract AlphaPoolsCoinbaseTest is PoolsTestBase {
    struct Expected {
        uint256 taoInRao;
        uint256 alphaInRao;
        uint256 chainBuyRao;
        uint256 boughtAlphaRao;
    }

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    /* REFERENCE (subtensor's coinbase per block, §5.1 of the notes; the model applies it once per catch-up) */

    /// @dev subtensor's injection for a TAO emission at the price tao/alpha with the alpha-in cap: alpha_in =
    /// emission/price (down), capped; then tao_in = cap·price (down); the rest of the TAO buys alpha fee-less at the
    /// reserves after the injection (down).
    function _injection(
        uint256 taoEmissionRao,
        uint256 tao,
        uint256 alpha,
        uint256 capAlphaRao
    ) internal pure returns (Expected memory e) {
        e.alphaInRao = (taoEmissionRao * alpha) / tao;
        e.taoInRao = taoEmissionRao;
        if (e.alphaInRao > capAlphaRao) {
            e.alphaInRao = capAlphaRao;
            e.taoInRao = (capAlphaRao * tao) / alpha;
        }
        e.chainBuyRao = taoEmissionRao - e.taoInRao;
        e.boughtAlphaRao = _outDown(e.chainBuyRao, tao + e.taoInRao, alpha + e.alphaInRao);
    }

    /// @dev Root proportion × x, down: x·(rootTao·w)/(rootTao·w + alphaIssuance) with w = TaoWeight.
    function _rootShareDown(uint256 x, uint256 rootTaoRao, uint256 alphaIssuanceRao) internal pure returns (uint256) {
        uint256 rootSide = rootTaoRao * TAO_WEIGHT_WAD;
        return (x * rootSide) / (rootSide + alphaIssuanceRao * WAD);
    }

    /// @dev The validators' half of an emission after the owner cut: e − ⌊e·11796/65535⌋ − ⌊(that)/2⌋.
    function _validatorHalf(uint256 emitted) internal pure returns (uint256) {
        uint256 afterCut = emitted - (emitted * OWNER_CUT_OF_65535) / FEE_DENOMINATOR;
        return afterCut - afterCut / 2;
    }

    /// @dev x^n in 1e18 fixed point by square-and-multiply, each product rounded down.
    function _powWadDown(uint256 x, uint256 n) internal pure returns (uint256 r) {
        r = WAD;
        while (n != 0) {
            if (n & 1 == 1) r = (r * x) / WAD;
            x = (x * x) / WAD;
            n >>= 1;
        }
    }

    /// @dev The model's documented catch-up of the moving price over n blocks from b0 blocks since the start call:
    /// α at the middle block, p̄ ← p* + (p̄ − p*)·(1 − α)^n, p* = min(spot, 1); rounded towards p*'s side as
    /// (p* − ⌈(p* − p̄)·keep⌉) when rising.
    function _movingClosedForm(
        uint256 movingWad,
        uint256 spotWad,
        uint256 b0,
        uint256 n
    ) internal pure returns (uint256) {
        uint256 target = spotWad < WAD ? spotWad : WAD;
        uint256 bMid = b0 + (n - 1) / 2;
        uint256 a = (MOVING_ALPHA_WAD * bMid) / (bMid + EMA_HALVING_BLOCKS);
        uint256 keep = _powWadDown(WAD - a, n);
        if (movingWad >= target) return target + ((movingWad - target) * keep) / WAD;
        return target - ((target - movingWad) * keep + WAD - 1) / WAD;
    }

    /// @dev subtensor block by block with a constant spot: α_b = A·b/(b + h), p̄ ← α_b·min(spot, 1) + (1 − α_b)·p̄.
    function _movingStepwise(
        uint256 movingWad,
        uint256 spotWad,
        uint256 b0,
        uint256 n
    ) internal pure returns (uint256 p) {
        uint256 target = spotWad < WAD ? spotWad : WAD;
        p = movingWad;
        for (uint256 b = b0; b < b0 + n; ++b) {
            uint256 a = (MOVING_ALPHA_WAD * b) / (b + EMA_HALVING_BLOCKS);
            p = (a * target + (WAD - a) * p) / WAD;
        }
    }

    /* SET-UPS */

    /// @dev A subnet registered and started in this block (its emission starts next block).
    function _startedNow(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        netuid = _newSubnet(owner, hotkey);
        vm.prank(owner);
        registry.startCall(netuid);
    }

    /* CATCH-UP OF ONE SUBNET */

    function test_poke_startBlockEmitsNothing() public {
        _fund(1000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        assertEq(pools.subnetConfig(net1).firstEmissionBlock, _now() + 1, "from the next block");
        assertEq(_global().totalWeight, 1, "weight 1 while the moving price is 0");
        pools.poke(net1);
        assertEq(_books(net1).alphaIssuanceRao, 100 * TAO, "no alpha yet");
        assertEq(_pool(net1).taoRao, 100 * TAO, "no TAO yet");
        // a second start call changes nothing
        vm.prank(owner1);
        registry.startCall(net1);
        assertEq(_global().totalWeight, 1, "idempotent");
    }

    function test_poke_beforeTheStartCallEmitsNothing() public {
        _fund(1000 * TAO);
        uint16 net1 = _newSubnet(owner1, OWNER1_HOTKEY);
        _advance(50);
        pools.poke(net1);
        assertEq(_books(net1).alphaIssuanceRao, 100 * TAO, "no alpha");
        assertEq(_global().reserveRao, 1000 * TAO, "nothing drawn");
        pools.poke(0); // root: nothing to accrue, no revert
        vm.expectRevert(_err(IAlphaPoolsTypes.UnknownSubnet.selector, 200));
        pools.poke(200);
    }

    /// @dev Only subnet, no root stake: the whole block emission is its own, the alpha-in cap is 0, so every TAO
    /// buys alpha for the chain.
    function test_poke_singleSubnetCatchUpOverTenBlocks() public {
        _fund(1000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint256 start = _now();
        vm.roll(start + 10);
        uint256 e = 10 * BLOCK_EMISSION_RAO;
        Expected memory x = _injection(e, 100 * TAO, 100 * TAO, 0);
        assertEq(x.chainBuyRao, e, "all of it is a chain buy");
        uint256 spot = ((100 * TAO + e) * WAD) / (100 * TAO - x.boughtAlphaRao);
        uint256 moving = _movingClosedForm(0, spot, 1, 10);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.Accrue(net1, 10, 0, 0, e, e, 100 * TAO + e, 100 * TAO - x.boughtAlphaRao, moving);
        pools.poke(net1);

        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, 100 * TAO + e, "TAO in the pool");
        assertEq(p.alphaRao, 100 * TAO - x.boughtAlphaRao, "alpha bought out");
        assertEq(p.lastAccrualBlock, _now(), "caught up");
        IAlphaPoolsTypes.Emission memory em = _emission(net1);
        assertEq(em.unownedAlphaRao, x.boughtAlphaRao, "the chain's alpha");
        assertEq(em.movingPriceWad, moving, "moving price");
        assertEq(em.weight, moving / 1e9, "weight = moving price in rao");
        IAlphaPoolsTypes.Books memory b = _books(net1);
        assertEq(b.pendingAlphaOutRao, e, "10 alpha emitted");
        assertEq(b.alphaIssuanceRao, 100 * TAO + e, "issuance");
        IAlphaPoolsTypes.Global memory g = _global();
        assertEq(g.reserveRao, 990 * TAO, "drawn from the reserve");
        assertEq(g.index, e * 1e9, "index: emission x 1e9 / total weight 1");
        assertEq(g.totalWeight, em.weight, "total weight");
        assertEq(g.sumMovingPriceRao, moving / 1e9, "sum of moving prices");
        assertEq(_taoIssuance(), e, "issuance = issuance plus reserve - reserve");
        assertEq(_supply().unbackedRao, 0, "fully backed");
    }

    function test_poke_movingPriceOneBlockMatchesSubtensor() public {
        _fund(1000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        _advance(1);
        pools.poke(net1);
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        uint256 spot = (uint256(p.taoRao) * WAD) / p.alphaRao;
        assertGt(spot, WAD, "the chain buy lifts the price above 1");
        // b = 1 at the first block: α = 0.1·1/101; p̄ = α·min(spot, 1) + (1 − α)·0
        uint256 a = MOVING_ALPHA_WAD / 101;
        assertEq(_emission(net1).movingPriceWad, a, "alpha * 1");
        assertEq(_movingStepwise(0, spot, 1, 1), a, "subtensor's step");
    }

    /// @dev The closed form (α at the middle block) against subtensor's block-by-block EMA at a constant spot: exact
    /// to the documented formula; at the very start of the ramp (b = 1…40, where α grows fourfold) it runs 1.7 %
    /// ahead of the stepwise value, and later catch-ups are within 0.01 %.
    function test_poke_movingPriceCatchUpFollowsTheDocumentedApproximation() public {
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY); // no reserve: no TAO, a constant spot of 1
        _advance(40);
        pools.poke(net1);
        uint256 moving = _emission(net1).movingPriceWad;
        assertEq(moving, _movingClosedForm(0, WAD, 1, 40), "closed form");
        uint256 stepwise = _movingStepwise(0, WAD, 1, 40);
        assertApproxAbs(moving, stepwise, stepwise / 50, "within 2 % of subtensor's steps on the ramp");
        // a second catch-up continues from b = 41
        _advance(30);
        pools.poke(net1);
        uint256 moving2 = _emission(net1).movingPriceWad;
        assertEq(moving2, _movingClosedForm(moving, WAD, 41, 30), "continued");
        stepwise = _movingStepwise(moving, WAD, 41, 30);
        assertApproxAbs(moving2, stepwise, stepwise / 10_000, "within 0.01 % later on");
    }

    function test_poke_movingPriceIsCappedAtOne() public {
        _fund(10_000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        _stake(alice, OWNER1_HOTKEY, net1, 300 * TAO); // spot ≈ 16 TAO per alpha
        for (uint256 i; i < 10; ++i) {
            _advance(100);
            pools.poke(net1);
            assertLe(_emission(net1).movingPriceWad, WAD, "never above 1");
        }
        assertGt(_emission(net1).movingPriceWad, WAD - WAD / 1000, "converged to the cap");
        assertEq(_emission(net1).weight, _emission(net1).movingPriceWad / 1e9, "weight follows");
        assertLe(_emission(net1).weight, 1e9, "weight at most 1e9");
    }

    /* INJECTION, CAP AND SPLIT */

    /// @dev Root stake 1000 TAO (staked in an earlier block): cap = 10 alpha × 1000·0.18/(1000·0.18 + 100) ≈ 6.43
    /// alpha < the 10 alpha the price asks, so part is injected and the rest of the TAO buys alpha.
    function test_poke_injectionCappedByTheRootProportionWithAChainBuy() public {
        _fund(1000 * TAO);
        uint16 net1 = _newSubnet(owner1, OWNER1_HOTKEY); // registers the hotkey
        _stake(carol, OWNER1_HOTKEY, 0, 1000 * TAO); // in an earlier block than the catch-up
        _advance(1);
        vm.prank(owner1);
        registry.startCall(net1);
        _advance(10);
        uint256 e = 10 * BLOCK_EMISSION_RAO;
        uint256 cap = _rootShareDown(e, 1000 * TAO, 100 * TAO);
        Expected memory x = _injection(e, 100 * TAO, 100 * TAO, cap);
        assertEq(x.alphaInRao, cap, "capped");
        assertGt(x.chainBuyRao, 0, "and a chain buy");
        pools.poke(net1);

        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, 100 * TAO + x.taoInRao + x.chainBuyRao, "all emitted TAO in the pool");
        assertEq(p.alphaRao, 100 * TAO + x.alphaInRao - x.boughtAlphaRao, "alpha in less the chain buy");
        assertEq(_emission(net1).unownedAlphaRao, x.boughtAlphaRao, "bought alpha is unowned");
        // one subnet: Σ moving prices ≤ 1, so the root sell flag is off and the root share is recycled
        uint256 rootPart = _rootShareDown(_validatorHalf(e), 1000 * TAO, 100 * TAO);
        IAlphaPoolsTypes.Books memory b = _books(net1);
        assertEq(b.pendingRootAlphaRao, 0, "no root dividends");
        assertEq(b.pendingRecycledRootAlphaRao, rootPart, "recycled root share");
        assertEq(b.pendingAlphaOutRao, e, "pending out counts the whole emission");
        assertEq(b.alphaIssuanceRao, 100 * TAO + x.alphaInRao + e - rootPart, "issuance without the recycled part");
    }

    function test_poke_fullInjectionWhenTheCapIsNotReached() public {
        _fund(1000 * TAO);
        uint16 net1 = _newSubnet(owner1, OWNER1_HOTKEY);
        _stake(carol, OWNER1_HOTKEY, 0, 1000 * TAO);
        _advance(1);
        vm.prank(owner1);
        registry.startCall(net1);
        _stake(alice, OWNER1_HOTKEY, net1, 100 * TAO); // price ≈ 4: the emission asks for ≈ 2.5 alpha < the cap
        IAlphaPoolsTypes.Pool memory p0 = _pool(net1);
        uint256 issuance0 = _books(net1).alphaIssuanceRao;
        _advance(10);
        uint256 e = 10 * BLOCK_EMISSION_RAO;
        Expected memory x = _injection(e, p0.taoRao, p0.alphaRao, _rootShareDown(e, 1000 * TAO, issuance0));
        assertEq(x.chainBuyRao, 0, "no chain buy");
        pools.poke(net1);
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, p0.taoRao + e, "TAO injected");
        assertEq(p.alphaRao, p0.alphaRao + x.alphaInRao, "alpha injected at the price");
        assertEq(_emission(net1).unownedAlphaRao, 0, "nothing bought");
    }

    /// @dev Two mature subnets: Σ moving prices > 1, the root sell flag is on, and the root share of the validators'
    /// half waits for root stakers; closePending splits the pot 18/41/41 with it.
    function test_poke_rootSellFlagOnKeepsTheRootShareAndSplits() public {
        _fund(10_000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint16 net2 = _startedNow(owner2, OWNER2_HOTKEY);
        _advance(300);
        pools.poke(net1);
        pools.poke(net2);
        assertGt(_global().sumMovingPriceRao, 1e9, "the flag is on");
        _stake(carol, OWNER1_HOTKEY, 0, 500 * TAO);
        _advance(1); // root stake counts from the next block
        pools.poke(net1);
        _settleAllTo(net1, OWNER1_HOTKEY, owner1); // empty the buckets
        uint256 issuance0 = _books(net1).alphaIssuanceRao;
        _advance(7);
        pools.poke(net1);
        uint256 e = 7 * BLOCK_EMISSION_RAO;
        uint256 rootPart = _rootShareDown(_validatorHalf(e), 500 * TAO, issuance0);
        IAlphaPoolsTypes.Books memory b = _books(net1);
        assertEq(b.pendingAlphaOutRao, e, "pending");
        assertEq(b.pendingRootAlphaRao, rootPart, "root share kept");
        assertEq(b.pendingRecycledRootAlphaRao, 0, "nothing recycled");

        vm.prank(settler);
        (, IAlphaPoolsTypes.PendingEmission memory pot) = pools.closePending(net1);
        uint256 ownerCut = (e * OWNER_CUT_OF_65535) / FEE_DENOMINATOR;
        uint256 server = (e - ownerCut) / 2;
        assertEq(pot.ownerCutAlphaRao, ownerCut, "owner 18 %");
        assertEq(pot.serverAlphaRao, server, "miners 41 %");
        assertEq(pot.rootAlphaRao, rootPart, "root stakers");
        assertEq(pot.validatorAlphaRao, e - ownerCut - server - rootPart, "alpha validators");
    }

    /* THE GLOBAL INDEX AND WEIGHTS */

    function test_poke_twoSubnetsShareTheEmissionByWeight() public {
        _fund(10_000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint16 net2 = _startedNow(owner2, OWNER2_HOTKEY);
        _advance(20);
        pools.poke(net1);
        pools.poke(net2);
        vm.prank(settler);
        pools.setMinerBurn(net2, 40_000); // weight × (1 − 40000/65535)
        uint256 w1 = _emission(net1).weight;
        uint256 w2 = _emission(net2).weight;
        uint256 m2 = _emission(net2).movingPriceWad / 1e9;
        assertEq(w2, (m2 * (FEE_DENOMINATOR - 40_000)) / FEE_DENOMINATOR, "weight = moving price x (1 - burn)");
        assertEq(_global().totalWeight, w1 + w2, "total");
        assertEq(PoolsView.emissionShareWad(pools, net1), (w1 * WAD) / (w1 + w2), "share of net1");
        uint256 tao1 = _pool(net1).taoRao;
        uint256 tao2 = _pool(net2).taoRao;
        _advance(13);
        // the global index grows by ⌊13e9·1e9/W⌋; each subnet receives ⌊w·Δindex/1e9⌋, whatever the order
        uint256 deltaIndex = (13 * BLOCK_EMISSION_RAO * 1e9) / (w1 + w2);
        pools.poke(net2);
        pools.poke(net1);
        assertEq(_pool(net1).taoRao - tao1, (w1 * deltaIndex) / 1e9, "net1's emission");
        assertEq(_pool(net2).taoRao - tao2, (w2 * deltaIndex) / 1e9, "net2's emission");
        assertLe((w1 * deltaIndex) / 1e9 + (w2 * deltaIndex) / 1e9, 13 * BLOCK_EMISSION_RAO, "never above schedule");
        assertGe((w1 * deltaIndex) / 1e9 + (w2 * deltaIndex) / 1e9, 13 * BLOCK_EMISSION_RAO - 2, "rounding only");
    }

    /// @dev A reserve that covers 1 TAO of 10 scheduled: both subnets share that 1 TAO by weight, in either order.
    function test_poke_dryReserveSharesTheShortfallByWeightWhateverThePokeOrder() public {
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint16 net2 = _startedNow(owner2, OWNER2_HOTKEY);
        _fund(6 * TAO);
        _advance(5);
        pools.poke(net1);
        pools.poke(net2);
        vm.prank(settler);
        pools.setMinerBurn(net2, 32_767);
        IAlphaPoolsTypes.Global memory g = _global();
        uint256 reserveLeft = g.reserveRao;
        assertEq(reserveLeft, TAO, "5 of the 6 TAO drawn");
        (uint256 w1, uint256 w2) = (_emission(net1).weight, _emission(net2).weight);
        uint256 unbacked0 = _supply().unbackedRao;
        uint256 tao1 = _pool(net1).taoRao;
        uint256 tao2 = _pool(net2).taoRao;
        _advance(10);
        uint256 deltaIndex = (TAO * 1e9) / (w1 + w2);
        uint256 expected1 = (w1 * deltaIndex) / 1e9;
        uint256 expected2 = (w2 * deltaIndex) / 1e9;

        uint256 snapshot = vmx.snapshotState();
        pools.poke(net1);
        pools.poke(net2);
        assertEq(_pool(net1).taoRao - tao1, expected1, "order 1-2: net1");
        assertEq(_pool(net2).taoRao - tao2, expected2, "order 1-2: net2");
        assertEq(_supply().unbackedRao - unbacked0, 9 * TAO, "9 TAO unbacked");
        assertEq(_global().reserveRao, 0, "reserve empty");
        vmx.revertToState(snapshot);
        pools.poke(net2);
        pools.poke(net1);
        assertEq(_pool(net1).taoRao - tao1, expected1, "order 2-1: net1");
        assertEq(_pool(net2).taoRao - tao2, expected2, "order 2-1: net2");
        assertGt(expected1, expected2, "the heavier subnet gets more");
    }

    function test_fundEmissionReserve_backsOnlyBlocksToCome() public {
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        _advance(10); // ten dry blocks
        uint256 tao0 = _pool(net1).taoRao;
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.FundEmissionReserve(address(this), 100 * TAO);
        _fund(100 * TAO);
        assertEq(_supply().unbackedRao, 10 * BLOCK_EMISSION_RAO, "the dry blocks stay unbacked");
        pools.poke(net1);
        assertEq(_pool(net1).taoRao, tao0, "nothing for the past");
        assertEq(_global().reserveRao, 100 * TAO, "the funding is intact");
        uint256 w = _emission(net1).weight;
        _advance(5);
        pools.poke(net1);
        // 5 TAO over the weight w: ⌊w·⌊5e9·1e9/w⌋/1e9⌋ (the index rounds down, at most one rao short)
        uint256 expected = (w * ((5 * BLOCK_EMISSION_RAO * 1e9) / w)) / 1e9;
        assertEq(_pool(net1).taoRao - tao0, expected, "the blocks after the funding");
        assertGe(expected, 5 * BLOCK_EMISSION_RAO - 1, "index rounding only");
        assertEq(_global().reserveRao, 95 * TAO, "drawn");
        assertEq(_supply().fundedRao, 100 * TAO, "funded");
        assertEq(_taoIssuance(), 5 * BLOCK_EMISSION_RAO, "issuance = what was emitted");
    }

    function test_RevertWhen_fundEmissionReserve_zeroOrNotWholeRao() public {
        vm.expectRevert(IAlphaPoolsTypes.ZeroAmount.selector);
        pools.fundEmissionReserve();
        vm.expectRevert(_err(UnitsLib.NotWholeRao.selector, 5));
        pools.fundEmissionReserve{value: 5}();
    }

    /* ISSUANCE AND HALVINGS */

    /// @dev Prunes the never-started third subnet with a fourth registration; returns its netuid and the TAO of
    /// its pool (no staker: all of it is recycled).
    function _pruneUnstartedThird() internal returns (uint16 net3, uint256 recycled) {
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint16 net2 = _startedNow(owner2, OWNER2_HOTKEY);
        net3 = _newSubnet(owner3, OWNER3_HOTKEY); // never started: pruned first
        _advance(NETWORK_IMMUNITY + 1);
        pools.poke(net1);
        pools.poke(net2);
        recycled = _pool(net3).taoRao;
    }

    function test_recycle_lowersTaoIssuance() public {
        _redeploy(1_000_000 * TAO); // the lock and stakes came out of an issuance that counts them
        _fund(10_000 * TAO);
        (uint16 net3, uint256 recycled) = _pruneUnstartedThird();
        uint256 issuance0 = _taoIssuance();
        IAlphaPoolsTypes.Supply memory s0 = _supply();
        uint256 reserve0 = _global().reserveRao;
        bytes32 hotkey4 = _hotkey(address(0x0E4F), stranger);
        assertEq(_newSubnet(stranger, hotkey4), net3, "net3 pruned");
        assertEq(_taoIssuance(), issuance0 - recycled, "issuance lowered by the recycled TAO");
        assertEq(_global().reserveRao, reserve0 + recycled, "into the reserve");
        assertEq(_supply().issuancePlusReserveRao, s0.issuancePlusReserveRao, "issuance plus reserve unchanged");
        assertEq(_supply().recycledRao, s0.recycledRao + recycled, "counted");
    }

    /// @dev Regression: a deployment whose initial issuance does not count the TAO users bring (0 here, as the local
    /// deployment) recycled a pruned pool's TAO beyond the issuance; the reserve then exceeded issuance + reserve,
    /// and every later catch-up, view and lock-cost read underflowed computing the issuance. The issuance now floors
    /// at zero and the model keeps running.
    function test_recycle_beyondTheIssuanceFloorsItAtZero() public {
        _fund(10_000 * TAO);
        (uint16 net3, uint256 recycled) = _pruneUnstartedThird();
        uint256 issuance0 = _taoIssuance();
        assertLt(issuance0, recycled, "more is recycled than was ever issued");
        uint256 reserve0 = _global().reserveRao;
        bytes32 hotkey4 = _hotkey(address(0x0E4F), stranger);
        assertEq(_newSubnet(stranger, hotkey4), net3, "net3 pruned");
        assertEq(_global().reserveRao, reserve0 + recycled, "all of it backs future emission");
        assertEq(_taoIssuance(), 0, "issuance floors at zero");
        // the model keeps running: catch-ups, stakes, lock cost
        _advance(3);
        pools.poke(1);
        assertGt(_stake(alice, OWNER1_HOTKEY, 1, TAO), 0, "staking works");
        assertGt(registry.lockCost(), 0, "lock cost readable");
        assertEq(_taoIssuance(), 3 * BLOCK_EMISSION_RAO, "issuance grows again with emission");
    }

    function test_poke_taoHalvingCrossedWithinOneCatchUp() public {
        _redeploy(10_500_000 * TAO - 5 * TAO);
        _fund(1000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint256 tao0 = _pool(net1).taoRao;
        _advance(10);
        pools.poke(net1);
        // 5 blocks at 1 TAO reach 10.5M, then 5 blocks at 0.5 TAO
        uint256 expected = _emissionOver(10_500_000 * TAO - 5 * TAO, 10);
        assertEq(expected, 7.5e9, "hand-computed anchor");
        assertEq(_pool(net1).taoRao - tao0, expected, "emission across the halving");
        assertEq(_taoIssuance(), 10_500_000 * TAO + 2.5e9, "issuance");
    }

    function test_poke_initialIssuancePastTheFirstHalving() public {
        _redeploy(12_000_000 * TAO);
        _fund(1000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        uint256 tao0 = _pool(net1).taoRao;
        _advance(10);
        pools.poke(net1);
        assertEq(_pool(net1).taoRao - tao0, 5 * TAO, "0.5 TAO per block");
        assertEq(_taoIssuance(), 12_000_005 * TAO, "issuance");
    }

    function test_poke_alphaHalvingCrossedWithinOneCatchUp() public {
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY); // no reserve: alpha only
        _advance(11_000_000);
        pools.poke(net1);
        uint256 expected = _emissionOver(100 * TAO, 11_000_000);
        // 10 499 900 blocks at 1 alpha reach 10.5M, then 500 100 blocks at 0.5 alpha
        assertEq(expected, 10_499_900 * TAO + 250_050 * TAO, "hand-computed anchor");
        assertEq(_books(net1).pendingAlphaOutRao, expected, "alpha emitted across the halving");
        assertEq(_books(net1).alphaIssuanceRao, 100 * TAO + expected, "issuance");
        assertEq(_supply().unbackedRao, _emissionOver(0, 11_000_000), "no reserve: the whole TAO schedule unbacked");
    }

    /* ROOT TAO AS OF THE PREVIOUS BLOCK */

    /// @dev Root stake added in the block of the catch-up does not count: the cap is 0 and every TAO is a chain buy,
    /// exactly as without it; a stake and unstake around a poke changes nothing.
    function test_poke_rootStakeOfTheCurrentBlockDoesNotCount() public {
        _fund(1000 * TAO);
        uint16 net1 = _startedNow(owner1, OWNER1_HOTKEY);
        _advance(10);
        uint256 snapshot = vmx.snapshotState();
        pools.poke(net1);
        IAlphaPoolsTypes.Pool memory plain = _pool(net1);
        vmx.revertToState(snapshot);
        _stake(carol, OWNER1_HOTKEY, 0, 50_000 * TAO);
        pools.poke(net1);
        _unstake(carol, OWNER1_HOTKEY, 0, 50_000 * TAO);
        IAlphaPoolsTypes.Pool memory flashed = _pool(net1);
        assertEq(flashed.taoRao, plain.taoRao, "same TAO");
        assertEq(flashed.alphaRao, plain.alphaRao, "same alpha: the flash stake did not steer the chain buy");
        assertEq(_emission(net1).unownedAlphaRao, _outDown(10 * TAO, 100 * TAO, 100 * TAO), "all bought");
        // staked one block earlier it does count
        _stake(carol, OWNER1_HOTKEY, 0, 50_000 * TAO);
        _advance(1);
        uint256 issuance = _books(net1).alphaIssuanceRao;
        IAlphaPoolsTypes.Pool memory p0 = _pool(net1);
        uint256 w = _emission(net1).weight;
        uint256 taoEmission = (w * ((BLOCK_EMISSION_RAO * 1e9) / w)) / 1e9;
        pools.poke(net1);
        uint256 cap = _rootShareDown(BLOCK_EMISSION_RAO, 50_000 * TAO, issuance);
        Expected memory x = _injection(taoEmission, p0.taoRao, p0.alphaRao, cap);
        assertEq(_pool(net1).alphaRao, p0.alphaRao + x.alphaInRao - x.boughtAlphaRao, "the cap used the root stake");
        assertGt(x.alphaInRao, 0, "alpha injected");
    }
}
