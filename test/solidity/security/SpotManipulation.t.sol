// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {AlphaPoolsExtension} from "../../../contracts/model/AlphaPoolsExtension.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {RootDividends} from "../../../contracts/model/RootDividends.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";

import {Attacker} from "./Attacker.sol";
import {SecurityBase} from "./SecurityBase.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @notice Spot versus moving price: emission shares and pruning use the moving (EMA) price, which a subnet's
/// catch-up advances with the spot price of the start of the block (before any trade of the block). A spot move
/// inside one transaction therefore changes neither; held across a block it moves the moving price by at most the
/// EMA's per-block weight (3e-6 × b / (b + 201,600) with the chain's parameters).
contract SpotManipulationTest is SecurityBase {
    uint16 internal a;
    uint16 internal b;
    uint16 internal c;
    Attacker internal attacker;

    struct Reading {
        uint256 weightA;
        uint256 weightB;
        uint256 weightC;
        uint256 shareA;
        uint256 shareB;
        uint256 movingA;
        uint256 movingB;
        uint16 candidate;
        uint256 candidatePrice;
    }

    function setUp() public override {
        super.setUp();
        a = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        b = _newEmittingSubnet(owner2, OWNER2_HOTKEY);
        c = _newEmittingSubnet(owner3, OWNER3_HOTKEY);
        // Past the immunity period; a's emission is sold as it comes, so a has the lowest price.
        for (uint256 i; i < 4; ++i) {
            _advance(25);
            _creditWholePot(a, OWNER1_HOTKEY, carol);
            vm.prank(carol);
            pools.removeStakeFull(OWNER1_HOTKEY, a, 0, NO_DEADLINE);
        }
        attacker = _newAttacker(100_000 * TAO);
        // The attacker holds alpha on b from an earlier block, to crash b's spot later.
        _run(address(pools), 200 * TAO, abi.encodeCall(IAlphaPools.addStake, (OWNER2_HOTKEY, b, 0, NO_DEADLINE)));
        _advance(10);
    }

    function _run(address target, uint256 valueRao, bytes memory data) internal returns (bytes memory) {
        return attacker.execute(_calls(_call(target, valueRao, data)))[0];
    }

    function _poke(uint16 netuid) internal view returns (Attacker.Call memory) {
        return _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (netuid)));
    }

    function _read() internal view returns (Reading memory r) {
        (r.weightA, r.weightB, r.weightC) = (_emission(a).weight, _emission(b).weight, _emission(c).weight);
        (r.shareA, r.shareB) = (views.emissionShareWad(pools, a), views.emissionShareWad(pools, b));
        (r.movingA, r.movingB) = (views.movingPriceWad(pools, a), views.movingPriceWad(pools, b));
        (r.candidate, r.candidatePrice) = registry.pruneCandidate();
    }

    function _assertSame(Reading memory x, Reading memory y) internal pure {
        assertEq(x.weightA, y.weightA, "weight of a");
        assertEq(x.weightB, y.weightB, "weight of b");
        assertEq(x.weightC, y.weightC, "weight of c");
        assertEq(x.shareA, y.shareA, "emission share of a");
        assertEq(x.shareB, y.shareB, "emission share of b");
        assertEq(x.movingA, y.movingA, "moving price of a");
        assertEq(x.movingB, y.movingB, "moving price of b");
        assertEq(x.candidate, y.candidate, "prune candidate");
        assertEq(x.candidatePrice, y.candidatePrice, "its price");
    }

    /// @dev In one transaction the attacker pumps a's spot (5,000 TAO into a pool of about 100) and crashes b's
    /// (selling its alpha), catches every subnet up, and reverses both trades. Emission weights and shares, moving
    /// prices and the prune candidate are exactly those of the same block without the attack, and each round trip
    /// costs the attacker its fees.
    function test_Attack_FlashSpotMove_changesNoEmissionShareNorPruning() public {
        uint256 id = _snapshot();
        attacker.execute(_calls(_poke(a), _poke(b), _poke(c)));
        Reading memory base = _read();
        _restore(id);

        uint256 heldB = pools.getStake(OWNER2_HOTKEY, pools.coldkeyOf(address(attacker)), b);
        uint256 spotA = views.spotPriceWad(pools, a);
        uint256 spotB = views.spotPriceWad(pools, b);
        Attacker.Call[] memory calls = new Attacker.Call[](7);
        calls[0] = _call(
            address(pools),
            5_000 * TAO,
            abi.encodeCall(IAlphaPools.addStake, (OWNER1_HOTKEY, a, 0, NO_DEADLINE))
        );
        calls[1] = _call(
            address(pools),
            0,
            abi.encodeCall(IAlphaPools.removeStake, (OWNER2_HOTKEY, b, heldB, 0, NO_DEADLINE))
        );
        calls[2] = _poke(a);
        calls[3] = _poke(b);
        calls[4] = _poke(c);
        calls[5] = _call(
            address(pools),
            0,
            abi.encodeCall(IAlphaPools.removeStakeFull, (OWNER1_HOTKEY, a, 0, NO_DEADLINE))
        );
        // Check the spot really moved within the transaction: stop after the two trades and look (and learn what
        // b's alpha sold for, which the last call stakes back).
        uint256 mid = _snapshot();
        Attacker.Call[] memory firstTwo = new Attacker.Call[](2);
        (firstTwo[0], firstTwo[1]) = (calls[0], calls[1]);
        uint256 soldForRao = abi.decode(attacker.execute(firstTwo)[1], (uint256));
        assertGt(views.spotPriceWad(pools, a), 100 * spotA, "a's spot pumped more than 100x");
        assertLt(views.spotPriceWad(pools, b), spotB / 2, "b's spot crashed below half");
        _restore(mid);
        calls[6] = _call(
            address(pools),
            soldForRao,
            abi.encodeCall(IAlphaPools.addStake, (OWNER2_HOTKEY, b, 0, NO_DEADLINE))
        );

        bytes[] memory results = attacker.execute(calls);
        _assertSame(_read(), base);
        // Each round trip costs its fees (the attacker's TAO balance can still rise: its b alpha, bought ten blocks
        // earlier, gained from the emission since, which holding it would have earned as well).
        assertLt(abi.decode(results[5], (uint256)), 5_000 * TAO, "the pump's round trip returns less TAO");
        assertEq(abi.decode(results[1], (uint256)), soldForRao, "the same sale");
        assertLt(abi.decode(results[6], (uint256)), heldB, "the crash's round trip returns less alpha");
    }

    /// @dev The registrant pumps the subnet that would be pruned (a) in the same transaction as its registration:
    /// pruning reads moving prices as of the block, which the pump cannot reach, so a is pruned all the same.
    function test_Attack_FlashSpotMove_cannotSaveASubnetFromPruning() public {
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, a, "a is the candidate");
        uint256 lock = registry.lockCost();
        bytes32 attackerHotkey = pools.coldkeyOf(address(attacker));
        bytes[] memory results = attacker.execute(
            _calls(
                _call(
                    address(pools),
                    5_000 * TAO,
                    abi.encodeCall(IAlphaPools.addStake, (OWNER1_HOTKEY, a, 0, NO_DEADLINE))
                ),
                _call(
                    address(registry),
                    lock,
                    abi.encodeCall(ISubnetRegistry.registerNetwork, (attackerHotkey, "pumped", lock))
                )
            )
        );
        assertEq(abi.decode(results[1], (uint16)), a, "a was pruned and its netuid reused");
        assertEq(registry.subnetOwner(a), address(attacker), "by the attacker's subnet");
        // The pump bought alpha of the pruned subnet: the attacker can only claim its refund.
        assertGt(registry.refundOf(OWNER1_HOTKEY, attackerHotkey, a, 1), 0, "a refund of the pruned subnet");
    }

    /// @dev Held across one block with the chain's EMA parameters, a 100× pump moves the moving price by at most
    /// 3e-6 × b / (b + 201,600) of the gap to the (capped) target, and the emission share by no more than that
    /// change of weight over the total weight.
    function test_Attack_SpotHeldOneBlock_barelyMovesChainMovingPrice() public {
        (AlphaPools chainPools, SubnetRegistry chainRegistry) = _chainLikeEconomy();
        uint16 x = _chainSubnet(chainPools, chainRegistry, owner1);
        uint16 y = _chainSubnet(chainPools, chainRegistry, owner2);
        // x's price falls below 1 TAO (its first emission sold), so the pump moves the EMA's target.
        _advance(100);
        vm.prank(settler);
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = chainPools.closePending(x);
        uint256 total = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
        bytes32 xHotkey = chainRegistry.ownerHotkey(x);
        vm.prank(settler);
        chainPools.creditStake(x, generation, xHotkey, ck(carol), total);
        vm.prank(carol);
        chainPools.removeStakeFull(xHotkey, x, 0, NO_DEADLINE);
        _advance(10_000);
        chainPools.poke(x);
        chainPools.poke(y);
        uint256 spot = views.spotPriceWad(chainPools, x);
        assertLt(spot, 0.5e18, "x trades below half a TAO");

        uint256 id = _snapshot();
        _advance(1);
        chainPools.poke(x);
        chainPools.poke(y);
        uint256 movingBase = views.movingPriceWad(chainPools, x);
        uint256 shareBase = views.emissionShareWad(chainPools, x);
        (IAlphaPoolsTypes.Global memory g, , ) = chainPools.storedGlobal();
        _restore(id);

        vm.deal(alice, _wei(20_000 * TAO));
        vm.prank(alice);
        uint256 alpha = chainPools.addStake{value: _wei(20_000 * TAO)}(xHotkey, x, 0, NO_DEADLINE);
        assertGt(views.spotPriceWad(chainPools, x), 100 * spot, "spot pumped more than 100x");
        _advance(1);
        chainPools.poke(x);
        chainPools.poke(y);
        uint256 movingPumped = views.movingPriceWad(chainPools, x);
        uint256 sharePumped = views.emissionShareWad(chainPools, x);

        // The catch-up's EMA weight at b blocks since the start, with the pump's target capped at 1 TAO.
        uint256 blocksSinceStart = _now() - chainPools.subnetConfig(x).firstEmissionBlock + 1;
        uint256 alphaWad = Math.mulDiv(3e12, blocksSinceStart, blocksSinceStart + 201_600);
        assertGt(movingPumped, movingBase, "the pump moved the moving price");
        assertLe(
            movingPumped - movingBase,
            Math.mulDiv(alphaWad, 1e18 - movingBase, 1e18) + 1,
            "by at most the weight"
        );
        assertLt(movingPumped - movingBase, 2e11, "less than 2e-7 TAO per alpha");
        // x's share w / W moves by at most its weight's change (the moving price's, in rao per alpha) over W.
        uint256 weightChange = movingPumped / 1e9 - movingBase / 1e9 + 1;
        assertLe(sharePumped - shareBase, Math.mulDiv(weightChange, 1e18, g.totalWeight) + 1, "share moved as little");

        vm.prank(alice);
        uint256 back = chainPools.removeStake(xHotkey, x, alpha, 0, NO_DEADLINE);
        assertLt(back, 20_000 * TAO, "and the whale's round trip lost TAO");
    }

    /* A SECOND ECONOMY WITH THE CHAIN'S EMA PARAMETERS */

    function _chainLikeEconomy() internal returns (AlphaPools p, SubnetRegistry r) {
        uint256 movingAlphaWad = 3e12;
        uint256 halvingBlocks = 201_600;
        AlphaPoolsExtension extension = Deploy.alphaPoolsExtension(movingAlphaWad, halvingBlocks, TAO_WEIGHT_WAD);
        p = Deploy.alphaPools(admin, movingAlphaWad, halvingBlocks, TAO_WEIGHT_WAD, 0, extension);
        r = Deploy.subnetRegistry(
            admin,
            p,
            MIN_TEMPO,
            MIN_LOCK_RAO,
            LOCK_REDUCTION_INTERVAL,
            NETWORK_RATE_LIMIT,
            NETWORK_IMMUNITY,
            SUBNET_LIMIT,
            _defaultHyperparameters(),
            ISubnetRegistry.PoolSettings(FEE_RATE, MIN_STAKE_RAO)
        );
        Metagraph mg = Deploy.metagraph(admin, p, r, INITIAL_BURN_RAO, DEFAULT_TAKE, MAX_TAKE, TAKE_RATE_LIMIT);
        RootDividends rd = Deploy.rootDividends(admin, p);
        bytes32[4] memory roles = [p.REGISTRY_ROLE(), p.METAGRAPH_ROLE(), p.ROOT_DIVIDENDS_ROLE(), p.SETTLER_ROLE()];
        vm.startPrank(admin);
        r.setMetagraph(mg);
        p.wire(mg, rd);
        p.grantRole(roles[0], address(r));
        p.grantRole(roles[1], address(mg));
        p.grantRole(roles[2], address(rd));
        p.grantRole(roles[3], settler);
        vm.stopPrank();
        // The reserve stays empty: no TAO emission, so no chain buy lifts the spot prices this test sets.
    }

    /// @dev Registers and starts a subnet whose owner hotkey is the owner's own account id.
    function _chainSubnet(AlphaPools p, SubnetRegistry r, address owner) internal returns (uint16 netuid) {
        uint256 last = r.lastLockBlock();
        if (last != 0 && _now() < last + NETWORK_RATE_LIMIT) vm.roll(last + NETWORK_RATE_LIMIT);
        uint256 cost = r.lockCost();
        vm.deal(owner, owner.balance + _wei(cost));
        vm.startPrank(owner);
        netuid = r.registerNetwork{value: _wei(cost)}(p.coldkeyOf(owner), "chain-like", cost);
        r.startCall(netuid);
        vm.stopPrank();
        _advance(1);
    }
}
