// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {UnitsLib} from "../libraries/UnitsLib.sol";
import {INeuronPrecompile} from "../precompiles/INeuronPrecompile.sol";
import {FundEngine} from "./FundEngine.sol";
import {FundRedemptions} from "./FundRedemptions.sol";

/// @title MiningFund
/// @notice A mining organization's fund: it raises TAO under published terms, then puts it to work on subnets only
/// through the fund and within its policy (registering its own hotkeys, staking to them or to liquid vaults, moving
/// stake, paying operating costs from a capped, timelocked budget). Mining and validator rewards arrive as stake on
/// the fund's coldkey and raise NAV.
/// @dev Raise: contributions in whole rao between `start` and `end`, per investor between the minimum and maximum,
/// optionally restricted to a Merkle allowlist (leaf = keccak256(keccak256(abi.encode(account))))). Refused above the
/// hard cap. After `end` (or at the hard cap) `finalize`: below the soft cap every contributor takes back exactly
/// what it sent; otherwise one share per 1e-18 TAO contributed (1 share = 1 TAO), and the organization's allocation
/// (a fraction of all shares) vests linearly after a cliff.
contract MiningFund is FundEngine {
    struct RaiseTerms {
        uint256 softCapRao;
        uint256 hardCapRao;
        uint64 startTime;
        uint64 endTime;
        uint256 minContributionRao;
        uint256 maxContributionRao;
        bytes32 allowlistRoot;
        address organization;
        uint16 organizationAllocationBps;
        uint64 vestingCliffSeconds;
        uint64 vestingDurationSeconds;
    }

    enum Phase {
        Raising,
        Succeeded,
        Failed
    }

    /// @dev Shares per rao contributed: 1 share (1e18) per TAO (1e9 rao).
    uint256 internal constant SHARES_PER_RAO = 1e9;
    uint256 internal constant MAX_ORGANIZATION_ALLOCATION_BPS = 5_000;

    /// @notice The neuron precompile (Bittensor's on its runtime, the adapter elsewhere).
    address public immutable NEURON;
    /// @notice The engine's redemption code for this implementation's clones, reached by delegatecall (see
    /// `FundRedemptions`): with it, a mining fund's code would exceed the 24,576-byte limit.
    address public immutable REDEMPTIONS;

    RaiseTerms internal _terms;
    Phase public phase;
    uint256 public totalRaisedRao;
    mapping(address investor => uint256) public contributedRao;
    mapping(address investor => bool) public sharesClaimed;
    /// @notice Raise shares minted to the fund and not yet claimed by their contributors.
    uint256 public unclaimedShares;
    uint256 public organizationShares;
    uint256 public organizationSharesClaimed;
    uint64 public finalizedAt;

    address public budgetRecipient;
    uint256 public budgetRateRaoPerSecond;
    uint256 public budgetCapRao;
    uint256 public budgetSpentRao;
    uint64 public budgetStart;

    event Contributed(address indexed investor, uint256 taoRao, uint256 totalRaisedRao);
    event RaiseFinalized(bool succeeded, uint256 totalRaisedRao, uint256 organizationShares);
    event SharesClaimed(address indexed investor, uint256 shares);
    event Refunded(address indexed investor, uint256 taoRao);
    event VestedClaimed(address indexed organization, uint256 shares);
    event BudgetSet(address indexed recipient, uint256 rateRaoPerSecond, uint256 capRao);
    event BudgetPaid(address indexed recipient, uint256 taoRao, uint256 spentRao);
    event NeuronRegistered(uint16 indexed netuid, bytes32 indexed hotkey, uint256 burnRao);

    error InvalidTerms(string field);
    error RaiseNotOpen(uint256 timestamp, uint256 startTime, uint256 endTime);
    error RaiseStillOpen(uint256 endTime, uint256 timestamp);
    error WrongPhase(Phase phase);
    error NotAllowlisted(address investor);
    error ContributionBelowMinimum(uint256 totalRao, uint256 minimumRao);
    error ContributionAboveMaximum(uint256 totalRao, uint256 maximumRao);
    error HardCapExceeded(uint256 amountRao, uint256 remainingRao);
    error NothingToRefund(address investor);
    error AlreadyClaimed(address investor);
    error NotOrganization(address caller);
    error NothingVested();
    error BudgetExceeded(uint256 amountRao, uint256 availableRao);
    error NotBudgetRecipient(address caller);
    error UnknownHotkey(uint16 netuid, bytes32 hotkey);

    constructor(Precompiles memory precompiles_, address neuron) FundEngine(precompiles_) {
        NEURON = neuron;
        REDEMPTIONS = address(new FundRedemptions(precompiles_));
    }

    /// @inheritdoc FundEngine
    function processRedemptions(uint256, uint256) external override returns (uint256, uint256) {
        _delegateToRedemptions();
    }

    /// @inheritdoc FundEngine
    function claimStake(uint256, bytes32) external override returns (uint256) {
        _delegateToRedemptions();
    }

    /// @inheritdoc FundEngine
    function sellClaimedStake(uint256, uint256) external override returns (uint256) {
        _delegateToRedemptions();
    }

    /// @dev Runs this call's calldata as `REDEMPTIONS` code on this fund's storage and returns or reverts with its
    /// result. The engine's version of the function guards against re-entry itself.
    function _delegateToRedemptions() private {
        address target = REDEMPTIONS;
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    /// @notice Sets the clone up with the engine's settings and the raise's terms.
    function initialize(EngineConfig calldata engine, RaiseTerms calldata raiseTerms) external initializer {
        _initEngine(engine);
        _checkTerms(raiseTerms);
        _terms = raiseTerms;
    }

    function terms() external view returns (RaiseTerms memory) {
        return _terms;
    }

    /* RAISE */

    /// @notice Contributes `msg.value` (whole rao) to the raise; `proof` proves the caller is on the allowlist (empty
    /// when there is none).
    function contribute(bytes32[] calldata proof) external payable nonReentrant {
        RaiseTerms storage t = _terms;
        if (phase != Phase.Raising) revert WrongPhase(phase);
        if (block.timestamp < t.startTime || block.timestamp >= t.endTime) {
            revert RaiseNotOpen(block.timestamp, t.startTime, t.endTime);
        }
        if (t.allowlistRoot != bytes32(0)) {
            bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(msg.sender))));
            if (!MerkleProof.verifyCalldata(proof, t.allowlistRoot, leaf)) revert NotAllowlisted(msg.sender);
        }
        uint256 taoRao = _wholeRao(msg.value);
        if (taoRao == 0) revert ZeroAmount();
        uint256 remaining = t.hardCapRao - totalRaisedRao;
        if (taoRao > remaining) revert HardCapExceeded(taoRao, remaining);
        uint256 total = contributedRao[msg.sender] + taoRao;
        if (total < t.minContributionRao) revert ContributionBelowMinimum(total, t.minContributionRao);
        if (total > t.maxContributionRao) revert ContributionAboveMaximum(total, t.maxContributionRao);
        contributedRao[msg.sender] = total;
        totalRaisedRao += taoRao;
        _reservedRao += taoRao;
        emit Contributed(msg.sender, taoRao, totalRaisedRao);
    }

    /// @notice Closes the raise after its end, or once the hard cap is reached. Anyone may call it.
    function finalize() external nonReentrant {
        RaiseTerms storage t = _terms;
        if (phase != Phase.Raising) revert WrongPhase(phase);
        if (block.timestamp < t.endTime && totalRaisedRao < t.hardCapRao)
            revert RaiseStillOpen(t.endTime, block.timestamp);
        finalizedAt = uint64(block.timestamp);
        if (totalRaisedRao < t.softCapRao) {
            phase = Phase.Failed;
            emit RaiseFinalized(false, totalRaisedRao, 0);
            return;
        }
        phase = Phase.Succeeded;
        _reservedRao -= totalRaisedRao; // the raise becomes the fund's idle TAO
        uint256 raiseShares = totalRaisedRao * SHARES_PER_RAO;
        uint256 orgShares = Math.mulDiv(raiseShares, t.organizationAllocationBps, BPS - t.organizationAllocationBps);
        unclaimedShares = raiseShares;
        organizationShares = orgShares;
        _mint(address(this), raiseShares + orgShares);
        _setMarkIfUnset();
        emit RaiseFinalized(true, totalRaisedRao, orgShares);
    }

    /// @notice After a successful raise, moves the caller's shares to it.
    function claimShares() external nonReentrant returns (uint256 shares) {
        if (phase != Phase.Succeeded) revert WrongPhase(phase);
        if (sharesClaimed[msg.sender]) revert AlreadyClaimed(msg.sender);
        shares = contributedRao[msg.sender] * SHARES_PER_RAO;
        if (shares == 0) revert NothingToClaim(msg.sender);
        sharesClaimed[msg.sender] = true;
        unclaimedShares -= shares;
        _transfer(address(this), msg.sender, shares);
        emit SharesClaimed(msg.sender, shares);
    }

    /// @notice After a failed raise, sends the caller exactly what it contributed.
    function refund() external nonReentrant returns (uint256 taoRao) {
        if (phase != Phase.Failed) revert WrongPhase(phase);
        taoRao = contributedRao[msg.sender];
        if (taoRao == 0) revert NothingToRefund(msg.sender);
        contributedRao[msg.sender] = 0;
        _reservedRao -= taoRao;
        _sendTao(msg.sender, taoRao);
        emit Refunded(msg.sender, taoRao);
    }

    /// @notice The organization's shares vested so far (linear after the cliff).
    function vestedShares() public view returns (uint256) {
        RaiseTerms storage t = _terms;
        if (phase != Phase.Succeeded) return 0;
        uint256 elapsed = block.timestamp - finalizedAt;
        if (elapsed < t.vestingCliffSeconds) return 0;
        if (t.vestingDurationSeconds == 0 || elapsed >= t.vestingDurationSeconds) return organizationShares;
        return Math.mulDiv(organizationShares, elapsed, t.vestingDurationSeconds);
    }

    /// @notice Sends the organization its vested shares not yet claimed.
    function claimVested() external nonReentrant returns (uint256 shares) {
        if (msg.sender != _terms.organization) revert NotOrganization(msg.sender);
        shares = vestedShares() - organizationSharesClaimed;
        if (shares == 0) revert NothingVested();
        organizationSharesClaimed += shares;
        _transfer(address(this), msg.sender, shares);
        emit VestedClaimed(msg.sender, shares);
    }

    /* MANAGER (within the policy) */

    /// @notice Registers one of the fund's hotkeys (a position) as a neuron of `netuid` through the neuron
    /// precompile's `burnedRegister`. The burn is paid from the budget and may not exceed `maxBurnRao`.
    function registerNeuron(
        uint16 netuid,
        bytes32 hotkey,
        uint256 maxBurnRao
    ) external onlyManager nonReentrant notShutDown {
        if (!_positionKnown[keccak256(abi.encode(netuid, hotkey, address(0)))]) revert UnknownHotkey(netuid, hotkey);
        uint256 available = _budgetAvailableRao();
        if (maxBurnRao > available) revert BudgetExceeded(maxBurnRao, available);
        uint256 idle = idleRao();
        if (maxBurnRao > idle) revert InsufficientIdle(maxBurnRao, idle);
        uint256 before = address(this).balance;
        // On the runtime the burn is debited from the fund's balance; an adapter takes it as value and returns the rest.
        uint256 valueWei = STAKES_WITH_VALUE ? UnitsLib.raoToWei(maxBurnRao) : 0;
        (bool ok, ) = NEURON.call{value: valueWei}(abi.encodeCall(INeuronPrecompile.burnedRegister, (netuid, hotkey)));
        if (!ok) revert RegistrationFailed(netuid, hotkey);
        uint256 costRao = UnitsLib.weiToRaoDown(before - address(this).balance);
        if (costRao > maxBurnRao) revert RegistrationCostAboveLimit(costRao, maxBurnRao);
        budgetSpentRao += costRao;
        emit NeuronRegistered(netuid, hotkey, costRao);
    }

    /// @notice Stakes idle TAO into position `index` at no more than `limitRaoPerAlpha` (and the policy's ceiling).
    function stake(
        uint256 index,
        uint256 taoRao,
        uint256 limitRaoPerAlpha
    ) external onlyManager nonReentrant notShutDown returns (uint256) {
        _requireRaised();
        return _stakeInto(index, taoRao, limitRaoPerAlpha);
    }

    /// @notice Unstakes `alphaRao` of position `index` for at least `minRaoPerAlpha` (and the policy's floor).
    function unstake(
        uint256 index,
        uint256 alphaRao,
        uint256 minRaoPerAlpha
    ) external onlyManager nonReentrant returns (uint256) {
        return _unstakeFrom(index, alphaRao, minRaoPerAlpha);
    }

    /// @notice Moves stake between two direct positions (across subnets through the pools).
    function moveStake(uint256 from, uint256 to, uint256 alphaRao) external onlyManager nonReentrant notShutDown {
        _moveBetween(from, to, alphaRao);
    }

    /* BUDGET */

    /// @notice Timelocked: a new operating budget streamed to `recipient` at `rateRaoPerSecond`, `capRao` in all.
    function setBudget(address recipient, uint256 rateRaoPerSecond, uint256 capRao) external onlySelf {
        if (recipient == address(0)) revert ZeroAddress("recipient");
        budgetRecipient = recipient;
        budgetRateRaoPerSecond = rateRaoPerSecond;
        budgetCapRao = capRao;
        budgetSpentRao = 0;
        budgetStart = uint64(block.timestamp);
        emit BudgetSet(recipient, rateRaoPerSecond, capRao);
    }

    /// @notice The budget streamed so far and not yet spent.
    function budgetAvailableRao() external view returns (uint256) {
        return _budgetAvailableRao();
    }

    /// @notice Pays `taoRao` of the streamed budget to its recipient (the recipient or the manager asks).
    function withdrawBudget(uint256 taoRao) external nonReentrant notShutDown {
        if (msg.sender != budgetRecipient && msg.sender != _roles.manager) revert NotBudgetRecipient(msg.sender);
        uint256 available = _budgetAvailableRao();
        if (taoRao > available) revert BudgetExceeded(taoRao, available);
        uint256 idle = idleRao();
        if (taoRao > idle) revert InsufficientIdle(taoRao, idle);
        budgetSpentRao += taoRao;
        _sendTao(budgetRecipient, taoRao);
        emit BudgetPaid(budgetRecipient, taoRao, budgetSpentRao);
    }

    function _budgetAvailableRao() internal view returns (uint256) {
        if (budgetStart == 0) return 0;
        uint256 streamed = Math.min(budgetRateRaoPerSecond * (block.timestamp - budgetStart), budgetCapRao);
        return streamed > budgetSpentRao ? streamed - budgetSpentRao : 0;
    }

    function _requireRaised() internal view {
        if (phase != Phase.Succeeded) revert WrongPhase(phase);
    }

    function _checkTerms(RaiseTerms calldata t) private view {
        if (t.softCapRao == 0) revert InvalidTerms("softCapRao");
        if (t.hardCapRao < t.softCapRao) revert InvalidTerms("hardCapRao");
        if (t.endTime <= t.startTime || t.endTime <= block.timestamp) revert InvalidTerms("endTime");
        if (t.maxContributionRao == 0 || t.maxContributionRao < t.minContributionRao) {
            revert InvalidTerms("maxContributionRao");
        }
        if (t.organization == address(0)) revert InvalidTerms("organization");
        if (t.organizationAllocationBps > MAX_ORGANIZATION_ALLOCATION_BPS)
            revert InvalidTerms("organizationAllocationBps");
        if (t.vestingCliffSeconds > t.vestingDurationSeconds) revert InvalidTerms("vestingCliffSeconds");
    }
}
