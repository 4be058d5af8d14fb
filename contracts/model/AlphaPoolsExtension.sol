// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IHotkeys} from "../interfaces/IHotkeys.sol";
import {IRootDividends} from "../interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../interfaces/ISubnetRegistry.sol";
import {CoinbaseLib} from "../libraries/CoinbaseLib.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {SwapLib} from "../libraries/SwapLib.sol";
import {UnitsLib} from "../libraries/UnitsLib.sol";
import {AlphaPoolsBase} from "./AlphaPoolsBase.sol";

/// @title AlphaPoolsExtension
/// @notice The cold half of `AlphaPools`: the hooks through which the registry, the metagraph, the epoch settlement and
/// root dividends change the pools and the ledger, the rarer stake operations, administration and views. It runs only
/// by delegatecall from `AlphaPools`, on `AlphaPools`' storage.
contract AlphaPoolsExtension is AlphaPoolsBase {
    using SafeCast for uint256;

    /// @dev This contract's own address: a direct call (not a delegatecall) would act on an empty storage.
    address private immutable _SELF = address(this);

    error OnlyDelegateCall();

    /// @dev The check lives in a function: a revert inlined in a modifier that many functions share leaves the
    /// node unable to trace it, and clients then cannot decode the error.
    modifier onlyDelegateCall() {
        _checkDelegateCall();
        _;
    }

    function _checkDelegateCall() private view {
        if (address(this) == _SELF) revert OnlyDelegateCall();
    }

    constructor(
        uint256 movingAlphaWad,
        uint256 emaHalvingBlocks,
        uint256 taoWeightWad
    ) AlphaPoolsBase(movingAlphaWad, emaHalvingBlocks, taoWeightWad) {}

    /// @notice The coinbase parameters this code was built with (`AlphaPools` checks they are its own).
    function coinbaseParams() external view returns (uint256, uint256, uint256) {
        return (MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
    }

    /* STAKING */

    /// @dev Implements `IAlphaPools.approve`.
    function approve(address spender, uint16 netuid, uint256 alphaRao) external onlyDelegateCall {
        _allowances[msg.sender][spender][_currentInstance(netuid)] = alphaRao;
        emit Approval(msg.sender, spender, netuid, alphaRao);
    }

    /// @dev Implements `IAlphaPools.fundEmissionReserve`.
    function fundEmissionReserve() external payable onlyDelegateCall nonReentrant {
        uint256 amountRao = UnitsLib.weiToRaoExact(msg.value);
        if (amountRao == 0) revert ZeroAmount();
        _addToReserve(amountRao);
        Supply memory s = _supply;
        s.issuancePlusReserveRao = (s.issuancePlusReserveRao + amountRao).toUint64();
        s.fundedRao = (s.fundedRao + amountRao).toUint64();
        _supply = s;
        emit FundEmissionReserve(msg.sender, amountRao);
    }

    /* HOOKS: REGISTRY */

    /// @dev Implements `IAlphaPoolsHooks.openSubnet`.
    function openSubnet(
        uint16 netuid,
        uint256 alphaRao,
        uint64 minStakeRao,
        uint16 feeRateOf65535,
        uint16 tempo,
        bool transfersEnabled
    ) external payable onlyDelegateCall whenNotPaused onlyRole(REGISTRY_ROLE) {
        SubnetConfig memory config = _configs[netuid];
        if (netuid == ROOT_NETUID) revert RootSubnet(netuid);
        if (config.active) revert SubnetAlreadyOpen(netuid);
        _checkFeeRate(feeRateOf65535);
        uint256 taoRao = UnitsLib.weiToRaoExact(msg.value);
        if (taoRao < SwapLib.MIN_RESERVE || alphaRao < SwapLib.MIN_RESERVE) {
            revert ReservesTooLow(Math.min(taoRao, alphaRao), SwapLib.MIN_RESERVE);
        }
        // Every per-netuid setting starts afresh: nothing of a previous subnet on this netuid survives.
        config = SubnetConfig({
            minStakeRao: minStakeRao,
            generation: config.generation + 1,
            firstEmissionBlock: 0,
            feeRateOf65535: feeRateOf65535,
            minerBurnOf65535: 0,
            tempo: tempo,
            active: true,
            transfersEnabled: transfersEnabled
        });
        _configs[netuid] = config;
        _pools[netuid] = Pool(taoRao.toUint64(), alphaRao.toUint64(), block.number.toUint32(), 0);
        _books[netuid] = Books(0, 0, 0, alphaRao.toUint64());
        delete _emissions[netuid];
        _openNetuids |= 1 << netuid;
        emit OpenSubnet(netuid, config.generation, taoRao, alphaRao);
    }

    /// @dev Implements `IAlphaPoolsHooks.startEmission`.
    function startEmission(uint16 netuid, uint64 movingPriceWad) external onlyDelegateCall onlyRole(REGISTRY_ROLE) {
        SubnetConfig memory config = _subnetConfig(netuid);
        if (config.firstEmissionBlock != 0) return;
        (Global memory g, uint256 shortfallRao) = _globalNow();
        // A new subnet has no miner burn yet: its weight is its moving price in rao per alpha (at least 1).
        Emission memory em = Emission({
            indexSnapshot: 0,
            weight: 0,
            movingPriceWad: movingPriceWad,
            unownedAlphaRao: 0
        });
        CoinbaseLib.reweigh(em, g, 0, 0);
        _emissions[netuid] = em;
        _storeGlobal(g, shortfallRao);
        config.firstEmissionBlock = (block.number + 1).toUint32();
        _configs[netuid] = config;
        _pools[netuid].lastAccrualBlock = block.number.toUint32();
        emit StartEmission(netuid, block.number + 1);
    }

    /// @dev Implements `IAlphaPoolsHooks.importStake`.
    function importStake(
        uint16 netuid,
        ISubnetRegistry.GenesisNeuron[] calldata neurons
    ) external onlyDelegateCall onlyRole(REGISTRY_ROLE) {
        uint32 generation = _subnetConfig(netuid).generation;
        uint256 issuedRao;
        for (uint256 i; i < neurons.length; ++i) {
            ISubnetRegistry.GenesisNeuron calldata neuron = neurons[i];
            if (neuron.stakeAlphaRao == 0) continue;
            _mint(netuid, generation, neuron.hotkey, neuron.coldkey, neuron.stakeAlphaRao);
            issuedRao += neuron.stakeAlphaRao;
            emit CreditStake(netuid, neuron.hotkey, neuron.coldkey, neuron.stakeAlphaRao);
        }
        Books storage books = _books[netuid];
        books.alphaIssuanceRao = (books.alphaIssuanceRao + issuedRao).toUint64();
    }

    /// @dev Implements `IAlphaPoolsHooks.setSubnetSettings`.
    function setSubnetSettings(
        uint16 netuid,
        uint64 minStakeRao,
        uint16 feeRateOf65535,
        uint16 tempo,
        bool transfersEnabled
    ) external onlyDelegateCall onlyRole(REGISTRY_ROLE) {
        SubnetConfig memory config = _subnetConfig(netuid);
        _checkFeeRate(feeRateOf65535);
        _accrue(netuid, config);
        (config.minStakeRao, config.feeRateOf65535, config.tempo) = (minStakeRao, feeRateOf65535, tempo);
        config.transfersEnabled = transfersEnabled;
        _configs[netuid] = config;
        emit SetSubnetSettings(netuid, minStakeRao, feeRateOf65535, tempo, transfersEnabled);
    }

    /// @dev Implements `IAlphaPoolsHooks.dissolveSubnet`.
    /// @dev subtensor: the pool's TAO is shared pro rata over all alpha; the share of alpha that no position holds
    /// (pool reserve, chain buys, burned stake, undistributed emission, unclaimed dividends) is recycled.
    function dissolveSubnet(
        uint16 netuid
    )
        external
        onlyDelegateCall
        nonReentrant
        onlyRole(REGISTRY_ROLE)
        returns (uint32 generation, uint256 potRao, uint256 stakedAlphaRao)
    {
        SubnetConfig memory config = _subnetConfig(netuid);
        generation = config.generation;
        uint48 instance = _instance(netuid, generation);
        Pool memory p = _accrue(netuid, config);
        Books memory books = _books[netuid];
        Emission memory em = _emissions[netuid];
        stakedAlphaRao =
            uint256(books.alphaIssuanceRao) +
            books.pendingRecycledRootAlphaRao -
            p.alphaRao -
            em.unownedAlphaRao -
            books.pendingAlphaOutRao -
            _rootOwedAlphaRao[instance] -
            _settlementOwedAlphaRao[instance];
        potRao = Math.mulDiv(p.taoRao, stakedAlphaRao, books.alphaIssuanceRao);

        if (config.firstEmissionBlock != 0) {
            (Global memory g, uint256 shortfallRao) = _globalNow();
            g.totalWeight -= em.weight;
            g.sumMovingPriceRao -= CoinbaseLib.movingPriceRao(em).toUint40();
            _storeGlobal(g, shortfallRao);
        }
        config.active = false;
        config.firstEmissionBlock = 0;
        _configs[netuid] = config;
        _openNetuids &= ~(uint256(1) << netuid);
        delete _pools[netuid];
        delete _books[netuid];
        delete _emissions[netuid];
        _recycleTao(p.taoRao - potRao);
        emit DissolveSubnet(netuid, generation, potRao, p.taoRao - potRao);
        _payTao(msg.sender, potRao);
    }

    /// @dev Implements `IAlphaPoolsHooks.closePosition`.
    function closePosition(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey
    ) external onlyDelegateCall onlyRole(REGISTRY_ROLE) returns (uint256 alphaRao) {
        SubnetConfig memory config = _configs[netuid];
        if (config.active && config.generation == generation) revert SubnetAlreadyOpen(netuid);
        uint48 instance = _instance(netuid, generation);
        HotkeyPool memory hp = _hotkeyPools[instance][hotkey];
        uint256 holderShares = _shares[instance][hotkey][coldkey];
        if (holderShares == 0) return 0;
        // Dividends still vesting count in full: they were staked alpha when the refund pot was set aside.
        alphaRao = SharesMath.toAlphaDown(holderShares, uint256(hp.alphaRao) + hp.unvestedAlphaRao, hp.shares);
        uint256 unvestedPart = Math.mulDiv(hp.unvestedAlphaRao, holderShares, hp.shares);
        if (unvestedPart > alphaRao) unvestedPart = alphaRao;
        hp.unvestedAlphaRao -= unvestedPart.toUint64();
        hp.alphaRao -= (alphaRao - unvestedPart).toUint56();
        hp.shares -= holderShares.toUint88();
        _hotkeyPools[instance][hotkey] = hp;
        delete _shares[instance][hotkey][coldkey];
    }

    /* HOOKS: METAGRAPH */

    /// @dev Implements `IAlphaPoolsHooks.buyAndBurnAlpha`.
    function buyAndBurnAlpha(
        uint16 netuid
    ) external payable onlyDelegateCall nonReentrant onlyRole(METAGRAPH_ROLE) returns (uint256 alphaRao) {
        uint256 taoRao = UnitsLib.weiToRaoExact(msg.value);
        SubnetConfig memory config = _subnetConfig(netuid);
        Pool memory p = _accrue(netuid, config);
        (alphaRao, , ) = SwapLib.buyAlpha(p, taoRao, config.feeRateOf65535, NO_LIMIT, false, 0);
        _pools[netuid] = p;
        // subtensor destroys the alpha a registration buys: it leaves the alpha issuance and the price rises.
        Books storage books = _books[netuid];
        books.alphaIssuanceRao = (books.alphaIssuanceRao - alphaRao).toUint64();
        emit BuyAndBurnAlpha(netuid, taoRao, alphaRao);
    }

    /* HOOKS: EPOCH SETTLEMENT */

    /// @dev Implements `IAlphaPoolsHooks.closePending`.
    function closePending(
        uint16 netuid
    ) external onlyDelegateCall onlyRole(SETTLER_ROLE) returns (uint32 generation, PendingEmission memory pot) {
        SubnetConfig memory config = _subnetConfig(netuid);
        _accrue(netuid, config);
        generation = config.generation;
        Books memory books = _books[netuid];
        pot = CoinbaseLib.splitPending(books);
        (books.pendingAlphaOutRao, books.pendingRootAlphaRao, books.pendingRecycledRootAlphaRao) = (0, 0, 0);
        _books[netuid] = books;
        _settlementOwedAlphaRao[_instance(netuid, generation)] +=
            pot.ownerCutAlphaRao +
            pot.serverAlphaRao +
            pot.validatorAlphaRao +
            pot.rootAlphaRao;
        emit ClosePending(netuid, generation, pot);
    }

    /// @dev Implements `IAlphaPoolsHooks.creditStake`.
    function creditStake(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey,
        uint256 alphaRao
    ) external onlyDelegateCall onlyRole(SETTLER_ROLE) {
        _spendOwed(_settlementOwedAlphaRao, netuid, generation, alphaRao);
        _mint(netuid, generation, hotkey, coldkey, alphaRao);
        emit CreditStake(netuid, hotkey, coldkey, alphaRao);
    }

    /// @dev Implements `IAlphaPoolsHooks.creditDividend`.
    function creditDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 ownerColdkey,
        uint256 alphaRao
    ) external onlyDelegateCall onlyRole(SETTLER_ROLE) {
        SubnetConfig memory config = _spendOwed(_settlementOwedAlphaRao, netuid, generation, alphaRao);
        uint48 instance = _instance(netuid, generation);
        HotkeyPool memory hp = _syncedHotkeyPool(instance, hotkey);
        if (hp.shares == 0) {
            // No nominator to vest into: the owner receives it as stake, so it never becomes a gift to a newcomer.
            _mint(netuid, generation, hotkey, ownerColdkey, alphaRao);
            emit CreditStake(netuid, hotkey, ownerColdkey, alphaRao);
            return;
        }
        // What is still vesting vests with the new dividend over the next tempo.
        hp.unvestedAlphaRao = (hp.unvestedAlphaRao + alphaRao).toUint64();
        hp.vestingEndBlock = (block.number + config.tempo).toUint32();
        hp.vestingBlocksLeft = config.tempo;
        _hotkeyPools[instance][hotkey] = hp;
        emit CreditDividend(netuid, hotkey, alphaRao, config.tempo);
    }

    /// @dev Implements `IAlphaPoolsHooks.recycleAlpha`.
    function recycleAlpha(
        uint16 netuid,
        uint32 generation,
        uint256 alphaRao
    ) external onlyDelegateCall onlyRole(SETTLER_ROLE) {
        _spendOwed(_settlementOwedAlphaRao, netuid, generation, alphaRao);
        Books storage books = _books[netuid];
        books.alphaIssuanceRao = (books.alphaIssuanceRao - alphaRao).toUint64();
        emit RecycleAlpha(netuid, alphaRao);
    }

    /// @dev Implements `IAlphaPoolsHooks.burnOwedAlpha`.
    function burnOwedAlpha(
        uint16 netuid,
        uint32 generation,
        uint256 alphaRao
    ) external onlyDelegateCall onlyRole(SETTLER_ROLE) {
        _spendOwed(_settlementOwedAlphaRao, netuid, generation, alphaRao);
        Emission storage em = _emissions[netuid];
        em.unownedAlphaRao = (em.unownedAlphaRao + alphaRao).toUint64();
        emit BurnOwedAlpha(netuid, alphaRao);
    }

    /// @dev Implements `IAlphaPoolsHooks.setMinerBurn`.
    function setMinerBurn(uint16 netuid, uint16 minerBurnOf65535) external onlyDelegateCall onlyRole(SETTLER_ROLE) {
        SubnetConfig memory config = _subnetConfig(netuid);
        // An unchanged burn leaves every weight as it is, so there is nothing to catch up at this block (most
        // epochs: a subnet's burn moves only when its owner's uids earn a different part of the incentive).
        if (config.minerBurnOf65535 == minerBurnOf65535) return;
        _accrue(netuid, config);
        config.minerBurnOf65535 = minerBurnOf65535;
        _configs[netuid] = config;
        if (config.firstEmissionBlock != 0) {
            (Global memory g, uint256 shortfallRao) = _globalNow();
            Emission memory em = _emissions[netuid];
            CoinbaseLib.reweigh(em, g, CoinbaseLib.movingPriceRao(em), minerBurnOf65535);
            _emissions[netuid] = em;
            _storeGlobal(g, shortfallRao);
        }
        emit SetMinerBurn(netuid, minerBurnOf65535);
    }

    /* HOOKS: ROOT DIVIDENDS */

    /// @dev Implements `IAlphaPoolsHooks.assignRootDividend`.
    function assignRootDividend(
        uint16 netuid,
        uint32 generation,
        uint256 alphaRao
    ) external onlyDelegateCall onlyRole(ROOT_DIVIDENDS_ROLE) {
        _spendOwed(_settlementOwedAlphaRao, netuid, generation, alphaRao);
        _rootOwedAlphaRao[_instance(netuid, generation)] += alphaRao;
        emit AssignRootDividend(netuid, alphaRao);
    }

    /// @dev Implements `IAlphaPoolsHooks.payRootDividend`.
    function payRootDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        bytes32 coldkey,
        uint256 alphaRao,
        bool swap
    ) external onlyDelegateCall nonReentrant onlyRole(ROOT_DIVIDENDS_ROLE) returns (uint256 taoRao) {
        SubnetConfig memory config = _spendOwed(_rootOwedAlphaRao, netuid, generation, alphaRao);
        if (swap) {
            // Fee-less and at any price, as the chain's claim; the alpha enters the pool and the TAO is restaked.
            Pool memory p = _accrue(netuid, config);
            (taoRao, , ) = SwapLib.sellAlpha(p, alphaRao, 0, 0, false);
            _pools[netuid] = p;
            _changeRootTao(int256(taoRao));
            _mint(ROOT_NETUID, 0, hotkey, coldkey, taoRao);
        } else {
            _mint(netuid, generation, hotkey, coldkey, alphaRao);
        }
        emit PayRootDividend(netuid, hotkey, coldkey, alphaRao, taoRao);
    }

    /* ADMIN */

    /// @notice Wires the hotkey registry and the root dividends once (both are deployed after this contract).
    function wire(
        IHotkeys hotkeys_,
        IRootDividends rootDividends_
    ) external onlyDelegateCall onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(hotkeys) != address(0)) revert AlreadyWired();
        (hotkeys, rootDividends) = (hotkeys_, rootDividends_);
    }

    function pause() external onlyDelegateCall onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyDelegateCall onlyRole(PAUSER_ROLE) {
        _unpause();
    }
}
