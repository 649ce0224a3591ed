// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// A minimal contract the runtime tests deploy as EVM bytecode through pallet-revive:
/// it stores one number and returns it.
contract Store {
    uint256 private value;

    event Stored(uint256 value);

    /// Stores `newValue`.
    function set(uint256 newValue) external {
        value = newValue;
        emit Stored(newValue);
    }

    /// The stored number.
    function get() external view returns (uint256) {
        return value;
    }
}
