// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {CoinbaseLib} from "../../../contracts/libraries/CoinbaseLib.sol";
import {PoolsView} from "../../../contracts/libraries/PoolsView.sol";

import {BaseTest} from "../BaseTest.sol";
import {VM} from "../utils/Vm.sol";
import {Attacker} from "./Attacker.sol";

/// @notice Cheatcodes the security tests add to `Vm` (same address): state snapshots, to replay one scenario with and
/// without an attack, and the current block number as the cheatcodes set it.
interface VmExtra {
    function snapshotState() external returns (uint256 snapshotId);

    function revertToState(uint256 snapshotId) external returns (bool success);

    function getBlockNumber() external view returns (uint256 height);
}

/// @notice `PoolsView` reads "as of now", behind external calls. A test reads the block number through a cheatcode:
/// within one test function the optimizer may reuse an earlier `block.number` (it cannot change inside a real
/// transaction), so code that runs after `vm.roll` in the same function must not read it directly.
contract NowViews {
    function subnetNow(
        IAlphaPools pools,
        uint16 netuid
    )
        external
        view
        returns (
            IAlphaPoolsTypes.Pool memory,
            IAlphaPoolsTypes.Emission memory,
            IAlphaPoolsTypes.Books memory,
            IAlphaPoolsTypes.Global memory
        )
    {
        return PoolsView.subnetNow(pools, netuid);
    }

    /// @notice The global state with the draw that is due.
    function globalNow(IAlphaPools pools) external view returns (IAlphaPoolsTypes.Global memory g) {
        IAlphaPoolsTypes.Supply memory supply;
        (g, supply, ) = pools.storedGlobal();
        CoinbaseLib.advanceGlobal(g, supply.issuancePlusReserveRao, block.number);
    }

    function spotPriceWad(IAlphaPools pools, uint16 netuid) external view returns (uint256) {
        return PoolsView.spotPriceWad(pools, netuid);
    }

    function movingPriceWad(IAlphaPools pools, uint16 netuid) external view returns (uint256) {
        return PoolsView.movingPriceWad(pools, netuid);
    }

    function emissionShareWad(IAlphaPools pools, uint16 netuid) external view returns (uint256) {
        return PoolsView.emissionShareWad(pools, netuid);
    }

    function quote(IAlphaPools pools, uint16 netuid, uint256 amountIn, bool taoIn) external view returns (uint256) {
        return PoolsView.quote(pools, netuid, amountIn, taoIn);
    }
}

