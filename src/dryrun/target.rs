//! `--dry-run --database-url`: a real database, only when the team declared it a dry-run
//! target (`[dry-run] targets` in preflight.toml); every file in `BEGIN … ROLLBACK` with
//! `SET LOCAL lock_timeout` and `statement_timeout`; COMMIT is never sent.

use super::exec::{End, Session};
use super::{Job, Options};
use crate::live::redact;
use crate::outcome::Outcome;
use crate::settings::Settings;
use globset::Glob;
use std::str::FromStr;

/// The strings a `targets` glob is matched against: the host, `host:port`, and the URL
/// without its password.
fn candidates(url: &str, config: &postgres::Config) -> Vec<String> {
    let mut out = Vec::new();
    let ports = config.get_ports();
    for (i, h) in config.get_hosts().iter().enumerate() {
        let host = match h {
            postgres::config::Host::Tcp(h) => h.clone(),
            postgres::config::Host::Unix(p) => p.to_string_lossy().to_string(),
        };
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        out.push(format!("{host}:{port}"));
        out.push(host);
    }
    out.push(redact(url).replace(":***@", "@"));
    out
}

/// Is `url` declared safe for a dry run?
pub fn declared(url: &str, targets: &[String]) -> Result<bool, String> {
    let config = postgres::Config::from_str(&crate::tls::split_params(url).0)
        .map_err(|e| format!("cannot parse the database URL: {e}"))?;
    let cands = candidates(url, &config);
    for t in targets {
        let m = Glob::new(t)
            .map_err(|e| format!("[dry-run] targets: bad glob `{t}`: {e}"))?
            .compile_matcher();
        if cands.iter().any(|c| m.is_match(c) || c == t) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn connect(url: &str, timeout: std::time::Duration, app: &str) -> Result<postgres::Client, String> {
    crate::tls::connect(url, timeout, app)
        .map_err(|e| redact_err(url, format!("{e} ({})", redact(url))))
}

fn redact_err(url: &str, msg: String) -> String {
    match postgres::Config::from_str(&crate::tls::split_params(url).0)
        .ok()
        .and_then(|c| {
            c.get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned())
        })
        .filter(|p| !p.is_empty())
    {
        Some(p) => msg.replace(&p, "***"),
        None => msg,
    }
}

/// Refuse an undeclared target: connect, ask only who it is (identity queries, no user SQL),
/// and say how to declare it.
pub fn refusal(url: &str, timeout: std::time::Duration) -> String {
    let config = postgres::Config::from_str(&crate::tls::split_params(url).0).ok();
    let host = config
        .as_ref()
        .and_then(|c| c.get_hosts().first().cloned())
        .map(|h| match h {
            postgres::config::Host::Tcp(h) => h,
            postgres::config::Host::Unix(p) => p.to_string_lossy().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_string());
    let identity = connect(url, timeout, "preflight-identify").and_then(|mut c| {
        let r = c
            .query_one(
                "SELECT current_database()::text, current_setting('server_version'), \
                 pg_size_pretty(pg_database_size(current_database()))",
                &[],
            )
            .map_err(|e| format!("cannot identify the server: {e}"))?;
        let _ = c.close();
        Ok((
            r.get::<_, String>(0),
            r.get::<_, String>(1),
            r.get::<_, String>(2),
        ))
    });
    let who = match identity {
        Ok((db, version, size)) => {
            format!("host {host}, database {db}, PostgreSQL {version}, {size}")
        }
        Err(e) => format!("host {host} ({e})"),
    };
    format!(
        "refusing to dry-run against {who}: it is not declared a dry-run target. A dry run \
         executes the migrations and holds their locks until it rolls back; declare databases \
         where that is safe in preflight.toml:\n\n  [dry-run]\n  targets = [\"{host}\"]\n\n\
         (host or URL globs), or run `--dry-run` without --database-url for a throwaway server"
    )
}

pub(super) fn run(
    url: &str,
    opts: &Options,
    groups: &mut [Vec<Job>],
    settings: &Settings,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let mut client = connect(url, opts.statement_timeout, "preflight-dry-run")?;
    let version = super::server_version(&mut client)?;
    let set_local = vec![
        format!(
            "SET LOCAL lock_timeout = {}",
            opts.lock_timeout.as_millis().max(1)
        ),
        format!(
            "SET LOCAL statement_timeout = {}",
            opts.statement_timeout.as_millis().max(1)
        ),
    ];
    let mut session = Session {
        client: &mut client,
        server_version: version,
        set_local,
        count_rows: true,
        tolerate_missing: false,
    };
    for jobs in groups.iter_mut() {
        // the target already holds the earlier migrations: only the selected files run, each
        // rolled back
        jobs.retain(|j| j.reported.is_some());
        for j in jobs.iter_mut() {
            j.end = End::Rollback;
        }
        super::replay(&mut session, jobs, settings, outcome, true)
            .map_err(|e| redact_err(url, e))?;
    }
    let _ = client.close();
    Ok(())
}
