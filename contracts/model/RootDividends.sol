// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPools} from "../interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../interfaces/IAlphaPoolsHooks.sol";
import {IRootDividends} from "../interfaces/IRootDividends.sol";

/// @title RootDividends
/// @notice Root stakers' dividends as subtensor keeps them (`RootClaimable`, `RootClaimed`, `RootClaimType`): a
/// validator's root dividend on a subnet raises a per-hotkey rate of alpha per rao of root stake, and each coldkey
/// claims rate × its root stake − what it already claimed, as alpha kept on the subnet or swapped to root stake.
/// @dev The alpha itself stays in the pools' books (owed to root stakers) until it is paid; this contract only keeps
/// the accounts. The pools report every root stake change, so a new stake cannot claim the past.
contract RootDividends is IRootDividends, AccessControl, ReentrancyGuardTransient {
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    /// @dev subtensor's `DefaultMinRootClaimAmount`: smaller amounts wait for a later claim.
    uint256 public constant ROOT_CLAIM_THRESHOLD_ALPHA_RAO = 500_000;
    /// @dev Scale of the rates: alpha-rao per rao of root stake, × 1e36.
    uint256 internal constant RATE_SCALE = 1e36;
    uint16 internal constant ROOT_NETUID = 0;

    IAlphaPools public immutable POOLS;

    /// @dev Per hotkey and subnet instance (generation << 16 | netuid), so a reused netuid starts without rates.
    mapping(bytes32 hotkey => mapping(uint48 instance => uint256)) internal _rates;
    mapping(bytes32 hotkey => mapping(bytes32 coldkey => mapping(uint48 instance => uint256))) internal _claimed;
    /// @dev Bit i set: the hotkey has root dividends on netuid i (bounds the work of a root stake change).
    mapping(bytes32 hotkey => uint256) internal _netuidsWithRates;
    mapping(bytes32 coldkey => RootClaimType) public rootClaimType;

    constructor(address admin, IAlphaPools pools) {
        POOLS = pools;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IRootDividends
    function setRootClaimType(RootClaimType claimType) external {
        bytes32 coldkey = POOLS.coldkeyOf(msg.sender);
        rootClaimType[coldkey] = claimType;
        emit SetRootClaimType(coldkey, claimType);
    }

    /// @inheritdoc IRootDividends
    function creditRootDividend(
        uint16 netuid,
        uint32 generation,
        bytes32 hotkey,
        uint256 alphaRao
    ) external onlyRole(SETTLER_ROLE) returns (bool credited) {
        uint256 rootStakeRao = POOLS.hotkeyPool(hotkey, ROOT_NETUID).alphaRao;
        // subtensor: a dividend larger than the hotkey's root stake goes to the hotkey's owner as stake instead.
        if (alphaRao == 0 || alphaRao > rootStakeRao) return false;
        IAlphaPoolsHooks(address(POOLS)).assignRootDividend(netuid, generation, alphaRao);
        _rates[hotkey][_instance(netuid, generation)] += Math.mulDiv(alphaRao, RATE_SCALE, rootStakeRao);
        _netuidsWithRates[hotkey] |= 1 << netuid;
        emit CreditRootDividend(netuid, hotkey, alphaRao);
        return true;
    }

    /// @inheritdoc IRootDividends
    function claimRoot(
        bytes32 hotkey,
        bytes32 coldkey,
        uint16[] calldata netuids
    ) external nonReentrant returns (uint256 claimedAlphaRao) {
        RootClaimType claimType = rootClaimType[coldkey];
        for (uint256 i; i < netuids.length; ++i) {
            uint16 netuid = netuids[i];
            uint32 generation = POOLS.subnetConfig(netuid).generation;
            uint48 instance = _instance(netuid, generation);
            int256 owed = _owed(hotkey, coldkey, instance);
            if (owed < int256(ROOT_CLAIM_THRESHOLD_ALPHA_RAO)) continue;
            uint256 alphaRao = uint256(owed);
            // Booked before paying: a swap restakes on root, and the pools report that stake back to us.
            _claimed[hotkey][coldkey][instance] += alphaRao;
            claimedAlphaRao += alphaRao;
            bool swap = claimType == RootClaimType.Swap;
            uint256 taoRao = IAlphaPoolsHooks(address(POOLS)).payRootDividend(
                netuid,
                generation,
                hotkey,
                coldkey,
                alphaRao,
                swap
            );
            emit ClaimRoot(netuid, hotkey, coldkey, claimType, alphaRao, taoRao);
        }
    }

    /// @inheritdoc IRootDividends
    function rootClaimable(bytes32 hotkey, bytes32 coldkey, uint16 netuid) external view returns (uint256) {
        int256 owed = _owed(hotkey, coldkey, _instance(netuid, POOLS.subnetConfig(netuid).generation));
        return owed > 0 ? uint256(owed) : 0;
    }

    /// @inheritdoc IRootDividends
    /// @dev subtensor's `add_stake_adjust_root_claimed` and `remove_stake_adjust_root_claimed`: added stake books
    /// rate × added as claimed; removed stake unbooks rate × removed, floored at zero. Both round against the staker
    /// (booked up, unbooked down): subtensor floors the booking, which can raise a claim by one alpha-rao per added
    /// stake, and here every claim is paid from the alpha held for root stakers, which must cover them all.
    function onRootStakeChange(bytes32 hotkey, bytes32 coldkey, uint256 addedRao, uint256 removedRao) external {
        if (msg.sender != address(POOLS)) revert OnlyPools(msg.sender);
        uint256 netuids = _netuidsWithRates[hotkey];
        for (uint256 netuid; netuids != 0; ++netuid) {
            if (netuids & 1 == 1) {
                uint48 instance = _instance(uint16(netuid), POOLS.subnetConfig(uint16(netuid)).generation);
                uint256 rate = _rates[hotkey][instance];
                if (rate != 0) {
                    uint256 claimed = _claimed[hotkey][coldkey][instance];
                    uint256 removed = Math.mulDiv(removedRao, rate, RATE_SCALE);
                    claimed = claimed > removed ? claimed - removed : 0;
                    _claimed[hotkey][coldkey][instance] =
                        claimed + Math.mulDiv(addedRao, rate, RATE_SCALE, Math.Rounding.Ceil);
                }
            }
            netuids >>= 1;
        }
    }

    /// @dev rate × stake − claimed; negative after a removal that forfeited, as on the chain.
    function _owed(bytes32 hotkey, bytes32 coldkey, uint48 instance) internal view returns (int256) {
        uint256 stakeRao = POOLS.getStake(hotkey, coldkey, ROOT_NETUID);
        uint256 earned = Math.mulDiv(stakeRao, _rates[hotkey][instance], RATE_SCALE);
        return int256(earned) - int256(_claimed[hotkey][coldkey][instance]);
    }

    function _instance(uint16 netuid, uint32 generation) internal pure returns (uint48) {
        return (uint48(generation) << 16) | netuid;
    }
}
