// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {FundEngine} from "./FundEngine.sol";

/// @title AllocatorFund
/// @notice A TAO allocator: deposits are open at NAV, and an allocator spreads them across subnets and hotkeys within
/// per-subnet caps that governance sets under the timelock (a curator proposes, the guardian can veto).
/// @dev Roles: `curator` (the engine's governance: caps, positions, fees, roles, all through the timelock),
/// `allocator` (the engine's manager: moves TAO within the caps and orders the queues) and `guardian` (veto, shutdown).
/// The supply queue is the order in which idle TAO is deployed by `deploySupply`; the withdraw queue the order in
/// which `freeLiquidity` unstakes. A cap is the most TAO, at moving prices, a subnet may hold.
contract AllocatorFund is FundEngine {
    /// @notice Most TAO (at moving prices) each subnet may hold, by netuid.
    mapping(uint16 netuid => uint256) public capRaoOf;
    uint256[] internal _supplyQueue;
    uint256[] internal _withdrawQueue;

    event CapSet(uint16 indexed netuid, uint256 capRao);
    event QueuesSet(uint256[] supplyQueue, uint256[] withdrawQueue);

    error CapExceeded(uint16 netuid, uint256 valueRao, uint256 capRao);
    error CapNotLower(uint16 netuid, uint256 capRao, uint256 currentCapRao);

    constructor(Precompiles memory precompiles_) FundEngine(precompiles_) {}

    /// @notice Sets the clone up; `caps` pairs with the netuids of `netuids`.
    function initialize(
        EngineConfig calldata engine,
        uint16[] calldata netuids,
        uint256[] calldata capsRao
    ) external initializer {
        _initEngine(engine);
        for (uint256 i; i < netuids.length; ++i) _setCap(netuids[i], capsRao[i]);
        uint256 n = _positions.length;
        for (uint256 i; i < n; ++i) {
            _supplyQueue.push(i);
            _withdrawQueue.push(i);
        }
    }

    /// @notice Deposits `msg.value` (whole rao) at NAV; shares round down.
    function deposit(address receiver, uint256 minSharesOut) external payable nonReentrant returns (uint256) {
        return _depositAtNav(receiver, minSharesOut);
    }

    /// @notice Timelocked: raises (or sets) a subnet's cap.
    function setCap(uint16 netuid, uint256 capRao) external onlySelf {
        _setCap(netuid, capRao);
    }

    /// @notice Lowers a subnet's cap at once (only reduces risk).
    function lowerCap(uint16 netuid, uint256 capRao) external onlyGovernance {
        if (capRao >= capRaoOf[netuid]) revert CapNotLower(netuid, capRao, capRaoOf[netuid]);
        _setCap(netuid, capRao);
    }

    /// @notice Reorders the queues (each a list of position indexes).
    function setQueues(uint256[] calldata supplyQueue, uint256[] calldata withdrawQueue) external onlyManager {
        for (uint256 i; i < supplyQueue.length; ++i) _checkIndex(supplyQueue[i]);
        for (uint256 i; i < withdrawQueue.length; ++i) _checkIndex(withdrawQueue[i]);
        _supplyQueue = supplyQueue;
        _withdrawQueue = withdrawQueue;
        emit QueuesSet(supplyQueue, withdrawQueue);
    }

    function queues() external view returns (uint256[] memory supplyQueue, uint256[] memory withdrawQueue) {
        return (_supplyQueue, _withdrawQueue);
    }

    /// @notice The value (moving prices) the fund holds on `netuid`, over all its positions there.
    function subnetValueRao(uint16 netuid) public view returns (uint256 valueRao) {
        uint256 n = _positions.length;
        for (uint256 i; i < n; ++i) if (_positions[i].netuid == netuid) valueRao += positionValueRao(i);
    }

    /// @notice Stakes `taoRao` into position `index`, within its subnet's cap.
    function allocate(
        uint256 index,
        uint256 taoRao,
        uint256 limitRaoPerAlpha
    ) external onlyManager nonReentrant notShutDown returns (uint256 alphaRao) {
        alphaRao = _stakeInto(index, taoRao, limitRaoPerAlpha);
        _checkCap(_positions[index].netuid);
    }

    /// @notice Unstakes `alphaRao` from position `index`.
    function deallocate(
        uint256 index,
        uint256 alphaRao,
        uint256 minRaoPerAlpha
    ) external onlyManager nonReentrant returns (uint256) {
        return _unstakeFrom(index, alphaRao, minRaoPerAlpha);
    }

    /// @notice Deploys up to `taoRao` of idle TAO along the supply queue, filling each subnet up to its cap. Prices are
    /// the policy's ceiling; a position whose spot price is above it is skipped.
    function deploySupply(uint256 taoRao) external onlyManager nonReentrant notShutDown returns (uint256 deployedRao) {
        uint256 remaining = Math.min(taoRao, idleRao());
        uint256 n = _supplyQueue.length;
        for (uint256 k; k < n && remaining >= MIN_UNSTAKE_RAO; ++k) {
            uint256 i = _supplyQueue[k];
            uint16 netuid = _positions[i].netuid;
            uint256 value = subnetValueRao(netuid);
            uint256 cap = capRaoOf[netuid];
            if (value >= cap) continue;
            // Fill to a little under the cap: alpha bought is worth a bit less than the TAO paid.
            uint256 amount = Math.min(remaining, cap - value);
            if (amount < MIN_UNSTAKE_RAO) continue;
            uint256 ceiling = _ceilingRaoPerAlpha(netuid);
            uint256 spot = _trySpotPriceRao(netuid);
            if (spot == 0 || spot > ceiling) continue;
            _stakeInto(i, amount, ceiling);
            _checkCap(netuid);
            remaining -= amount;
            deployedRao += amount;
        }
    }

    /// @notice Unstakes along the withdraw queue until `taoRao` more is idle (or the queue is exhausted).
    function freeLiquidity(uint256 taoRao) external onlyManager nonReentrant returns (uint256 freedRao) {
        uint256 n = _withdrawQueue.length;
        for (uint256 k; k < n && freedRao < taoRao; ++k) {
            uint256 i = _withdrawQueue[k];
            uint256 price = movingPriceRaoPerAlpha(_positions[i].netuid);
            if (price == 0) continue;
            uint256 alphaHeld = positionAlphaRao(i);
            uint256 alphaWanted = Math.mulDiv(taoRao - freedRao, 1e9, price, Math.Rounding.Ceil);
            freedRao += _unstakeFrom(i, Math.min(alphaHeld, alphaWanted), 0);
        }
    }

    function _setCap(uint16 netuid, uint256 capRao) private {
        capRaoOf[netuid] = capRao;
        emit CapSet(netuid, capRao);
    }

    function _checkCap(uint16 netuid) private view {
        uint256 value = subnetValueRao(netuid);
        if (value > capRaoOf[netuid]) revert CapExceeded(netuid, value, capRaoOf[netuid]);
    }
}
