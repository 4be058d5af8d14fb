// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";
import {RegistryTestBase} from "./RegistryTestBase.sol";

/// @dev Random registrations (pruning at the limit), stakes, unstakes and refund claims. Every subnet's owner hotkey is
/// the same account id, on which the actors stake. No call reverts: what the model would refuse is skipped.
contract RegistryHandler is Assertions {
    uint256 internal constant TAO = 1e9;

    AlphaPools internal immutable pools;
    SubnetRegistry internal immutable registry;
    address internal immutable owner;
    bytes32 public immutable ownerHotkey;

    address[3] internal actors;
    /// @dev Every pruned subnet instance, as (netuid, generation).
    uint16[] public prunedNetuids;
    uint32[] public prunedGenerations;

    constructor(
        AlphaPools pools_,
        SubnetRegistry registry_,
        address owner_,
        bytes32 ownerHotkey_,
        address[3] memory actors_
    ) {
        (pools, registry, owner, ownerHotkey, actors) = (pools_, registry_, owner_, ownerHotkey_, actors_);
    }

    function prunedCount() external view returns (uint256) {
        return prunedNetuids.length;
    }

    function actor(uint256 i) external view returns (address) {
        return actors[i];
    }

    /// @dev A registration far enough apart that the lock cost is back at its minimum; at the limit it prunes.
    function register() external {
        VM.roll(block.number + 2_100);
        uint16 candidate;
        uint32 candidateGeneration;
        if (registry.subnetCount() >= registry.subnetLimit()) {
            (candidate, ) = registry.pruneCandidate();
            if (candidate == 0) return;
            candidateGeneration = registry.subnet(candidate).generation;
        }
        uint256 cost = registry.lockCost();
        VM.deal(owner, cost * 1e9);
        VM.prank(owner);
        uint16 netuid = registry.registerNetwork{value: cost * 1e9}(ownerHotkey, "subnet", cost);
        if (candidate != 0) {
            prunedNetuids.push(candidate);
            prunedGenerations.push(candidateGeneration);
        }
        VM.prank(owner);
        registry.startCall(netuid);
        VM.roll(block.number + 1);
    }

    function _activeNetuid(uint256 seed) internal view returns (uint16) {
        uint16[] memory netuids = registry.activeNetuids();
        if (netuids.length == 0) return 0;
        return netuids[seed % netuids.length];
    }

    function stake(uint256 who, uint256 seed, uint256 amount) external {
        uint16 netuid = _activeNetuid(seed);
        if (netuid == 0) return;
        amount = _bound(amount, TAO / 100, 100 * TAO);
        address a = actors[_bound(who, 0, 2)];
        VM.deal(a, amount * 1e9);
        VM.prank(a);
        pools.addStake{value: amount * 1e9}(ownerHotkey, netuid, 0, type(uint256).max);
    }

    function unstake(uint256 who, uint256 seed, uint256 amount) external {
        uint16 netuid = _activeNetuid(seed);
        if (netuid == 0) return;
        address a = actors[_bound(who, 0, 2)];
        uint256 available = pools.getStake(ownerHotkey, pools.coldkeyOf(a), netuid);
        if (available == 0) return;
        amount = _bound(amount, 1, available);
        // below the minimum stake's worth a partial unstake is refused: take it all then
        if (amount < available && amount < available / 2) amount = available;
        VM.prank(a);
        try pools.removeStake(ownerHotkey, netuid, amount, 0, type(uint256).max) {} catch {
            // a sale the pool refuses (the minimum reserve) is not this suite's subject
        }
    }

    function claim(uint256 who, uint256 seed) external {
        if (prunedNetuids.length == 0) return;
        uint256 i = seed % prunedNetuids.length;
        address a = actors[_bound(who, 0, 2)];
        if (registry.refundOf(ownerHotkey, pools.coldkeyOf(a), prunedNetuids[i], prunedGenerations[i]) == 0) return;
        VM.prank(a);
        registry.claimRefund(ownerHotkey, prunedNetuids[i], prunedGenerations[i]);
    }

    function roll(uint256 blocks) external {
        VM.roll(block.number + _bound(blocks, 1, 200));
    }
}

/// @notice The registry under random registrations, prunings, stakes and refund claims: it holds exactly the unpaid
/// refund pots, no pot pays more than it holds, and the subnet limit holds.
contract SubnetRegistryInvariantTest is RegistryTestBase {
    RegistryHandler internal handler;

    function setUp() public override {
        super.setUp();
        bytes32 hotkey = ck(owner1);
        handler = new RegistryHandler(pools, registry, owner1, hotkey, [alice, bob, carol]);
        handler.register();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_registryHoldsTheUnpaidPots() public view {
        uint256 unpaid;
        for (uint256 i; i < handler.prunedCount(); ++i) {
            ISubnetRegistry.Refund memory r = registry.refundPot(
                handler.prunedNetuids(i),
                handler.prunedGenerations(i)
            );
            assertLe(r.paidRao, r.potRao, "a pot never pays more than it holds");
            unpaid += r.potRao - r.paidRao;
        }
        assertEq(address(registry).balance, _wei(unpaid), "balance = unpaid pots");
    }

    function invariant_refundsStillDueFitInTheirPot() public view {
        for (uint256 i; i < handler.prunedCount(); ++i) {
            (uint16 netuid, uint32 generation) = (handler.prunedNetuids(i), handler.prunedGenerations(i));
            ISubnetRegistry.Refund memory r = registry.refundPot(netuid, generation);
            uint256 due;
            for (uint256 k; k < 3; ++k) {
                due += registry.refundOf(handler.ownerHotkey(), ck(handler.actor(k)), netuid, generation);
            }
            assertLe(due + r.paidRao, r.potRao, "due + paid <= pot");
        }
    }

    function invariant_subnetLimit() public view {
        assertLe(registry.subnetCount(), SUBNET_LIMIT, "at most the limit");
        assertEq(registry.activeNetuids().length, registry.subnetCount(), "count = active netuids");
    }
}
