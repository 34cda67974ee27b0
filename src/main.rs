//! Entry point: parse the command line, then run a command or open the game window.

use std::process::ExitCode;

use clap::Parser;
use dunning_dojo::cli::{Cli, run};

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    match cli.command.take() {
        Some(command) => run(cli, command),
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            ExitCode::SUCCESS
        }
    }
}
