// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {AccountIdLib} from "../libraries/AccountIdLib.sol";
import {EmissionMath} from "../libraries/EmissionMath.sol";
import {MovingPriceLib} from "../libraries/MovingPriceLib.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";

/// @title AlphaPools
/// @notice Bittensor's subnet economy on any EVM chain: one protocol-owned TAO/alpha pool per subnet, the stake
/// ledger, and the coinbase that emits TAO and alpha into the pools.
/// @dev Follows subtensor (dTAO) with these documented simplifications:
/// - Pools are constant product (x·y = k) with subtensor's fee, not the balancer-weighted pool subtensor now runs;
///   the fee stays in the pool (there is no block author to pay), so k grows with every trade.
/// - Accounting is lazy. The EVM has no per-block hook, so every interaction (or anyone's `poke`) catches a subnet
///   up over all the blocks since its last accrual in O(1): TAO emission is split across subnets through a global
///   index of emission per unit of weight (weight = moving price × (1 − miner burn)), alpha emission follows the
///   subnet's own halving, and the injection, the alpha-in cap and the chain buy are applied once for the whole
///   interval at the interval's price. With a constant price this equals the per-block result.
/// - Root dividends are not split off: the validators' 41 % waits in one bucket, and root (netuid 0) is a stable
///   1:1 TAO pool whose stake only sets the root proportion of the alpha-in cap.
/// - Emitted TAO is real native TAO drawn from an emission reserve that anyone can fund; if the reserve runs dry,
///   emission is capped at what it holds (the shortfall is counted in `unbackedEmissionRao`).
contract AlphaPools is IAlphaPools, AccessControl, Pausable, ReentrancyGuardTransient {
    using Math for uint256;

    /* CONSTANTS AND IMMUTABLES */

    bytes32 public constant REGISTRY_ROLE = keccak256("REGISTRY_ROLE");
    bytes32 public constant METAGRAPH_ROLE = keccak256("METAGRAPH_ROLE");
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant ORIGIN_ROLE = keccak256("ORIGIN_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint16 public constant ROOT_NETUID = 0;
    /// @dev subtensor's `MinimumReserve`: a swap may not leave less in its output reserve.
    uint256 public constant MIN_RESERVE = 1_000_000;
    /// @dev A swap's net input may be at most this many times its input reserve (subtensor's `SwapInputTooLarge`).
    uint256 public constant MAX_INPUT_RESERVE_MULTIPLE = 1000;
    /// @dev subtensor's `MaxFeeRate` (≈15.26 %).
    uint16 public constant MAX_FEE_RATE = 10_000;
    /// @dev subtensor's `SubnetOwnerCut` default, 11796/65535 ≈ 18 %.
    uint256 public constant OWNER_CUT = 11_796;
    uint256 internal constant FRACTION_DENOMINATOR = 65_535;
    /// @dev Scale of the global emission index: rao of emission per unit of weight, × 1e9.
    uint256 internal constant INDEX_SCALE = 1e9;
    uint256 internal constant WAD = 1e18;

    /// @notice subtensor's `SubnetMovingAlpha` (default 3e-6), × 1e18.
    uint256 public immutable MOVING_ALPHA_WAD;
    /// @notice subtensor's `EMAPriceHalvingBlocks` (default 201 600).
    uint256 public immutable EMA_HALVING_BLOCKS;
    /// @notice subtensor's `TaoWeight` (default ≈ 0.0527), × 1e18; weighs root stake in the root proportion.
    uint256 public immutable TAO_WEIGHT_WAD;

    /* STORAGE */

    /// @dev Slot layouts are packed so that a swap touches one slot of pool state.
    struct Pool {
        uint64 taoReserve; // SubnetTAO, rao
        uint64 alphaReserve; // SubnetAlphaIn, alpha-rao
        uint96 volume; // cumulative TAO traded, rao
        uint32 lastAccrualBlock;
    }

    struct SubnetConfig {
        uint64 minStake; // rao
        uint32 generation; // bumped each time the netuid is (re)opened; keys the ledger
        uint32 registeredAt;
        uint32 firstEmissionBlock; // 0 until the owner starts emission
        uint32 lastEpochBlock;
        uint16 feeRate; // of 65535
        uint16 minerBurn; // of 65535
        uint16 tempo;
        bool active;
    }

    struct Emission {
        uint96 indexSnapshot; // global index at the last accrual
        uint32 weight; // moving price in rao per alpha × (1 − miner burn): 1 … 1e9 while emitting
        uint64 movingPriceWad;
        uint64 protocolAlpha; // SubnetProtocolAlpha: alpha bought by chain buys
    }

    struct Bookkeeping {
        uint64 ownerCut;
        uint64 server;
        uint64 validator;
        uint64 alphaIssuance; // SubnetAlphaIn + SubnetAlphaOut
    }

    struct Global {
        uint96 index; // Σ over blocks of emission × INDEX_SCALE / total weight
        uint32 lastBlock;
        uint64 totalWeight;
        uint64 scheduledIssuance; // TAO issued by the halving schedule, rao
    }

    struct Treasury {
        uint64 emissionReserveRao;
        uint64 taoIssuedRao;
        uint64 recycledRao;
        uint64 unbackedEmissionRao;
    }

    struct HotkeyPool {
        uint128 totalAlpha;
        uint128 totalShares;
    }

    struct Refund {
        uint64 taoRao; // the pool's TAO when it was dissolved
        uint64 alphaIssuance; // every alpha of the subnet, protocol-owned alpha included
        uint64 potRao; // the stakers' share of `taoRao`, set aside for claims
        uint64 claimedRao;
    }

    mapping(uint16 netuid => Pool) internal _pools;
    mapping(uint16 netuid => SubnetConfig) internal _configs;
    mapping(uint16 netuid => Emission) internal _emissions;
    mapping(uint16 netuid => Bookkeeping) internal _books;
    mapping(uint16 netuid => bytes32) public subnetOwnerHotkey;
    Global internal _global;
    Treasury internal _treasury;

    /// @dev Ledger keyed by subnet instance (generation << 16 | netuid), so a reused netuid starts empty.
    mapping(uint48 instance => mapping(bytes32 hotkey => HotkeyPool)) internal _hotkeyPools;
    mapping(uint48 instance => mapping(bytes32 hotkey => mapping(bytes32 coldkey => uint256))) internal _shares;
    mapping(uint48 instance => Refund) internal _refunds;
    /// @notice subtensor's `Owner` map: the coldkey that owns each registered hotkey.
    mapping(bytes32 hotkey => bytes32 coldkey) public hotkeyOwner;

    /* CONSTRUCTOR */

    constructor(address admin, uint256 movingAlphaWad, uint256 emaHalvingBlocks, uint256 taoWeightWad) {
        MOVING_ALPHA_WAD = movingAlphaWad;
        EMA_HALVING_BLOCKS = emaHalvingBlocks;
        TAO_WEIGHT_WAD = taoWeightWad;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _configs[ROOT_NETUID] = SubnetConfig({
            minStake: 2_000_000,
            generation: 0,
            registeredAt: uint32(block.number),
            firstEmissionBlock: 0,
            lastEpochBlock: uint32(block.number),
            feeRate: 0,
            minerBurn: 0,
            tempo: 360,
            active: true
        });
        _global.lastBlock = uint32(block.number);
    }

    /* STAKING */

    modifier beforeDeadline(uint256 deadline) {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline, block.timestamp);
        _;
    }

    /// @inheritdoc IAlphaPools
    function addStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minAlphaOut,
        uint256 deadline
    ) external payable nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        return _stake(coldkeyOf(msg.sender), hotkey, netuid, type(uint256).max, false, minAlphaOut);
    }

    /// @inheritdoc IAlphaPools
    function addStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRao,
        bool allowPartial,
        uint256 deadline
    ) external payable nonReentrant whenNotPaused beforeDeadline(deadline) returns (uint256) {
        return _stake(coldkeyOf(msg.sender), hotkey, netuid, limitPriceRao, allowPartial, 0);
    }

    /// @inheritdoc IAlphaPools
    function removeStake(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaAmount,
        uint256 minTaoOut,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256) {
        return _unstake(coldkeyOf(msg.sender), hotkey, netuid, alphaAmount, 0, false, minTaoOut);
    }

    /// @inheritdoc IAlphaPools
    function removeStakeLimit(
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaAmount,
        uint256 limitPriceRao,
        bool allowPartial,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256) {
        return _unstake(coldkeyOf(msg.sender), hotkey, netuid, alphaAmount, limitPriceRao, allowPartial, 0);
    }

    /// @inheritdoc IAlphaPools
    function removeStakeFull(
        bytes32 hotkey,
        uint16 netuid,
        uint256 minTaoOut,
        uint256 deadline
    ) external nonReentrant beforeDeadline(deadline) returns (uint256) {
        bytes32 coldkey = coldkeyOf(msg.sender);
        return _unstake(coldkey, hotkey, netuid, getStake(hotkey, coldkey, netuid), 0, false, minTaoOut);
    }

    /// @notice Stakes for `coldkey` on behalf of a trusted origin (a precompile adapter or a native-key relay).
    /// @dev `limitPriceRao` of 0 means no limit. The origin pays `msg.value` and receives any refund.
    function addStakeAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRao,
        bool allowPartial
    ) external payable nonReentrant whenNotPaused onlyRole(ORIGIN_ROLE) returns (uint256) {
        uint256 limit = limitPriceRao == 0 ? type(uint256).max : limitPriceRao;
        return _stake(coldkey, hotkey, netuid, limit, allowPartial, 0);
    }

    /// @notice Unstakes for `coldkey` on behalf of a trusted origin, which receives the TAO.
    /// @dev `limitPriceRao` of 0 means no limit.
    function removeStakeAs(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaAmount,
        uint256 limitPriceRao,
        bool allowPartial
    ) external nonReentrant onlyRole(ORIGIN_ROLE) returns (uint256) {
        return _unstake(coldkey, hotkey, netuid, alphaAmount, limitPriceRao, allowPartial, 0);
    }

    /// @inheritdoc IAlphaPools
    function claimRefund(bytes32 hotkey, uint16 netuid, uint32 generation) external nonReentrant returns (uint256) {
        bytes32 coldkey = coldkeyOf(msg.sender);
        uint48 instance = _instance(netuid, generation);
        Refund memory refund = _refunds[instance];
        if (refund.alphaIssuance == 0) revert RefundNotAvailable(netuid, generation);
        uint256 shares = _shares[instance][hotkey][coldkey];
        if (shares == 0) revert NothingToRefund(netuid, generation);

        HotkeyPool memory pool = _hotkeyPools[instance][hotkey];
        uint256 alpha = SharesMath.toAlphaDown(shares, pool.totalAlpha, pool.totalShares);
        uint256 taoRao = alpha.mulDiv(refund.taoRao, refund.alphaIssuance);
        pool.totalAlpha -= uint128(alpha);
        pool.totalShares -= uint128(shares);
        _hotkeyPools[instance][hotkey] = pool;
        delete _shares[instance][hotkey][coldkey];
        refund.claimedRao += uint64(taoRao);
        _refunds[instance] = refund;

        emit ClaimRefund(netuid, generation, coldkey, hotkey, taoRao);
        _payTao(msg.sender, taoRao);
        return taoRao;
    }

    /* COINBASE */

    /// @inheritdoc IAlphaPools
    function poke(uint16 netuid) external nonReentrant {
        SubnetConfig memory config = _activeConfig(netuid);
        if (netuid != ROOT_NETUID) _accrue(netuid, config);
    }

    /// @inheritdoc IAlphaPools
    function fundEmissionReserve() external payable {
        uint256 amountRao = UnitsLib.toRaoExact(msg.value);
        if (amountRao == 0) revert ZeroAmount();
        _treasury.emissionReserveRao += uint64(amountRao);
        emit FundEmissionReserve(msg.sender, amountRao);
    }

    /* SUBNET LIFECYCLE (registry) */

    /// @notice Opens `netuid`'s pool with the registration lock as its TAO and `alphaRao` alpha.
    function openSubnet(
        uint16 netuid,
        bytes32 ownerHotkey,
        bytes32 ownerColdkey,
        uint256 alphaRao,
        uint16 tempo,
        uint16 feeRate,
        uint64 minStakeRao
    ) external payable whenNotPaused onlyRole(REGISTRY_ROLE) {
        if (netuid == ROOT_NETUID) revert RootSubnet(netuid);
        SubnetConfig memory config = _configs[netuid];
        if (config.active) revert SubnetAlreadyOpen(netuid);
        if (feeRate > MAX_FEE_RATE) revert FeeRateTooHigh(feeRate, MAX_FEE_RATE);
        uint256 taoRao = UnitsLib.toRaoExact(msg.value);
        if (taoRao < MIN_RESERVE || alphaRao < MIN_RESERVE)
            revert ReservesTooLow(Math.min(taoRao, alphaRao), MIN_RESERVE);

        _setHotkeyOwner(ownerHotkey, ownerColdkey);
        subnetOwnerHotkey[netuid] = ownerHotkey;
        config = SubnetConfig({
            minStake: minStakeRao,
            generation: config.generation + 1,
            registeredAt: uint32(block.number),
            firstEmissionBlock: 0,
            lastEpochBlock: uint32(block.number),
            feeRate: feeRate,
            minerBurn: 0,
            tempo: tempo,
            active: true
        });
        _configs[netuid] = config;
        _pools[netuid] = Pool(uint64(taoRao), uint64(alphaRao), 0, uint32(block.number));
        _books[netuid] = Bookkeeping(0, 0, 0, uint64(alphaRao));
        emit OpenSubnet(netuid, config.generation, taoRao, alphaRao);
    }

    /// @notice Starts emission to `netuid` from the next block (subtensor's `start_call`).
    function startEmission(uint16 netuid) external onlyRole(REGISTRY_ROLE) {
        SubnetConfig memory config = _activeConfig(netuid);
        if (netuid == ROOT_NETUID) revert RootSubnet(netuid);
        if (config.firstEmissionBlock != 0) return;
        Global memory g = _accruedGlobal();
        _emissions[netuid] = Emission({indexSnapshot: g.index, weight: 1, movingPriceWad: 0, protocolAlpha: 0});
        g.totalWeight += 1;
        _global = g;
        config.firstEmissionBlock = uint32(block.number + 1);
        _configs[netuid] = config;
        _pools[netuid].lastAccrualBlock = uint32(block.number);
        emit StartEmission(netuid, block.number + 1);
    }

    /// @notice Dissolves a pruned subnet: stakers can claim its TAO pro rata to their alpha through `claimRefund`.
    /// @dev subtensor: the pool's TAO is shared pro rata over all alpha, and the share of protocol-owned alpha (pool
    /// reserve, chain buys, undistributed emission) is recycled, not paid out.
    function dissolveSubnet(uint16 netuid) external onlyRole(REGISTRY_ROLE) returns (uint32 generation) {
        if (netuid == ROOT_NETUID) revert RootSubnet(netuid);
        SubnetConfig memory config = _activeConfig(netuid);
        generation = config.generation;
        Pool memory pool = _pools[netuid];
        Bookkeeping memory book = _books[netuid];
        uint256 stakedAlpha =
            uint256(book.alphaIssuance) -
                pool.alphaReserve -
                _emissions[netuid].protocolAlpha -
                book.ownerCut -
                book.server -
                book.validator;
        uint256 potRao = uint256(pool.taoReserve).mulDiv(stakedAlpha, book.alphaIssuance, Math.Rounding.Ceil);

        Global memory g = _accruedGlobal();
        if (config.firstEmissionBlock != 0) g.totalWeight -= _emissions[netuid].weight;
        _global = g;

        _refunds[_instance(netuid, generation)] = Refund(pool.taoReserve, book.alphaIssuance, uint64(potRao), 0);
        _recycle(pool.taoReserve - potRao);
        config.active = false;
        config.firstEmissionBlock = 0;
        _configs[netuid] = config;
        delete _pools[netuid];
        delete _books[netuid];
        delete _emissions[netuid];
        emit DissolveSubnet(netuid, generation, potRao, pool.taoReserve - potRao);
    }

    /// @notice Sets the pool's fee, minimum stake and tempo (the registry checks who may).
    function setPoolParams(
        uint16 netuid,
        uint16 feeRate,
        uint64 minStakeRao,
        uint16 tempo
    ) external onlyRole(REGISTRY_ROLE) {
        SubnetConfig memory config = _activeConfig(netuid);
        if (feeRate > MAX_FEE_RATE) revert FeeRateTooHigh(feeRate, MAX_FEE_RATE);
        config.feeRate = feeRate;
        config.minStake = minStakeRao;
        config.tempo = tempo;
        _configs[netuid] = config;
        emit SetPoolParams(netuid, feeRate, minStakeRao);
    }

    /// @notice Records that `coldkey` owns `hotkey` (subtensor's `Owner`); a hotkey cannot change owner.
    function registerHotkey(bytes32 hotkey, bytes32 coldkey) external whenNotPaused onlyRole(METAGRAPH_ROLE) {
        _setHotkeyOwner(hotkey, coldkey);
    }

    /// @notice Takes burned registration TAO back into the emission reserve and out of issuance (subtensor's recycle).
    function recycle() external payable onlyRole(METAGRAPH_ROLE) {
        _recycle(UnitsLib.toRaoExact(msg.value));
    }

    /* EPOCH SETTLEMENT */

    /// @notice Pays out a settled epoch: incentive as new stake for each miner's owner, dividends into each
    /// validator's pool (raising its nominators' shares), and the owner cut to the subnet owner. Whatever the
    /// payout leaves of the pending buckets is recycled.
    /// @dev Warning: the settler is trusted to have computed the payout with Yuma Consensus; this function only
    /// enforces that the epoch is due and that the payout fits the pending buckets.
    function settleEpoch(uint16 netuid, EpochPayout calldata payout) external nonReentrant onlyRole(SETTLER_ROLE) {
        if (netuid == ROOT_NETUID) revert RootSubnet(netuid);
        SubnetConfig memory config = _activeConfig(netuid);
        uint256 sinceLast = block.number - config.lastEpochBlock;
        if (sinceLast < config.tempo) revert EpochNotDue(netuid, sinceLast, config.tempo);
        uint256 n = payout.hotkeys.length;
        if (payout.incentive.length != n || payout.dividends.length != n) {
            revert LengthMismatch(n, payout.incentive.length, payout.dividends.length);
        }
        // minerBurn is a uint16, so it can never exceed FRACTION_DENOMINATOR (65535): no check needed.
        _accrue(netuid, config);

        Bookkeeping memory book = _books[netuid];
        uint48 instance = _instance(netuid, config.generation);
        uint256 incentive;
        uint256 dividends;
        for (uint256 i; i < n; ++i) {
            incentive += payout.incentive[i];
            dividends += payout.dividends[i];
        }
        if (incentive > book.server) revert PayoutExceedsPending(incentive, book.server);
        // subtensor: with no incentive at all, validators also receive the miners' share.
        uint256 validatorPot = book.validator + (incentive == 0 ? book.server : 0);
        if (dividends > validatorPot) revert PayoutExceedsPending(dividends, validatorPot);

        for (uint256 i; i < n; ++i) {
            bytes32 hotkey = payout.hotkeys[i];
            if (payout.incentive[i] != 0) _creditStake(instance, hotkey, _ownerOf(hotkey), payout.incentive[i]);
            if (payout.dividends[i] != 0) _creditDividend(instance, hotkey, payout.dividends[i]);
        }
        bytes32 ownerHotkey = subnetOwnerHotkey[netuid];
        if (book.ownerCut != 0) _creditStake(instance, ownerHotkey, _ownerOf(ownerHotkey), book.ownerCut);

        uint256 recycled = uint256(book.server) + book.validator - incentive - dividends;
        emit SettleEpoch(netuid, block.number, incentive, dividends, book.ownerCut, recycled);
        book.alphaIssuance -= uint64(recycled);
        (book.ownerCut, book.server, book.validator) = (0, 0, 0);
        _books[netuid] = book;
        config.lastEpochBlock = uint32(block.number);
        config.minerBurn = payout.minerBurn;
        _configs[netuid] = config;
    }

    /* ADMIN */

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /* VIEWS */

    /// @inheritdoc IAlphaPools
    function coldkeyOf(address account) public view returns (bytes32) {
        return AccountIdLib.evmToAccountId(account);
    }

    /// @inheritdoc IAlphaPools
    function simSwapTaoForAlpha(uint16 netuid, uint256 taoRao) external view returns (uint256) {
        return _quote(netuid, taoRao, true);
    }

    /// @inheritdoc IAlphaPools
    function simSwapAlphaForTao(uint16 netuid, uint256 alphaRao) external view returns (uint256) {
        return _quote(netuid, alphaRao, false);
    }

    /// @dev Output of a swap of `amountIn` (fee taken first) at the current reserves; root swaps 1:1 without a fee.
    function _quote(uint16 netuid, uint256 amountIn, bool taoIn) internal view returns (uint256) {
        SubnetConfig memory config = _activeConfig(netuid);
        if (netuid == ROOT_NETUID) return amountIn;
        Pool memory pool = _pools[netuid];
        uint256 net = amountIn - PoolMath.feeOnGross(amountIn, config.feeRate);
        return
            taoIn
                ? PoolMath.amountOutDown(net, pool.taoReserve, pool.alphaReserve)
                : PoolMath.amountOutDown(net, pool.alphaReserve, pool.taoReserve);
    }

    /// @inheritdoc IAlphaPools
    function getStake(bytes32 hotkey, bytes32 coldkey, uint16 netuid) public view returns (uint256) {
        uint48 instance = _instance(netuid, _configs[netuid].generation);
        HotkeyPool memory pool = _hotkeyPools[instance][hotkey];
        return SharesMath.toAlphaDown(_shares[instance][hotkey][coldkey], pool.totalAlpha, pool.totalShares);
    }

    /// @inheritdoc IAlphaPools
    function getTotalHotkeyAlpha(bytes32 hotkey, uint16 netuid) public view returns (uint256) {
        return _hotkeyPools[_instance(netuid, _configs[netuid].generation)][hotkey].totalAlpha;
    }

    /// @notice Total alpha of each hotkey on `netuid`, for stake-weighted reads such as validator permits.
    function getTotalHotkeyAlphas(bytes32[] calldata hotkeys, uint16 netuid) external view returns (uint256[] memory) {
        uint48 instance = _instance(netuid, _configs[netuid].generation);
        uint256[] memory alphas = new uint256[](hotkeys.length);
        for (uint256 i; i < hotkeys.length; ++i) alphas[i] = _hotkeyPools[instance][hotkeys[i]].totalAlpha;
        return alphas;
    }

    /// @notice Stake of a position in a dissolved subnet instance, and the TAO it can claim.
    function getRefund(
        bytes32 hotkey,
        bytes32 coldkey,
        uint16 netuid,
        uint32 generation
    ) external view returns (uint256 alpha, uint256 taoRao) {
        uint48 instance = _instance(netuid, generation);
        HotkeyPool memory pool = _hotkeyPools[instance][hotkey];
        alpha = SharesMath.toAlphaDown(_shares[instance][hotkey][coldkey], pool.totalAlpha, pool.totalShares);
        Refund memory refund = _refunds[instance];
        if (refund.alphaIssuance != 0) taoRao = alpha.mulDiv(refund.taoRao, refund.alphaIssuance);
    }

    /// @inheritdoc IAlphaPools
    function getAlphaPrice(uint16 netuid) external view returns (uint256) {
        if (netuid == ROOT_NETUID) return WAD;
        Pool memory pool = _pools[netuid];
        return PoolMath.spotPriceWad(pool.taoReserve, pool.alphaReserve);
    }

    /// @inheritdoc IAlphaPools
    function getMovingAlphaPrice(uint16 netuid) external view returns (uint256) {
        return netuid == ROOT_NETUID ? WAD : _emissions[netuid].movingPriceWad;
    }

    /// @inheritdoc IAlphaPools
    function pendingEmission(uint16 netuid) external view returns (PendingEmission memory) {
        Bookkeeping memory book = _books[netuid];
        return PendingEmission(book.ownerCut, book.server, book.validator);
    }

    function poolState(uint16 netuid) external view returns (Pool memory) {
        return _pools[netuid];
    }

    function subnetConfig(uint16 netuid) external view returns (SubnetConfig memory) {
        return _configs[netuid];
    }

    /// @notice Alpha owned by the protocol through chain buys (subtensor's `SubnetProtocolAlpha`).
    function protocolAlpha(uint16 netuid) external view returns (uint64) {
        return _emissions[netuid].protocolAlpha;
    }

    function emissionState(uint16 netuid) external view returns (Emission memory) {
        return _emissions[netuid];
    }

    function bookkeeping(uint16 netuid) external view returns (Bookkeeping memory) {
        return _books[netuid];
    }

    function globalEmission() external view returns (Global memory) {
        return _global;
    }

    function treasury() external view returns (Treasury memory) {
        return _treasury;
    }

    function refundState(uint16 netuid, uint32 generation) external view returns (Refund memory) {
        return _refunds[_instance(netuid, generation)];
    }

    /// @notice Fraction of block emission `netuid` receives, × 1e18.
    function emissionShareWad(uint16 netuid) external view returns (uint256) {
        uint256 total = _global.totalWeight;
        return
            total == 0 || _configs[netuid].firstEmissionBlock == 0
                ? 0
                : uint256(_emissions[netuid].weight).mulDiv(WAD, total);
    }

    /* INTERNAL: SWAPS */

    function _stake(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRao,
        bool allowPartial,
        uint256 minAlphaOut
    ) internal returns (uint256 alphaOut) {
        uint256 amountRao = UnitsLib.toRaoExact(msg.value);
        if (amountRao == 0) revert ZeroAmount();
        SubnetConfig memory config = _activeConfig(netuid);
        uint48 instance = _instance(netuid, config.generation);
        HotkeyPool memory hotkeyPool = _hotkeyPools[instance][hotkey];
        // A hotkey with stake is registered; skip the owner lookup for it.
        if (hotkeyPool.totalShares == 0 && hotkeyOwner[hotkey] == bytes32(0)) revert HotkeyNotRegistered(hotkey);

        uint256 usedRao = amountRao;
        uint256 feeRao;
        Pool memory pool;
        if (netuid == ROOT_NETUID) {
            pool = _pools[netuid];
            if (amountRao < config.minStake) revert AmountTooLow(amountRao, config.minStake);
            alphaOut = amountRao;
        } else {
            pool = _accrue(netuid, config);
            uint256 minGross = PoolMath.grossForNet(config.minStake, config.feeRate);
            if (amountRao < minGross) revert AmountTooLow(amountRao, minGross);
            feeRao = PoolMath.feeOnGross(amountRao, config.feeRate);
            uint256 netRao = amountRao - feeRao;
            if (limitPriceRao != type(uint256).max) {
                uint256 spot = PoolMath.spotPriceRao(pool.taoReserve, pool.alphaReserve);
                if (limitPriceRao <= spot) revert LimitPriceCrossed(limitPriceRao, spot);
                uint256 maxNet = PoolMath.maxNetTaoInForLimit(pool.taoReserve, pool.alphaReserve, limitPriceRao);
                if (netRao > maxNet) {
                    if (!allowPartial) revert SlippageTooHigh(netRao, maxNet);
                    netRao = maxNet;
                    usedRao = PoolMath.grossForNet(netRao, config.feeRate);
                    feeRao = usedRao - netRao;
                    if (netRao < config.minStake) revert AmountTooLow(netRao, config.minStake);
                }
            }
            uint256 maxIn = uint256(pool.taoReserve) * MAX_INPUT_RESERVE_MULTIPLE;
            if (netRao > maxIn) revert SwapInputTooLarge(netRao, maxIn);
            alphaOut = PoolMath.amountOutDown(netRao, pool.taoReserve, pool.alphaReserve);
            if (alphaOut == 0) revert InsufficientLiquidity();
            if (pool.alphaReserve - alphaOut < MIN_RESERVE) {
                revert ReservesTooLow(pool.alphaReserve - alphaOut, MIN_RESERVE);
            }
            pool.alphaReserve -= uint64(alphaOut);
        }
        if (alphaOut < minAlphaOut) revert OutputBelowMinimum(alphaOut, minAlphaOut);
        pool.taoReserve += uint64(usedRao);
        pool.volume += uint96(usedRao);
        _pools[netuid] = pool;

        uint256 shares = SharesMath.toSharesDown(alphaOut, hotkeyPool.totalAlpha, hotkeyPool.totalShares);
        // A stake worth less than one share would mint none and be absorbed by the hotkey's holders (a pool left
        // with a few shares and then paid a dividend inflates the share): the minimum is the alpha of one share.
        if (shares == 0) {
            uint256 oneShare = (uint256(hotkeyPool.totalAlpha) + SharesMath.VIRTUAL_ALPHA).ceilDiv(
                uint256(hotkeyPool.totalShares) + SharesMath.VIRTUAL_SHARES
            );
            revert AmountTooLow(alphaOut, oneShare);
        }
        hotkeyPool.totalAlpha += uint128(alphaOut);
        hotkeyPool.totalShares += uint128(shares);
        _hotkeyPools[instance][hotkey] = hotkeyPool;
        _shares[instance][hotkey][coldkey] += shares;

        emit Stake(netuid, hotkey, coldkey, usedRao, alphaOut, feeRao);
        if (usedRao < amountRao) _payTao(msg.sender, amountRao - usedRao);
    }

    function _unstake(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaAmount,
        uint256 limitPriceRao,
        bool allowPartial,
        uint256 minTaoOut
    ) internal returns (uint256 taoOut) {
        if (alphaAmount == 0) revert ZeroAmount();
        SubnetConfig memory config = _activeConfig(netuid);
        uint48 instance = _instance(netuid, config.generation);
        HotkeyPool memory hotkeyPool = _hotkeyPools[instance][hotkey];
        uint256 holderShares = _shares[instance][hotkey][coldkey];
        uint256 available = SharesMath.toAlphaDown(holderShares, hotkeyPool.totalAlpha, hotkeyPool.totalShares);
        if (alphaAmount > available) revert InsufficientStake(alphaAmount, available);

        uint256 feeAlpha;
        Pool memory pool;
        if (netuid == ROOT_NETUID) {
            pool = _pools[netuid];
            taoOut = alphaAmount;
            if (alphaAmount < available && taoOut < config.minStake) revert AmountTooLow(taoOut, config.minStake);
        } else {
            pool = _accrue(netuid, config);
            feeAlpha = PoolMath.feeOnGross(alphaAmount, config.feeRate);
            uint256 netAlpha = alphaAmount - feeAlpha;
            if (limitPriceRao != 0) {
                uint256 spot = PoolMath.spotPriceRao(pool.taoReserve, pool.alphaReserve);
                if (limitPriceRao >= spot) revert LimitPriceCrossed(limitPriceRao, spot);
                uint256 maxNet = PoolMath.maxNetAlphaInForLimit(pool.taoReserve, pool.alphaReserve, limitPriceRao);
                if (netAlpha > maxNet) {
                    if (!allowPartial) revert SlippageTooHigh(netAlpha, maxNet);
                    netAlpha = maxNet;
                    alphaAmount = PoolMath.grossForNet(netAlpha, config.feeRate);
                    feeAlpha = alphaAmount - netAlpha;
                }
            }
            uint256 maxIn = uint256(pool.alphaReserve) * MAX_INPUT_RESERVE_MULTIPLE;
            if (netAlpha > maxIn) revert SwapInputTooLarge(netAlpha, maxIn);
            taoOut = PoolMath.amountOutDown(netAlpha, pool.alphaReserve, pool.taoReserve);
            if (taoOut == 0) revert InsufficientLiquidity();
            if (pool.taoReserve - taoOut < MIN_RESERVE) revert ReservesTooLow(pool.taoReserve - taoOut, MIN_RESERVE);
            // subtensor: a partial unstake that leaves stake behind must be worth at least the minimum stake.
            if (alphaAmount < available && taoOut < config.minStake) revert AmountTooLow(taoOut, config.minStake);
            pool.alphaReserve += uint64(alphaAmount);
        }
        if (taoOut < minTaoOut) revert OutputBelowMinimum(taoOut, minTaoOut);
        pool.taoReserve -= uint64(taoOut);
        pool.volume += uint96(taoOut);
        _pools[netuid] = pool;

        uint256 burned =
            alphaAmount == available
                ? holderShares
                : SharesMath.toSharesUp(alphaAmount, hotkeyPool.totalAlpha, hotkeyPool.totalShares);
        hotkeyPool.totalAlpha -= uint128(alphaAmount);
        hotkeyPool.totalShares -= uint128(burned);
        _hotkeyPools[instance][hotkey] = hotkeyPool;
        _shares[instance][hotkey][coldkey] = holderShares - burned;

        emit Unstake(netuid, hotkey, coldkey, alphaAmount, taoOut, feeAlpha);
        _payTao(msg.sender, taoOut);
    }

    /* INTERNAL: COINBASE */

    /// @dev The global index caught up to this block, not yet stored.
    function _accruedGlobal() internal view returns (Global memory g) {
        g = _global;
        if (g.lastBlock == block.number) return g;
        if (g.totalWeight != 0) {
            uint256 emitted = EmissionMath.emissionOver(g.scheduledIssuance, block.number - g.lastBlock);
            g.index += uint96((emitted * INDEX_SCALE) / g.totalWeight);
            g.scheduledIssuance += uint64(emitted);
        }
        g.lastBlock = uint32(block.number);
    }

    /// @dev Catches `netuid` up to this block and returns its pool (already stored).
    function _accrue(uint16 netuid, SubnetConfig memory config) internal returns (Pool memory pool) {
        pool = _pools[netuid];
        uint256 last = pool.lastAccrualBlock;
        if (last == block.number) return pool;
        pool.lastAccrualBlock = uint32(block.number);
        uint256 first = config.firstEmissionBlock;
        if (first == 0 || block.number < first) {
            _pools[netuid] = pool;
            return pool;
        }
        // Emission covers the blocks (from, block.number], where `from` is the last accrual or the start.
        uint256 from = last > first - 1 ? last : first - 1;
        uint256 blocks = block.number - from;

        Global memory g = _accruedGlobal();
        Emission memory em = _emissions[netuid];
        Bookkeeping memory book = _books[netuid];
        uint256 taoEmission = _drawReserve((uint256(em.weight) * (g.index - em.indexSnapshot)) / INDEX_SCALE);
        uint256 alphaEmission = EmissionMath.emissionOver(book.alphaIssuance, blocks);

        (uint256 taoIn, uint256 alphaIn, uint256 chainBuyTao, uint256 boughtAlpha) = _injection(
            pool,
            taoEmission,
            alphaEmission,
            book.alphaIssuance
        );
        pool.taoReserve += uint64(taoIn + chainBuyTao);
        pool.alphaReserve = uint64(pool.alphaReserve + alphaIn - boughtAlpha);
        _pools[netuid] = pool;
        em.protocolAlpha += uint64(boughtAlpha);
        _books[netuid] = _withEmission(book, alphaIn, alphaEmission);

        em.movingPriceWad = uint64(
            MovingPriceLib.advance(
                em.movingPriceWad,
                PoolMath.spotPriceWad(pool.taoReserve, pool.alphaReserve),
                MOVING_ALPHA_WAD,
                EMA_HALVING_BLOCKS,
                from + 2 - first,
                blocks
            )
        );
        _reweigh(em, g, config.minerBurn);
        _emissions[netuid] = em;
        _global = g;

        emit Accrue(netuid, blocks, taoIn, alphaIn, chainBuyTao, alphaEmission, em.movingPriceWad);
    }

    /// @dev The alpha emission split 18 / 41 / 41 into the pending buckets; issuance grows by it and the injection.
    function _withEmission(
        Bookkeeping memory book,
        uint256 alphaIn,
        uint256 alphaEmission
    ) internal pure returns (Bookkeeping memory) {
        uint256 ownerCut = (alphaEmission * OWNER_CUT) / FRACTION_DENOMINATOR;
        uint256 server = (alphaEmission - ownerCut) / 2;
        book.ownerCut += uint64(ownerCut);
        book.server += uint64(server);
        book.validator += uint64(alphaEmission - ownerCut - server);
        book.alphaIssuance += uint64(alphaIn + alphaEmission);
        return book;
    }

    /// @dev The subnet's new weight (moving price × (1 − miner burn), at least 1) and the global total with it.
    function _reweigh(Emission memory em, Global memory g, uint256 minerBurn) internal pure {
        uint256 weight =
            (uint256(em.movingPriceWad) * (FRACTION_DENOMINATOR - minerBurn)) / (FRACTION_DENOMINATOR * 1e9);
        if (weight == 0) weight = 1;
        g.totalWeight = uint64(g.totalWeight - em.weight + weight);
        em.weight = uint32(weight);
        em.indexSnapshot = g.index;
    }

    /// @dev subtensor's injection: TAO and alpha at the current price, alpha capped at root proportion × alpha
    /// emission; the TAO the cap leaves over buys alpha for the protocol, fee-less and without a price limit.
    function _injection(
        Pool memory pool,
        uint256 taoEmission,
        uint256 alphaEmission,
        uint256 alphaIssuance
    ) internal view returns (uint256 taoIn, uint256 alphaIn, uint256 chainBuyTao, uint256 boughtAlpha) {
        if (taoEmission == 0) return (0, 0, 0, 0);
        uint256 rootSide = uint256(_pools[ROOT_NETUID].taoReserve) * TAO_WEIGHT_WAD;
        uint256 cap = alphaEmission.mulDiv(rootSide, rootSide + alphaIssuance * WAD);
        alphaIn = taoEmission.mulDiv(pool.alphaReserve, pool.taoReserve);
        taoIn = taoEmission;
        if (alphaIn > cap) {
            alphaIn = cap;
            taoIn = cap.mulDiv(pool.taoReserve, pool.alphaReserve);
        }
        chainBuyTao = taoEmission - taoIn;
        if (chainBuyTao != 0) {
            uint256 taoAfter = pool.taoReserve + taoIn;
            uint256 alphaAfter = pool.alphaReserve + alphaIn;
            boughtAlpha = PoolMath.amountOutDown(chainBuyTao, taoAfter, alphaAfter);
            // Never drain the pool below its minimum reserve.
            if (alphaAfter - boughtAlpha < MIN_RESERVE)
                boughtAlpha = alphaAfter > MIN_RESERVE ? alphaAfter - MIN_RESERVE : 0;
        }
    }

    /// @dev Takes `amountRao` of emission from the reserve, or as much as it holds.
    function _drawReserve(uint256 amountRao) internal returns (uint256 drawn) {
        Treasury memory t = _treasury;
        drawn = amountRao < t.emissionReserveRao ? amountRao : t.emissionReserveRao;
        t.emissionReserveRao -= uint64(drawn);
        t.taoIssuedRao += uint64(drawn);
        t.unbackedEmissionRao += uint64(amountRao - drawn);
        _treasury = t;
    }

    function _recycle(uint256 amountRao) internal {
        if (amountRao == 0) return;
        Treasury memory t = _treasury;
        t.emissionReserveRao += uint64(amountRao);
        t.recycledRao += uint64(amountRao);
        _treasury = t;
        emit Recycle(amountRao);
    }

    /* INTERNAL: LEDGER */

    function _creditStake(uint48 instance, bytes32 hotkey, bytes32 coldkey, uint256 alpha) internal {
        HotkeyPool memory hotkeyPool = _hotkeyPools[instance][hotkey];
        uint256 shares = SharesMath.toSharesDown(alpha, hotkeyPool.totalAlpha, hotkeyPool.totalShares);
        hotkeyPool.totalAlpha += uint128(alpha);
        hotkeyPool.totalShares += uint128(shares);
        _hotkeyPools[instance][hotkey] = hotkeyPool;
        _shares[instance][hotkey][coldkey] += shares;
    }

    /// @dev A dividend raises the value of the hotkey's shares; a hotkey without nominators receives it as its
    /// owner's stake, so it can never become a gift to the next staker.
    function _creditDividend(uint48 instance, bytes32 hotkey, uint256 alpha) internal {
        HotkeyPool storage hotkeyPool = _hotkeyPools[instance][hotkey];
        if (hotkeyPool.totalShares == 0) return _creditStake(instance, hotkey, _ownerOf(hotkey), alpha);
        hotkeyPool.totalAlpha += uint128(alpha);
    }

    function _setHotkeyOwner(bytes32 hotkey, bytes32 coldkey) internal {
        bytes32 owner = hotkeyOwner[hotkey];
        if (owner == coldkey) return;
        if (owner != bytes32(0)) revert HotkeyOwnedByOther(hotkey, owner);
        hotkeyOwner[hotkey] = coldkey;
        emit RegisterHotkey(hotkey, coldkey);
    }

    function _ownerOf(bytes32 hotkey) internal view returns (bytes32 owner) {
        owner = hotkeyOwner[hotkey];
        if (owner == bytes32(0)) revert HotkeyNotRegistered(hotkey);
    }

    /* INTERNAL: HELPERS */

    function _activeConfig(uint16 netuid) internal view returns (SubnetConfig memory config) {
        config = _configs[netuid];
        if (!config.active) revert UnknownSubnet(netuid);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }

    function _payTao(address to, uint256 amountRao) internal {
        if (amountRao == 0) return;
        uint256 amountWei = UnitsLib.toWei(amountRao);
        (bool ok, ) = to.call{value: amountWei}("");
        if (!ok) revert TaoTransferFailed(to, amountWei);
    }
}
