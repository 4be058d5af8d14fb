// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPoolsTypes} from "../interfaces/IAlphaPoolsTypes.sol";
import {IHotkeys} from "../interfaces/IHotkeys.sol";
import {IRootDividends} from "../interfaces/IRootDividends.sol";
import {AccountIdLib} from "../libraries/AccountIdLib.sol";
import {CoinbaseLib} from "../libraries/CoinbaseLib.sol";
import {PoolMath} from "../libraries/PoolMath.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {SwapLib} from "../libraries/SwapLib.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";

/// @title AlphaPoolsBase
/// @notice The state of the pools and the stake ledger, and the internal operations on it, shared by `AlphaPools`
/// (the hot path) and `AlphaPoolsExtension` (hooks for the other parts of the model, administration and views), which
/// `AlphaPools` reaches by delegatecall: one storage, two bytecodes, because one contract cannot hold both under the
/// EVM's size limit (the pattern of Compound III's Comet and CometExt).
/// @dev Only state and internal functions live here; each contract compiles in the internals it uses. The storage
/// layout is this contract's, so both contracts must inherit exactly this base and declare no state of their own.
abstract contract AlphaPoolsBase is IAlphaPoolsTypes, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /* CONSTANTS AND IMMUTABLES */

    bytes32 public constant REGISTRY_ROLE = keccak256("REGISTRY_ROLE");
    bytes32 public constant METAGRAPH_ROLE = keccak256("METAGRAPH_ROLE");
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant ROOT_DIVIDENDS_ROLE = keccak256("ROOT_DIVIDENDS_ROLE");
    bytes32 public constant ORIGIN_ROLE = keccak256("ORIGIN_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint16 public constant ROOT_NETUID = 0;
    /// @dev subtensor's `MaxFeeRate` (≈15.26 %).
    uint16 public constant MAX_FEE_RATE_OF_65535 = 10_000;
    /// @dev subtensor's `DefaultMinStake`, the root pool's minimum stake.
    uint64 public constant ROOT_MIN_STAKE_RAO = 2_000_000;
    uint256 internal constant NO_LIMIT = type(uint256).max;
    /// @dev The ledger instance of root, which is never registered again.
    uint48 internal constant ROOT_INSTANCE = 0;

    /// @notice subtensor's `SubnetMovingAlpha` (default 3e-6), × 1e18.
    uint256 public immutable MOVING_ALPHA_WAD;
    /// @notice subtensor's `EMAPriceHalvingBlocks` (default 201 600).
    uint256 public immutable EMA_HALVING_BLOCKS;
    /// @notice subtensor's `TaoWeight` (default ≈ 0.0527), × 1e18; weighs root stake in the root proportion.
    uint256 public immutable TAO_WEIGHT_WAD;

    /* STORAGE */

    mapping(uint16 netuid => Pool) internal _pools;
    mapping(uint16 netuid => SubnetConfig) internal _configs;
    mapping(uint16 netuid => Emission) internal _emissions;
    mapping(uint16 netuid => Books) internal _books;
    Global internal _global;
    Supply internal _supply;
    RootStake internal _root;
    /// @dev Bit i is set while netuid i is open (bit 0: root).
    uint256 internal _openNetuids;

    /// @dev The ledger, keyed by subnet instance (generation << 16 | netuid), so a reused netuid starts empty.
    mapping(uint48 instance => mapping(bytes32 hotkey => HotkeyPool)) internal _hotkeyPools;
    mapping(uint48 instance => mapping(bytes32 hotkey => mapping(bytes32 coldkey => uint256))) internal _shares;
    mapping(address owner => mapping(address spender => mapping(uint48 instance => uint256))) internal _allowances;
    /// @dev Alpha of an instance that the settlement owes (closed into epoch pots, not yet credited) and that root
    /// stakers may still claim: issued alpha that no position holds yet.
    mapping(uint48 instance => uint256) internal _settlementOwedAlphaRao;
    mapping(uint48 instance => uint256) internal _rootOwedAlphaRao;

    /// @notice Hotkey owners (the metagraph) and root dividend claims, wired once.
    IHotkeys public hotkeys;
    IRootDividends public rootDividends;

    constructor(uint256 movingAlphaWad, uint256 emaHalvingBlocks, uint256 taoWeightWad) {
        MOVING_ALPHA_WAD = movingAlphaWad;
        EMA_HALVING_BLOCKS = emaHalvingBlocks;
        TAO_WEIGHT_WAD = taoWeightWad;
    }

    /// @dev The check lives in a function, not inline: a revert inlined in a modifier that several functions share
    /// leaves the node unable to trace it, and clients then cannot decode the error.
    modifier beforeDeadline(uint256 deadline) {
        _checkDeadline(deadline);
        _;
    }

    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline, block.timestamp);
    }

    /// @dev The coldkey of an EVM account: its mapped Bittensor account id.
    function _coldkeyOf(address account) internal view returns (bytes32) {
        return AccountIdLib.evmToAccountId(account);
    }

    function _stakeOf(bytes32 hotkey, bytes32 coldkey, uint16 netuid) internal view returns (uint256) {
        return _position(netuid, _configs[netuid].generation, hotkey, coldkey).alphaRao;
    }

    /// @dev A coldkey's position on a hotkey, loaded once for an operation that reads and then burns it.
    struct Position {
        uint16 netuid;
        uint48 instance;
        bytes32 hotkey;
        bytes32 coldkey;
        HotkeyPool pool; // vested up to this block
        uint256 shares;
        uint256 alphaRao; // what the shares are worth
    }

    function _position(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey
    ) internal view returns (Position memory pos) {
        pos.netuid = netuid;
        pos.instance = _instance(netuid, generation);
        (pos.hotkey, pos.coldkey) = (hotkey, coldkey);
        pos.pool = _syncedHotkeyPool(pos.instance, hotkey);
        pos.shares = _shares[pos.instance][hotkey][coldkey];
        pos.alphaRao = SharesMath.toAlphaDown(pos.shares, pos.pool.alphaRao, pos.pool.shares);
    }

    /* INTERNAL: TRADES */

    /// @dev A move, transfer or swap: who and where (the amounts travel separately to keep the stack small).
    struct Transition {
        bytes32 originColdkey;
        bytes32 destinationColdkey;
        bytes32 originHotkey;
        bytes32 destinationHotkey;
        uint16 originNetuid;
        uint16 destinationNetuid;
    }

    /// @dev Stakes `msg.value` and refunds what a partial fill did not use.
    function _stakeValue(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) internal returns (uint256 alphaRao) {
        uint256 amountRao = UnitsLib.weiToRaoExact(msg.value);
        uint256 usedRao;
        (alphaRao, usedRao) = _stake(
            coldkey,
            hotkey,
            netuid,
            amountRao,
            limitPriceRaoPerAlpha,
            allowPartial,
            true,
            false
        );
        if (usedRao < amountRao) _payTao(msg.sender, amountRao - usedRao);
    }

    /// @dev Stakes `amountRao` that this contract already holds; a partial fill uses less and returns what it used.
    /// A stake needs the minimum after its fee. A transition's restake (`restake`) needs only the minimum, which its
    /// caller checked: subtensor restakes any intermediate of at least the minimum, whatever its fee leaves.
    function _stake(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 amountRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        bool chargeFee,
        bool restake
    ) internal returns (uint256 alphaRao, uint256 usedRao) {
        if (amountRao == 0) revert ZeroAmount();
        SubnetConfig memory config = _startedConfig(netuid);
        uint256 feeRao;
        if (netuid == ROOT_NETUID) {
            if (amountRao < config.minStakeRao) revert AmountTooLow(amountRao, config.minStakeRao);
            _changeRootTao(int256(amountRao));
            (alphaRao, usedRao) = (amountRao, amountRao);
        } else {
            uint256 feeRate = chargeFee ? config.feeRateOf65535 : 0;
            uint256 minGrossRao = restake ? config.minStakeRao : PoolMath.grossForNet(config.minStakeRao, feeRate);
            if (amountRao < minGrossRao) revert AmountTooLow(amountRao, minGrossRao);
            Pool memory p = _accrue(netuid, config);
            (alphaRao, usedRao, feeRao) = SwapLib.buyAlpha(
                p,
                amountRao,
                feeRate,
                limitPriceRaoPerAlpha,
                allowPartial,
                config.minStakeRao
            );
            if (alphaRao == 0) revert InsufficientLiquidity();
            _pools[netuid] = p;
        }
        _mint(netuid, config.generation, hotkey, coldkey, alphaRao);
        emit Stake(netuid, hotkey, coldkey, usedRao, alphaRao, feeRao);
    }

    /// @dev Unstakes from `coldkey`'s position and returns the TAO, which stays in this contract for the caller to
    /// pay out or restake. A partial fill sells less. `limitPriceRaoPerAlpha` of 0 means no limit.
    function _unstake(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) internal returns (uint256 taoRao) {
        if (alphaRao == 0) revert ZeroAmount();
        SubnetConfig memory config = _activeConfig(netuid);
        Position memory pos = _position(netuid, config.generation, hotkey, coldkey);
        if (alphaRao > pos.alphaRao) revert InsufficientStake(alphaRao, pos.alphaRao);
        uint256 feeAlphaRao;
        if (netuid == ROOT_NETUID) {
            taoRao = alphaRao;
            _changeRootTao(-int256(alphaRao));
        } else {
            Pool memory p = _accrue(netuid, config);
            (taoRao, alphaRao, feeAlphaRao) = SwapLib.sellAlpha(
                p,
                alphaRao,
                config.feeRateOf65535,
                limitPriceRaoPerAlpha,
                allowPartial
            );
            _pools[netuid] = p;
        }
        // subtensor: an unstake that leaves stake behind must be worth at least the minimum stake.
        if (alphaRao < pos.alphaRao && taoRao < config.minStakeRao) revert AmountTooLow(taoRao, config.minStakeRao);
        _burnFrom(pos, alphaRao);
        emit Unstake(netuid, hotkey, coldkey, alphaRao, taoRao, feeAlphaRao);
    }

    /// @dev Runs a transition and settles its leftover TAO: paid to `freeTaoTo`, or refused when that is the zero
    /// address (a transfer to a coldkey that may not be an EVM account).
    function _transitionFor(
        Transition memory t,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 minAlphaOutRao,
        address freeTaoTo
    ) internal returns (uint256 destinationAlphaRao) {
        uint256 freeTaoRao;
        (destinationAlphaRao, freeTaoRao) = _transition(t, alphaRao, limitPriceRaoPerAlpha, allowPartial);
        _checkMinimum(destinationAlphaRao, minAlphaOutRao);
        if (freeTaoRao != 0) {
            if (freeTaoTo == address(0)) revert AmountTooLow(freeTaoRao, _configs[t.destinationNetuid].minStakeRao);
            _payTao(freeTaoTo, freeTaoRao);
        }
    }

    /// @dev subtensor's `transition_stake_internal`: within a netuid the shares move without a swap; across netuids
    /// the stake is sold on the origin and bought on the destination, the fee charged on one leg only (the origin,
    /// unless it is root). An intermediate amount below the minimum stake is returned as free TAO.
    function _transition(
        Transition memory t,
        uint256 alphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial
    ) internal returns (uint256 destinationAlphaRao, uint256 freeTaoRao) {
        if (alphaRao == 0) revert ZeroAmount();
        bool sameNetuid = t.originNetuid == t.destinationNetuid;
        if (sameNetuid && t.originColdkey == t.destinationColdkey && t.originHotkey == t.destinationHotkey) {
            revert SameNetuid(t.originNetuid);
        }
        SubnetConfig memory origin = _startedConfig(t.originNetuid);
        SubnetConfig memory destination = sameNetuid ? origin : _startedConfig(t.destinationNetuid);
        if (t.originColdkey != t.destinationColdkey) {
            if (!origin.transfersEnabled) revert TransfersDisabled(t.originNetuid);
            if (!destination.transfersEnabled) revert TransfersDisabled(t.destinationNetuid);
        }
        Position memory pos = _position(t.originNetuid, origin.generation, t.originHotkey, t.originColdkey);
        if (alphaRao > pos.alphaRao) revert InsufficientStake(alphaRao, pos.alphaRao);

        if (sameNetuid) {
            uint256 taoEquivalentRao =
                t.originNetuid == ROOT_NETUID
                    ? alphaRao
                    : UnitsLib.alphaToRaoDown(alphaRao, _accruedSpotPriceRao(t.originNetuid, origin));
            if (taoEquivalentRao < origin.minStakeRao) revert AmountTooLow(taoEquivalentRao, origin.minStakeRao);
            _burnFrom(pos, alphaRao);
            _mint(t.destinationNetuid, origin.generation, t.destinationHotkey, t.destinationColdkey, alphaRao);
            destinationAlphaRao = alphaRao;
        } else {
            if (limitPriceRaoPerAlpha != 0) {
                uint256 maxAlphaRao = _maxAlphaForCrossLimit(t, origin, destination, limitPriceRaoPerAlpha);
                if (alphaRao > maxAlphaRao) {
                    if (!allowPartial) revert SlippageTooHigh(alphaRao, maxAlphaRao);
                    alphaRao = maxAlphaRao;
                }
            }
            bool rootOrigin = t.originNetuid == ROOT_NETUID;
            uint256 taoRao = _sellForTransition(t, origin, alphaRao, pos);
            if (taoRao >= destination.minStakeRao) {
                // The fee was taken on the origin leg, unless the origin is root (which charges none).
                (destinationAlphaRao, ) = _stake(
                    t.destinationColdkey,
                    t.destinationHotkey,
                    t.destinationNetuid,
                    taoRao,
                    NO_LIMIT,
                    false,
                    rootOrigin,
                    true
                );
            } else {
                freeTaoRao = taoRao;
            }
        }
        emit MoveStake(
            t.originColdkey,
            t.destinationColdkey,
            t.originNetuid,
            t.destinationNetuid,
            t.originHotkey,
            t.destinationHotkey,
            alphaRao,
            destinationAlphaRao
        );
    }

    /// @dev The origin leg of a cross-netuid transition: its value (the sale's output) must exceed the minimum
    /// stake, as subtensor's `validate_stake_transition` asks.
    function _sellForTransition(
        Transition memory t,
        SubnetConfig memory origin,
        uint256 alphaRao,
        Position memory pos
    ) internal returns (uint256 taoRao) {
        uint256 feeAlphaRao;
        if (t.originNetuid == ROOT_NETUID) {
            taoRao = alphaRao;
            _changeRootTao(-int256(alphaRao));
        } else {
            Pool memory p = _accrue(t.originNetuid, origin);
            (taoRao, , feeAlphaRao) = SwapLib.sellAlpha(p, alphaRao, origin.feeRateOf65535, 0, false);
            _pools[t.originNetuid] = p;
        }
        if (taoRao <= origin.minStakeRao) revert AmountTooLow(taoRao, uint256(origin.minStakeRao) + 1);
        _burnFrom(pos, alphaRao);
        emit Unstake(t.originNetuid, t.originHotkey, t.originColdkey, alphaRao, taoRao, feeAlphaRao);
    }

    /// @dev The most alpha whose two swaps leave the ratio of the two prices at least the limit (fees ignored, as in
    /// subtensor's `get_max_amount_move`). The model bounds the ratio after the trade, exactly for its
    /// constant-product pools; subtensor's closed form approximates that for its own pool curve and moves a little
    /// more. The pools are caught up first, as the chain's coinbase would have done at the start of the block.
    function _maxAlphaForCrossLimit(
        Transition memory t,
        SubnetConfig memory origin,
        SubnetConfig memory destination,
        uint256 limitPriceRaoPerAlpha
    ) internal returns (uint256) {
        if (t.originNetuid == ROOT_NETUID) {
            // Root alpha is TAO: the limit caps the destination price at 1/limit.
            Pool memory d = _accrue(t.destinationNetuid, destination);
            uint256 maxPriceRao = (UnitsLib.ALPHA_RAO_PER_ALPHA * UnitsLib.ALPHA_RAO_PER_ALPHA) / limitPriceRaoPerAlpha;
            return PoolMath.maxNetTaoInForLimit(d.taoRao, d.alphaRao, maxPriceRao);
        }
        Pool memory o = _accrue(t.originNetuid, origin);
        if (t.destinationNetuid == ROOT_NETUID) {
            return PoolMath.maxNetAlphaInForLimit(o.taoRao, o.alphaRao, limitPriceRaoPerAlpha);
        }
        Pool memory dest = _accrue(t.destinationNetuid, destination);
        return
            PoolMath.maxAlphaInForCrossLimit(o.alphaRao, o.taoRao, dest.alphaRao, dest.taoRao, limitPriceRaoPerAlpha);
    }

    /// @dev Whether `unstakeAll` can sell a whole position of `alphaRao` on `netuid` (the chain skips the rest).
    function _canUnstakeWhole(uint16 netuid, uint256 alphaRao) internal returns (bool) {
        if (netuid == ROOT_NETUID) return true;
        SubnetConfig memory config = _configs[netuid];
        if (config.firstEmissionBlock == 0) return false;
        return SwapLib.canSellAlpha(_accrue(netuid, config), alphaRao, config.feeRateOf65535);
    }

    function _burnAlpha(bytes32 coldkey, bytes32 hotkey, uint16 netuid, uint256 alphaRao) internal {
        if (alphaRao == 0) revert ZeroAmount();
        SubnetConfig memory config = _subnetConfig(netuid);
        Position memory pos = _position(netuid, config.generation, hotkey, coldkey);
        if (alphaRao > pos.alphaRao) revert InsufficientStake(alphaRao, pos.alphaRao);
        _burnFrom(pos, alphaRao);
        Emission storage em = _emissions[netuid];
        em.unownedAlphaRao = (em.unownedAlphaRao + alphaRao).toUint64();
        emit BurnAlpha(netuid, hotkey, coldkey, alphaRao);
    }

    /* INTERNAL: LEDGER */

    /// @dev The hotkey pool with the dividends vested up to this block applied (not stored).
    function _syncedHotkeyPool(uint48 instance, bytes32 hotkey) internal view returns (HotkeyPool memory hp) {
        hp = _hotkeyPools[instance][hotkey];
        if (hp.unvestedAlphaRao == 0) return hp;
        uint256 elapsed = block.number - (uint256(hp.vestingEndBlock) - hp.vestingBlocksLeft);
        if (elapsed == 0) return hp;
        uint256 vested = SharesMath.vestedDown(hp.unvestedAlphaRao, elapsed, hp.vestingBlocksLeft);
        hp.alphaRao = (hp.alphaRao + vested).toUint56();
        hp.unvestedAlphaRao -= uint64(vested);
        hp.vestingBlocksLeft = elapsed >= hp.vestingBlocksLeft ? 0 : uint16(hp.vestingBlocksLeft - elapsed);
    }

    /// @dev Mints shares for `alphaRao` of new stake, which must already be accounted for (bought from the pool, or
    /// alpha that was owed).
    function _mint(uint16 netuid, uint32 generation, bytes32 hotkey, bytes32 coldkey, uint256 alphaRao) internal {
        uint48 instance = _instance(netuid, generation);
        HotkeyPool memory hp = _syncedHotkeyPool(instance, hotkey);
        // A hotkey with stake is registered; only an empty pool asks the hotkey registry.
        if (hp.shares == 0 && hotkeys.ownerOf(hotkey) == bytes32(0)) revert HotkeyNotRegistered(hotkey);
        uint256 shares = SharesMath.toSharesDown(alphaRao, hp.alphaRao, hp.shares);
        // A stake worth less than one share would mint none and be absorbed by the pool's holders.
        if (shares == 0) {
            uint256 oneShare = Math.ceilDiv(
                uint256(hp.alphaRao) + SharesMath.VIRTUAL_ALPHA,
                uint256(hp.shares) + SharesMath.VIRTUAL_SHARES
            );
            revert AmountTooLow(alphaRao, oneShare);
        }
        hp.alphaRao = (hp.alphaRao + alphaRao).toUint56();
        hp.shares = (hp.shares + shares).toUint88();
        _hotkeyPools[instance][hotkey] = hp;
        _shares[instance][hotkey][coldkey] += shares;
        if (netuid == ROOT_NETUID) rootDividends.onRootStakeChange(hotkey, coldkey, alphaRao, 0);
    }

    /// @dev Burns the shares of `alphaRao` of a loaded position (all of them for a full exit); `alphaRao` is at most
    /// the position's value, itself at most the pool's alpha.
    function _burnFrom(Position memory pos, uint256 alphaRao) internal {
        HotkeyPool memory hp = pos.pool;
        uint256 burned =
            alphaRao == pos.alphaRao ? pos.shares : SharesMath.toSharesUp(alphaRao, hp.alphaRao, hp.shares);
        hp.alphaRao -= uint56(alphaRao);
        hp.shares -= burned.toUint88();
        _shares[pos.instance][pos.hotkey][pos.coldkey] = pos.shares - burned;
        if (hp.shares == 0 && hp.unvestedAlphaRao != 0) {
            // The last holder left before the dividends vested: they go to the hotkey's owner as stake.
            bytes32 owner = hotkeys.ownerOf(pos.hotkey);
            uint256 ownerShares = SharesMath.toSharesDown(hp.unvestedAlphaRao, hp.alphaRao, 0);
            hp.alphaRao = (uint256(hp.alphaRao) + hp.unvestedAlphaRao).toUint56();
            hp.shares = ownerShares.toUint88();
            (hp.unvestedAlphaRao, hp.vestingBlocksLeft) = (0, 0);
            _shares[pos.instance][pos.hotkey][owner] += ownerShares;
        }
        _hotkeyPools[pos.instance][pos.hotkey] = hp;
        if (pos.netuid == ROOT_NETUID) rootDividends.onRootStakeChange(pos.hotkey, pos.coldkey, 0, alphaRao);
    }

    /// @dev Root TAO changes keep the value at the end of the previous block for the coinbase.
    function _changeRootTao(int256 deltaRao) internal {
        RootStake memory r = _root;
        if (r.changedAtBlock != block.number) {
            r.previousBlockTaoRao = r.taoRao;
            r.changedAtBlock = block.number.toUint32();
        }
        r.taoRao = SafeCast.toUint256(int256(uint256(r.taoRao)) + deltaRao).toUint64();
        r.volumeRao = (r.volumeRao + (deltaRao < 0 ? uint256(-deltaRao) : uint256(deltaRao))).toUint96();
        _root = r;
    }

    /* INTERNAL: COINBASE */

    /// @dev The global state caught up to this block (not stored), and the emission the reserve could not back.
    function _globalNow() internal view returns (Global memory g, uint256 shortfallRao) {
        g = _global;
        shortfallRao = CoinbaseLib.advanceGlobal(g, _supply.issuancePlusReserveRao, block.number);
    }

    function _storeGlobal(Global memory g, uint256 shortfallRao) internal {
        _global = g;
        if (shortfallRao != 0) _supply.unbackedRao = (_supply.unbackedRao + shortfallRao).toUint64();
    }

    /// @dev The coinbase sees root stake as of the end of the previous block.
    function _catchUpContext() internal view returns (CoinbaseLib.Context memory) {
        RootStake memory r = _root;
        uint256 rootTaoRao = r.changedAtBlock == block.number ? r.previousBlockTaoRao : r.taoRao;
        return CoinbaseLib.Context(block.number, rootTaoRao, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
    }

    /// @dev Whether `netuid` has emission to catch up: its pool was last accrued before this block, and its emission has
    /// started.
    function _accrualDue(Pool memory p, SubnetConfig memory config) internal view returns (bool) {
        uint256 first = config.firstEmissionBlock;
        return p.lastAccrualBlock < block.number && first != 0 && block.number >= first;
    }

    /// @dev Catches `netuid` up to this block, stores it, and returns its pool.
    function _accrue(uint16 netuid, SubnetConfig memory config) internal returns (Pool memory p) {
        p = _pools[netuid];
        // Nothing is due: the hot path stops at one storage read, before any catch-up state is laid out in memory.
        if (!_accrualDue(p, config)) return p;
        _catchUp(netuid, p, config);
    }

    /// @dev Runs the coinbase over the blocks `p` (the pool as stored) has not seen, and stores the result.
    function _catchUp(uint16 netuid, Pool memory p, SubnetConfig memory config) private {
        Emission memory em = _emissions[netuid];
        Books memory books = _books[netuid];
        (Global memory g, uint256 shortfallRao) = _globalNow();
        CoinbaseLib.Accrual memory a = CoinbaseLib.catchUp(p, em, books, g, config, _catchUpContext());
        if (a.blocks == 0) return;
        _pools[netuid] = p;
        _emissions[netuid] = em;
        _books[netuid] = books;
        _storeGlobal(g, shortfallRao);
        emit Accrue(
            netuid,
            a.blocks,
            a.injectedTaoRao,
            a.injectedAlphaRao,
            a.chainBuyTaoRao,
            a.emittedAlphaRao,
            p.taoRao,
            p.alphaRao,
            em.movingPriceWad
        );
    }

    function _addToReserve(uint256 amountRao) internal {
        // Catch the index up first, so new TAO backs only blocks to come.
        (Global memory g, uint256 shortfallRao) = _globalNow();
        g.reserveRao = (g.reserveRao + amountRao).toUint56();
        _storeGlobal(g, shortfallRao);
    }

    /// @dev TAO that leaves circulation and backs future emission (subtensor's recycle lowers TotalIssuance).
    /// Issuance floors at zero: a deployment whose initial issuance does not count the TAO its users bring (zero on
    /// a local chain) can recycle more than it ever issued, and issuance plus reserve must then follow the reserve.
    function _recycleTao(uint256 amountRao) internal {
        if (amountRao == 0) return;
        _addToReserve(amountRao);
        Supply memory s = _supply;
        uint256 reserveRao = _global.reserveRao;
        if (reserveRao > s.issuancePlusReserveRao) s.issuancePlusReserveRao = reserveRao.toUint64();
        s.recycledRao = (s.recycledRao + amountRao).toUint64();
        _supply = s;
        emit RecycleTao(amountRao);
    }

    /// @dev Spends `alphaRao` of what is owed to the current instance of `netuid`, which must be `generation`.
    function _spendOwed(
        mapping(uint48 => uint256) storage owed,
        uint16 netuid,
        uint32 generation,
        uint256 alphaRao
    ) internal returns (SubnetConfig memory config) {
        config = _activeConfig(netuid);
        if (config.generation != generation) revert StaleGeneration(netuid, generation, config.generation);
        uint48 instance = _instance(netuid, generation);
        uint256 available = owed[instance];
        if (alphaRao > available) revert PayoutExceedsPot(alphaRao, available);
        owed[instance] = available - alphaRao;
    }

    /* INTERNAL: HELPERS */

    function _activeConfig(uint16 netuid) internal view returns (SubnetConfig memory config) {
        config = _configs[netuid];
        if (!config.active) revert UnknownSubnet(netuid);
    }

    /// @dev An open subnet other than root.
    function _subnetConfig(uint16 netuid) internal view returns (SubnetConfig memory) {
        if (netuid == ROOT_NETUID) revert RootSubnet(netuid);
        return _activeConfig(netuid);
    }

    /// @dev An open subnet whose owner made the start call (subtensor's `SubtokenEnabled`); root always is.
    function _startedConfig(uint16 netuid) internal view returns (SubnetConfig memory config) {
        config = _activeConfig(netuid);
        if (netuid != ROOT_NETUID && config.firstEmissionBlock == 0) revert SubtokenDisabled(netuid);
    }

    /// @dev The spot price after the catch-up that is due (the chain's coinbase runs before any transaction).
    function _accruedSpotPriceRao(uint16 netuid, SubnetConfig memory config) internal returns (uint256) {
        Pool memory p = _accrue(netuid, config);
        return PoolMath.spotPriceRao(p.taoRao, p.alphaRao);
    }

    function _currentInstance(uint16 netuid) internal view returns (uint48) {
        return _instance(netuid, _configs[netuid].generation);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }

    function _checkMinimum(uint256 amountOut, uint256 minimumOut) internal pure {
        if (amountOut < minimumOut) revert OutputBelowMinimum(amountOut, minimumOut);
    }

    function _checkFeeRate(uint16 feeRateOf65535) internal pure {
        if (feeRateOf65535 > MAX_FEE_RATE_OF_65535) revert FeeRateTooHigh(feeRateOf65535, MAX_FEE_RATE_OF_65535);
    }

    function _payTao(address to, uint256 amountRao) internal {
        if (amountRao == 0) return;
        uint256 amountWei = UnitsLib.raoToWei(amountRao);
        (bool ok, ) = to.call{value: amountWei}("");
        if (!ok) revert TaoTransferFailed(to, amountWei);
    }
}
