//! pg: connecting to PostgreSQL the way hosted (Supabase) users do: TLS from the URL, poolers,
//! bounded start-up retries, error explanations, and TCP_NODELAY on the connections it makes.
//! Shared by codegen and the seeder. With the `cli` feature, the connection flags as clap
//! arguments for binaries.

pub mod connect;
pub mod nodelay;
