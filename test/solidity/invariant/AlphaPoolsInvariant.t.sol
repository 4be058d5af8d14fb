// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IRootDividends} from "../../../contracts/interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {CoinbaseLib} from "../../../contracts/libraries/CoinbaseLib.sol";
import {PoolsView} from "../../../contracts/libraries/PoolsView.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {RootDividends} from "../../../contracts/model/RootDividends.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";
import {PoolsTestBase, VmExtra} from "../model/PoolsTestBase.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM, Vm} from "../utils/Vm.sol";

/// @notice The spec formulas a handler needs to predict whether an action goes through (the chain's rounding: fee
/// up, output down).
library Spec {
    uint256 internal constant D = 65_535;
    uint256 internal constant MIN_RESERVE = 1_000_000;

    function feeUp(uint256 gross, uint256 rate) internal pure returns (uint256) {
        return (gross * rate + D - 1) / D;
    }

    function grossForNetUp(uint256 net, uint256 rate) internal pure returns (uint256) {
        return net + (net * rate + (D - rate) - 1) / (D - rate);
    }

    function outDown(uint256 netIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return (reserveOut * netIn) / (reserveIn + netIn);
    }

    /// @dev Whether a swap of `netIn` into (reserveIn, reserveOut) goes through, and its output.
    function swappable(uint256 netIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (bool, uint256) {
        if (netIn == 0 || netIn > reserveIn * 1000) return (false, 0);
        uint256 out = outDown(netIn, reserveIn, reserveOut);
        return (out != 0 && reserveOut - out >= MIN_RESERVE, out);
    }
}

/// @notice Common plumbing of the handlers: actors, hotkeys, pool readers, the k check around trades.
abstract contract HandlerBase is Assertions {
    Vm internal constant vm = VM;
    VmExtra internal constant vmx = VmExtra(address(VM));
    uint256 internal constant WEI_PER_RAO = 1e9;
    uint256 internal constant TAO = 1e9;
    uint256 internal constant NO_DEADLINE = type(uint256).max;

    AlphaPools internal immutable pools;
    address[3] internal actors;
    bytes32[3] internal coldkeys;
    bytes32[2] internal hotkeys;

    bool public kDecreased;
    uint256 public calls;

    constructor(AlphaPools pools_, address[3] memory actors_, bytes32[2] memory hotkeys_) {
        pools = pools_;
        actors = actors_;
        hotkeys = hotkeys_;
        for (uint256 i; i < 3; ++i) coldkeys[i] = pools_.coldkeyOf(actors_[i]);
    }

    function _reserves(uint16 netuid) internal view returns (uint256 tao, uint256 alpha) {
        (IAlphaPoolsTypes.Pool memory p, , ) = pools.storedSubnet(netuid);
        return (p.taoRao, p.alphaRao);
    }

    function _k(uint16 netuid) internal view returns (uint256) {
        (uint256 x, uint256 y) = _reserves(netuid);
        return x * y;
    }

    /// @dev Whether `alphaRao` of new stake mints at least one share of `hotkey`'s pool.
    function _mintsShares(bytes32 hotkey, uint16 netuid, uint256 alphaRao) internal view returns (bool) {
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(hotkey, netuid);
        return (alphaRao * (uint256(hp.shares) + 1e9)) / (uint256(hp.alphaRao) + 1) != 0;
    }

    /// @dev Notes whether x·y fell between two reads around a trade (both in the same block, after a catch-up).
    function _checkK(uint16 netuid, uint256 kBefore) internal {
        if (netuid != 0 && _k(netuid) < kBefore) kDecreased = true;
    }

    function _roll(uint256 blocks) internal {
        vm.roll(vmx.getBlockNumber() + blocks);
    }
}

/// @notice Drives the whole economy: stakes and unstakes (root included), moves within and across netuids, burns,
/// epochs settled through the hooks (with root dividends and debt left owed), root claims, miner burns, funding,
/// block moves, and prunes at the subnet limit followed by every holder's refund claim.
contract EconomyHandler is HandlerBase {
    SubnetRegistry internal immutable registry;
    RootDividends internal immutable rootDividends;
    address internal immutable settler;
    address internal immutable owner; // owns both hotkeys and registers every subnet
    bytes32 internal immutable ownerColdkey;

    uint16[3] public netuids = [uint16(1), 2, 3];

    // ghosts
    bool public refundMismatch;
    uint256 public refundsOwedRao; // refund pots not yet claimed
    uint256 public fundedRao;
    uint256 public prunes;

    constructor(
        AlphaPools pools_,
        SubnetRegistry registry_,
        RootDividends rootDividends_,
        address settler_,
        address owner_,
        address[3] memory actors_,
        bytes32[2] memory hotkeys_,
        uint256 fundedRao_
    ) HandlerBase(pools_, actors_, hotkeys_) {
        registry = registry_;
        rootDividends = rootDividends_;
        settler = settler_;
        owner = owner_;
        ownerColdkey = pools_.coldkeyOf(owner_);
        fundedRao = fundedRao_;
    }

    /// @dev Every coldkey that can hold stake: the three actors and the owner (owner cut, unvested rest).
    function coldkeyAt(uint256 i) public view returns (bytes32) {
        return i < 3 ? coldkeys[i] : ownerColdkey;
    }

    function hotkeyAt(uint256 i) public view returns (bytes32) {
        return hotkeys[i % 2];
    }

    function _net(uint256 seed) internal view returns (uint16) {
        uint256 i = seed % 4;
        return i == 3 ? 0 : netuids[i];
    }

    /* STAKING */

    function stake(uint256 actorSeed, uint256 netSeed, uint256 hkSeed, uint256 amount) external {
        ++calls;
        uint16 netuid = _net(netSeed);
        bytes32 hk = hotkeys[hkSeed % 2];
        address actor = actors[actorSeed % 3];
        uint256 alphaOut;
        if (netuid == 0) {
            amount = _bound(amount, 2_000_000, 500 * TAO);
            alphaOut = amount;
        } else {
            pools.poke(netuid);
            IAlphaPoolsTypes.SubnetConfig memory c = pools.subnetConfig(netuid);
            (uint256 x, uint256 y) = _reserves(netuid);
            amount = _bound(amount, Spec.grossForNetUp(c.minStakeRao, c.feeRateOf65535), 500 * TAO);
            bool ok;
            (ok, alphaOut) = Spec.swappable(amount - Spec.feeUp(amount, c.feeRateOf65535), x, y);
            if (!ok) return;
        }
        if (!_mintsShares(hk, netuid, alphaOut)) return;
        uint256 kBefore = _k(netuid);
        vm.deal(actor, actor.balance + amount * WEI_PER_RAO);
        vm.prank(actor);
        pools.addStake{value: amount * WEI_PER_RAO}(hk, netuid, alphaOut, NO_DEADLINE);
        _checkK(netuid, kBefore);
    }

    function unstake(uint256 actorSeed, uint256 netSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        uint16 netuid = _net(netSeed);
        bytes32 hk = hotkeys[hkSeed % 2];
        uint256 i = actorSeed % 3;
        if (netuid != 0) pools.poke(netuid);
        uint256 available = pools.getStake(hk, coldkeys[i], netuid);
        if (available == 0) return;
        uint256 sell = (available * _bound(fraction, 1, 10_000)) / 10_000;
        if (sell == 0) sell = available;
        (bool ok, uint256 taoOut) = _sale(netuid, sell);
        uint256 minimum = pools.subnetConfig(netuid).minStakeRao;
        if (sell < available && taoOut < minimum) {
            sell = available;
            (ok, taoOut) = _sale(netuid, sell);
        }
        if (!ok) return;
        uint256 kBefore = _k(netuid);
        vm.prank(actors[i]);
        pools.removeStake(hk, netuid, sell, taoOut, NO_DEADLINE);
        _checkK(netuid, kBefore);
    }

    function _sale(uint16 netuid, uint256 alphaRao) internal view returns (bool, uint256) {
        if (netuid == 0) return (true, alphaRao);
        (uint256 x, uint256 y) = _reserves(netuid);
        uint256 fee = pools.subnetConfig(netuid).feeRateOf65535;
        (bool ok, uint256 out) = Spec.swappable(alphaRao - Spec.feeUp(alphaRao, fee), y, x);
        return (ok, out);
    }

    /// @dev A move of the actor's stake to another hotkey and/or netuid.
    function move(uint256 actorSeed, uint256 fromSeed, uint256 toSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        uint256 i = actorSeed % 3;
        uint16 from = _net(fromSeed);
        uint16 to = _net(toSeed);
        bytes32 hkFrom = hotkeys[hkSeed % 2];
        bytes32 hkTo = hotkeys[(hkSeed >> 8) % 2];
        if (from == to && hkFrom == hkTo) return;
        if (from != 0) pools.poke(from);
        if (to != 0) pools.poke(to);
        uint256 available = pools.getStake(hkFrom, coldkeys[i], from);
        uint256 alphaRao = (available * _bound(fraction, 1, 10_000)) / 10_000;
        if (alphaRao == 0) return;
        uint256 expectedOut;
        if (from == to) {
            uint256 value = alphaRao;
            if (from != 0) {
                (uint256 x, uint256 y) = _reserves(from);
                value = (alphaRao * ((x * 1e9) / y)) / 1e9;
            }
            if (value < pools.subnetConfig(from).minStakeRao) return;
            expectedOut = alphaRao;
        } else {
            bool ok;
            uint256 taoRao;
            if (from == 0) taoRao = alphaRao;
            else {
                (uint256 x, uint256 y) = _reserves(from);
                uint256 fee = pools.subnetConfig(from).feeRateOf65535;
                (ok, taoRao) = Spec.swappable(alphaRao - Spec.feeUp(alphaRao, fee), y, x);
                if (!ok) return;
            }
            if (taoRao <= pools.subnetConfig(from).minStakeRao) return;
            if (taoRao < pools.subnetConfig(to).minStakeRao) return; // would be paid out: not exercised here
            if (to == 0) expectedOut = taoRao;
            else {
                (uint256 x2, uint256 y2) = _reserves(to);
                uint256 fee2 = from == 0 ? pools.subnetConfig(to).feeRateOf65535 : 0;
                (ok, expectedOut) = Spec.swappable(taoRao - Spec.feeUp(taoRao, fee2), x2, y2);
                if (!ok) return;
            }
        }
        if (!_mintsShares(hkTo, to, expectedOut)) return;
        uint256 kFrom = _k(from);
        uint256 kTo = _k(to);
        vm.prank(actors[i]);
        pools.moveStake(hkFrom, hkTo, from, to, alphaRao, expectedOut, NO_DEADLINE);
        _checkK(from, kFrom);
        _checkK(to, kTo);
    }

    function burn(uint256 actorSeed, uint256 netSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        uint16 netuid = netuids[netSeed % 3];
        uint256 i = actorSeed % 3;
        bytes32 hk = hotkeys[hkSeed % 2];
        uint256 amount = (pools.getStake(hk, coldkeys[i], netuid) * _bound(fraction, 1, 2_000)) / 10_000;
        if (amount == 0) return;
        vm.prank(actors[i]);
        pools.burnAlpha(hk, netuid, amount);
    }

    /* EPOCHS AND ROOT DIVIDENDS */

    /// @dev Closes a subnet's pot and pays part of each share (the rest stays owed): the owner cut to the owner,
    /// the miners' part to an actor on the second hotkey, the validators' part as a dividend to the first hotkey,
    /// the root part as root dividends when the first hotkey has enough root stake (recycled otherwise).
    function settle(uint256 netSeed, uint256 actorSeed, uint256 paidPct) external {
        ++calls;
        uint16 netuid = netuids[netSeed % 3];
        uint256 pct = _bound(paidPct, 50, 100);
        vm.startPrank(settler);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = pools.closePending(netuid);
        uint256 ownerCut = (pot.ownerCutAlphaRao * pct) / 100;
        if (ownerCut != 0) pools.creditStake(netuid, gen, hotkeys[0], ownerColdkey, ownerCut);
        uint256 server = (pot.serverAlphaRao * pct) / 100;
        if (server != 0) pools.creditStake(netuid, gen, hotkeys[1], coldkeys[actorSeed % 3], server);
        uint256 dividend = (pot.validatorAlphaRao * pct) / 100;
        if (dividend != 0) pools.creditDividend(netuid, gen, hotkeys[0], ownerColdkey, dividend);
        if (pot.rootAlphaRao != 0 && !rootDividends.creditRootDividend(netuid, gen, hotkeys[0], pot.rootAlphaRao)) {
            pools.recycleAlpha(netuid, gen, pot.rootAlphaRao);
        }
        vm.stopPrank();
    }

    function claimRoot(uint256 actorSeed, uint256 hkSeed) external {
        ++calls;
        uint16[] memory list = new uint16[](3);
        (list[0], list[1], list[2]) = (netuids[0], netuids[1], netuids[2]);
        rootDividends.claimRoot(hotkeys[hkSeed % 2], coldkeyAt(actorSeed % 4), list);
    }

    function setMinerBurn(uint256 netSeed, uint256 burnOf65535) external {
        ++calls;
        vm.prank(settler);
        pools.setMinerBurn(netuids[netSeed % 3], uint16(_bound(burnOf65535, 0, 65_535)));
    }

    function fund(uint256 amount) external {
        ++calls;
        amount = _bound(amount, 1, 50 * TAO);
        vm.deal(address(this), address(this).balance + amount * WEI_PER_RAO);
        pools.fundEmissionReserve{value: amount * WEI_PER_RAO}();
        fundedRao += amount;
    }

    function roll(uint256 blocks) external {
        ++calls;
        _roll(_bound(blocks, 1, 30));
    }

    /* PRUNING AND REFUNDS */

    /// @dev Registers a fourth subnet: the weakest is pruned. Checks the pot against the hotkey pools' alpha
    /// (summed here, independently of the contract's formula), then every holder claims and each claim must be
    /// ⌊alpha·pot/staked⌋.
    function pruneAndClaim() external {
        ++calls;
        _roll(51); // past the rate limit and every subnet's immunity
        (uint16 victim, ) = registry.pruneCandidate();
        pools.poke(victim);
        uint32 gen = pools.subnetConfig(victim).generation;
        (IAlphaPoolsTypes.Pool memory p, , IAlphaPoolsTypes.Books memory b) = pools.storedSubnet(victim);
        uint256 staked;
        for (uint256 h; h < 2; ++h) staked += _storedHotkeyAlpha(victim, gen, hotkeys[h]);
        uint256 cost = registry.lockCost();
        if (cost > 1_000_000 * TAO) return; // the lock doubles with each registration: stay within uint64
        vm.deal(owner, owner.balance + cost * WEI_PER_RAO);
        vm.prank(owner);
        uint16 netuid = registry.registerNetwork{value: cost * WEI_PER_RAO}(hotkeys[0], "pruned", cost);
        if (netuid != victim) refundMismatch = true;
        ++prunes;
        ISubnetRegistry.Refund memory r = registry.refundPot(victim, gen);
        if (r.stakedAlphaRao != staked || r.potRao != (uint256(p.taoRao) * staked) / b.alphaIssuanceRao) {
            refundMismatch = true;
        }
        uint256 paid;
        for (uint256 h; h < 2; ++h) {
            for (uint256 i; i < 4; ++i) {
                uint256 alpha = pools.instanceStake(victim, gen, hotkeys[h], coldkeyAt(i));
                if (alpha == 0) continue;
                vm.prank(i < 3 ? actors[i] : owner);
                uint256 got = registry.claimRefund(hotkeys[h], victim, gen);
                if (got != (alpha * r.potRao) / r.stakedAlphaRao) refundMismatch = true;
                paid += got;
            }
        }
        if (paid > r.potRao) refundMismatch = true;
        else refundsOwedRao += r.potRao - paid;
        vm.prank(owner);
        registry.startCall(victim);
    }

    /// @dev A hotkey pool's alpha, vested and vesting, as stored (slot 10 of AlphaPoolsBase).
    function _storedHotkeyAlpha(uint16 netuid, uint32 gen, bytes32 hk) internal view returns (uint256) {
        bytes32 outer = keccak256(abi.encode((uint256(gen) << 16) | netuid, uint256(10)));
        uint256 word = uint256(vm.load(address(pools), keccak256(abi.encode(hk, outer))));
        return uint256(uint56(word)) + uint64(word >> 144); // alpha (uint56) + unvested (uint64 at bit 144)
    }

    receive() external payable {}
}

/// @notice System invariants of the whole economy under random sequences of the handler's actions.
contract AlphaPoolsInvariantTest is PoolsTestBase {
    EconomyHandler internal handler;
    bytes32 internal hotkey2;

    function setUp() public override {
        super.setUp(); // 100 000 TAO in the emission reserve
        hotkey2 = _hotkey(address(0x0E1E), owner1);
        _newStartedSubnet(owner1, OWNER1_HOTKEY);
        _newStartedSubnet(owner1, hotkey2);
        _newStartedSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(carol);
        rootDividends.setRootClaimType(IRootDividends.RootClaimType.Keep);
        handler = new EconomyHandler(
            pools,
            registry,
            rootDividends,
            settler,
            owner1,
            [alice, bob, carol],
            [OWNER1_HOTKEY, hotkey2],
            _reserveFundingRao()
        );
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev The pools hold at least every TAO they owe: every pool (caught up to now), root stake and the emission
    /// reserve (as of now); the registry holds every refund not yet claimed.
    function invariant_solvency() public view {
        (
            IAlphaPoolsTypes.Global memory g,
            IAlphaPoolsTypes.Supply memory s,
            IAlphaPoolsTypes.RootStake memory r
        ) = pools.storedGlobal();
        CoinbaseLib.advanceGlobal(g, s.issuancePlusReserveRao, vmx.getBlockNumber());
        uint256 liabilities = uint256(r.taoRao) + g.reserveRao;
        for (uint256 i; i < 3; ++i) {
            (IAlphaPoolsTypes.Pool memory p, , , ) = PoolsView.subnetNow(pools, handler.netuids(i));
            liabilities += p.taoRao;
        }
        assertGe(address(pools).balance, _wei(liabilities), "pools: balance >= pools + root + reserve");
        assertGe(address(registry).balance, _wei(handler.refundsOwedRao()), "registry: balance >= refunds owed");
    }

    /// @dev Every hotkey pool's shares are exactly its holders' shares, and their alpha is within the pool's.
    function invariant_sharesSumToTotals() public view {
        for (uint256 n; n < 4; ++n) {
            uint16 netuid = n == 3 ? 0 : handler.netuids(n);
            uint32 gen = pools.subnetConfig(netuid).generation;
            for (uint256 h; h < 2; ++h) {
                bytes32 hk = handler.hotkeyAt(h);
                uint256 sumShares;
                uint256 sumAlpha;
                for (uint256 i; i < 4; ++i) {
                    sumShares += _sharesOf(netuid, gen, hk, handler.coldkeyAt(i));
                    sumAlpha += pools.getStake(hk, handler.coldkeyAt(i), netuid);
                }
                IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(hk, netuid);
                assertEq(sumShares, hp.shares, "sum of shares = total shares");
                assertLe(sumAlpha, hp.alphaRao, "sum of positions <= hotkey pool alpha");
            }
        }
    }

    function invariant_kNeverFallsOnATrade() public view {
        assertTrue(!handler.kDecreased(), "x*y fell on a trade");
    }

    /// @dev Alpha issuance is exactly accounted for on every subnet: in the pool, staked (vested or vesting),
    /// unowned (chain buys, burns), pending for the epoch (less the recycled root share) or owed by the settlement
    /// and to root stakers.
    function invariant_alphaIssuanceBookkeeping() public view {
        for (uint256 n; n < 3; ++n) {
            uint16 netuid = handler.netuids(n);
            uint32 gen = pools.subnetConfig(netuid).generation;
            uint256 staked;
            for (uint256 h; h < 2; ++h) {
                IAlphaPoolsTypes.HotkeyPool memory hp = _storedHotkeyPool(netuid, gen, handler.hotkeyAt(h));
                staked += uint256(hp.alphaRao) + hp.unvestedAlphaRao;
            }
            _assertAlphaIssuanceAccounted(netuid, staked);
        }
    }

    /// @dev TAO supply: the reserve never exceeds issuance plus reserve, and every funding is counted.
    function invariant_taoSupplyBookkeeping() public view {
        (IAlphaPoolsTypes.Global memory g, IAlphaPoolsTypes.Supply memory s, ) = pools.storedGlobal();
        assertGe(s.issuancePlusReserveRao, g.reserveRao, "issuance is never negative");
        assertEq(s.fundedRao, handler.fundedRao(), "funding counted");
    }

    /// @dev The metagraph's open subnets are the registry's, generation for generation, through prunes and reuse:
    /// the metagraph relies on it instead of asking the registry on every call.
    function invariant_metagraphSubnetsAreTheRegistrys() public view {
        for (uint16 netuid = 1; netuid <= 8; ++netuid) {
            bool open = metagraph.neuronCount(netuid) > 0;
            assertTrue(open == registry.isActive(netuid), "open in the metagraph exactly when in the registry");
            if (open) {
                assertEq(metagraph.generationOf(netuid), pools.subnetConfig(netuid).generation, "the same generation");
            }
        }
    }

    function invariant_refundsExact() public view {
        assertTrue(!handler.refundMismatch(), "a pot or a refund differed from the pro-rata rule");
    }

    /// @dev The handler's guards must not make the invariants vacuous: each action, with ordinary inputs, acts.
    function test_handler_everyActionGoesThrough() public {
        bytes32 h1 = OWNER1_HOTKEY;
        handler.stake(0, 0, 0, 50 * TAO); // alice, net1, first hotkey
        uint256 staked = pools.getStake(h1, ck(alice), 1);
        assertGt(staked, 0, "stake");
        handler.stake(0, 3, 0, 100 * TAO); // alice, root
        uint256 rootStake = pools.getStake(h1, ck(alice), 0);
        assertGt(rootStake, 0, "root stake");
        handler.stake(1, 1, 1, 20 * TAO); // bob, net2, second hotkey
        assertGt(pools.getStake(hotkey2, ck(bob), 2), 0, "bob's stake");
        handler.roll(29);
        handler.unstake(0, 0, 0, 5_000);
        staked = pools.getStake(h1, ck(alice), 1);
        assertGt(staked, 0, "half left");
        handler.move(1, 1, 0, 1, 10_000); // bob, all of it: net2, second hotkey -> net1, first hotkey
        assertEq(pools.getStake(hotkey2, ck(bob), 2), 0, "moved out");
        assertGt(pools.getStake(h1, ck(bob), 1), 0, "cross-netuid move");
        handler.burn(0, 0, 0, 1_000);
        assertLt(pools.getStake(h1, ck(alice), 1), staked, "burn");
        handler.roll(29); // 30 blocks each: the moving prices mature and the root sell flag turns on
        handler.roll(29);
        handler.roll(29);
        for (uint16 n = 1; n <= 3; ++n) pools.poke(n);
        assertGt(_global().sumMovingPriceRao, 1e9, "root sell flag on");
        handler.roll(0);
        handler.settle(0, 2, 100);
        assertGt(pools.getStake(hotkey2, ck(carol), 1), 0, "miner credit");
        uint256 claimable = rootDividends.rootClaimable(h1, ck(alice), 1);
        assertGt(claimable, 0, "root dividends assigned");
        handler.claimRoot(0, 0);
        assertGt(pools.getStake(h1, ck(alice), 0), rootStake, "root claim swapped and restaked");
        handler.setMinerBurn(0, 1_000);
        assertEq(pools.subnetConfig(1).minerBurnOf65535, 1_000, "miner burn");
        handler.fund(5 * TAO);
        assertGt(handler.fundedRao(), _reserveFundingRao(), "funded");
        assertEq(handler.fundedRao(), _supply().fundedRao, "counted");
        handler.pruneAndClaim();
        assertEq(handler.prunes(), 1, "a prune");
        assertTrue(!handler.refundMismatch(), "exact refunds");
        assertTrue(!handler.kDecreased(), "k");
    }
}

/// @notice A closed system: one subnet, no emission reserve (no TAO enters but the stakers'), stakes, unstakes,
/// moves within the netuid and burns.
contract ClosedSystemHandler is HandlerBase {
    uint16 public immutable NETUID;
    uint256 public taoInRao;
    uint256 public taoOutRao;

    constructor(
        AlphaPools pools_,
        uint16 netuid,
        address[3] memory actors_,
        bytes32[2] memory hotkeys_
    ) HandlerBase(pools_, actors_, hotkeys_) {
        NETUID = netuid;
    }

    function stake(uint256 actorSeed, uint256 hkSeed, uint256 amount) external {
        ++calls;
        pools.poke(NETUID);
        (uint256 x, uint256 y) = _reserves(NETUID);
        amount = _bound(amount, Spec.grossForNetUp(2_000_000, 33), 300 * TAO);
        (bool ok, uint256 out) = Spec.swappable(amount - Spec.feeUp(amount, 33), x, y);
        bytes32 hk = hotkeys[hkSeed % 2];
        if (!ok || !_mintsShares(hk, NETUID, out)) return;
        address actor = actors[actorSeed % 3];
        uint256 kBefore = _k(NETUID);
        vm.deal(actor, actor.balance + amount * WEI_PER_RAO);
        vm.prank(actor);
        pools.addStake{value: amount * WEI_PER_RAO}(hk, NETUID, out, NO_DEADLINE);
        _checkK(NETUID, kBefore);
        taoInRao += amount;
    }

    function unstake(uint256 actorSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        pools.poke(NETUID);
        uint256 i = actorSeed % 3;
        bytes32 hk = hotkeys[hkSeed % 2];
        uint256 available = pools.getStake(hk, coldkeys[i], NETUID);
        if (available == 0) return;
        uint256 sell = (available * _bound(fraction, 1, 10_000)) / 10_000;
        if (sell == 0) sell = available;
        (uint256 x, uint256 y) = _reserves(NETUID);
        (bool ok, uint256 out) = Spec.swappable(sell - Spec.feeUp(sell, 33), y, x);
        if (sell < available && out < 2_000_000) {
            sell = available;
            (ok, out) = Spec.swappable(sell - Spec.feeUp(sell, 33), y, x);
        }
        if (!ok) return;
        uint256 kBefore = _k(NETUID);
        vm.prank(actors[i]);
        uint256 got = pools.removeStake(hk, NETUID, sell, out, NO_DEADLINE);
        _checkK(NETUID, kBefore);
        taoOutRao += got;
    }

    function move(uint256 actorSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        pools.poke(NETUID);
        uint256 i = actorSeed % 3;
        bytes32 from = hotkeys[hkSeed % 2];
        uint256 alpha = (pools.getStake(from, coldkeys[i], NETUID) * _bound(fraction, 1, 10_000)) / 10_000;
        (uint256 x, uint256 y) = _reserves(NETUID);
        if (alpha == 0 || (alpha * ((x * 1e9) / y)) / 1e9 < 2_000_000) return;
        bytes32 to = hotkeys[1 - (hkSeed % 2)];
        if (!_mintsShares(to, NETUID, alpha)) return;
        vm.prank(actors[i]);
        pools.moveStake(from, to, NETUID, NETUID, alpha, alpha, NO_DEADLINE);
    }

    function burn(uint256 actorSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        uint256 i = actorSeed % 3;
        bytes32 hk = hotkeys[hkSeed % 2];
        uint256 amount = (pools.getStake(hk, coldkeys[i], NETUID) * _bound(fraction, 1, 3_000)) / 10_000;
        if (amount == 0) return;
        vm.prank(actors[i]);
        pools.burnAlpha(hk, NETUID, amount);
    }

    function roll(uint256 blocks) external {
        ++calls;
        _roll(_bound(blocks, 1, 50));
    }
}

/// @notice Without emission the stakers together take out at most what they put in, and the pool and the contract
/// hold the difference exactly.
contract AlphaPoolsClosedSystemInvariantTest is PoolsTestBase {
    ClosedSystemHandler internal handler;
    uint16 internal netuid;
    uint256 internal openingTaoRao;

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        netuid = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        _newSubnet(owner2, OWNER2_HOTKEY); // registers the second hotkey; never started, so it takes no weight
        openingTaoRao = _pool(netuid).taoRao;
        handler = new ClosedSystemHandler(pools, netuid, [alice, bob, carol], [OWNER1_HOTKEY, OWNER2_HOTKEY]);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_noTaoFromNothing() public view {
        uint256 inflow = handler.taoInRao();
        uint256 outflow = handler.taoOutRao();
        assertLe(outflow, inflow, "the stakers took out more than they put in");
        assertEq(_pool(netuid).taoRao, openingTaoRao + inflow - outflow, "the pool holds the opening TAO + net inflow");
    }

    function invariant_closedBalanceIsExact() public view {
        uint256 held = openingTaoRao + _pool(2).taoRao + handler.taoInRao() - handler.taoOutRao();
        assertEq(address(pools).balance, _wei(held), "the contract holds exactly the locks and the net inflow");
    }

    function invariant_closedKNeverFalls() public view {
        assertTrue(!handler.kDecreased(), "x*y fell on a trade");
    }

    /// @dev The handler's guards must not make the invariants vacuous: each action, with ordinary inputs, acts.
    function test_handler_everyActionGoesThrough() public {
        handler.stake(0, 0, 10 * TAO);
        assertGt(handler.taoInRao(), 0, "stake");
        handler.roll(5);
        handler.unstake(0, 0, 5_000);
        assertGt(handler.taoOutRao(), 0, "unstake");
        handler.move(0, 0, 5_000);
        assertGt(pools.getStake(OWNER2_HOTKEY, ck(alice), netuid), 0, "move");
        handler.burn(0, 1, 1_000);
        assertGt(_emission(netuid).unownedAlphaRao, 0, "burn");
    }
}
