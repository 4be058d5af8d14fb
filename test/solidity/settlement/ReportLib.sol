// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {SIGNING_VM} from "./SigningVm.sol";

/// @notice One uid's results, a leaf of the results tree.
struct Leaf {
    uint16 uid;
    bytes32 hotkey;
    uint64 incentiveAlphaRao;
    uint64 alphaDividendAlphaRao;
    uint64 rootDividendAlphaRao;
}

/// @notice A report with everything finalising and claiming it needs.
struct Draft {
    IEpochSettlement.Report report;
    Leaf[] leaves;
    IEpochSettlement.ValidatorPayout[] validators;
    uint256[] permitWords;
}

/// @title ReportLib
/// @notice Builds keeper reports in Solidity, independently of the contract: the results tree (OpenZeppelin's
/// standard leaves, a double keccak of the abi encoding, and sorted-pair hashing), the EIP-712 digest from the
/// type string written out by hand, and k-of-n signatures from known keys.
library ReportLib {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    string internal constant DOMAIN_NAME = "Alpha Markets EpochSettlement";
    string internal constant DOMAIN_VERSION = "1";
    string internal constant REPORT_TYPE =
        "Report(uint256 chainId,address settlement,uint16 netuid,uint32 generation,uint32 epoch,"
        "uint32 snapshotBlock,bytes32 inputsHash,bytes32 resultsRoot,bytes32 stateHash,bytes32 validatorsHash,"
        "bytes32 permitsHash,uint64 incentiveAlphaRao,uint64 burnedIncentiveAlphaRao,uint64 alphaDividendsAlphaRao,"
        "uint64 rootDividendsAlphaRao,uint16 minerBurnOf65535)";
    /// @dev secp256k1's group order: s and n − s give the same signer to `ecrecover`.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /* TOTALS AND COMMITMENTS */

    /// @notice Sets the report's totals, results root and payload hashes from the draft's leaves, validators and
    /// permits (a test may change any of them afterwards, before signing). The dividend totals are what finalisation
    /// pays (the listed validators) plus what the leaves of uids outside the list claim.
    function seal(Draft memory d) internal pure {
        uint256 incentive;
        uint256 alphaDividends;
        uint256 rootDividends;
        for (uint256 i; i < d.validators.length; ++i) {
            alphaDividends += d.validators[i].alphaDividendAlphaRao;
            rootDividends += d.validators[i].rootDividendAlphaRao;
        }
        for (uint256 i; i < d.leaves.length; ++i) {
            Leaf memory l = d.leaves[i];
            incentive += l.incentiveAlphaRao;
            if (isListed(d, l.uid)) continue;
            alphaDividends += l.alphaDividendAlphaRao;
            rootDividends += l.rootDividendAlphaRao;
        }
        IEpochSettlement.Report memory r = d.report;
        r.incentiveAlphaRao = uint64(incentive);
        r.alphaDividendsAlphaRao = uint64(alphaDividends);
        r.rootDividendsAlphaRao = uint64(rootDividends);
        r.resultsRoot = merkleRoot(leafHashes(d.leaves));
        r.validatorsHash = keccak256(abi.encode(d.validators));
        r.permitsHash = keccak256(abi.encode(d.permitWords));
    }

    /// @notice Whether `uid` is in the draft's validator list (finalisation pays its dividends).
    function isListed(Draft memory d, uint16 uid) internal pure returns (bool) {
        for (uint256 i; i < d.validators.length; ++i) if (d.validators[i].uid == uid) return true;
        return false;
    }

    /* RESULTS TREE */

    /// @notice OpenZeppelin's standard-tree leaf: keccak256(keccak256(abi.encode(values))).
    function leafHash(Leaf memory l) internal pure returns (bytes32) {
        bytes memory encoded = abi.encode(
            l.uid,
            l.hotkey,
            l.incentiveAlphaRao,
            l.alphaDividendAlphaRao,
            l.rootDividendAlphaRao
        );
        return keccak256(bytes.concat(keccak256(encoded)));
    }

    function leafHashes(Leaf[] memory leaves) internal pure returns (bytes32[] memory hashes) {
        hashes = new bytes32[](leaves.length);
        for (uint256 i; i < leaves.length; ++i) hashes[i] = leafHash(leaves[i]);
    }

    /// @notice The root of a binary tree over `leaves` in order; a node without a sibling moves up unchanged.
    function merkleRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
        if (leaves.length == 0) return bytes32(0);
        bytes32[] memory level = _copy(leaves);
        for (uint256 n = level.length; n > 1; n = (n + 1) / 2) _up(level, n);
        return level[0];
    }

    /// @notice The siblings from leaf `index` up to the root of `merkleRoot(leaves)`.
    function merkleProof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory proof) {
        uint256 depth;
        uint256 i = index;
        for (uint256 n = leaves.length; n > 1; n = (n + 1) / 2) {
            if ((i ^ 1) < n) ++depth;
            i /= 2;
        }
        proof = new bytes32[](depth);
        bytes32[] memory level = _copy(leaves);
        uint256 k;
        for (uint256 n = level.length; n > 1; n = (n + 1) / 2) {
            if ((index ^ 1) < n) proof[k++] = level[index ^ 1];
            _up(level, n);
            index /= 2;
        }
    }

    /// @dev Replaces the first ceil(n/2) nodes of `level` with their parents (in place: parent i reads 2i, 2i + 1).
    function _up(bytes32[] memory level, uint256 n) private pure {
        for (uint256 i; 2 * i < n; ++i) {
            level[i] = 2 * i + 1 < n ? Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1]) : level[2 * i];
        }
    }

    function _copy(bytes32[] memory a) private pure returns (bytes32[] memory b) {
        b = new bytes32[](a.length);
        for (uint256 i; i < a.length; ++i) b[i] = a[i];
    }

    /* EIP-712 */

    function domainSeparator(address verifyingContract, uint256 chainId) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    DOMAIN_TYPEHASH,
                    keccak256(bytes(DOMAIN_NAME)),
                    keccak256(bytes(DOMAIN_VERSION)),
                    chainId,
                    verifyingContract
                )
            );
    }

    /// @notice The struct hash of a report, word by word (each field widened to 32 bytes, as EIP-712 encodes it).
    function structHash(IEpochSettlement.Report memory r) internal pure returns (bytes32) {
        bytes32[17] memory words = [
            keccak256(bytes(REPORT_TYPE)),
            bytes32(r.chainId),
            bytes32(uint256(uint160(r.settlement))),
            bytes32(uint256(r.netuid)),
            bytes32(uint256(r.generation)),
            bytes32(uint256(r.epoch)),
            bytes32(uint256(r.snapshotBlock)),
            r.inputsHash,
            r.resultsRoot,
            r.stateHash,
            r.validatorsHash,
            r.permitsHash,
            bytes32(uint256(r.incentiveAlphaRao)),
            bytes32(uint256(r.burnedIncentiveAlphaRao)),
            bytes32(uint256(r.alphaDividendsAlphaRao)),
            bytes32(uint256(r.rootDividendsAlphaRao)),
            bytes32(uint256(r.minerBurnOf65535))
        ];
        return keccak256(abi.encodePacked(words));
    }

    /// @notice The digest a keeper signs for `r` on chain `chainId` and settlement `verifyingContract`.
    function digest(
        IEpochSettlement.Report memory r,
        address verifyingContract,
        uint256 chainId
    ) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(verifyingContract, chainId), structHash(r)));
    }

    /// @notice The digest of `r` for the chain and settlement the report names.
    function digest(IEpochSettlement.Report memory r) internal pure returns (bytes32) {
        return digest(r, r.settlement, r.chainId);
    }

    /* SIGNATURES */

    /// @notice 65-byte signatures (r, s, v) of `hash` by each key, in the order given.
    function sign(bytes32 hash, uint256[] memory privateKeys) internal pure returns (bytes[] memory signatures) {
        signatures = new bytes[](privateKeys.length);
        for (uint256 i; i < privateKeys.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = SIGNING_VM.sign(privateKeys[i], hash);
            signatures[i] = abi.encodePacked(r, s, v);
        }
    }

    /// @notice The other signature of the same signer: (r, n − s, v ^ 1), which `ecrecover` accepts.
    function malleate(bytes memory signature) internal pure returns (bytes memory) {
        (bytes32 r, bytes32 s, uint8 v) = split(signature);
        return abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
    }

    function split(bytes memory signature) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
    }
}
