// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../../interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../../interfaces/IAlphaPoolsTypes.sol";
import {IHotkeys} from "../../interfaces/IHotkeys.sol";
import {ISubnetRegistry} from "../../interfaces/ISubnetRegistry.sol";
import {PoolsView} from "../../libraries/PoolsView.sol";
import {UnitsLib} from "../../libraries/UnitsLib.sol";
import {IStakingV2} from "../IStakingV2.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title StakingV2Adapter
/// @notice Bittensor's staking precompile (0x805) answered by the subnet economy model, trap for trap: amounts in rao
/// and alpha-rao, the caller's mapped account as coldkey, `removeStake` silently capped at the stake, the minimum
/// stake, limit prices in rao per alpha, failures that consume the forwarded gas and return no data, no events,
/// unstaked TAO credited without calling `receive()`, value attached to any other function kept, the allowance keyed
/// by (approver, spender, netuid) and voided when the netuid is registered again, transfers refused where the subnet
/// disabled them, and the nominator dust sweep.
/// @dev Warning (the one divergence that callers see): the runtime debits the TAO of `addStake`/`addStakeLimit` from
/// the caller's balance; a plain EVM cannot, so here the caller attaches it as `msg.value` (at least `amountRao` × 1e9
/// wei; what is not staked comes back without a call). `StakingClient` attaches it only to an adapter.
/// @dev Other divergences, documented: no existential deposit is kept back; `getTotalColdkeyStake`,
/// `getTotalColdkeyStakeOnSubnet` and `getAlphaStakedValidators` fail (the model keeps no index of a coldkey's
/// positions or of a hotkey's stakers); `addProxy`/`removeProxy` fail (the model has no proxies); a cross-netuid
/// `transferStake` whose intermediate TAO is below the minimum stake fails instead of leaving free TAO with a 32-byte
/// coldkey; the dust sweep unstakes with the pool's fee (the chain's is fee-less).
/// @dev Warning: holds the model's ORIGIN_ROLE: it stakes, unstakes and moves stake for any coldkey it computes from
/// its caller.
contract StakingV2Adapter is PrecompileAdapter, IStakingV2 {
    IAlphaPools internal immutable POOLS;
    IHotkeys internal immutable HOTKEYS;
    ISubnetRegistry internal immutable REGISTRY;
    /// @dev subtensor's `DefaultMinStake × NominatorMinRequiredStake / 1e6` (0 on the chain's defaults): after an
    /// unstake, a nominator's remainder worth less than this at the spot price is unstaked too.
    uint256 internal immutable NOMINATOR_MIN_REQUIRED_STAKE_RAO;

    uint16 internal constant ROOT_NETUID = 0;

    /// @dev The precompile's own allowance storage, keyed like subtensor's `Allowances`: by approver, then spender
    /// and subnet instance (registration counter << 16 | netuid).
    mapping(address approver => mapping(address spender => mapping(uint48 instance => uint256 alphaRao)))
        internal _allowances;

    constructor(
        IAlphaPools pools,
        IHotkeys hotkeys,
        ISubnetRegistry registry,
        uint256 nominatorMinRequiredStakeRao,
        address courier
    ) PrecompileAdapter(courier) {
        POOLS = pools;
        HOTKEYS = hotkeys;
        REGISTRY = registry;
        NOMINATOR_MIN_REQUIRED_STAKE_RAO = nominatorMinRequiredStakeRao;
    }

    /// @dev Unstaked TAO and free TAO come from the pools; anything else fails.
    receive() external payable override {
        if (msg.sender != address(POOLS)) _fail();
    }

    /* STAKE AND UNSTAKE */

    /// @inheritdoc IStakingV2
    function addStake(bytes32 hotkey, uint256 amountRao, uint256 netuid) external payable {
        _stake(hotkey, _netuid(netuid), _saturate(amountRao), 0, false);
    }

    /// @inheritdoc IStakingV2
    function addStakeLimit(
        bytes32 hotkey,
        uint256 amountRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 netuid
    ) external payable {
        uint256 limit = _saturate(limitPriceRaoPerAlpha);
        // A zero limit leaves no amount to stake (subtensor's ZeroMaxStakeAmount); 0 means "no limit" to the model.
        if (limit == 0) _fail();
        _stake(hotkey, _netuid(netuid), _saturate(amountRao), limit, allowPartial);
    }

    /// @inheritdoc IStakingV2
    function removeStake(bytes32 hotkey, uint256 amountAlphaRao, uint256 netuid) external payable {
        uint16 n = _netuid(netuid);
        bytes32 coldkey = _coldkeyOf(msg.sender);
        uint256 stake = POOLS.getStake(hotkey, coldkey, n);
        uint256 amount = _saturate(amountAlphaRao);
        // The chain caps the amount at the stake, silently.
        if (amount > stake) amount = stake;
        _unstake(coldkey, hotkey, n, amount, 0, false);
    }

    /// @inheritdoc IStakingV2
    function removeStakeFull(bytes32 hotkey, uint256 netuid) external payable {
        uint16 n = _netuid(netuid);
        bytes32 coldkey = _coldkeyOf(msg.sender);
        _unstake(coldkey, hotkey, n, POOLS.getStake(hotkey, coldkey, n), 0, false);
    }

    /// @inheritdoc IStakingV2
    function removeStakeFullLimit(bytes32 hotkey, uint256 netuid, uint256 limitPriceRaoPerAlpha) external payable {
        // Not saturated, unlike the other limits.
        if (limitPriceRaoPerAlpha > type(uint64).max) _fail();
        uint16 n = _netuid(netuid);
        bytes32 coldkey = _coldkeyOf(msg.sender);
        _unstake(coldkey, hotkey, n, POOLS.getStake(hotkey, coldkey, n), limitPriceRaoPerAlpha, false);
    }

    /// @inheritdoc IStakingV2
    function removeStakeLimit(
        bytes32 hotkey,
        uint256 amountAlphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 netuid
    ) external payable {
        // Not capped at the stake: asking for more fails in the model.
        _unstake(
            _coldkeyOf(msg.sender),
            hotkey,
            _netuid(netuid),
            _saturate(amountAlphaRao),
            _saturate(limitPriceRaoPerAlpha),
            allowPartial
        );
    }

    /// @inheritdoc IStakingV2
    function moveStake(
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) external payable {
        bytes32 coldkey = _coldkeyOf(msg.sender);
        uint256 held = address(this).balance;
        _transition(coldkey, coldkey, originHotkey, destinationHotkey, originNetuid, destinationNetuid, amountAlphaRao);
        // An intermediate amount below the minimum stake stays with the caller as free TAO.
        _credit(msg.sender, address(this).balance - held);
    }

    /// @inheritdoc IStakingV2
    function transferStake(
        bytes32 destinationColdkey,
        bytes32 hotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) external payable {
        uint256 held = address(this).balance;
        _transition(
            _coldkeyOf(msg.sender),
            destinationColdkey,
            hotkey,
            hotkey,
            originNetuid,
            destinationNetuid,
            amountAlphaRao
        );
        // Free TAO cannot be credited to a 32-byte coldkey here (documented divergence): the call fails.
        if (address(this).balance != held) _fail();
    }

    /// @inheritdoc IStakingV2
    function burnAlpha(bytes32 hotkey, uint256 amountAlphaRao, uint256 netuid) external payable {
        uint16 n = _netuid(netuid);
        if (n == ROOT_NETUID) _fail();
        bytes32 coldkey = _coldkeyOf(msg.sender);
        uint256 stake = POOLS.getStake(hotkey, coldkey, n);
        uint256 amount = _saturate(amountAlphaRao);
        if (amount > stake) amount = stake;
        if (amount == 0) return;
        try IAlphaPoolsHooks(address(POOLS)).burnAlphaAs(coldkey, hotkey, n, amount) {} catch {
            _fail();
        }
    }

    /* PROXY (not modelled) */

    /// @inheritdoc IStakingV2
    /// @dev Warning: the model has no proxies; this fails.
    function addProxy(bytes32) external payable {
        _fail();
    }

    /// @inheritdoc IStakingV2
    /// @dev Warning: the model has no proxies; this fails.
    function removeProxy(bytes32) external payable {
        _fail();
    }

    /* ALLOWANCE */

    /// @inheritdoc IStakingV2
    function approve(address spender, uint256 netuid, uint256 amountAlphaRao) external {
        _allowances[msg.sender][spender][_instance(_netuid(netuid))] = amountAlphaRao;
    }

    /// @inheritdoc IStakingV2
    function allowance(address source, address spender, uint256 netuid) external view returns (uint256) {
        return _allowances[source][spender][_instance(_netuid(netuid))];
    }

    /// @inheritdoc IStakingV2
    function increaseAllowance(address spender, uint256 netuid, uint256 amountAlphaRao) external {
        mapping(uint48 => uint256) storage slot = _allowances[msg.sender][spender];
        uint48 instance = _instance(_netuid(netuid));
        uint256 current = slot[instance];
        slot[instance] = amountAlphaRao > type(uint256).max - current ? type(uint256).max : current + amountAlphaRao;
    }

    /// @inheritdoc IStakingV2
    function decreaseAllowance(address spender, uint256 netuid, uint256 amountAlphaRao) external {
        mapping(uint48 => uint256) storage slot = _allowances[msg.sender][spender];
        uint48 instance = _instance(_netuid(netuid));
        uint256 current = slot[instance];
        slot[instance] = amountAlphaRao > current ? 0 : current - amountAlphaRao;
    }

    /// @inheritdoc IStakingV2
    function transferStakeFrom(
        address source,
        address destination,
        bytes32 hotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) external {
        uint48 instance = _instance(_netuid(originNetuid));
        uint256 allowed = _allowances[source][msg.sender][instance];
        // The one real revert of the precompile, with its message.
        require(amountAlphaRao <= allowed, "trying to spend more than allowed");
        _allowances[source][msg.sender][instance] = allowed - amountAlphaRao;
        uint256 held = address(this).balance;
        _transition(
            _coldkeyOf(source),
            _coldkeyOf(destination),
            hotkey,
            hotkey,
            originNetuid,
            destinationNetuid,
            amountAlphaRao
        );
        // Free TAO of a cross-netuid transfer below the minimum stake goes to the destination account.
        _credit(destination, address(this).balance - held);
    }

    /* VIEWS */

    /// @inheritdoc IStakingV2
    function getStake(bytes32 hotkey, bytes32 coldkey, uint256 netuid) external view returns (uint256) {
        return POOLS.getStake(hotkey, coldkey, _netuid(netuid));
    }

    /// @inheritdoc IStakingV2
    function getTotalAlphaStaked(bytes32 hotkey, uint256 netuid) external view returns (uint256) {
        return POOLS.hotkeyPool(hotkey, _netuid(netuid)).alphaRao;
    }

    /// @inheritdoc IStakingV2
    /// @dev Warning: fails: the model keeps no index of a coldkey's positions.
    function getTotalColdkeyStake(bytes32) external view returns (uint256) {
        _failView();
        return 0;
    }

    /// @inheritdoc IStakingV2
    /// @dev Warning: fails: the model keeps no index of a coldkey's positions.
    function getTotalColdkeyStakeOnSubnet(bytes32, uint256) external view returns (uint256) {
        _failView();
        return 0;
    }

    /// @inheritdoc IStakingV2
    function getTotalHotkeyStake(bytes32 hotkey) external view returns (uint256 totalRao) {
        totalRao = POOLS.hotkeyPool(hotkey, ROOT_NETUID).alphaRao;
        uint16[] memory netuids = REGISTRY.activeNetuids();
        for (uint256 i; i < netuids.length; ++i) {
            uint256 alphaRao = POOLS.hotkeyPool(hotkey, netuids[i]).alphaRao;
            if (alphaRao == 0) continue;
            uint256 priceRao = UnitsLib.wadToRaoPerAlphaDown(PoolsView.spotPriceWad(POOLS, netuids[i]));
            totalRao += UnitsLib.alphaToRaoDown(alphaRao, priceRao);
        }
    }

    /// @inheritdoc IStakingV2
    /// @dev Warning: fails: the model keeps no index of a hotkey's stakers.
    function getAlphaStakedValidators(bytes32, uint256) external view returns (bytes32[] memory) {
        _failView();
        return new bytes32[](0);
    }

    /// @inheritdoc IStakingV2
    function getNominatorMinRequiredStake() external view returns (uint256) {
        return NOMINATOR_MIN_REQUIRED_STAKE_RAO;
    }

    /* INTERNAL */

    /// @dev Stakes `amountRao` of the attached value for the caller; whatever is not staked goes back to it. `limit`
    /// 0 is no limit.
    function _stake(bytes32 hotkey, uint16 netuid, uint256 amountRao, uint256 limit, bool allowPartial) internal {
        uint256 amountWei = UnitsLib.raoToWei(amountRao);
        // The caller's balance is what it attached: staking more fails (NotEnoughBalanceToStake); 0 is too little.
        if (amountRao == 0 || msg.value < amountWei) _fail();
        uint256 held = address(this).balance - msg.value;
        try
            IAlphaPoolsHooks(address(POOLS)).stakeAs{value: amountWei}(
                _coldkeyOf(msg.sender),
                hotkey,
                netuid,
                limit,
                allowPartial
            )
        {} catch {
            _fail();
        }
        // The unstaked part of the value and a partial fill's refund stay the caller's.
        _credit(msg.sender, address(this).balance - held);
    }

    /// @dev Unstakes for the caller and credits the TAO without calling it; then sweeps a nominator's dust.
    function _unstake(
        bytes32 coldkey,
        bytes32 hotkey,
        uint16 netuid,
        uint256 alphaRao,
        uint256 limit,
        bool allowPartial
    ) internal {
        if (alphaRao == 0) _fail();
        uint256 held = address(this).balance;
        try
            IAlphaPoolsHooks(address(POOLS)).unstakeAs(coldkey, hotkey, netuid, alphaRao, limit, allowPartial)
        {} catch {
            _fail();
        }
        _sweepSmallNomination(coldkey, hotkey, netuid);
        _credit(msg.sender, address(this).balance - held);
    }

    /// @dev subtensor's `clear_small_nomination_if_required`: a nominator's remainder below the nominator minimum (in
    /// alpha at the spot price) is unstaked, or cleared when it cannot be sold.
    function _sweepSmallNomination(bytes32 coldkey, bytes32 hotkey, uint16 netuid) internal {
        if (NOMINATOR_MIN_REQUIRED_STAKE_RAO == 0 || HOTKEYS.ownerOf(hotkey) == coldkey) return;
        uint256 remaining = POOLS.getStake(hotkey, coldkey, netuid);
        if (remaining == 0) return;
        uint256 priceRao = UnitsLib.wadToRaoPerAlphaDown(PoolsView.spotPriceWad(POOLS, netuid));
        if (remaining >= UnitsLib.raoToAlphaDown(NOMINATOR_MIN_REQUIRED_STAKE_RAO, priceRao)) return;
        try IAlphaPoolsHooks(address(POOLS)).unstakeAs(coldkey, hotkey, netuid, remaining, 0, false) {} catch {
            // The chain then just removes the alpha.
            if (netuid != ROOT_NETUID) IAlphaPoolsHooks(address(POOLS)).burnAlphaAs(coldkey, hotkey, netuid, remaining);
        }
    }

    function _transition(
        bytes32 originColdkey,
        bytes32 destinationColdkey,
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) internal {
        try
            IAlphaPoolsHooks(address(POOLS)).transitionAs(
                originColdkey,
                destinationColdkey,
                originHotkey,
                destinationHotkey,
                _netuid(originNetuid),
                _netuid(destinationNetuid),
                _saturate(amountAlphaRao),
                0,
                false
            )
        {} catch {
            _fail();
        }
    }

    /// @dev The allowance key: subtensor keys it by the subnet's registration counter, the model's generation.
    function _instance(uint16 netuid) internal view returns (uint48) {
        IAlphaPoolsTypes.SubnetConfig memory config = POOLS.subnetConfig(netuid);
        return (uint48(config.generation) << 16) | netuid;
    }
}
