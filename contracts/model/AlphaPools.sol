// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../interfaces/IAlphaPoolsHooks.sol";
import {IHotkeys} from "../interfaces/IHotkeys.sol";
import {IRootDividends} from "../interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {SharesMath} from "../libraries/SharesMath.sol";

import {AlphaPoolsBase} from "./AlphaPoolsBase.sol";
import {AlphaPoolsExtension} from "./AlphaPoolsExtension.sol";

/// @title AlphaPools
/// @notice Bittensor's subnet economy on any EVM chain, hot path: one protocol-owned TAO/alpha pool per subnet, the
/// stake ledger, every stake operation of the chain, and the coinbase that emits into the pools.
/// @dev Follows subtensor (dTAO) with these documented simplifications:
/// - Pools are constant product (x·y = k) with subtensor's fee, not the balancer-weighted pool subtensor now runs;
///   the fee stays in the pool (there is no block author to pay), so k grows with every trade.
/// - Accounting is lazy. The EVM has no per-block hook, so every interaction (or anyone's `poke`) catches a subnet
///   up over all the blocks since its last accrual in O(1) (`CoinbaseLib`). With a constant price this equals the
///   per-block result.
/// - The coinbase sees root stake as of the end of the previous block, as the chain's block-start coinbase does, so
///   no transaction can move the root proportion it uses.
/// - Emitted TAO is real native TAO drawn from an emission reserve that anyone can fund, for all subnets at once, so
///   a shortfall is shared by the emission schedule, never by who catches up first.
/// - A validator's dividend vests into its hotkey pool over the next tempo instead of arriving at one block, so a
///   round trip around a settlement earns only for the time it stays.
contract AlphaPools is IAlphaPools, IAlphaPoolsHooks, AlphaPoolsBase {
    using SafeCast for uint256;

    /// @notice The cold half of this contract (hooks, administration), run by delegatecall on this storage.
    AlphaPoolsExtension public immutable EXTENSION;

    error ExtensionMismatch();

    /// @param extension an `AlphaPoolsExtension` built with the same coinbase parameters
    /// @param initialIssuanceRao TAO already issued when the model starts (subtensor's TotalIssuance), so a
    /// deployment can start where the chain is, past a halving.
    constructor(
        address admin,
        uint256 movingAlphaWad,
        uint256 emaHalvingBlocks,
        uint256 taoWeightWad,
        uint256 initialIssuanceRao,
        AlphaPoolsExtension extension
    ) AlphaPoolsBase(movingAlphaWad, emaHalvingBlocks, taoWeightWad) {
        (uint256 a, uint256 h, uint256 w) = extension.coinbaseParams();
        if (a != movingAlphaWad || h != emaHalvingBlocks || w != taoWeightWad) revert ExtensionMismatch();
        EXTENSION = extension;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _configs[ROOT_NETUID] = SubnetConfig({
            minStakeRao: ROOT_MIN_STAKE_RAO,
            generation: 0,
            firstEmissionBlock: 0,
            feeRateOf65535: 0,
            minerBurnOf65535: 0,
            tempo: 0,
            active: true,
            transfersEnabled: true
        });
        _openNetuids = 1;
        _global.lastBlock = block.number.toUint32();
        _supply.issuancePlusReserveRao = initialIssuanceRao.toUint64();
    }

    /* STAKING */

    /// @inheritdoc IAlphaPools
    function addStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external payable nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256 alphaRao) {
        alphaRao = _stakeValue(_coldkeyOf(msg.sender), hotkey, netuid, NO_LIMIT, false);
        _checkMinimum(alphaRao, minAlphaOutRao);
    }

    /// @inheritdoc IAlphaPools
    function addStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 deadline
    ) external payable nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        return _stakeValue(_coldkeyOf(msg.sender), hotkey, netuid, limitPriceRaoPerAlpha, allowPartial);
    }

    /// @inheritdoc IAlphaPools
    function removeStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256 taoRao) {
        taoRao = _unstake(_coldkeyOf(msg.sender), hotkey, netuid, alphaRao, 0, false);
        _checkMinimum(taoRao, minTaoOutRao);
        _payTao(msg.sender, taoRao);
    }

    /// @inheritdoc IAlphaPools
    function removeStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256 taoRao) {
        taoRao = _unstake(_coldkeyOf(msg.sender), hotkey, netuid, alphaRao, limitPriceRaoPerAlpha, allowPartial);
        _payTao(msg.sender, taoRao);
    }

    /// @inheritdoc IAlphaPools
    function removeStakeFull(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256 taoRao) {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        taoRao = _unstake(coldkey, hotkey, netuid, _stakeOf(hotkey, coldkey, netuid), 0, false);
        _checkMinimum(taoRao, minTaoOutRao);
        _payTao(msg.sender, taoRao);
    }

    /// @inheritdoc IAlphaPools
    function removeStakeFullLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256 taoRao) {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        taoRao = _unstake(coldkey, hotkey, netuid, _stakeOf(hotkey, coldkey, netuid), limitPriceRaoPerAlpha, false);
        _payTao(msg.sender, taoRao);
    }

    /* MOVES, TRANSFERS AND SWAPS */

    /// @inheritdoc IAlphaPools
    function moveStake(
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        Transition memory t = Transition(
            coldkey,
            coldkey,
            originHotkey,
            destinationHotkey,
            originNetuid,
            destinationNetuid
        );
        return _transitionFor(t, alphaRao, 0, false, minAlphaOutRao, msg.sender);
    }

    /// @inheritdoc IAlphaPools
    function transferStake(
        bytes32 destinationColdkey,
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        Transition memory t = Transition(
            _coldkeyOf(msg.sender),
            destinationColdkey,
            hotkey,
            hotkey,
            originNetuid,
            destinationNetuid
        );
        return _transitionFor(t, alphaRao, 0, false, minAlphaOutRao, address(0));
    }

    /// @inheritdoc IAlphaPools
    function swapStake(
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        Transition memory t = Transition(coldkey, coldkey, hotkey, hotkey, originNetuid, destinationNetuid);
        return _transitionFor(t, alphaRao, 0, false, minAlphaOutRao, msg.sender);
    }

    /// @inheritdoc IAlphaPools
    function swapStakeLimit(
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 deadline
    ) external nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        Transition memory t = Transition(coldkey, coldkey, hotkey, hotkey, originNetuid, destinationNetuid);
        return _transitionFor(t, alphaRao, limitPriceRaoPerAlpha, allowPartial, 0, msg.sender);
    }

    /// @inheritdoc IAlphaPools
    function transferStakeFrom(
        address source,
        address destination,
        bytes32 hotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        uint48 instance = _currentInstance(originNetuid);
        uint256 allowed = _allowances[source][msg.sender][instance];
        if (allowed < alphaRao) revert InsufficientAllowance(source, msg.sender, originNetuid, allowed);
        if (allowed != type(uint256).max) _allowances[source][msg.sender][instance] = allowed - alphaRao;
        Transition memory t = Transition(
            _coldkeyOf(source),
            _coldkeyOf(destination),
            hotkey,
            hotkey,
            originNetuid,
            destinationNetuid
        );
        return _transitionFor(t, alphaRao, 0, false, minAlphaOutRao, destination);
    }

    /// @inheritdoc IAlphaPools
    function unstakeAll(
        bytes32 hotkey,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256 taoRao) {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        uint256 open = _openNetuids;
        for (uint256 netuid; open != 0; ++netuid) {
            uint256 alphaRao = open & 1 == 1 ? _stakeOf(hotkey, coldkey, uint16(netuid)) : 0;
            if (alphaRao != 0 && _canUnstakeWhole(uint16(netuid), alphaRao)) {
                taoRao += _unstake(coldkey, hotkey, uint16(netuid), alphaRao, 0, false);
            }
            open >>= 1;
        }
        _checkMinimum(taoRao, minTaoOutRao);
        _payTao(msg.sender, taoRao);
    }

    /// @inheritdoc IAlphaPools
    function burnAlpha(bytes32 hotkey, uint16 netuid, uint256 alphaRao) external nonReentrant {
        _burnAlpha(_coldkeyOf(msg.sender), hotkey, netuid, alphaRao);
    }

    /// @inheritdoc IAlphaPoolsHooks
    function burnAlphaAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao
    ) external nonReentrant onlyRole(ORIGIN_ROLE) {
        _burnAlpha(coldkey, hotkey, netuid, alphaRao);
    }

    /* COINBASE */

    /// @inheritdoc IAlphaPools
    function poke(uint16 netuid) external nonReentrant {
        SubnetConfig memory config = _activeConfig(netuid);
        if (netuid != ROOT_NETUID) _accrue(netuid, config);
    }

    /* ORIGINS (precompile adapters) */

    /// @inheritdoc IAlphaPoolsHooks
    function stakeAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) external payable nonReentrant whenNotPaused onlyRole(ORIGIN_ROLE) returns (uint256) {
        uint256 limit = limitPriceRaoPerAlpha == 0 ? NO_LIMIT : limitPriceRaoPerAlpha;
        return _stakeValue(coldkey, hotkey, netuid, limit, allowPartial);
    }

    /// @inheritdoc IAlphaPoolsHooks
    function unstakeAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) external nonReentrant onlyRole(ORIGIN_ROLE) returns (uint256 taoRao) {
        taoRao = _unstake(coldkey, hotkey, netuid, alphaRao, limitPriceRaoPerAlpha, allowPartial);
        _payTao(msg.sender, taoRao);
    }

    /// @inheritdoc IAlphaPoolsHooks
    function transitionAs(
        bytes32 originColdkey,
        bytes32 destinationColdkey,
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint16 originNetuid,
        uint16 destinationNetuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) external nonReentrant whenNotPaused onlyRole(ORIGIN_ROLE) returns (uint256) {
        Transition memory t = Transition(
            originColdkey,
            destinationColdkey,
            originHotkey,
            destinationHotkey,
            originNetuid,
            destinationNetuid
        );
        return _transitionFor(t, alphaRao, limitPriceRaoPerAlpha, allowPartial, 0, msg.sender);
    }

    /* VIEWS */

    /// @inheritdoc IAlphaPools
    function coldkeyOf(address account) external view returns (bytes32) {
        return _coldkeyOf(account);
    }

    /// @inheritdoc IAlphaPools
    function getStake(bytes32 hotkey, bytes32 coldkey, uint16 netuid) external view returns (uint256) {
        return _stakeOf(hotkey, coldkey, netuid);
    }

    /// @inheritdoc IAlphaPools
    function coinbaseParams() external view returns (uint256, uint256, uint256) {
        return (MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
    }

    /// @inheritdoc IAlphaPools
    function hotkeyPool(bytes32 hotkey, uint16 netuid) external view returns (HotkeyPool memory) {
        return _syncedHotkeyPool(_currentInstance(netuid), hotkey);
    }

    /// @inheritdoc IAlphaPools
    function subnetConfig(uint16 netuid) external view returns (SubnetConfig memory) {
        return _configs[netuid];
    }

    /// @inheritdoc IAlphaPools
    function instanceStake(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey
    ) external view returns (uint256) {
        uint48 instance = _instance(netuid, generation);
        HotkeyPool memory hp = _hotkeyPools[instance][hotkey];
        return
            SharesMath.toAlphaDown(
                _shares[instance][hotkey][coldkey],
                uint256(hp.alphaRao) + hp.unvestedAlphaRao,
                hp.shares
            );
    }

    /// @inheritdoc IAlphaPools
    function storedSubnet(uint16 netuid) external view returns (Pool memory, Emission memory, Books memory) {
        return (_pools[netuid], _emissions[netuid], _books[netuid]);
    }

    /// @inheritdoc IAlphaPools
    function storedGlobal() external view returns (Global memory, Supply memory, RootStake memory) {
        return (_global, _supply, _root);
    }

    /// @notice Alpha of a subnet instance that the settlement owes and that root stakers may still claim.
    function owedAlpha(
        uint16 netuid,
        uint32 generation
    ) external view returns (uint256 settlementRao, uint256 rootRao) {
        uint48 instance = _instance(netuid, generation);
        return (_settlementOwedAlphaRao[instance], _rootOwedAlphaRao[instance]);
    }

    /// @inheritdoc IAlphaPools
    function allowance(address owner, address spender, uint16 netuid) external view returns (uint256) {
        return _allowances[owner][spender][_currentInstance(netuid)];
    }

    /* DELEGATED TO THE EXTENSION */

    // The cold half lives in `AlphaPoolsExtension`; these typed entry points keep the whole ABI on this contract.

    /// @inheritdoc IAlphaPools
    function approve(address, uint16, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPools
    function fundEmissionReserve() external payable {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function openSubnet(uint16, uint256, uint64, uint16, uint16, bool) external payable {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function startEmission(uint16, uint64) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function importStake(uint16, ISubnetRegistry.GenesisNeuron[] calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function setSubnetSettings(uint16, uint64, uint16, uint16, bool) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function dissolveSubnet(uint16) external returns (uint32, uint256, uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function closePosition(uint16, uint32, bytes32, bytes32) external returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function buyAndBurnAlpha(uint16) external payable returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function closePending(uint16) external returns (uint32, PendingEmission memory) {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function creditStake(uint16, uint32, bytes32, bytes32, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function creditDividend(uint16, uint32, bytes32, bytes32, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function recycleAlpha(uint16, uint32, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function burnOwedAlpha(uint16, uint32, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function setMinerBurn(uint16, uint16) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function assignRootDividend(uint16, uint32, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IAlphaPoolsHooks
    function payRootDividend(uint16, uint32, bytes32, bytes32, uint256, bool) external returns (uint256) {
        _delegateToExtension();
    }

    function wire(IHotkeys, IRootDividends) external {
        _delegateToExtension();
    }

    function pause() external {
        _delegateToExtension();
    }

    function unpause() external {
        _delegateToExtension();
    }

    function _delegateToExtension() private {
        address extension = address(EXTENSION);
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), extension, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }
}
