//! Parameter sweeps: designs over scenario parameters, sharding and merging.

pub mod design;
pub mod shard;
