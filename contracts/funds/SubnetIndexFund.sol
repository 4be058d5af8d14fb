// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {UnitsLib} from "../libraries/UnitsLib.sol";
import {FundEngine} from "./FundEngine.sol";

/// @title SubnetIndexFund
/// @notice TAO as an index of AI markets: one position per subnet, with target weights equal to the subnets' emission
/// shares (proportional to their moving prices, as the coinbase splits emission), optionally capped per subnet.
/// Anyone may `rebalance`, at most once per interval, toward the targets.
/// @dev Targets and valuations use moving prices only. Each leg trades at a limit derived from the moving price (the
/// policy's floor to sell, its ceiling to buy) and a leg whose spot price is outside it is skipped, so a flash move of
/// a spot price can neither force a trade at a bad price nor profit from one. Weight cut by a cap stays in TAO.
/// @dev Deposits and redemptions in TAO or in kind: `depositStake` takes alpha of an index subnet, and a redemption
/// requested in kind is paid the redeemer's fraction of every position as alpha owed (`claimStake`) and of the idle
/// TAO in TAO.
contract SubnetIndexFund is FundEngine {
    /// @notice Per subnet position, the most weight it may take (0 = no cap).
    mapping(uint256 index => uint16) public maxWeightBpsOf;
    uint16 public toleranceBps;
    uint32 public minRebalanceIntervalSeconds;
    uint64 public lastRebalance;

    event Rebalanced(address indexed caller, uint256 legs, uint256 soldRao, uint256 boughtRao);
    event IndexSettingsSet(uint16 toleranceBps, uint32 minRebalanceIntervalSeconds);

    error RebalanceTooSoon(uint256 nextTime, uint256 timestamp);
    error InvalidIndexSettings(string field);

    constructor(Precompiles memory precompiles_) FundEngine(precompiles_) {}

    /// @notice Sets the clone up; `maxWeightsBps` pairs with the engine's positions (0 = uncapped).
    function initialize(
        EngineConfig calldata engine,
        uint16[] calldata maxWeightsBps,
        uint16 toleranceBps_,
        uint32 minRebalanceIntervalSeconds_
    ) external initializer {
        _initEngine(engine);
        if (maxWeightsBps.length != _positions.length) revert InvalidIndexSettings("maxWeightsBps");
        for (uint256 i; i < maxWeightsBps.length; ++i) {
            if (maxWeightsBps[i] > BPS) revert InvalidIndexSettings("maxWeightsBps");
            maxWeightBpsOf[i] = maxWeightsBps[i];
        }
        _setIndexSettings(toleranceBps_, minRebalanceIntervalSeconds_);
    }

    /// @notice Deposits `msg.value` (whole rao) at NAV; shares round down.
    function deposit(address receiver, uint256 minSharesOut) external payable nonReentrant returns (uint256) {
        return _depositAtNav(receiver, minSharesOut);
    }

    /// @notice Deposits in kind: `alphaRao` of the caller's stake on position `index` (its hotkey and subnet), pulled
    /// with the allowance the caller gave this fund on the staking precompile (`approve(fund, netuid, alphaRao)`).
    /// @dev The alpha is priced at the lower of the moving and the spot price: alpha bought in a crash earns no more
    /// shares than it cost, and alpha above its moving price no more than the moving price. Either way the holders'
    /// NAV per share (moving prices) does not fall. Shares round down.
    function depositStake(
        uint256 index,
        uint256 alphaRao,
        address receiver,
        uint256 minSharesOut
    ) external nonReentrant returns (uint256) {
        _checkIndex(index);
        Position storage p = _positions[index];
        if (p.vault != address(0)) revert InvalidPosition(p.netuid, p.hotkey, p.vault);
        if (isShutDown) revert IsShutDown();
        if (alphaRao == 0) revert ZeroAmount();
        uint256 alphaBefore = positionAlphaRao(index);
        uint256 valueBefore = positionValueRao(index);
        _transferStakeFrom(msg.sender, p.hotkey, p.netuid, alphaRao);
        uint256 received = positionAlphaRao(index) - alphaBefore;
        uint256 price = Math.min(movingPriceRaoPerAlpha(p.netuid), _trySpotPriceRao(p.netuid));
        uint256 valueRao = UnitsLib.alphaToRaoDown(received, price);
        return _mintAtNav(receiver, valueRao, positionValueRao(index) - valueBefore, minSharesOut);
    }

    /// @notice Timelocked: tolerance and rate limit of rebalancing.
    function setIndexSettings(uint16 toleranceBps_, uint32 minRebalanceIntervalSeconds_) external onlySelf {
        _setIndexSettings(toleranceBps_, minRebalanceIntervalSeconds_);
    }

    /// @notice Timelocked: the weight cap of position `index` (0 = none).
    function setMaxWeight(uint256 index, uint16 maxWeightBps) external onlySelf {
        _checkIndex(index);
        if (maxWeightBps > BPS) revert InvalidIndexSettings("maxWeightBps");
        maxWeightBpsOf[index] = maxWeightBps;
    }

    /// @notice Timelocked: adds a subnet to the index (uncapped).
    function addSubnet(Position calldata position) external onlySelf {
        _addPosition(position);
    }

    /// @notice Target weights now, in bps of NAV, one per position: moving price share, capped.
    function targetWeightsBps() public view returns (uint256[] memory weightsBps) {
        uint256 n = _positions.length;
        weightsBps = new uint256[](n);
        uint256[] memory prices = new uint256[](n);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            prices[i] = movingPriceRaoPerAlpha(_positions[i].netuid);
            sum += prices[i];
        }
        if (sum == 0) return weightsBps;
        for (uint256 i; i < n; ++i) {
            uint256 w = Math.mulDiv(prices[i], BPS, sum);
            uint256 cap = maxWeightBpsOf[i];
            weightsBps[i] = cap != 0 && w > cap ? cap : w;
        }
    }

    /// @notice Moves the positions toward their targets: sells the over-weight ones beyond the tolerance first, then
    /// buys the under-weight ones with the idle TAO. Anyone may call it, once per `minRebalanceIntervalSeconds`.
    function rebalance() external nonReentrant notShutDown returns (uint256 soldRao, uint256 boughtRao) {
        uint256 next = uint256(lastRebalance) + minRebalanceIntervalSeconds;
        if (lastRebalance != 0 && block.timestamp < next) revert RebalanceTooSoon(next, block.timestamp);
        lastRebalance = uint64(block.timestamp);
        _accrueFees(0);
        uint256 n = _positions.length;
        uint256[] memory weights = targetWeightsBps();
        uint256[] memory values = new uint256[](n);
        uint256[] memory prices = new uint256[](n);
        uint256 nav = idleRao();
        for (uint256 i; i < n; ++i) {
            prices[i] = movingPriceRaoPerAlpha(_positions[i].netuid);
            values[i] = UnitsLib.alphaToRaoDown(positionAlphaRao(i), prices[i]);
            nav += values[i];
        }
        uint256 legs;
        for (uint256 i; i < n; ++i) {
            uint256 target = Math.mulDiv(nav, weights[i], BPS);
            if (prices[i] == 0 || values[i] <= target + Math.mulDiv(target, toleranceBps, BPS)) continue;
            uint16 netuid = _positions[i].netuid;
            uint256 spot = _trySpotPriceRao(netuid);
            if (spot < _floorRaoPerAlpha(netuid)) continue;
            uint256 alphaRao = Math.mulDiv(values[i] - target, 1e9, prices[i]);
            soldRao += _unstakeFrom(i, alphaRao, 0);
            ++legs;
        }
        uint256 idle = idleRao();
        for (uint256 i; i < n && idle >= MIN_UNSTAKE_RAO; ++i) {
            uint256 target = Math.mulDiv(nav, weights[i], BPS);
            uint256 low = target - Math.mulDiv(target, toleranceBps, BPS);
            if (prices[i] == 0 || values[i] >= low) continue;
            uint16 netuid = _positions[i].netuid;
            uint256 ceiling = _ceilingRaoPerAlpha(netuid);
            uint256 spot = _trySpotPriceRao(netuid);
            if (spot == 0 || spot > ceiling) continue;
            uint256 amount = Math.min(target - values[i], idle);
            if (amount < MIN_UNSTAKE_RAO) continue;
            _stakeInto(i, amount, ceiling);
            idle -= amount;
            boughtRao += amount;
            ++legs;
        }
        emit Rebalanced(msg.sender, legs, soldRao, boughtRao);
    }

    function _setIndexSettings(uint16 toleranceBps_, uint32 interval) private {
        if (toleranceBps_ > BPS) revert InvalidIndexSettings("toleranceBps");
        toleranceBps = toleranceBps_;
        minRebalanceIntervalSeconds = interval;
        emit IndexSettingsSet(toleranceBps_, interval);
    }
}
