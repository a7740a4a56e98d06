use anyhow::Result;
use clap::{Parser, Subcommand};

/// Loads persona documents into a VITAL (PostgreSQL / Supabase) database.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply the project's migrations (embedded in this binary).
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Migrate { database_url } => {
            let applied = seeder::migrate::run(&database_url).await?;
            if applied.is_empty() {
                println!("migrations: up to date");
            } else {
                println!("migrations: applied {applied:?}");
            }
        }
    }
    Ok(())
}
