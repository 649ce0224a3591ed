// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title A contract that calls other contracts (and precompiles) as itself
/// @notice For tests and experiments: anyone may have it call anything, with its own funds
///         and as its own account. `exec` bubbles up the callee's revert data unchanged, so a
///         precompile's `Error(string)` reaches the transaction's sender as it was raised.
///         `execStatic` and `execDelegate` show what a precompile does in a static context
///         and under `delegatecall` (it refuses state changes and delegate calls).
contract Forwarder {
    /// @notice `target.call(data)`; reverts with the callee's revert data.
    function exec(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    /// @notice `target.staticcall(data)`; reverts with the callee's revert data.
    function execStatic(address target, bytes calldata data) external view returns (bytes memory) {
        (bool ok, bytes memory ret) = target.staticcall(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    /// @notice `target.delegatecall(data)`; returns whether it succeeded and its data.
    function execDelegate(address target, bytes calldata data) external returns (bool, bytes memory) {
        return target.delegatecall(data);
    }
}
