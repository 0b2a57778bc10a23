//! A throwaway PostgreSQL cluster for `check --dry-run`: initdb in a private temporary
//! directory, the server listening only on a Unix socket in that directory (a free port
//! number names the socket), stopped and deleted when the guard drops, on Ctrl-C/SIGTERM too.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Clusters alive in this process (bin dir, cluster dir, user): the signal watcher removes them.
static ACTIVE: Mutex<Vec<(PathBuf, PathBuf, Option<String>)>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static WATCHER: std::sync::Once = std::sync::Once::new();

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// On SIGINT/SIGTERM/SIGHUP: a watcher thread (not the handler, which only sets a flag) stops
/// and deletes every live cluster, then exits 130.
fn install_signal_cleanup() {
    WATCHER.call_once(|| {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler);
            libc::signal(libc::SIGTERM, handler);
            libc::signal(libc::SIGHUP, handler);
        }
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(50));
                if INTERRUPTED.load(Ordering::SeqCst) {
                    let list = match ACTIVE.lock() {
                        Ok(mut l) => std::mem::take(&mut *l),
                        Err(p) => std::mem::take(&mut *p.into_inner()),
                    };
                    for (bin, dir, user) in list {
                        stop(&bin, &dir, user.as_deref());
                    }
                    eprintln!(
                        "preflight: interrupted; the dry-run cluster was stopped and deleted"
                    );
                    std::process::exit(130);
                }
            }
        });
    });
}

pub struct Cluster {
    pub dir: PathBuf,
    pub bin: PathBuf,
    pub port: u16,
    user: Option<String>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        stop(&self.bin, &self.dir, self.user.as_deref());
        if let Ok(mut l) = ACTIVE.lock() {
            l.retain(|(_, d, _)| d != &self.dir);
        }
    }
}

fn stop(bin: &Path, dir: &Path, user: Option<&str>) {
    let data = dir.join("data");
    if data.join("postmaster.pid").exists() {
        let _ = server_cmd(user, &bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "-t", "10", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A command run as the server's user (`runuser -u postgres --` when we are root).
fn server_cmd(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn has_server(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "postgres"]
        .iter()
        .all(|b| dir.join(b).is_file())
}

/// The directory holding initdb, pg_ctl and postgres: `--pg-bin`, then `PATH`, then
/// `pg_config --bindir`, then the usual install locations (newest version first).
pub fn find_bin(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(d) = explicit {
        return if has_server(d) {
            Ok(d.to_path_buf())
        } else {
            Err(format!(
                "--pg-bin {}: no initdb, pg_ctl and postgres there",
                d.display()
            ))
        };
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if has_server(&d) {
                return Ok(d);
            }
        }
    }
    if let Ok(out) = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&d) {
            return Ok(d);
        }
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    for parent in [
        "/usr/lib/postgresql",
        "/usr/local/opt",
        "/opt/homebrew/opt",
        "/usr",
    ] {
        if let Ok(entries) = std::fs::read_dir(parent) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if parent == "/usr/lib/postgresql"
                    || name.starts_with("postgresql")
                    || name.starts_with("pgsql")
                {
                    candidates.push(e.path().join("bin"));
                }
            }
        }
    }
    candidates.push(PathBuf::from("/usr/local/pgsql/bin"));
    candidates.sort_by(|a, b| {
        crate::migrations::detect::natural_cmp(&b.to_string_lossy(), &a.to_string_lossy())
    });
    candidates
        .into_iter()
        .find(|d| has_server(d))
        .ok_or_else(|| {
            "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found in PATH, \
         `pg_config --bindir` or the usual install locations; install the server package \
         (e.g. `apt-get install postgresql`) or pass --pg-bin DIR"
                .to_string()
        })
}

/// The system user to run the server as: none unless we are root (PostgreSQL refuses to run
/// as root), then `postgres`.
fn server_user() -> Result<Option<(String, u32, u32)>, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .stderr(Stdio::null())
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    match (id("-u"), id("-g")) {
        (Some(u), Some(g)) => Ok(Some(("postgres".to_string(), u, g))),
        _ => Err(
            "running as root: PostgreSQL refuses to run as root, and there is no \
                  `postgres` system user to run the dry-run server as; create one \
                  (`useradd --system postgres`) or run preflight as an ordinary user"
                .to_string(),
        ),
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

impl Cluster {
    pub fn start(pg_bin: Option<&Path>) -> Result<Cluster, String> {
        let bin = find_bin(pg_bin)?;
        let user = server_user()?;
        install_signal_cleanup();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("preflight-dryrun.{}.{nanos:x}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let cluster = Cluster {
            dir: dir.clone(),
            bin: bin.clone(),
            port: 0,
            user: user.as_ref().map(|u| u.0.clone()),
        };
        if let Ok(mut l) = ACTIVE.lock() {
            l.push((bin.clone(), dir.clone(), cluster.user.clone()));
        }
        let mut cluster = cluster;
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        }
        if let Some((_, uid, gid)) = &user {
            let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes())
                .map_err(|_| "temporary directory path contains a NUL byte".to_string())?;
            // SAFETY: a valid C string and plain ids.
            if unsafe { libc::chown(c.as_ptr(), *uid, *gid) } != 0 {
                return Err(format!(
                    "cannot hand {} to the postgres user: {}",
                    dir.display(),
                    std::io::Error::last_os_error()
                ));
            }
        }
        let u = cluster.user.clone();
        let log = dir.join("initdb.log");
        let out = server_cmd(u.as_deref(), &bin.join("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", bin.join("initdb").display()))?;
        let _ = std::fs::write(&log, [&out.stdout[..], &out.stderr[..]].concat());
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let mut last = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let opts = format!(
                "-p {port} -k '{}' -c listen_addresses='' -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off",
                dir.display()
            );
            let status = server_cmd(u.as_deref(), &bin.join("pg_ctl"))
                .arg("-D")
                .arg(dir.join("data"))
                .arg("-l")
                .arg(dir.join("server.log"))
                .args(["-w", "-t", "30", "-s", "-o", &opts, "start"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
            if status.success() {
                cluster.port = port;
                return Ok(cluster);
            }
            last = tail(&dir.join("server.log"));
        }
        Err(format!(
            "the dry-run PostgreSQL server did not start:\n{last}"
        ))
    }

    /// A connection over the Unix socket to `dbname`.
    pub fn connect(&self, dbname: &str) -> Result<postgres::Client, String> {
        let mut c = postgres::Config::new();
        c.host_path(&self.dir)
            .port(self.port)
            .user("postgres")
            .dbname(dbname)
            .application_name("preflight-dry-run");
        c.connect(postgres::NoTls)
            .map_err(|e| format!("cannot connect to the dry-run server: {e}"))
    }
}
