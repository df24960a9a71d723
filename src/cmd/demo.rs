//! `demo`: write the demo lineage warehouse (or a synthetic one) to a SQLite file, or print
//! it as SQL for another database.
use std::io::Write;

use anyhow::Context;

use crate::cli::{DemoAction, DemoArgs, DemoCreateArgs, DemoSqlArgs, SqlDialectArg};
use crate::config::Config;
use crate::failure::bad_input;
use crate::jobs::Outcome;
use crate::source::demo::{self, DemoError, Dialect};

pub fn run(_config: &Config, args: DemoArgs) -> anyhow::Result<Outcome> {
    match args.action {
        DemoAction::Create(args) => create(args)?,
        DemoAction::Sql(args) => sql(args)?,
    }
    Ok(Outcome::Complete)
}

fn create(args: DemoCreateArgs) -> anyhow::Result<()> {
    let result = match args.scale {
        Some(n) => demo::create_synthetic(&args.path, n, args.seed, args.force),
        None => demo::create_demo(&args.path, args.force),
    };
    let summary = match result {
        Ok(s) => s,
        Err(DemoError::Exists(p)) => {
            return Err(bad_input(format!(
                "{} already exists; use --force to replace it",
                p.display()
            )))
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", args.path.display())),
    };
    println!("created {}: {summary}", args.path.display());
    Ok(())
}

fn sql(args: DemoSqlArgs) -> anyhow::Result<()> {
    let dialect = match args.dialect {
        SqlDialectArg::Postgres => Dialect::Postgres,
        SqlDialectArg::Sqlite => Dialect::Sqlite,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    demo::write_demo_sql(&mut out, dialect, args.scale, args.seed).map_err(|e| match e {
        DemoError::Io(io) => anyhow::Error::new(io),
        other => anyhow::Error::new(other),
    })?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(path: &std::path::Path, force: bool) -> DemoCreateArgs {
        DemoCreateArgs {
            path: path.to_path_buf(),
            scale: None,
            seed: 42,
            force,
        }
    }

    #[test]
    fn create_refuses_an_existing_file_with_the_usage_code() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("demo.db");
        create(args(&path, false)).expect("first create");
        let err = create(args(&path, false)).expect_err("second create");
        assert_eq!(crate::exit::code_of(&err), crate::exit::Code::Usage);
        assert!(err.to_string().contains("--force"), "{err}");
        create(args(&path, true)).expect("forced create");
    }
}