/// @title SecurityBase
/// @notice Helpers of the security tests: the epoch settlement's steps as the settler runs them, attacker contracts,
/// snapshots, and the model's conservation laws (every TAO-rao the pools hold and every alpha-rao issued is accounted
/// for), which each attack test checks after the attack.
abstract contract SecurityBase is BaseTest {
    VmExtra internal constant vmExtra = VmExtra(address(VM));

    uint16 internal constant ROOT = 0;
    uint256 internal constant TAKE_DENOMINATOR = 65_535;

    NowViews internal views;

    function setUp() public virtual override {
        super.setUp();
        views = new NowViews();
    }

    /* BLOCKS AND SUBNETS (block numbers read through the cheatcode, see `NowViews`) */

    function _now() internal view returns (uint256) {
        return vmExtra.getBlockNumber();
    }

    function _advance(uint256 blocks) internal {
        vm.roll(_now() + blocks);
    }

    /// @dev Registers a subnet for `owner` at the current lock cost, moving past the rate limit first.
    function _newSubnet(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        uint256 last = registry.lastLockBlock();
        if (last != 0 && _now() < last + NETWORK_RATE_LIMIT) vm.roll(last + NETWORK_RATE_LIMIT);
        uint256 cost = registry.lockCost();
        vm.deal(owner, owner.balance + _wei(cost));
        vm.prank(owner);
        netuid = registry.registerNetwork{value: _wei(cost)}(hotkey, "subnet", cost);
    }

    /// @dev Registers a subnet and starts its emission (from the next block, which this moves to).
    function _newEmittingSubnet(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        netuid = _newSubnet(owner, hotkey);
        vm.prank(owner);
        registry.startCall(netuid);
        _advance(1);
    }

    /* SNAPSHOTS */

    function _snapshot() internal returns (uint256) {
        return vmExtra.snapshotState();
    }

    function _restore(uint256 snapshotId) internal {
        assertTrue(vmExtra.revertToState(snapshotId), "state restored");
    }

    /* ATTACKERS */

    function _newAttacker(uint256 fundsRao) internal returns (Attacker attacker) {
        attacker = new Attacker();
        vm.deal(address(attacker), _wei(fundsRao));
    }

    function _call(address target, uint256 valueRao, bytes memory data) internal pure returns (Attacker.Call memory) {
        return Attacker.Call(target, _wei(valueRao), data);
    }

    function _calls(Attacker.Call memory a) internal pure returns (Attacker.Call[] memory list) {
        list = new Attacker.Call[](1);
        list[0] = a;
    }

    function _calls(
        Attacker.Call memory a,
        Attacker.Call memory b
    ) internal pure returns (Attacker.Call[] memory list) {
        list = new Attacker.Call[](2);
        (list[0], list[1]) = (a, b);
    }

    function _calls(
        Attacker.Call memory a,
        Attacker.Call memory b,
        Attacker.Call memory c
    ) internal pure returns (Attacker.Call[] memory list) {
        list = new Attacker.Call[](3);
        (list[0], list[1], list[2]) = (a, b, c);
    }

    function _calls(
        Attacker.Call memory a,
        Attacker.Call memory b,
        Attacker.Call memory c,
        Attacker.Call memory d
    ) internal pure returns (Attacker.Call[] memory list) {
        list = new Attacker.Call[](4);
        (list[0], list[1], list[2], list[3]) = (a, b, c, d);
    }

    /// @dev Runs `calls` through `attacker` and expects the whole transaction to revert with exactly `expected`. A
    /// low-level call: after an expected revert a high-level call would decode the revert data as return data.
    function _expectAttackReverts(Attacker attacker, Attacker.Call[] memory calls, bytes memory expected) internal {
        (bool ok, bytes memory ret) = address(attacker).call(abi.encodeCall(Attacker.execute, (calls)));
        assertTrue(!ok, "the attack reverted");
        assertEq(keccak256(ret), keccak256(expected), "with the expected error");
    }

    /* SETTLEMENT (the settler's steps, as an epoch settlement runs them) */

    function _closePot(
        uint16 netuid
    ) internal returns (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) {
        vm.prank(settler);
        (generation, pot) = pools.closePending(netuid);
    }

    /// @dev A validator's dividend: the hotkey's take to its owner as stake, the rest vesting into its pool.
    function _creditDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        uint256 alphaRao
    ) internal returns (uint256 takeAlphaRao) {
        bytes32 owner = metagraph.ownerOf(hotkey);
        takeAlphaRao = (alphaRao * metagraph.takeOf(hotkey)) / TAKE_DENOMINATOR;
        vm.startPrank(settler);
        if (takeAlphaRao != 0) pools.creditStake(netuid, generation, hotkey, owner, takeAlphaRao);
        pools.creditDividend(netuid, generation, hotkey, owner, alphaRao - takeAlphaRao);
        vm.stopPrank();
    }

    /// @dev Pays a whole epoch pot to one coldkey's stake on `hotkey`: alpha someone can then sell.
    function _creditWholePot(uint16 netuid, bytes32 hotkey, address to) internal returns (uint256 alphaRao) {
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        alphaRao = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
        vm.prank(settler);
        pools.creditStake(netuid, generation, hotkey, ck(to), alphaRao);
    }

    /* READS */

    function _pool(uint16 netuid) internal view returns (IAlphaPoolsTypes.Pool memory p) {
        (p, , ) = pools.storedSubnet(netuid);
    }

    function _emission(uint16 netuid) internal view returns (IAlphaPoolsTypes.Emission memory em) {
        (, em, ) = pools.storedSubnet(netuid);
    }

    function _books(uint16 netuid) internal view returns (IAlphaPoolsTypes.Books memory books) {
        (, , books) = pools.storedSubnet(netuid);
    }

    function _rootStake() internal view returns (IAlphaPoolsTypes.RootStake memory root) {
        (, , root) = pools.storedGlobal();
    }

    function _reserveRao() internal view returns (uint256) {
        (IAlphaPoolsTypes.Global memory g, , ) = pools.storedGlobal();
        return g.reserveRao;
    }

    function _generation(uint16 netuid) internal view returns (uint32) {
        return pools.subnetConfig(netuid).generation;
    }

    function _list(bytes32 a) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](1);
        l[0] = a;
    }

    function _list(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](2);
        (l[0], l[1]) = (a, b);
    }

    function _list(bytes32 a, bytes32 b, bytes32 c) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    function _netuids(uint16 a) internal pure returns (uint16[] memory l) {
        l = new uint16[](1);
        l[0] = a;
    }

    /* CONSERVATION LAWS */

    /// @dev What the pools account for as of this block: every open subnet's pool TAO with the catch-up that is due,
    /// root stake, and the emission reserve after the draw that is due.
    function _taoAccountedRao() internal view returns (uint256 sum) {
        IAlphaPoolsTypes.Global memory g = views.globalNow(pools);
        sum = uint256(_rootStake().taoRao) + g.reserveRao;
        uint16[] memory netuids = registry.activeNetuids();
        for (uint256 i; i < netuids.length; ++i) {
            (IAlphaPoolsTypes.Pool memory p, , , ) = views.subnetNow(pools, netuids[i]);
            sum += p.taoRao;
        }
    }

    /// @dev The pools hold every TAO-rao they account for. The only difference allowed is the rounding of the emission
    /// index (each draw and each catch-up rounds down, in the pools' favour): `maxDustRao` bounds it.
    function _assertTaoConserved(uint256 maxDustRao) internal view {
        assertEq(address(pools).balance % WEI_PER_RAO, 0, "the pools hold whole rao");
        uint256 heldRao = address(pools).balance / WEI_PER_RAO;
        uint256 accountedRao = _taoAccountedRao();
        assertGe(heldRao, accountedRao, "the pools hold at least the TAO they account for");
        assertLe(heldRao - accountedRao, maxDustRao, "only index rounding is unaccounted");
    }

    /// @dev Every alpha-rao issued on `netuid` is in the pool, unowned (chain buys, burns), waiting for the epoch,
    /// owed by the settlement or to root stakers, or held by the listed hotkey pools (vested or vesting). The listed
    /// hotkeys must be every hotkey with stake on `netuid`.
    function _assertAlphaConserved(uint16 netuid, bytes32[] memory hotkeys) internal view {
        (
            IAlphaPoolsTypes.Pool memory p,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books,

        ) = views.subnetNow(pools, netuid);
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(netuid, _generation(netuid));
        uint256 heldAlphaRao;
        for (uint256 i; i < hotkeys.length; ++i) {
            IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(hotkeys[i], netuid);
            heldAlphaRao += uint256(hp.alphaRao) + hp.unvestedAlphaRao;
        }
        assertEq(
            uint256(books.alphaIssuanceRao) + books.pendingRecycledRootAlphaRao,
            uint256(p.alphaRao) +
                em.unownedAlphaRao +
                books.pendingAlphaOutRao +
                settlementOwed +
                rootOwed +
                heldAlphaRao,
            "every issued alpha-rao is accounted for"
        );
    }

    /// @dev Root stake is the sum of the listed hotkeys' root pools (every hotkey with root stake must be listed).
    function _assertRootConserved(bytes32[] memory hotkeys) internal view {
        uint256 held;
        for (uint256 i; i < hotkeys.length; ++i) held += pools.hotkeyPool(hotkeys[i], ROOT).alphaRao;
        assertEq(_rootStake().taoRao, held, "root TAO equals the root hotkey pools");
    }
}
