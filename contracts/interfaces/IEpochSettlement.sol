// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IEpochSettlement
/// @notice Settles subnet epochs from Yuma Consensus results that k of n registered keepers signed: anyone closes a
/// due epoch (a deterministic snapshot block and an exact pot), keepers submit the report, a guardian may veto it during
/// the challenge window, anyone finalises it afterwards (validators' dividends, owner cut, permits), and miners'
/// incentive is claimed with Merkle proofs.
/// @dev Warning: the contract cannot check Yuma itself. It trusts a quorum of keepers for the split, and enforces only
/// what it can: the epoch, the subnet instance, the chain and this contract (EIP-712), the signers, the totals against
/// the pot, every claim against the results root, and that nothing is credited twice. Anyone can recompute a report
/// from public chain data (`keeper verify`) during the challenge window.
/// @dev Warning: the take and the root stake used when a dividend is credited are those at finalisation.
interface IEpochSettlement {
    enum Status {
        None,
        Closed, // pot set aside, waiting for a report
        Submitted, // a quorum signed a report; the challenge window runs
        Finalised
    }

    /// @notice A signed epoch result. Amounts are alpha-rao of the subnet.
    struct Report {
        uint256 chainId; // also bound by the EIP-712 domain; explicit for a clear error
        address settlement; // this contract; likewise
        uint16 netuid;
        uint32 generation; // the subnet instance (a reused netuid is another subnet)
        uint32 epoch;
        uint32 snapshotBlock;
        bytes32 inputsHash; // commits to the snapshot the keepers read (stake, permits, weights, registrations)
        bytes32 resultsRoot; // Merkle root of (uid, hotkey, incentive, alpha dividend, root dividend) leaves
        bytes32 stateHash; // the engine state the next epoch starts from (bonds and permits)
        bytes32 validatorsHash; // keccak256(abi.encode(ValidatorPayout[])) of the dividends credited at finalisation
        bytes32 permitsHash; // keccak256(abi.encode(uint256[] permitWords))
        uint64 incentiveAlphaRao; // Σ miners' incentive, claimable with proofs
        uint64 burnedIncentiveAlphaRao; // the subnet owner's hotkeys' incentive, burned as on the chain
        uint64 alphaDividendsAlphaRao; // Σ validators' alpha dividends (before the take)
        uint64 rootDividendsAlphaRao; // Σ validators' root dividends (before the take)
        uint16 minerBurnOf65535; // burned / total incentive: scales the subnet's emission share
    }

    /// @notice One validator's dividends, credited at finalisation (the take to its owner, the rest to its pool).
    struct ValidatorPayout {
        bytes32 hotkey;
        uint16 uid;
        uint64 alphaDividendAlphaRao;
        uint64 rootDividendAlphaRao;
    }

    /// @notice One uid's results leaf (see `resultLeaf`) with its Merkle proof, for `claimIncentives`.
    struct Claim {
        uint16 uid;
        bytes32 hotkey;
        uint64 incentiveAlphaRao;
        uint64 alphaDividendAlphaRao;
        uint64 rootDividendAlphaRao;
        bytes32[] proof;
    }

    /// @notice An epoch of one subnet instance, in four slots.
    struct EpochRecord {
        Status status;
        uint32 snapshotBlock;
        uint32 challengeDeadline; // finalisable from this block on
        uint16 maxValidators; // the subnet's validator bound at the snapshot
        uint64 claimableAlphaRao; // after finalisation: incentive, and dividends of uids outside the validator list
        uint64 potOwnerCutAlphaRao;
        uint64 potServerAlphaRao;
        uint64 potValidatorAlphaRao;
        uint64 potRootAlphaRao;
        bytes32 reportDigest; // the accepted report, once submitted
        bytes32 resultsRoot; // set at finalisation, for the claims
    }

    event CloseEpoch(uint16 indexed netuid, uint32 indexed epoch, uint32 generation, uint256 snapshotBlock);
    event SubmitReport(
        uint16 indexed netuid,
        uint32 indexed epoch,
        uint32 generation,
        bytes32 inputsHash,
        bytes32 reportDigest,
        bytes32 resultsRoot,
        bytes32 stateHash,
        uint256 challengeDeadline,
        address[] signers
    );
    event VetoReport(uint16 indexed netuid, uint32 indexed epoch, bytes32 reportDigest);
    event FinaliseEpoch(
        uint16 indexed netuid,
        uint32 indexed epoch,
        uint256 creditedAlphaRao,
        uint256 recycledAlphaRao
    );
    event ClaimIncentive(
        uint16 indexed netuid,
        uint32 indexed epoch,
        uint16 indexed uid,
        bytes32 hotkey,
        uint256 incentiveAlphaRao
    );
    event SetKeeper(address indexed keeper, bool active);
    event SetQuorum(uint16 quorum);
    event SetChallengeWindow(uint32 blocks);

