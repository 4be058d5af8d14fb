// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {AlphaPoolsExtension} from "../../../contracts/model/AlphaPoolsExtension.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {RootDividends} from "../../../contracts/model/RootDividends.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";

import {VM} from "./Vm.sol";

/// @title Deploy
/// @notice Deploys the project's contracts from the contracts' own build (their artifacts), with constructor
/// arguments, as the deployment scripts do; typed helpers for the model's contracts.
/// @dev Why not `new`: a contract that deploys another with `new` embeds its creation code, and solc generates and
/// assembles that code again inside every test contract that does so, which made the test build several times
/// slower than the contracts' own. Deployed from the artifact, each contract is compiled once, and the tests run the
/// very bytecode the deployment uses. Tests of a constructor's reverts keep `new` (a failed CREATE here reverts).
library Deploy {
    error DeploymentFailed(string artifact);

    /// @notice Deploys `artifact` ("File.sol:Contract") with ABI-encoded constructor arguments.
    function create(string memory artifact, bytes memory constructorArgs) internal returns (address deployed) {
        bytes memory initCode = bytes.concat(VM.getCode(artifact), constructorArgs);
        assembly ("memory-safe") {
            deployed := create(0, add(initCode, 0x20), mload(initCode))
        }
        if (deployed == address(0)) revert DeploymentFailed(artifact);
    }

    /* THE MODEL */

    function alphaPoolsExtension(
        uint256 movingAlphaWad,
        uint256 emaHalvingBlocks,
        uint256 taoWeightWad
    ) internal returns (AlphaPoolsExtension) {
        return
            AlphaPoolsExtension(
                payable(
                    create(
                        "AlphaPoolsExtension.sol:AlphaPoolsExtension",
                        abi.encode(movingAlphaWad, emaHalvingBlocks, taoWeightWad)
                    )
                )
            );
    }

    function alphaPools(
        address admin,
        uint256 movingAlphaWad,
        uint256 emaHalvingBlocks,
        uint256 taoWeightWad,
        uint256 initialIssuanceRao,
        AlphaPoolsExtension extension
    ) internal returns (AlphaPools) {
        bytes memory args = abi.encode(
            admin,
            movingAlphaWad,
            emaHalvingBlocks,
            taoWeightWad,
            initialIssuanceRao,
            extension
        );
        return AlphaPools(payable(create("AlphaPools.sol:AlphaPools", args)));
    }

    function subnetRegistry(
        address admin,
        IAlphaPools pools,
        uint16 minTempo,
        uint64 minLockRao,
        uint32 lockReductionInterval,
        uint32 networkRateLimit,
        uint32 networkImmunityPeriod,
        uint16 subnetLimit,
        ISubnetRegistry.Hyperparameters memory defaults,
        ISubnetRegistry.PoolSettings memory defaultPoolSettings
    ) internal returns (SubnetRegistry) {
        bytes memory args = abi.encode(
            admin,
            pools,
            minTempo,
            minLockRao,
            lockReductionInterval,
            networkRateLimit,
            networkImmunityPeriod,
            subnetLimit,
            defaults,
            defaultPoolSettings
        );
        return SubnetRegistry(payable(create("SubnetRegistry.sol:SubnetRegistry", args)));
    }

    function metagraph(
        address admin,
        IAlphaPools pools,
        ISubnetRegistry registry,
        uint64 initialBurnRao,
        uint16 defaultTakeOf65535,
        uint16 maxTakeOf65535,
        uint32 takeRateLimitBlocks
    ) internal returns (Metagraph) {
        bytes memory args = abi.encode(
            admin,
            pools,
            registry,
            initialBurnRao,
            defaultTakeOf65535,
            maxTakeOf65535,
            takeRateLimitBlocks
        );
        return Metagraph(payable(create("Metagraph.sol:Metagraph", args)));
    }

    function rootDividends(address admin, IAlphaPools pools) internal returns (RootDividends) {
        return RootDividends(payable(create("RootDividends.sol:RootDividends", abi.encode(admin, pools))));
    }
}
