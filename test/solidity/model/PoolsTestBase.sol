// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {AlphaPoolsExtension} from "../../../contracts/model/AlphaPoolsExtension.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {RootDividends} from "../../../contracts/model/RootDividends.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";
import {BaseTest} from "../BaseTest.sol";
import {VM} from "../utils/Vm.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @notice Cheatcodes beyond the shared `Vm` interface, at the same address.
interface VmExtra {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function snapshotState() external returns (uint256 snapshotId);

    function revertToState(uint256 snapshotId) external returns (bool success);

    function recordLogs() external;

    function getRecordedLogs() external returns (Log[] memory logs);

    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;

    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;

    function store(address target, bytes32 slot, bytes32 value) external;

    function getBlockNumber() external view returns (uint256 height);
}

/// @title PoolsTestBase
/// @notice Shared set-up of the AlphaPools suites: the spec formulas the tests compare against (written here from the
/// chain's definitions, not taken from the contracts), readers of the pools' state, the ledger's storage slots, and
/// helpers that act through the roles the other parts of the model hold.
/// @dev Every formula states its rounding. The chain's conventions: the fee is taken from the gross input and rounded
/// up; a swap's output is rounded down; a required input is rounded up.
abstract contract PoolsTestBase is BaseTest {
    VmExtra internal constant vmx = VmExtra(address(VM));

    uint256 internal constant FEE_DENOMINATOR = 65_535;
    uint256 internal constant FEE = 33; // FEE_RATE as a plain number
    uint256 internal constant MIN_STAKE = 2_000_000; // MIN_STAKE_RAO as a plain number
    uint256 internal constant MIN_RESERVE = 1_000_000; // subtensor's MinimumReserve
    uint256 internal constant OWNER_CUT_OF_65535 = 11_796;
    uint256 internal constant VIRTUAL_SHARES = 1e9;
    uint256 internal constant PRICE_SCALE = 1e9; // alpha-rao per alpha
    uint256 internal constant BLOCK_EMISSION_RAO = 1e9; // before the first halving
    uint256 internal constant TOTAL_SUPPLY_RAO = 21_000_000e9;

    /// @dev The ledger's storage slots in AlphaPoolsBase (pinned by `test_storageLayout_ledgerSlots`).
    uint256 internal constant HOTKEY_POOLS_SLOT = 10;
    uint256 internal constant SHARES_SLOT = 11;

    /* SPEC FORMULAS */

    /// @dev The fee on a gross input: ⌈gross·r / 65535⌉ (rounded up, for the pool).
    function _feeUp(uint256 grossIn, uint256 rate) internal pure returns (uint256) {
        return (grossIn * rate + FEE_DENOMINATOR - 1) / FEE_DENOMINATOR;
    }

    /// @dev The gross input whose fee leaves `net`: net + ⌈net·r / (65535 − r)⌉ (rounded up).
    function _grossForNetUp(uint256 net, uint256 rate) internal pure returns (uint256) {
        return net + (net * rate + (FEE_DENOMINATOR - rate) - 1) / (FEE_DENOMINATOR - rate);
    }

    /// @dev Constant product output: ⌊reserveOut·in / (reserveIn + in)⌋ (rounded down, for the pool).
    function _outDown(uint256 netIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return (reserveOut * netIn) / (reserveIn + netIn);
    }

    /// @dev Alpha for `grossRao` staked into (taoReserve, alphaReserve) at fee rate `rate`.
    function _buyDown(
        uint256 grossRao,
        uint256 taoReserve,
        uint256 alphaReserve,
        uint256 rate
    ) internal pure returns (uint256) {
        return _outDown(grossRao - _feeUp(grossRao, rate), taoReserve, alphaReserve);
    }

    /// @dev TAO for `grossAlpha` unstaked from (taoReserve, alphaReserve) at fee rate `rate`.
    function _sellDown(
        uint256 grossAlpha,
        uint256 taoReserve,
        uint256 alphaReserve,
        uint256 rate
    ) internal pure returns (uint256) {
        return _outDown(grossAlpha - _feeUp(grossAlpha, rate), alphaReserve, taoReserve);
    }

    /// @dev Spot price in rao per alpha, ⌊tao·1e9 / alpha⌋.
    function _spotRao(uint256 taoReserve, uint256 alphaReserve) internal pure returns (uint256) {
        return (taoReserve * PRICE_SCALE) / alphaReserve;
    }

    /// @dev ⌊√x⌋ by Newton's method (independent of OpenZeppelin's).
    function _sqrtDown(uint256 x) internal pure returns (uint256 r) {
        if (x == 0) return 0;
        r = x;
        uint256 y = x / 2 + 1;
        while (y < r) (r, y) = (y, (x / y + y) / 2);
    }

    /// @dev Share arithmetic with the ledger's virtual offset (1e9 virtual shares, 1 virtual alpha-rao).
    function _sharesDown(uint256 alpha, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return (alpha * (totalShares + VIRTUAL_SHARES)) / (totalAlpha + 1);
    }

    function _sharesUp(uint256 alpha, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return (alpha * (totalShares + VIRTUAL_SHARES) + totalAlpha) / (totalAlpha + 1);
    }

    function _alphaDown(uint256 shares, uint256 totalAlpha, uint256 totalShares) internal pure returns (uint256) {
        return (shares * (totalAlpha + 1)) / (totalShares + VIRTUAL_SHARES);
    }

    /// @dev Bittensor's halving by issuance: the block emission is 1e9 >> k, with k the largest integer such that
    /// (S − I)·2^k ≤ S (S = 21M TAO); 0 from S on. Written as a loop over eras, one block at a time within an era.
    function _blockEmissionAt(uint256 issuance) internal pure returns (uint256) {
        if (issuance >= TOTAL_SUPPLY_RAO) return 0;
        uint256 remaining = TOTAL_SUPPLY_RAO - issuance;
        uint256 k;
        while (remaining * 2 <= TOTAL_SUPPLY_RAO) {
            remaining *= 2;
            ++k;
        }
        return k > 30 ? 0 : BLOCK_EMISSION_RAO >> k;
    }

    /// @dev Emission over `blocks` blocks from `issuance`, block by block where the era changes (a reference for
    /// the library's closed form: it walks each era with a division, and steps single blocks only near a boundary).
    function _emissionOver(uint256 issuance, uint256 blocks) internal pure returns (uint256 emitted) {
        while (blocks != 0) {
            uint256 perBlock = _blockEmissionAt(issuance);
            if (perBlock == 0) break;
            // Blocks that stay within this era: the next era starts where (S − I)·2^(k+1) ≤ S.
            uint256 n = 1;
            uint256 boundary = TOTAL_SUPPLY_RAO - TOTAL_SUPPLY_RAO / (2 * (BLOCK_EMISSION_RAO / perBlock));
            if (issuance + perBlock < boundary) n = (boundary - issuance) / perBlock;
            if (n > blocks) n = blocks;
            emitted += n * perBlock;
            issuance += n * perBlock;
            blocks -= n;
        }
    }

    /* BLOCKS AND SUBNETS */

    // With via-IR the optimizer may treat `block.number` as constant within a call (it is, on a real chain) and
    // reuse an earlier read after `vm.roll`; these helpers read the height through the cheatcode instead.

    function _now() internal view returns (uint256) {
        return vmx.getBlockNumber();
    }

    function _advance(uint256 blocks) internal {
        vm.roll(vmx.getBlockNumber() + blocks);
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

    /// @dev Registers a subnet, makes the start call and moves one block on (its emission starts there).
    function _newStartedSubnet(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        netuid = _newSubnet(owner, hotkey);
        vm.prank(owner);
        registry.startCall(netuid);
        _advance(1);
    }

    /* STATE READERS */

    function _pool(uint16 netuid) internal view returns (IAlphaPoolsTypes.Pool memory p) {
        (p, , ) = pools.storedSubnet(netuid);
    }

    function _emission(uint16 netuid) internal view returns (IAlphaPoolsTypes.Emission memory em) {
        (, em, ) = pools.storedSubnet(netuid);
    }

    function _books(uint16 netuid) internal view returns (IAlphaPoolsTypes.Books memory b) {
        (, , b) = pools.storedSubnet(netuid);
    }

    function _global() internal view returns (IAlphaPoolsTypes.Global memory g) {
        (g, , ) = pools.storedGlobal();
    }

    function _supply() internal view returns (IAlphaPoolsTypes.Supply memory s) {
        (, s, ) = pools.storedGlobal();
    }

    function _rootStake() internal view returns (IAlphaPoolsTypes.RootStake memory r) {
        (, , r) = pools.storedGlobal();
    }

    /// @dev TAO issuance: issuance plus reserve, less the reserve.
    function _taoIssuance() internal view returns (uint256) {
        (IAlphaPoolsTypes.Global memory g, IAlphaPoolsTypes.Supply memory s, ) = pools.storedGlobal();
        return uint256(s.issuancePlusReserveRao) - g.reserveRao;
    }

    /// @dev The pool's reserves after catching it up in this block.
    function _reservesNow(uint16 netuid) internal returns (uint256 taoRao, uint256 alphaRao) {
        pools.poke(netuid);
        IAlphaPoolsTypes.Pool memory p = _pool(netuid);
        (taoRao, alphaRao) = (p.taoRao, p.alphaRao);
    }

    function _generation(uint16 netuid) internal view returns (uint32) {
        return pools.subnetConfig(netuid).generation;
    }

    /* LEDGER STORAGE (mapping slots of AlphaPoolsBase) */

    function _instanceOf(uint16 netuid, uint32 generation) internal pure returns (uint256) {
        return (uint256(generation) << 16) | netuid;
    }

    /// @dev A holder's raw shares in (instance, hotkey).
    function _sharesOf(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey
    ) internal view returns (uint256) {
        bytes32 outer = keccak256(abi.encode(_instanceOf(netuid, generation), SHARES_SLOT));
        bytes32 inner = keccak256(abi.encode(hotkey, outer));
        return uint256(vm.load(address(pools), keccak256(abi.encode(coldkey, inner))));
    }

    /// @dev A hotkey pool as stored (without the vesting a view applies).
    function _storedHotkeyPool(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey
    ) internal view returns (IAlphaPoolsTypes.HotkeyPool memory hp) {
        bytes32 outer = keccak256(abi.encode(_instanceOf(netuid, generation), HOTKEY_POOLS_SLOT));
        uint256 word = uint256(vm.load(address(pools), keccak256(abi.encode(hotkey, outer))));
        hp.alphaRao = uint56(word);
        hp.shares = uint88(word >> 56);
        hp.unvestedAlphaRao = uint64(word >> 144);
        hp.vestingEndBlock = uint32(word >> 208);
        hp.vestingBlocksLeft = uint16(word >> 240);
    }

    /* DEPLOYMENT */

    /// @dev Deploys and wires a fresh economy as `BaseTest.setUp` does, with another initial TAO issuance and an
    /// empty emission reserve (the same parameters otherwise).
    function _redeploy(uint256 initialIssuanceRao) internal {
        AlphaPoolsExtension extension = Deploy.alphaPoolsExtension(
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD
        );
        pools = Deploy.alphaPools(
            admin,
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD,
            initialIssuanceRao,
            extension
        );
        registry = Deploy.subnetRegistry(
            admin,
            pools,
            MIN_TEMPO,
            MIN_LOCK_RAO,
            LOCK_REDUCTION_INTERVAL,
            NETWORK_RATE_LIMIT,
            NETWORK_IMMUNITY,
            SUBNET_LIMIT,
            _defaultHyperparameters(),
            ISubnetRegistry.PoolSettings(FEE_RATE, MIN_STAKE_RAO)
        );
        metagraph = Deploy.metagraph(admin, pools, registry, INITIAL_BURN_RAO, DEFAULT_TAKE, MAX_TAKE, TAKE_RATE_LIMIT);
        rootDividends = Deploy.rootDividends(admin, pools);
        vm.startPrank(admin);
        registry.setMetagraph(metagraph);
        pools.wire(metagraph, rootDividends);
        pools.grantRole(pools.REGISTRY_ROLE(), address(registry));
        pools.grantRole(pools.METAGRAPH_ROLE(), address(metagraph));
        pools.grantRole(pools.ROOT_DIVIDENDS_ROLE(), address(rootDividends));
        pools.grantRole(pools.SETTLER_ROLE(), settler);
        pools.grantRole(pools.PAUSER_ROLE(), pauser);
        pools.grantRole(pools.ORIGIN_ROLE(), origin);
        metagraph.grantRole(metagraph.SETTLER_ROLE(), settler);
        rootDividends.grantRole(rootDividends.SETTLER_ROLE(), settler);
        vm.stopPrank();
        OWNER1_HOTKEY = _hotkey(address(0x0E1F), owner1);
        OWNER2_HOTKEY = _hotkey(address(0x0E2F), owner2);
        OWNER3_HOTKEY = _hotkey(address(0x0E3F), owner3);
    }

    function _fund(uint256 rao) internal {
        pools.fundEmissionReserve{value: _wei(rao)}();
    }

    /* ACTIONS */

    function _stakeLimit(
        address who,
        bytes32 hotkey,
        uint16 netuid,
        uint256 rao,
        uint256 limit,
        bool allowPartial
    ) internal returns (uint256 alphaOut) {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        alphaOut = pools.addStakeLimit{value: _wei(rao)}(hotkey, netuid, limit, allowPartial, NO_DEADLINE);
    }

    /// @dev Settles an epoch the simplest way: closes the pot and gives each part to `hotkey` (owner cut and
    /// incentive as `hotkey`'s owner's stake, the dividend to `hotkey`'s pool). Returns the pot.
    function _settleAllTo(
        uint16 netuid,
        bytes32 hotkey,
        address ownerAccount
    ) internal returns (IAlphaPoolsTypes.PendingEmission memory pot) {
        uint32 generation;
        vm.startPrank(settler);
        (generation, pot) = pools.closePending(netuid);
        uint256 credited = pot.ownerCutAlphaRao + pot.serverAlphaRao;
        if (credited != 0) pools.creditStake(netuid, generation, hotkey, ck(ownerAccount), credited);
        if (pot.validatorAlphaRao != 0) {
            pools.creditDividend(netuid, generation, hotkey, ck(ownerAccount), pot.validatorAlphaRao);
        }
        if (pot.rootAlphaRao != 0) pools.recycleAlpha(netuid, generation, pot.rootAlphaRao);
        vm.stopPrank();
    }

    function _setPoolSettings(uint16 netuid, uint16 feeRate, uint64 minStake) internal {
        vm.prank(admin);
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(feeRate, minStake));
    }

    function _setTransfers(uint16 netuid, address owner, bool enabled) internal {
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(netuid);
        hp.transfersEnabled = enabled;
        vm.prank(owner);
        registry.setHyperparameters(netuid, hp);
    }

    function _pause() internal {
        vm.prank(pauser);
        pools.pause();
    }

    /* REVERT DATA */

    function _unauthorized(address account, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role);
    }

    function _err(bytes4 selector, uint256 a) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a);
    }

    function _err(bytes4 selector, uint256 a, uint256 b) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a, b);
    }
}