    error EpochNotDue(uint16 netuid, uint256 dueBlock);
    error SubtokenDisabled(uint16 netuid);
    error PreviousEpochOpen(uint16 netuid, uint32 epoch);
    error WrongSubnet(uint16 netuid, uint32 generation, uint32 currentGeneration);
    error EpochNotClosed(uint16 netuid, uint32 epoch, Status status);
    error StaleEpoch(uint16 netuid, uint32 epoch, uint32 lastFinalised);
    error DuplicateReport(uint16 netuid, uint32 epoch, bytes32 reportDigest);
    error SnapshotMismatch(uint32 snapshotBlock, uint32 expectedBlock);
    error WrongChain(uint256 chainId, uint256 expectedChainId);
    error WrongSettlement(address settlement, address expected);
    error UnknownSigner(address signer);
    error RepeatedSigner(address signer);
    error SignersNotAscending(address signer, address previous);
    error BelowQuorum(uint256 signatures, uint256 quorum);
    error TotalsAbovePot(uint256 totalAlphaRao, uint256 potAlphaRao);
    error ChallengeWindowOpen(uint16 netuid, uint32 epoch, uint256 deadline);
    error ChallengeWindowOver(uint16 netuid, uint32 epoch, uint256 deadline);
    error NotSubmitted(uint16 netuid, uint32 epoch, Status status);
    error PayloadMismatch(bytes32 given, bytes32 expected);
    error TooManyValidators(uint256 validators, uint256 maxValidators);
    error PayoutAboveReport(uint256 payoutAlphaRao, uint256 reportedAlphaRao);
    error InvalidProof(uint16 netuid, uint32 epoch, uint16 uid);
    error AlreadyClaimed(uint16 netuid, uint32 epoch, uint16 uid);
    error ClaimAboveReport(uint256 claimAlphaRao, uint256 claimableAlphaRao);
    error InvalidQuorum(uint256 quorum, uint256 keepers);
    error TooManyClaims(uint256 claims, uint256 maxClaims);

    /// @notice Closes `netuid`'s due epoch: catches the subnet up, moves its pending emission into the epoch's pot and
    /// records this block as the snapshot every keeper reads. Anyone may call it.
    function closeEpoch(uint16 netuid) external returns (uint32 epoch);

    /// @notice Submits a report signed by at least `quorum` registered keepers (EIP-712 signatures over `Report`,
    /// ordered by strictly ascending signer address).
    function submitReport(Report calldata report, bytes[] calldata signatures) external;

    /// @notice The guardian rejects a submitted report during its challenge window; the epoch can be reported again.
    function vetoReport(uint16 netuid, uint32 epoch) external;

    /// @notice After the challenge window, pays the epoch of the accepted `report`: the owner cut, the dividends of the
    /// listed validators (each one's take to its owner as stake, the rest vesting into its pool, root dividends to its
    /// root stakers), the permits and the miner burn. The pot's remainder beyond what the report pays or leaves to
    /// claims is recycled. Anyone may call it.
    /// @dev At most the subnet's validator bound (plus the owner's uid) is paid here, so the work does not grow with
    /// uids. When an epoch without consensus spreads dividends over more uids (Yuma then pays by stake), the others
    /// claim theirs with their leaf, as miners claim incentive.
    function finaliseEpoch(
        Report calldata report,
        ValidatorPayout[] calldata validators,
        uint256[] calldata permitWords
    ) external;

    /// @notice Credits a uid's results of a finalised epoch: its incentive as stake of its hotkey's owner, and its
    /// dividends when finalisation did not pay them. Anyone may claim on the neuron's behalf.
    function claimIncentive(
        uint16 netuid,
        uint32 epoch,
        uint16 uid,
        bytes32 hotkey,
        uint64 incentiveAlphaRao,
        uint64 alphaDividendAlphaRao,
        uint64 rootDividendAlphaRao,
        bytes32[] calldata proof
    ) external;

    /// @notice Claims many uids' results of one finalised epoch in one call, as `claimIncentive` does for one; a keeper
    /// claiming on the neurons' behalf pays the call's fixed costs once. A uid already claimed is skipped, not
    /// refused, so a batch that races another claimer still pays the rest. Returns how many leaves it paid.
    /// @dev Every proof is checked, a skipped leaf's too. At most `MAX_CLAIMS_PER_CALL` leaves.
    function claimIncentives(uint16 netuid, uint32 epoch, Claim[] calldata claims) external returns (uint256 paid);

    /// @notice The EIP-712 digest keepers sign for `report`.
    function reportDigest(Report calldata report) external view returns (bytes32);

    /// @notice The Merkle leaf of one uid's results (OpenZeppelin's standard tree: double keccak of the abi encoding).
    function resultLeaf(
        uint16 uid,
        bytes32 hotkey,
        uint64 incentiveAlphaRao,
        uint64 alphaDividendAlphaRao,
        uint64 rootDividendAlphaRao
    ) external pure returns (bytes32);

    function epochRecord(uint16 netuid, uint32 generation, uint32 epoch) external view returns (EpochRecord memory);

    /// @notice The last closed and last finalised epoch of the current instance of `netuid`, and the block from which
    /// the next epoch can be closed.
    function progress(
        uint16 netuid
    ) external view returns (uint32 generation, uint32 closedEpoch, uint32 finalisedEpoch, uint256 nextDueBlock);

    function isClaimed(uint16 netuid, uint32 generation, uint32 epoch, uint16 uid) external view returns (bool);
}
