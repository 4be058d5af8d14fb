// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {DirectTransferLib} from "../libraries/DirectTransferLib.sol";
import {EmissionMath} from "../libraries/EmissionMath.sol";
import {LockCostLib} from "../libraries/LockCostLib.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {PoolsView} from "../libraries/PoolsView.sol";
import {SwapLib} from "../libraries/SwapLib.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";

/// @title SubnetRegistry
/// @notice Registers subnets at subtensor's dynamic lock cost, keeps their owners, names and every per-netuid
/// setting, prunes the weakest subnet when the subnet limit is reached, and refunds the stakers of a pruned subnet.
/// @dev Simplifications: netuids are 1…255 (one bitmap word), there is no registration start block, and the new
/// subnet's emission starts when its owner makes the start call (no root toggle).
contract SubnetRegistry is ISubnetRegistry, AccessControl, ReentrancyGuardTransient {
    using SafeCast for uint256;

    uint256 public constant MAX_NETUID = 255;
    uint256 public constant MAX_TEMPO = 50_400;
    uint256 public constant MAX_UIDS_LIMIT = 4096;
    uint256 public constant MAX_BONDS_MOVING_AVERAGE_PPM = 975_000;
    /// @dev subtensor's `MaxBurnHalfLife` and the bounds of `BurnIncreaseMult` ([1, 3]).
    uint256 public constant MAX_BURN_HALF_LIFE = 36_100;
    uint256 public constant MAX_BURN_INCREASE_MULT_WAD = 3e18;
    uint256 internal constant WAD = 1e18;
    /// @notice Imports subnets while the genesis is open (`importSubnet`); granted by the admin, if ever.
    bytes32 public constant GENESIS_ROLE = keccak256("GENESIS_ROLE");

    IAlphaPools public immutable POOLS;
    /// @notice Smallest tempo an owner may set (subtensor: 360; a local chain uses less).
    uint16 public immutable MIN_TEMPO;

    IMetagraph public metagraph;
    /// @inheritdoc ISubnetRegistry
    bool public genesisClosed;

    uint64 public minLockRao;
    uint64 public lastLockRao;
    uint32 public lastLockBlock;
    uint32 public lockReductionInterval;
    uint32 public networkRateLimit;
    uint32 public networkImmunityPeriod;
    uint16 public subnetLimit;
    uint16 public subnetCount;
    /// @dev Bit i is set while netuid i is registered.
    uint256 internal _usedNetuids;

    mapping(uint16 netuid => Subnet) internal _subnets;
    /// @dev The per-netuid settings, in one place: a registration resets both to the defaults.
    mapping(uint16 netuid => Hyperparameters) internal _hyperparameters;
    mapping(uint16 netuid => PoolSettings) internal _poolSettings;
    Hyperparameters internal _defaults;
    PoolSettings internal _defaultPoolSettings;
    /// @dev Refund pots, keyed by subnet instance (generation << 16 | netuid).
    mapping(uint48 instance => Refund) internal _refunds;
    /// @dev The subnets imported at genesis, waiting for it to close to start emitting, and their moving prices.
    uint256 internal _genesisNetuids;
    mapping(uint16 netuid => uint64) internal _genesisMovingPriceWad;

    constructor(
        address admin,
        IAlphaPools pools,
        uint16 minTempo,
        uint64 minLockRao_,
        uint32 lockReductionInterval_,
        uint32 networkRateLimit_,
        uint32 networkImmunityPeriod_,
        uint16 subnetLimit_,
        Hyperparameters memory defaults,
        PoolSettings memory defaultPoolSettings
    ) {
        if (subnetLimit_ == 0 || subnetLimit_ > MAX_NETUID) revert InvalidHyperparameter("subnetLimit", subnetLimit_);
        if (lockReductionInterval_ == 0) revert InvalidHyperparameter("lockReductionInterval", 0);
        POOLS = pools;
        MIN_TEMPO = minTempo;
        minLockRao = minLockRao_;
        lockReductionInterval = lockReductionInterval_;
        networkRateLimit = networkRateLimit_;
        networkImmunityPeriod = networkImmunityPeriod_;
        subnetLimit = subnetLimit_;
        _checkHyperparameters(defaults);
        _defaults = defaults;
        _defaultPoolSettings = defaultPoolSettings;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Wires the metagraph once (the two contracts refer to each other).
    function setMetagraph(IMetagraph metagraph_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(metagraph) != address(0)) revert MetagraphAlreadySet(address(metagraph));
        metagraph = metagraph_;
    }

    /// @dev The pot of a pruned subnet arrives as native TAO from the pools.
    receive() external payable {
        if (msg.sender != address(POOLS)) revert TaoTransferFailed(address(this), msg.value);
    }

    /* REGISTRATION */

    /// @inheritdoc ISubnetRegistry
    function registerNetwork(
        bytes32 hotkey,
        string calldata name,
        uint256 maxLockRao
    ) external payable nonReentrant returns (uint16 netuid) {
        if (bytes(name).length == 0 || bytes(name).length > 32) revert InvalidName(bytes(name).length);
        if (lastLockBlock != 0 && block.number < uint256(lastLockBlock) + networkRateLimit) {
            revert NetworkRateLimited(uint256(lastLockBlock) + networkRateLimit);
        }
        uint256 lockRao = lockCost();
        if (lockRao > maxLockRao) revert LockCostAboveMax(lockRao, maxLockRao);
        uint256 sentRao = UnitsLib.weiToRaoExact(msg.value);
        if (sentRao < lockRao) revert InsufficientLock(sentRao, lockRao);
        // The first registration ends the genesis: nothing is imported into a running economy.
        if (!genesisClosed) _closeGenesis();

        netuid = subnetCount >= subnetLimit ? _prune() : _lowestFreeNetuid();
        // At least the minimum reserve: a pumped median price must not make registration impossible.
        uint256 alphaRao = Math.max(Math.mulDiv(lockRao, WAD, _medianPriceWad()), SwapLib.MIN_RESERVE);
        bytes32 coldkey = POOLS.coldkeyOf(msg.sender);
        _openSubnet(netuid, Subnet(msg.sender, coldkey, hotkey, lockRao.toUint64(), 0, 0, name), lockRao, alphaRao);
        lastLockRao = lockRao.toUint64();
        lastLockBlock = block.number.toUint32();
        metagraph.openSubnet(netuid, hotkey, coldkey);
        emit RegisterNetwork(netuid, msg.sender, coldkey, hotkey, lockRao, alphaRao, name);
        _payTao(msg.sender, sentRao - lockRao);
    }

    /// @inheritdoc ISubnetRegistry
    function startCall(uint16 netuid) external {
        _onlyOwner(netuid);
        // Only imported subnets exist before the genesis closes; their emission starts with it.
        if (!genesisClosed) revert GenesisNotClosed();
        IAlphaPoolsHooks(address(POOLS)).startEmission(netuid, 0);
        emit StartCall(netuid);
    }

    /* GENESIS */

    /// @inheritdoc ISubnetRegistry
    function importSubnet(
        uint16 netuid,
        address owner,
        string calldata name,
        uint256 alphaReserveRao,
        uint64 movingPriceWad,
        GenesisNeuron[] calldata neurons
    ) external payable nonReentrant onlyRole(GENESIS_ROLE) {
        if (genesisClosed) revert GenesisClosed();
        if (netuid == 0 || netuid > MAX_NETUID) revert InvalidNetuid(netuid);
        if ((_usedNetuids >> netuid) & 1 != 0) revert NetuidTaken(netuid);
        if (subnetCount >= subnetLimit) revert SubnetLimitReached(subnetLimit);
        if (bytes(name).length == 0 || bytes(name).length > 32) revert InvalidName(bytes(name).length);
        if (movingPriceWad > WAD) revert MovingPriceAboveOne(movingPriceWad);
        uint256 maxUids = _defaults.maxUids;
        if (neurons.length == 0 || neurons.length > maxUids) revert InvalidNeuronCount(neurons.length, maxUids);
        (bytes32 coldkey, bytes32 hotkey) = (neurons[0].coldkey, neurons[0].hotkey);
        uint256 taoRao = UnitsLib.weiToRaoExact(msg.value);
        _openSubnet(netuid, Subnet(owner, coldkey, hotkey, 0, 0, 0, name), taoRao, alphaReserveRao);
        _genesisNetuids |= 1 << netuid;
        _genesisMovingPriceWad[netuid] = movingPriceWad;
        metagraph.importNeurons(netuid, true, neurons);
        IAlphaPoolsHooks(address(POOLS)).importStake(netuid, neurons);
        emit ImportSubnet(
            netuid,
            owner,
            coldkey,
            hotkey,
            taoRao,
            alphaReserveRao,
            movingPriceWad,
            neurons.length,
            name
        );
    }

    /// @inheritdoc ISubnetRegistry
    function importNeurons(
        uint16 netuid,
        GenesisNeuron[] calldata neurons
    ) external nonReentrant onlyRole(GENESIS_ROLE) {
        if (genesisClosed) revert GenesisClosed();
        if ((_genesisNetuids >> netuid) & 1 == 0) revert NotImported(netuid);
        uint256 firstUid = metagraph.neuronCount(netuid);
        uint256 maxUids = _hyperparameters[netuid].maxUids;
        if (firstUid + neurons.length > maxUids) revert InvalidNeuronCount(firstUid + neurons.length, maxUids);
        metagraph.importNeurons(netuid, false, neurons);
        IAlphaPoolsHooks(address(POOLS)).importStake(netuid, neurons);
        emit ImportNeurons(netuid, firstUid, neurons.length);
    }

    /// @inheritdoc ISubnetRegistry
    function closeGenesis() external onlyRole(GENESIS_ROLE) {
        if (genesisClosed) revert GenesisClosed();
        _closeGenesis();
    }

    /// @dev Starts every imported subnet's emission in this block; bounded by the 255 netuids.
    function _closeGenesis() internal {
        genesisClosed = true;
        uint256 imported = _genesisNetuids;
        uint256 count;
        for (uint256 netuid = 1; imported >> netuid != 0; ++netuid) {
            if ((imported >> netuid) & 1 == 0) continue;
            IAlphaPoolsHooks(address(POOLS)).startEmission(uint16(netuid), _genesisMovingPriceWad[uint16(netuid)]);
            delete _genesisMovingPriceWad[uint16(netuid)];
            ++count;
        }
        if (count != 0) delete _genesisNetuids;
        emit CloseGenesis(count);
    }

    /// @inheritdoc ISubnetRegistry
    /// @dev subtensor: the cost doubles on each registration and decays linearly to the minimum over the reduction
    /// interval, which halves with each TAO halving (the interval is scaled by the block emission).
    function lockCost() public view returns (uint256) {
        (IAlphaPoolsTypes.Global memory g, IAlphaPoolsTypes.Supply memory supply, ) = POOLS.storedGlobal();
        uint256 blockEmissionRao = EmissionMath.blockEmission(supply.issuancePlusReserveRao - g.reserveRao);
        return
            LockCostLib.lockCost(
                minLockRao,
                lastLockRao,
                lastLockBlock,
                block.number,
                (uint256(lockReductionInterval) * blockEmissionRao) / EmissionMath.INITIAL_BLOCK_EMISSION
            );
    }

    /* SETTINGS */

    /// @inheritdoc ISubnetRegistry
    function setHyperparameters(uint16 netuid, Hyperparameters calldata hp) external {
        _onlyOwner(netuid);
        _checkHyperparameters(hp);
        _hyperparameters[netuid] = hp;
        _pushPoolSettings(netuid);
        emit SetHyperparameters(netuid, hp);
    }

    /// @notice The admin (root on subtensor) sets a pool's fee and minimum stake.
    function setPoolSettings(uint16 netuid, PoolSettings calldata settings) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireActive(netuid);
        _poolSettings[netuid] = settings;
        _pushPoolSettings(netuid);
        emit SetPoolSettings(netuid, settings);
    }

    /* REFUNDS */

    /// @inheritdoc ISubnetRegistry
    function claimRefund(
        bytes32 hotkey,
        uint16 netuid,
        uint32 generation
    ) external nonReentrant returns (uint256 taoRao) {
        taoRao = _settleRefund(POOLS.coldkeyOf(msg.sender), hotkey, netuid, generation);
        _payTao(msg.sender, taoRao);
    }

    /// @inheritdoc ISubnetRegistry
    function claimRefundTo(
        address account,
        bytes32 hotkey,
        uint16 netuid,
        uint32 generation
    ) external nonReentrant returns (uint256 taoRao) {
        taoRao = _settleRefund(POOLS.coldkeyOf(account), hotkey, netuid, generation);
        DirectTransferLib.credit(account, UnitsLib.raoToWei(taoRao));
    }

    /* VIEWS */

    /// @inheritdoc ISubnetRegistry
    function hyperparameters(uint16 netuid) external view returns (Hyperparameters memory) {
        return _hyperparameters[netuid];
    }

    /// @inheritdoc ISubnetRegistry
    function defaultHyperparameters() external view returns (Hyperparameters memory) {
        return _defaults;
    }

    function poolSettings(uint16 netuid) external view returns (PoolSettings memory) {
        return _poolSettings[netuid];
    }

    /// @inheritdoc ISubnetRegistry
    function subnet(uint16 netuid) external view returns (Subnet memory) {
        return _subnets[netuid];
    }

    /// @inheritdoc ISubnetRegistry
    function isActive(uint16 netuid) public view returns (bool) {
        return netuid != 0 && netuid <= MAX_NETUID && (_usedNetuids >> netuid) & 1 == 1;
    }

    /// @inheritdoc ISubnetRegistry
    function registeredAt(uint16 netuid) external view returns (uint64) {
        return isActive(netuid) ? _subnets[netuid].registeredAt : 0;
    }

    /// @inheritdoc ISubnetRegistry
    function ownerHotkey(uint16 netuid) external view returns (bytes32) {
        return _subnets[netuid].ownerHotkey;
    }

    /// @inheritdoc ISubnetRegistry
    function ownerKeys(uint16 netuid) external view returns (bytes32 hotkey, bytes32 coldkey) {
        Subnet storage s = _subnets[netuid];
        return (s.ownerHotkey, s.ownerColdkey);
    }

    /// @inheritdoc ISubnetRegistry
    function subnetOwner(uint16 netuid) external view returns (address) {
        return _subnets[netuid].owner;
    }

    /// @inheritdoc ISubnetRegistry
    function activeNetuids() public view returns (uint16[] memory netuids) {
        netuids = new uint16[](subnetCount);
        uint256 used = _usedNetuids;
        uint256 k;
        for (uint256 i = 1; i <= MAX_NETUID && k < netuids.length; ++i) {
            if ((used >> i) & 1 == 1) {
                netuids[k] = uint16(i);
                ++k;
            }
        }
    }

    /// @inheritdoc ISubnetRegistry
    function pruneCandidate() public view returns (uint16 candidate, uint256 lowestPriceWad) {
        uint16[] memory netuids = activeNetuids();
        lowestPriceWad = type(uint256).max;
        for (uint256 i; i < netuids.length; ++i) {
            Subnet storage s = _subnets[netuids[i]];
            if (block.number < uint256(s.registeredAt) + networkImmunityPeriod) continue;
            // As of this block: a stale moving price could be left behind on purpose.
            uint256 price = PoolsView.movingPriceWad(POOLS, netuids[i]);
            // Lowest moving price; ties go to the earliest registration.
            if (
                price < lowestPriceWad || (price == lowestPriceWad && s.registeredAt < _subnets[candidate].registeredAt)
            ) {
                (candidate, lowestPriceWad) = (netuids[i], price);
            }
        }
    }

    /// @inheritdoc ISubnetRegistry
    function refundOf(
        bytes32 hotkey,
        bytes32 coldkey,
        uint16 netuid,
        uint32 generation
    ) external view returns (uint256) {
        Refund memory refund = _refunds[_instance(netuid, generation)];
        if (refund.stakedAlphaRao == 0) return 0;
        uint256 alphaRao = POOLS.instanceStake(netuid, generation, hotkey, coldkey);
        return Math.mulDiv(alphaRao, refund.potRao, refund.stakedAlphaRao);
    }

    function refundPot(uint16 netuid, uint32 generation) external view returns (Refund memory) {
        return _refunds[_instance(netuid, generation)];
    }

    /* INTERNAL */

    /// @dev Closes `coldkey`'s position on `hotkey` in a pruned instance and books its refund: pro rata to alpha,
    /// rounded down.
    function _settleRefund(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint32 generation
    ) internal returns (uint256 taoRao) {
        uint48 instance = _instance(netuid, generation);
        Refund memory pot = _refunds[instance];
        if (pot.stakedAlphaRao == 0) revert RefundNotAvailable(netuid, generation);
        uint256 alphaRao = IAlphaPoolsHooks(address(POOLS)).closePosition(netuid, generation, hotkey, coldkey);
        if (alphaRao == 0) revert NothingToRefund(netuid, generation);
        taoRao = Math.mulDiv(alphaRao, pot.potRao, pot.stakedAlphaRao);
        pot.paidRao = (pot.paidRao + taoRao).toUint64();
        _refunds[instance] = pot;
        emit ClaimRefund(netuid, generation, coldkey, hotkey, taoRao);
    }

    /// @dev Prunes the non-immune subnet with the lowest moving price as of this block; its stakers' part of the
    /// pool's TAO is kept here for their refunds.
    function _prune() internal returns (uint16 netuid) {
        uint256 price;
        (netuid, price) = pruneCandidate();
        if (netuid == 0) revert SubnetLimitReached(subnetLimit);
        (uint32 generation, uint256 potRao, uint256 stakedAlphaRao) = IAlphaPoolsHooks(address(POOLS)).dissolveSubnet(
            netuid
        );
        _refunds[_instance(netuid, generation)] = Refund(potRao.toUint64(), stakedAlphaRao.toUint64(), 0);
        _usedNetuids &= ~(uint256(1) << netuid);
        --subnetCount;
        emit PruneNetwork(netuid, generation, price, potRao);
    }

    /// @dev Records a new subnet on a free `netuid` (`record` without its block and generation) with every per-netuid
    /// setting reset to the defaults, and opens its pool with `taoRao` (sent along) and `alphaRao`.
    function _openSubnet(uint16 netuid, Subnet memory record, uint256 taoRao, uint256 alphaRao) internal {
        Hyperparameters memory hp = _defaults;
        PoolSettings memory settings = _defaultPoolSettings;
        _hyperparameters[netuid] = hp;
        _poolSettings[netuid] = settings;
        record.registeredAt = block.number.toUint32();
        record.generation = _subnets[netuid].generation + 1;
        _subnets[netuid] = record;
        _usedNetuids |= 1 << netuid;
        ++subnetCount;
        IAlphaPoolsHooks(address(POOLS)).openSubnet{value: UnitsLib.raoToWei(taoRao)}(
            netuid,
            alphaRao,
            settings.minStakeRao,
            settings.feeRateOf65535,
            hp.tempo,
            hp.transfersEnabled
        );
    }

    function _pushPoolSettings(uint16 netuid) internal {
        Hyperparameters storage hp = _hyperparameters[netuid];
        PoolSettings memory settings = _poolSettings[netuid];
        IAlphaPoolsHooks(address(POOLS)).setSubnetSettings(
            netuid,
            settings.minStakeRao,
            settings.feeRateOf65535,
            hp.tempo,
            hp.transfersEnabled
        );
    }

    function _lowestFreeNetuid() internal view returns (uint16) {
        uint256 used = _usedNetuids;
        for (uint256 i = 1; i <= MAX_NETUID; ++i) {
            if ((used >> i) & 1 == 0) return uint16(i);
        }
        revert SubnetLimitReached(MAX_NETUID);
    }

    /// @dev subtensor starts a new subnet at the median spot price of the existing ones (1 TAO if there are none),
    /// read from their pools as last stored.
    function _medianPriceWad() internal view returns (uint256) {
        uint16[] memory netuids = activeNetuids();
        uint256 n = netuids.length;
        if (n == 0) return WAD;
        uint256[] memory prices = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            (IAlphaPoolsTypes.Pool memory pool, , ) = POOLS.storedSubnet(netuids[i]);
            uint256 price = PoolMath.spotPriceWad(pool.taoRao, pool.alphaRao);
            // Insertion sort: n ≤ 255 and registration is rare.
            uint256 j = i;
            while (j > 0 && prices[j - 1] > price) {
                prices[j] = prices[j - 1];
                --j;
            }
            prices[j] = price;
        }
        uint256 median = n % 2 == 1 ? prices[n / 2] : (prices[n / 2 - 1] + prices[n / 2]) / 2;
        return median == 0 ? WAD : median;
    }

    function _checkHyperparameters(Hyperparameters memory hp) internal view {
        if (hp.tempo < MIN_TEMPO || hp.tempo > MAX_TEMPO) revert InvalidHyperparameter("tempo", hp.tempo);
        if (hp.maxUids == 0 || hp.maxUids > MAX_UIDS_LIMIT) revert InvalidHyperparameter("maxUids", hp.maxUids);
        if (hp.maxValidators == 0 || hp.maxValidators > hp.maxUids) {
            revert InvalidHyperparameter("maxValidators", hp.maxValidators);
        }
        if (hp.bondsMovingAveragePpm > MAX_BONDS_MOVING_AVERAGE_PPM) {
            revert InvalidHyperparameter("bondsMovingAveragePpm", hp.bondsMovingAveragePpm);
        }
        if (hp.alphaLowOf65535 > hp.alphaHighOf65535)
            revert InvalidHyperparameter("alphaLowOf65535", hp.alphaLowOf65535);
        if (hp.activityCutoff == 0) revert InvalidHyperparameter("activityCutoff", 0);
        if (hp.minBurnRao == 0 || hp.minBurnRao > hp.maxBurnRao)
            revert InvalidHyperparameter("minBurnRao", hp.minBurnRao);
        if (hp.burnHalfLife == 0 || hp.burnHalfLife > MAX_BURN_HALF_LIFE) {
            revert InvalidHyperparameter("burnHalfLife", hp.burnHalfLife);
        }
        if (hp.burnIncreaseMultWad < WAD || hp.burnIncreaseMultWad > MAX_BURN_INCREASE_MULT_WAD) {
            revert InvalidHyperparameter("burnIncreaseMultWad", hp.burnIncreaseMultWad);
        }
    }

    function _onlyOwner(uint16 netuid) internal view {
        _requireActive(netuid);
        if (_subnets[netuid].owner != msg.sender) revert NotSubnetOwner(netuid, msg.sender);
    }

    function _requireActive(uint16 netuid) internal view {
        if (!isActive(netuid)) revert UnknownSubnet(netuid);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }

    function _payTao(address to, uint256 amountRao) internal {
        if (amountRao == 0) return;
        uint256 amountWei = UnitsLib.raoToWei(amountRao);
        (bool ok, ) = to.call{value: amountWei}("");
        if (!ok) revert TaoTransferFailed(to, amountWei);
    }
}
