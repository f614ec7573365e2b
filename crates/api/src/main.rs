//! `rusing-academy`: serve the API, manage the schema, print the OpenAPI contract, load the demo.

use std::process::ExitCode;

use api::config::Settings;
use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

#[derive(Parser)]
#[command(
    name = "rusing-academy",
    version,
    about = "RusingAcademy backend: JSON REST API for bilingual SLE training and coaching"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (migrates first when AUTO_MIGRATE is on, the default for SQLite).
    Serve,
    /// Manage the database schema (DATABASE_URL; default ./data/rusing-academy.db).
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the OpenAPI 3.1 document to stdout.
    Openapi,
    /// Load the bilingual demo data set (idempotent; refused with APP_ENV=production).
    SeedDemo,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Roll back the most recent migrations.
    Down {
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List applied and pending migrations.
    Status,
    /// Drop every table and apply all migrations again (destroys data).
    Fresh,
}

/// Password of every demo account unless `DEMO_PASSWORD` is set.
const DEFAULT_DEMO_PASSWORD: &str = "Bilingual-Demo-2026";

async fn migrate(settings: &Settings, action: MigrateAction) -> anyhow::Result<()> {
    let db = api::commands::connect(settings).await?;
    match action {
        MigrateAction::Up => Migrator::up(&db, None).await?,
        MigrateAction::Down { steps } => Migrator::down(&db, Some(steps)).await?,
        MigrateAction::Fresh => Migrator::fresh(&db).await?,
        MigrateAction::Status => {}
    }
    for migration in Migrator::get_applied_migrations(&db).await? {
        println!("applied  {}", migration.name());
    }
    for migration in Migrator::get_pending_migrations(&db).await? {
        println!("pending  {}", migration.name());
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Openapi = cli.command {
        println!("{}", api::openapi_document().to_pretty_json()?);
        return Ok(());
    }
    let settings = Settings::from_env()?;
    api::telemetry::init(settings.log_format);
    for warning in &settings.warnings {
        tracing::warn!("{warning}");
    }
    match cli.command {
        Command::Serve => {
            let app = api::Application::build(settings).await?;
            tracing::info!(port = app.port(), "listening");
            app.run_until_stopped().await
        }
        Command::Migrate { action } => migrate(&settings, action).await,
        Command::SeedDemo => {
            let password =
                std::env::var("DEMO_PASSWORD").unwrap_or_else(|_| DEFAULT_DEMO_PASSWORD.to_owned());
            api::commands::seed_demo(&settings, &password, &mut std::io::stdout()).await
        }
        Command::Openapi => Ok(()),
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %format!("{err:#}"), "fatal");
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
